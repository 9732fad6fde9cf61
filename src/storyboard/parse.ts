import { describeBytes } from '../util/boundedRead';
import { splitLines } from './edits';
import { clipKey, parseDurationValue, parseListValue, type ClipKey } from './fields';
import { findFrontMatter, readFrontMatter } from './frontMatter';
import { LIMITS } from './limits';
import { problemAt } from './problems';
import { checkClip } from './prompt';
import { parseClipTime } from './time';
import { MAX_STORYBOARD_CLIPS, StoryboardError, type Clip, type ParsedStoryboard, type Storyboard, type StoryboardProblem } from './types';

/** `## Title {#id}`: a clip. Deeper headings (`###`) belong to the prompt. */
const HEADING = /^##(?!#)(?:[ \t]+(.*?))?[ \t]*$/;
const HEADING_ID = /^(.*?)[ \t]*\{#([^}]*)\}$/;
export const CLIP_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
const FENCE = /^\s*(```|~~~)/;
const QUOTE = /^\s*>/;
const CUE_START = /^(\S+)\s*(?:-->|->|→|—>)\s*(\S+)(?:\s+(.*))?$/;
const FIELD = /^\s*(?:[-*+]\s+)?([^\s:：]+)\s*[:：]\s*(.*?)\s*$/;

/**
 * Reads a storyboard file. Never throws for what a person wrote: every mistake becomes a problem
 * with its line (English and Chinese), and the rest of the file is still read, so an editor can show
 * all of them at once. `requireUsable` turns errors into one `StoryboardError` for callers that
 * cannot show problems (the MCP tools).
 */
export function parseStoryboard(text: string): ParsedStoryboard {
  const problems: StoryboardProblem[] = [];
  if (text.length > LIMITS.storyboardBytes) {
    // Past the bound nothing is parsed: a storyboard of 200 clips is a few hundred KB.
    const limit = describeBytes(LIMITS.storyboardBytes);
    problems.push(
      problemAt(
        'error',
        0,
        `this file is larger than ${limit}, far more than a storyboard of 200 clips: split it into several storyboards.`,
        `这个文件超过 ${limit}，远大于 200 个片段的分镜：请拆分成几个分镜文件。`,
      ),
    );
    return { storyboard: { ...readFrontMatter([], undefined, problems), clips: [] }, problems };
  }
  const lines = splitLines(text);
  const block = findFrontMatter(lines, problems);
  const values = readFrontMatter(lines, block, problems);
  const bodyStart = block ? block.end + 1 : 0;

  const headings: number[] = [];
  let inFence = false;
  for (let i = bodyStart; i < lines.length; i++) {
    if (FENCE.test(lines[i])) inFence = !inFence;
    else if (!inFence && HEADING.test(lines[i])) headings.push(i);
  }
  const storyboard: Storyboard = { ...values, clips: [] };
  headings.forEach((heading, index) => {
    const end = (headings[index + 1] ?? lines.length) - 1;
    storyboard.clips.push(readClip(lines, heading, end, index, problems));
  });
  checkIds(storyboard.clips, problems);
  storyboard.clips.forEach((clip, index) => checkClip(storyboard, clip, index, problems));
  if (storyboard.clips.length > MAX_STORYBOARD_CLIPS) {
    // For the whole storyboard (no clip index): none of it is generated until it is split.
    problems.push(
      problemAt(
        'error',
        headings[MAX_STORYBOARD_CLIPS],
        `this storyboard has ${storyboard.clips.length} clips: at most ${MAX_STORYBOARD_CLIPS} can be generated from one storyboard. Split it into several storyboards.`,
        `这个分镜有 ${storyboard.clips.length} 个片段，一个分镜最多 ${MAX_STORYBOARD_CLIPS} 个。请拆分成多个分镜。`,
      ),
    );
  }
  if (!storyboard.clips.length) {
    problems.push(
      problemAt(
        'warning',
        bodyStart < lines.length ? bodyStart : 0,
        'no clips yet: start each clip with a "## " heading, e.g. "## Opening".',
        '还没有片段：每个片段以 "## " 标题开始，例如 "## 开场"。',
      ),
    );
  }
  problems.sort((a, b) => a.line - b.line);
  return { storyboard, problems };
}

/** The storyboard, or a `StoryboardError` listing every error (warnings don't stop anything). */
export function requireUsable(parsed: ParsedStoryboard): Storyboard {
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new StoryboardError(errors);
  return parsed.storyboard;
}

function readClip(lines: readonly string[], heading: number, end: number, clipIndex: number, problems: StoryboardProblem[]): Clip {
  const headingText = (HEADING.exec(lines[heading])?.[1] ?? '').trim();
  const withId = HEADING_ID.exec(headingText);
  const clip: Clip = {
    title: (withId ? withId[1] : headingText).trim(),
    prompt: '',
    images: [],
    subtitles: [],
    lines: { heading, end, fields: {}, subtitles: [] },
  };
  if (withId) {
    const id = withId[2].trim();
    if (CLIP_ID.test(id)) clip.id = id;
    else {
      problems.push(
        problemAt(
          'error',
          heading,
          `"{#${id}}" is not a usable clip id: use letters, digits, "-" or "_" (e.g. {#c3}), or delete it and one is added.`,
          `"{#${id}}" 不是可用的片段编号：请使用字母、数字、"-" 或 "_"（例如 {#c3}），或删掉它，会自动补上。`,
          clipIndex,
        ),
      );
    }
  }

  const prompt: number[] = [];
  let inFence = false;
  let cue: Clip['subtitles'][number] | undefined;
  for (let i = heading + 1; i <= end; i++) {
    const line = lines[i];
    if (FENCE.test(line)) inFence = !inFence;
    if (!inFence && QUOTE.test(line)) {
      cue = readSubtitleLine(line.replace(/^\s*>\s?/, ''), i, clip, cue, clipIndex, problems);
      continue;
    }
    cue = undefined;
    const field = inFence ? null : FIELD.exec(line);
    const key = field ? clipKey(field[1]) : undefined;
    if (field && key) {
      if (prompt.length) {
        problems.push(
          problemAt(
            'warning',
            i,
            `"${field[1]}:" looks like a clip setting but is inside the prompt, so it is sent to Sora as text. Move it right under the heading.`,
            `"${field[1]}：" 像是片段设置，但它在提示词中间，会作为文字发给 Sora。请把它移到标题正下方。`,
            clipIndex,
          ),
        );
      } else {
        readField(key, field[2], i, clip, clipIndex, problems);
        continue;
      }
    }
    if (prompt.length || line.trim()) prompt.push(i);
  }
  while (prompt.length && !lines[prompt[prompt.length - 1]].trim()) prompt.pop();
  if (prompt.length) {
    clip.prompt = prompt.map((i) => lines[i].replace(/\s+$/, '')).join('\n');
    clip.lines.prompt = { start: prompt[0], end: prompt[prompt.length - 1] };
  }
  return clip;
}

function readField(key: ClipKey, value: string, line: number, clip: Clip, clipIndex: number, problems: StoryboardProblem[]): void {
  clip.lines.fields[key] = line;
  if (key === 'first_frame' || key === 'last_frame') {
    const image = value
      .trim()
      .replace(/^(["'])(.*)\1$/, '$2')
      .trim();
    if (image) clip[key === 'first_frame' ? 'firstFrame' : 'lastFrame'] = image;
    return;
  }
  if (key === 'images') {
    clip.images = parseListValue(value.replace(/^\[(.*)\]$/, '$1'));
    return;
  }
  const seconds = parseDurationValue(value);
  if (Number.isFinite(seconds)) clip.duration = seconds;
  else {
    problems.push(
      problemAt(
        'error',
        line,
        `duration "${value}" is not a number of seconds: write e.g. "duration: 15".`,
        `时长 "${value}" 不是秒数：请写成例如 "时长: 15"。`,
        clipIndex,
      ),
    );
  }
}

/** `> 00:01.000 --> 00:03.500 text` starts a subtitle; a `>` line without times continues it. */
function readSubtitleLine(
  content: string,
  line: number,
  clip: Clip,
  current: Clip['subtitles'][number] | undefined,
  clipIndex: number,
  problems: StoryboardProblem[],
): Clip['subtitles'][number] | undefined {
  const timed = CUE_START.exec(content.trim());
  const start = timed ? parseClipTime(timed[1]) : undefined;
  const end = timed ? parseClipTime(timed[2]) : undefined;
  if (timed && (start === undefined || end === undefined)) {
    problems.push(
      problemAt(
        'error',
        line,
        `"${timed[1]} --> ${timed[2]}" is not a time range: write it like "00:01.000 --> 00:03.500" (from the clip's start).`,
        `"${timed[1]} --> ${timed[2]}" 不是时间范围：请写成 "00:01.000 --> 00:03.500"（从片段开头算起）。`,
        clipIndex,
      ),
    );
    return undefined;
  }
  if (start !== undefined && end !== undefined) {
    if (end <= start) {
      problems.push(
        problemAt(
          'error',
          line,
          `this subtitle ends (${timed![2]}) before it starts (${timed![1]}).`,
          `这条字幕的结束时间（${timed![2]}）早于开始时间（${timed![1]}）。`,
          clipIndex,
        ),
      );
      return undefined;
    }
    const cue = { start, end, text: (timed![3] ?? '').trim() };
    clip.subtitles.push(cue);
    clip.lines.subtitles.push(line);
    return cue;
  }
  if (!content.trim()) return current;
  if (current) {
    current.text = current.text ? `${current.text}\n${content.trim()}` : content.trim();
    return current;
  }
  problems.push(
    problemAt(
      'error',
      line,
      'a subtitle line needs its times first, like "> 00:01.000 --> 00:03.500 text" (lines starting with ">" are subtitles).',
      '字幕行需要先写时间，例如 "> 00:01.000 --> 00:03.500 文字"（以 ">" 开头的行是字幕）。',
      clipIndex,
    ),
  );
  return undefined;
}

function checkIds(clips: readonly Clip[], problems: StoryboardProblem[]): void {
  const seen = new Map<string, number>();
  clips.forEach((clip, index) => {
    if (!clip.id) return;
    const first = seen.get(clip.id);
    if (first === undefined) {
      seen.set(clip.id, clip.lines.heading);
      return;
    }
    problems.push(
      problemAt(
        'error',
        clip.lines.heading,
        `the id {#${clip.id}} is also used at line ${first + 1}: each clip needs its own. Delete this one and a new id is added.`,
        `编号 {#${clip.id}} 在第 ${first + 1} 行也用过：每个片段需要自己的编号。删掉这个，会自动补上新的。`,
        index,
      ),
    );
  });
}
