import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';

import { describeModel, PREFERRED_MODELS } from '../catalog';
import { ParamError, validateGenerationParams, DEFAULT_PARAMS } from '../core/params';
import type { GenerationParams } from '../juxin/types';
import type { TextEdit } from './edits';
import { FRONT_MATTER_KEYS, frontMatterKey, orientationWord, parseDurationValue, sizeWord, suggestKey, type FrontMatterKey } from './fields';
import { describeBytes } from '../util/boundedRead';
import { LIMITS } from './limits';
import { problemAt } from './problems';
import type { CastMember, StoryboardDefaults, StoryboardProblem } from './types';

/** The `---` block at the top of the file: lines `start` and `end` are the fences (0-based). */
export interface FrontMatterBlock {
  start: number;
  end: number;
}

export interface FrontMatterValues {
  title: string;
  defaults: StoryboardDefaults;
  style: string;
  cast: CastMember[];
  subtitles?: string;
}

const FENCE = /^---\s*$/;
const END_FENCE = /^(---|\.\.\.)\s*$/;

/** Finds the front matter; a file without one is read with the defaults (and a warning). */
export function findFrontMatter(lines: readonly string[], problems: StoryboardProblem[]): FrontMatterBlock | undefined {
  if (!FENCE.test(lines[0]?.replace(/^\uFEFF/, '') ?? '')) {
    problems.push(
      problemAt(
        'warning',
        0,
        'The file has no settings block (front matter between two "---" lines): the defaults are used (sora-2, landscape, small, 10 s).',
        '文件开头没有设置区（两行 "---" 之间的 front matter）：将使用默认值（sora-2、横屏、small、10 秒）。',
      ),
    );
    return undefined;
  }
  for (let i = 1; i < lines.length; i++) if (END_FENCE.test(lines[i])) return { start: 0, end: i };
  problems.push(
    problemAt(
      'error',
      0,
      'The settings block that starts here never ends: add a line with "---" after the settings.',
      '从这里开始的设置区没有结束：请在设置之后加一行 "---"。',
    ),
  );
  return undefined;
}

/**
 * `小林: @abc.def` is the mistake everyone makes (a YAML value may not start with @): read it as if
 * it were quoted. Only what is parsed changes, never the file, and line numbers stay the same.
 */
export function quoteBareAtValues(yamlText: string): string {
  return yamlText.replace(/^(\s*(?:-\s+)?[^\s#:][^:#]*?:[ \t]+)(@[^\s#'"]+)([ \t]*(?:#.*)?)$/gm, '$1"$2"$3');
}

/**
 * The settings block's YAML, or undefined when it is larger than any settings block needs
 * (`LIMITS.frontMatterChars`): YAML parsing is slow on huge maps, and a storyboard's settings are a few lines.
 */
function frontMatterYaml(lines: readonly string[], block: FrontMatterBlock): string | undefined {
  let size = 0;
  for (let i = block.start + 1; i < block.end; i++) {
    size += lines[i].length + 1;
    if (size > LIMITS.frontMatterChars) return undefined;
  }
  return quoteBareAtValues(lines.slice(block.start + 1, block.end).join('\n'));
}

export function readFrontMatter(lines: readonly string[], block: FrontMatterBlock | undefined, problems: StoryboardProblem[]): FrontMatterValues {
  const values: FrontMatterValues = { title: '', defaults: storyboardDefaultsOf(DEFAULT_PARAMS), style: '', cast: [] };
  if (!block) return values;
  const first = block.start + 1;
  const yamlText = frontMatterYaml(lines, block);
  if (yamlText === undefined) {
    const limit = describeBytes(LIMITS.frontMatterChars);
    problems.push(
      problemAt(
        'error',
        block.start,
        `the settings block is larger than ${limit}: it holds only the title, model, aspect ratio, resolution, orientation, size, duration, style, cast and subtitles. Move everything else out of it.`,
        `设置区超过 ${limit}：它只应包含标题、模型、画面比例、分辨率、方向、尺寸、时长、风格、角色和字幕。请把其他内容移出设置区。`,
      ),
    );
    return values;
  }
  const counter = new LineCounter();
  // Keys are checked for repeats below, in one pass: yaml's own check compares every key with every other.
  const doc = parseDocument(yamlText, { lineCounter: counter, uniqueKeys: false });
  const lineOf = (node: Node | Pair | null | undefined): number => {
    const offset = (node && 'range' in node ? node.range?.[0] : undefined) ?? (node && 'key' in node ? (node.key as Node)?.range?.[0] : undefined);
    return offset === undefined ? block.start : first + counter.linePos(offset).line - 1;
  };
  for (const error of doc.errors) {
    const line = error.linePos ? first + error.linePos[0].line - 1 : block.start;
    const detail = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    problems.push(
      problemAt(
        'error',
        line,
        `the settings are not valid YAML (${detail}). Check the indentation (spaces, not tabs) and put text with ":" or "#" in quotes.`,
        `设置不是有效的 YAML（${detail}）。请检查缩进（用空格，不要用 Tab），含有 ":" 或 "#" 的文字请加引号。`,
      ),
    );
  }
  if (doc.errors.length) return values;
  if (doc.contents === null) return values;
  if (!isMap(doc.contents)) {
    problems.push(problemAt('error', first, 'the settings must be "name: value" lines.', '设置必须是 “名称: 值” 形式的行。'));
    return values;
  }
  const given: Partial<Record<FrontMatterKey, { value: unknown; line: number; node: unknown }>> = {};
  const allNames = Object.values(FRONT_MATTER_KEYS).flat();
  const seen = new Map<string, number>();
  let unknown = 0;
  for (const pair of doc.contents.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const key = frontMatterKey(name);
    const line = lineOf(pair.key as Node);
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      problems.push(
        problemAt(
          'error',
          line,
          `the setting "${name}" is also given at line ${earlier + 1}: keep one of them.`,
          `设置 "${name}" 在第 ${earlier + 1} 行也出现过：请只保留一个。`,
        ),
      );
      continue;
    }
    seen.set(name, line);
    if (!key) {
      // A guess helps with a typo or two; past a few unknown keys it is not a typo, and guessing costs.
      const guess = ++unknown <= 20 ? suggestKey(name, allNames) : undefined;
      problems.push(
        problemAt(
          'warning',
          line,
          `unknown setting "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; it is ignored. Known: ${Object.keys(FRONT_MATTER_KEYS).join(', ')}.`,
          `未知设置 "${name}"${guess ? `（是不是 "${guess}"？）` : ''}，已忽略。可用的设置：${allNames.filter((n) => /[\u4e00-\u9fff]/.test(n)).join('、')}。`,
        ),
      );
      continue;
    }
    given[key] = { value: isScalar(pair.value) ? pair.value.value : (pair.value as Node | null)?.toJSON(), line, node: pair.value };
  }
  const text = (key: FrontMatterKey): string => {
    const v = given[key]?.value;
    return v === undefined || v === null ? '' : typeof v === 'object' ? '' : String(v).trim();
  };
  values.title = text('title');
  values.style = text('style');
  if (text('subtitles')) values.subtitles = text('subtitles');
  values.defaults = readDefaults(given, problems);
  if (given.cast) values.cast = readCast(given.cast.node, given.cast.line, lineOf, problems);
  return values;
}

/** The settings of a storyboard from checked generation parameters (Sora keeps orientation and size; other families add their ratio and resolution). */
export function storyboardDefaultsOf(
  p: Pick<GenerationParams, 'model' | 'orientation' | 'size' | 'duration' | 'aspectRatio' | 'resolution'>,
): StoryboardDefaults {
  const defaults: StoryboardDefaults = { model: p.model, orientation: p.orientation, size: p.size, duration: p.duration };
  // Sora's shape and size are its orientation and size (as files written before say); every other family has its own.
  if (p.aspectRatio) defaults.aspectRatio = p.aspectRatio;
  if (p.resolution) defaults.resolution = p.resolution;
  return defaults;
}

/** The front matter's names of the fields `validateGenerationParams` reports. */
const SETTING_OF: Record<string, FrontMatterKey> = {
  model: 'model',
  orientation: 'orientation',
  size: 'size',
  aspectRatio: 'aspect_ratio',
  resolution: 'resolution',
  duration: 'duration',
};

/**
 * The model rules belong to `validateGenerationParams` (which reads the catalog); each mistake it
 * finds is reported at its setting's line, then that setting falls back to its default so the other
 * settings are still checked. A retired model is said once, at its line, with the model to use instead.
 */
function readDefaults(given: Partial<Record<FrontMatterKey, { value: unknown; line: number }>>, problems: StoryboardProblem[]): StoryboardDefaults {
  const input: Record<string, unknown> = {};
  if (given.model) input.model = String(given.model.value ?? '').trim();
  if (given.orientation) input.orientation = orientationWord(String(given.orientation.value ?? ''));
  if (given.size) input.size = sizeWord(String(given.size.value ?? ''));
  if (given.aspect_ratio) input.aspectRatio = String(given.aspect_ratio.value ?? '').trim();
  if (given.resolution)
    input.resolution = String(given.resolution.value ?? '')
      .trim()
      .toLowerCase();
  if (given.duration) input.duration = parseDurationValue(given.duration.value);
  let modelRefused = false;
  for (let attempt = 0; attempt < 7; attempt++) {
    try {
      const checked = validateGenerationParams({ prompt: 'x', ...input });
      if (given.model && !modelRefused) {
        const retired = retiredModelWarning(checked.model, given.model.line);
        if (retired) problems.push(retired);
      }
      return storyboardDefaultsOf(checked);
    } catch (error) {
      const key = error instanceof ParamError ? SETTING_OF[error.field] : undefined;
      if (!(error instanceof ParamError) || !key || !(error.field in input)) throw error;
      // Durations, shapes and sizes depend on the model: judged against a model the person did not choose, they would mislead.
      const dependsOnModel = key === 'duration' || key === 'size' || key === 'aspect_ratio' || key === 'resolution';
      if (!(modelRefused && dependsOnModel)) {
        problems.push(problemAt('error', given[key]?.line ?? 0, error.message, error.messageZh));
      }
      modelRefused ||= error.field === 'model';
      delete input[error.field];
    }
  }
  return storyboardDefaultsOf(DEFAULT_PARAMS);
}

/** "sora-2 was retired on 2026-09-24: use veo3.1-fast": a warning, so the file still opens and its videos still join. */
function retiredModelWarning(model: string, line: number): StoryboardProblem | undefined {
  const spec = describeModel(model);
  if (!spec?.retiredOn) return undefined;
  const instead = replacementModel();
  const problem = problemAt(
    'warning',
    line,
    `${model} (${spec.familyName}) was retired on ${spec.retiredOn}: the relay no longer makes its videos. Change the model to ${instead} ("model: ${instead}"); the clips' durations follow the model.`,
    `${model}（${spec.familyName}）已于 ${spec.retiredOn} 下线：中转站不再生成它的视频。请把模型改为 ${instead}（"model: ${instead}"）；片段时长随模型而定。`,
  );
  return { ...problem, fix: { from: model, to: instead } };
}

/** The model a retired one gives way to: the first of the catalog's preference list that is not retired. */
export function replacementModel(): string {
  return PREFERRED_MODELS.find((id) => !describeModel(id)?.retiredOn) ?? PREFERRED_MODELS[0];
}

const USERNAME = /^@?[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function readCast(node: unknown, line: number, lineOf: (n: Node | Pair | null | undefined) => number, problems: StoryboardProblem[]): CastMember[] {
  const entries: { name: string; username: unknown; line: number }[] = [];
  if (isMap(node)) {
    for (const pair of node.items)
      entries.push({ name: String(isScalar(pair.key) ? pair.key.value : pair.key), username: scalarValue(pair.value), line: lineOf(pair.key as Node) });
  } else if (isSeq(node)) {
    // Also accepted: a list of `- 小林: "@abc"` or `- { name: 小林, username: "@abc" }`.
    for (const item of node.items) {
      if (!isMap(item)) continue;
      const json = item.toJSON() as Record<string, unknown>;
      if ('name' in json && 'username' in json) entries.push({ name: String(json.name), username: json.username, line: lineOf(item as Node) });
      else
        for (const pair of item.items)
          entries.push({ name: String(isScalar(pair.key) ? pair.key.value : pair.key), username: scalarValue(pair.value), line: lineOf(pair.key as Node) });
    }
  } else if (node !== null && node !== undefined && !(isScalar(node) && (node.value === null || node.value === ''))) {
    problems.push(
      problemAt('error', line, 'cast must list one character a line, like  小林: "@username"', 'cast（角色）应每行一个角色，例如  小林: "@username"'),
    );
    return [];
  }
  const cast: CastMember[] = [];
  const names = new Set<string>();
  for (const entry of entries) {
    const name = entry.name.trim().replace(/^@/, '');
    const username = typeof entry.username === 'string' ? entry.username.trim() : '';
    if (!name || /[\s@]/.test(name)) {
      problems.push(
        problemAt(
          'error',
          entry.line,
          `the character name "${entry.name}" must be one word without spaces or "@".`,
          `角色名 "${entry.name}" 必须是一个词，不能有空格或 "@"。`,
        ),
      );
      continue;
    }
    if (!USERNAME.test(username)) {
      problems.push(
        problemAt(
          'error',
          entry.line,
          `"${name}" needs the Sora character's username, like  ${name}: "@abcdefghi.jklmnopqr"  (create one with "Create Character").`,
          `"${name}" 需要 Sora 角色的用户名，例如  ${name}: "@abcdefghi.jklmnopqr"（可用“创建角色”生成）。`,
        ),
      );
      continue;
    }
    if (names.has(name)) {
      problems.push(problemAt('error', entry.line, `the character "${name}" is listed twice.`, `角色 "${name}" 重复列出。`));
      continue;
    }
    names.add(name);
    cast.push({ name, username: username.startsWith('@') ? username : `@${username}` });
  }
  return cast;
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

/** The front matter a new file gets: the settings in a fixed order, English keys. */
export function formatFrontMatter(values: FrontMatterValues): string[] {
  const content: Record<string, unknown> = {};
  content.title = values.title;
  content.model = values.defaults.model;
  if (values.defaults.aspectRatio) content.aspect_ratio = values.defaults.aspectRatio;
  else content.orientation = values.defaults.orientation;
  if (values.defaults.resolution) content.resolution = values.defaults.resolution;
  else content.size = values.defaults.size;
  content.duration = values.defaults.duration;
  content.style = values.style;
  content.cast = Object.fromEntries(values.cast.map((c) => [c.name, c.username]));
  if (values.subtitles) content.subtitles = values.subtitles;
  const yaml = new Document(content).toString({ lineWidth: 0 }).replace(/\n$/, '');
  return ['---', ...yaml.split('\n'), '---'];
}

/** Adds a character to the cast, or changes its username; the rest of the settings keep their comments and order. */
export function castMemberEdit(lines: readonly string[], block: FrontMatterBlock | undefined, member: CastMember): TextEdit {
  if (!block) {
    const content = new Document({ cast: { [member.name]: member.username } }).toString({ lineWidth: 0 }).replace(/\n$/, '');
    return { range: { start: 0, end: 0 }, lines: ['---', ...content.split('\n'), '---'] };
  }
  const yamlText = frontMatterYaml(lines, block);
  const doc = parseDocument(yamlText ?? '', { uniqueKeys: false });
  if (yamlText === undefined || doc.errors.length) throw new Error(`The settings block is not valid YAML; fix it first. / 设置区不是有效的 YAML，请先修正。`);
  const castKey = isMap(doc.contents)
    ? doc.contents.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).find((k) => frontMatterKey(k) === 'cast')
    : undefined;
  const key = castKey ?? 'cast';
  const cast = doc.get(key);
  if (isSeq(cast)) {
    // A list-style cast becomes the usual mapping, keeping every character in it.
    const entries = (cast.toJSON() as unknown[]).flatMap((item) => {
      if (!item || typeof item !== 'object') return [];
      const record = item as Record<string, unknown>;
      return 'name' in record ? [[String(record.name), record.username]] : Object.entries(record);
    });
    doc.set(key, doc.createNode(Object.fromEntries(entries)));
  } else if (!isMap(cast)) doc.set(key, doc.createNode({}));
  doc.setIn([key, member.name], member.username);
  const yaml = doc.toString({ lineWidth: 0 }).replace(/\n$/, '');
  return { range: { start: block.start + 1, end: block.end }, lines: yaml.split('\n') };
}
