import { parseSync, stringifySync, type NodeCue } from 'subtitle';

import { describeBytes } from '../util/boundedRead';
import { scrubSecrets } from '../util/secrets';
import { LIMITS } from './limits';
import type { ClipCue } from './types';

/** One subtitle on a timeline (the SRT's, or the joined film's), in milliseconds. */
export interface SubtitleCue {
  start: number;
  end: number;
  text: string;
}

/** A subtitle file we cannot read; says where and what to do, in English and Chinese. */
export class SrtError extends Error {
  override readonly name = 'SrtError';
  constructor(
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
  }
}

/** How a subtitle file begins: `WEBVTT`, or a cue (its number and/or its time line). */
const SUBTITLE_START = /^\uFEFF?\s*(?:WEBVTT(?:[ \t][^\r\n]*)?(?:\r?\n|$)|(?:\d+[ \t]*\r?\n[ \t]*)?[\d:.,]+[ \t]*-->)/;

/**
 * Reads an SRT (or WebVTT) file with the `subtitle` library: BOM, CRLF and missing blank lines are
 * fine. Cues come back in time order, their text trimmed; empty or backwards cues are left out.
 * Bounded: text beyond `LIMITS.subtitleBytes` is refused unread. A parse error quotes the bad line
 * only when the text is a subtitle file at all (a `.env` or `/proc/self/environ` given as subtitles
 * is never quoted back), and never a secret in it.
 */
export function parseSrt(text: string): SubtitleCue[] {
  if (text.length > LIMITS.subtitleBytes) {
    throw new SrtError(
      `This subtitle file is larger than ${describeBytes(LIMITS.subtitleBytes)}, far more than a film's subtitles: check it is the right file.`,
      `这个字幕文件超过 ${describeBytes(LIMITS.subtitleBytes)}，远大于一部影片的字幕：请确认是否选对了文件。`,
    );
  }
  if (text.replace(/^\uFEFF/, '').trim() && !SUBTITLE_START.test(text)) {
    throw new SrtError(
      'This is not a subtitle file: an .srt starts with a number and a time line like "00:00:01,000 --> 00:00:03,500" (a .vtt with "WEBVTT"). Check the file.',
      '这不是字幕文件：.srt 文件以序号和时间行开头，例如 "00:00:01,000 --> 00:00:03,500"（.vtt 以 "WEBVTT" 开头）。请检查文件。',
    );
  }
  let nodes;
  try {
    nodes = parseSync(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const m = /row (\d+), but received: "(.*)"/.exec(detail);
    // Only a line that tries to be a time line is quoted (and never a secret in it): nothing else of the file is repeated.
    const quoted = m && m[2].includes('-->') ? ` ("${scrubSecrets(m[2]).slice(0, 40)}")` : '';
    const where = m ? `line ${m[1]}${quoted}` : 'one line';
    const whereZh = m ? `第 ${m[1]} 行${quoted ? `（${quoted.trim().slice(1, -1)}）` : ''}` : '某一行';
    throw new SrtError(
      `This is not a subtitle file we can read: at ${where} a time line like "00:00:01,000 --> 00:00:03,500" was expected. Check the file is an .srt.`,
      `无法读取这个字幕文件：${whereZh}处应为时间行，例如 "00:00:01,000 --> 00:00:03,500"。请确认它是 .srt 文件。`,
    );
  }
  const cues = nodes
    .filter((n): n is NodeCue => n.type === 'cue')
    .map((n) => ({ start: n.data.start, end: n.data.end, text: n.data.text.replace(/\r/g, '').trim() }))
    .filter((c) => c.text && c.end > c.start)
    .sort((a, b) => a.start - b.start);
  if (!cues.length) {
    throw new SrtError('The subtitle file has no subtitles in it (no timed lines with text).', '字幕文件里没有字幕（没有带文字的时间行）。');
  }
  const long = cues.find((c) => c.end - c.start > LIMITS.cueMs);
  if (long) {
    const span = `${formatSrtTime(long.start)} --> ${formatSrtTime(long.end)}`;
    throw new SrtError(
      `The subtitle timed ${span} lasts ${hoursOf(long)} hours: a subtitle line lasts seconds. Fix its times.`,
      `时间为 ${span} 的字幕持续 ${hoursOf(long)} 小时：一行字幕只应持续几秒。请修正它的时间。`,
    );
  }
  return cues;
}

function hoursOf(cue: SubtitleCue): string {
  return ((cue.end - cue.start) / 3_600_000).toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** `01:02:03,456`; hours grow as needed. */
function formatSrtTime(ms: number): string {
  const pad = (n: number, w = 2) => String(Math.floor(n)).padStart(w, '0');
  return `${pad(ms / 3_600_000)}:${pad((ms / 60_000) % 60)}:${pad((ms / 1000) % 60)},${pad(ms % 1000, 3)}`;
}

/** Where each clip sits in the joined film, and its subtitles timed from its own start. */
export interface ClipOnFilm {
  /** Milliseconds from the film's start. */
  start: number;
  /** The clip's real length in the film, milliseconds. */
  duration: number;
  subtitles: readonly ClipCue[];
}

/**
 * The subtitles of the joined film: each clip's lines moved by the clip's start in the film, cut at
 * the clip's end (a line past the end of its clip is not shown; it would cover the next clip).
 */
export function retimeSubtitles(clips: readonly ClipOnFilm[]): SubtitleCue[] {
  const out: SubtitleCue[] = [];
  for (const clip of clips) {
    for (const cue of clip.subtitles) {
      if (cue.start >= clip.duration) continue;
      out.push({ start: Math.round(clip.start + cue.start), end: Math.round(clip.start + Math.min(cue.end, clip.duration)), text: cue.text });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function nodes(cues: readonly SubtitleCue[]): NodeCue[] {
  return cues.map((c) => ({ type: 'cue', data: { start: c.start, end: c.end, text: c.text } }));
}

export function formatSrt(cues: readonly SubtitleCue[]): string {
  return stringifySync(nodes(cues), { format: 'SRT' });
}
