import { applyEdits, splitLines, type TextEdit } from './edits';
import { castMemberEdit, findFrontMatter, formatFrontMatter } from './frontMatter';
import { parseStoryboard } from './parse';
import { formatClipTime } from './time';
import type { CastMember, Clip, Storyboard } from './types';

export type Language = 'en' | 'zh';

/** A clip to write into a new file: what a person or a model decided, no positions. */
export type ClipDraft = Omit<Clip, 'lines' | 'id'> & { id?: string };
export type StoryboardDraft = Omit<Storyboard, 'clips'> & { clips: ClipDraft[] };

const INTRO: Record<Language, string> = {
  en: '<!-- Each "## " section is one clip; keep its {#id} when you edit or reorder. Settings go right under the heading (duration, images). Lines starting with ">" are its subtitles, timed from the clip\'s start. Write characters as @name (see cast). Format: docs/storyboard.md -->',
  zh: '<!-- 每个 "## " 小节是一个片段；编辑或调整顺序时请保留它的 {#编号}。片段设置（时长 duration、图片 images）写在标题正下方。以 ">" 开头的行是字幕，时间从片段开头算起。角色写成 @名字（见 cast）。格式说明：docs/storyboard.md -->',
};

export interface IdOptions {
  /**
   * Ids the task history already knows (of clips since deleted): never given to a new clip, or it
   * would inherit another clip's videos.
   */
  taken?: Iterable<string>;
}

/** The text of a new storyboard file. Clips without an id get the next free `cN` (c1, c2, …). */
export function formatStoryboard(draft: StoryboardDraft, options: { language?: Language } & IdOptions = {}): string {
  const language = options.language ?? 'en';
  const ids = new IdAllocator([...draft.clips.map((c) => c.id), ...(options.taken ?? [])]);
  const out = [...formatFrontMatter(draft), '', INTRO[language]];
  draft.clips.forEach((clip, index) => {
    out.push('', ...clipSection({ ...clip, id: clip.id ?? ids.next() }, index, language));
  });
  return `${out.join('\n')}\n`;
}

function clipSection(clip: ClipDraft & { id: string }, index: number, language: Language): string[] {
  const title = clip.title.trim() || (language === 'zh' ? `片段 ${index + 1}` : `Clip ${index + 1}`);
  const out = [`## ${title} {#${clip.id}}`];
  const fields: string[] = [];
  if (clip.duration !== undefined) fields.push(`duration: ${clip.duration}`);
  if (clip.images.length) fields.push(`images: ${clip.images.join(', ')}`);
  if (clip.firstFrame) fields.push(`first_frame: ${clip.firstFrame}`);
  if (clip.lastFrame) fields.push(`last_frame: ${clip.lastFrame}`);
  if (fields.length) out.push('', ...fields);
  const prompt = promptLines(clip.prompt);
  if (prompt.length) out.push('', ...prompt);
  if (clip.subtitles.length) out.push('', ...clip.subtitles.flatMap(subtitleLines));
  return out;
}

export function subtitleLines(cue: { start: number; end: number; text: string }): string[] {
  const [first = '', ...rest] = cue.text.split(/\r?\n/);
  return [`> ${formatClipTime(cue.start)} --> ${formatClipTime(cue.end)} ${first}`.trimEnd(), ...rest.map((l) => `> ${l}`.trimEnd())];
}

/**
 * A prompt's lines as they can sit in a clip section: a line that would read as a clip heading
 * (`#`, `##`) becomes a sub-heading, one that would read as a subtitle (`>`) loses the mark.
 */
export function promptLines(prompt: string): string[] {
  const lines = prompt.replace(/\r\n?/g, '\n').trim().split('\n');
  if (lines.length === 1 && !lines[0]) return [];
  return lines.map((line) =>
    line
      .replace(/\s+$/, '')
      .replace(/^#{1,2}(?=\s|$)/, '###')
      .replace(/^(\s*)>\s?/, '$1'),
  );
}

class IdAllocator {
  private readonly used: Set<string>;
  private counter: number;
  constructor(existing: readonly (string | undefined)[]) {
    this.used = new Set(existing.filter((id): id is string => !!id));
    this.counter = Math.max(0, ...[...this.used].map((id) => Number(/^c(\d+)$/.exec(id)?.[1] ?? 0)));
  }
  next(): string {
    let id: string;
    do id = `c${++this.counter}`;
    while (this.used.has(id));
    this.used.add(id);
    return id;
  }
}

/** Gives every clip without a usable id (or with one an earlier clip already has) a new one. */
export function ensureClipIdsEdits(text: string, options: IdOptions = {}): TextEdit[] {
  const { storyboard } = parseStoryboard(text);
  const lines = splitLines(text);
  const seen = new Set<string>();
  const needing: Clip[] = [];
  for (const clip of storyboard.clips) {
    if (clip.id && !seen.has(clip.id)) seen.add(clip.id);
    else needing.push(clip);
  }
  const ids = new IdAllocator([...seen, ...(options.taken ?? [])]);
  return needing.map((clip) => {
    const heading = lines[clip.lines.heading].replace(/\s*\{#[^}]*\}\s*$/, '').trimEnd();
    return { range: { start: clip.lines.heading, end: clip.lines.heading + 1 }, lines: [`${heading === '##' ? '## ' : `${heading} `}{#${ids.next()}}`] };
  });
}

/**
 * Adds a clip at the end of a storyboard (e.g. a video from the history the person wants in the film)
 * with the next free id; the rest of the file stays byte for byte. Returns the edit and the new id.
 */
export function appendClipEdits(text: string, clip: ClipDraft, options: { language?: Language } & IdOptions = {}): { edits: TextEdit[]; id: string } {
  const { storyboard } = parseStoryboard(text);
  const id = clip.id ?? new IdAllocator([...storyboard.clips.map((c) => c.id), ...(options.taken ?? [])]).next();
  const lines = splitLines(text);
  // Trailing blank lines are replaced: one blank line before the new heading, one line break at the end.
  let end = lines.length;
  while (end > 0 && !lines[end - 1].trim()) end--;
  const section = clipSection({ ...clip, id }, storyboard.clips.length, options.language ?? 'en');
  return { edits: [{ range: { start: end, end: lines.length }, lines: [...(end ? [''] : []), ...section, ''] }], id };
}

export function ensureClipIds(text: string, options: IdOptions = {}): string {
  return applyEdits(text, ensureClipIdsEdits(text, options));
}

/**
 * Replaces one clip's prompt (e.g. with the shot list Copilot wrote) and nothing else: its heading,
 * settings, subtitles and every other clip stay byte for byte.
 */
export function setClipPromptEdits(text: string, clipId: string, prompt: string): TextEdit[] {
  const { storyboard } = parseStoryboard(text);
  const clip = storyboard.clips.find((c) => c.id === clipId);
  if (!clip) throw new Error(`No clip {#${clipId}} in this storyboard. / 分镜中没有片段 {#${clipId}}。`);
  const lines = splitLines(text);
  const newLines = promptLines(prompt);
  if (clip.lines.prompt) {
    const { start, end } = clip.lines.prompt;
    // Subtitle and setting lines written among the prompt lines are kept, after the new prompt.
    const keep = new Set([...clip.lines.subtitles, ...Object.values(clip.lines.fields)]);
    const kept: string[] = [];
    for (let i = start; i <= end; i++) if (keep.has(i) || /^\s*>/.test(lines[i])) kept.push(lines[i]);
    return [{ range: { start, end: end + 1 }, lines: kept.length ? [...newLines, '', ...kept] : newLines }];
  }
  const after = Math.max(clip.lines.heading, ...Object.values(clip.lines.fields).filter((n): n is number => n !== undefined)) + 1;
  const next = lines[after];
  const insert = ['', ...newLines];
  if (next !== undefined && next.trim()) insert.push('');
  return [{ range: { start: after, end: after }, lines: insert }];
}

export function setClipPrompt(text: string, clipId: string, prompt: string): string {
  return applyEdits(text, setClipPromptEdits(text, clipId, prompt));
}

/** Adds a character to the cast or changes its username. */
export function setCastMemberEdits(text: string, member: CastMember): TextEdit[] {
  const lines = splitLines(text);
  const block = findFrontMatter(lines, []);
  return [castMemberEdit(lines, block, member)];
}

export function setCastMember(text: string, member: CastMember): string {
  return applyEdits(text, setCastMemberEdits(text, member));
}
