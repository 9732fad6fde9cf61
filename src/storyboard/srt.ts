import { parseSync, stringifySync, type NodeCue } from 'subtitle';

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

/**
 * Reads an SRT (or WebVTT) file with the `subtitle` library: BOM, CRLF and missing blank lines are
 * fine. Cues come back in time order, their text trimmed; empty or backwards cues are left out.
 */
export function parseSrt(text: string): SubtitleCue[] {
  let nodes;
  try {
    nodes = parseSync(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const m = /row (\d+), but received: "(.*)"/.exec(detail);
    const where = m ? `line ${m[1]} ("${m[2].slice(0, 40)}")` : detail;
    const whereZh = m ? `第 ${m[1]} 行（"${m[2].slice(0, 40)}"）` : detail;
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
  return cues;
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

export function formatWebVtt(cues: readonly SubtitleCue[]): string {
  return stringifySync(nodes(cues), { format: 'WebVTT' });
}
