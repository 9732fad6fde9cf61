import { describeModel } from '../catalog';
import { LIMITS } from './limits';
import { SrtError, type SubtitleCue } from './srt';
import type { ClipCue } from './types';

/** A run of subtitles that becomes one clip. */
export interface SubtitleGroup {
  /** Where the clip begins on the subtitle file's timeline (a little before its first line), ms. */
  start: number;
  /** The clip's length: the shortest duration the model allows that holds the lines, seconds. */
  duration: number;
  /** The lines, timed from the clip's start (ms). */
  cues: ClipCue[];
}

export interface GroupingOptions {
  /** Any model the catalog describes: its durations are the clip lengths (Veo: 8 s). */
  model: string;
  /** At most this long (seconds); default and ceiling: the model's longest clip. */
  maxSeconds?: number;
}

/** How much a clip begins before its first line, at most (ms): the line should not start on the first frame. */
const LEAD_MS = 500;
/** The costs the grouping weighs: each clip is paid for; unused seconds are paid for too; a cut mid-sentence or on a short pause is felt. */
const COST = { clip: 1, wastedSecond: 0.04, midSentence: 2, noPause: 0.8 };
/** A pause this long (ms) or longer is a natural place to cut. */
const GOOD_PAUSE_MS = 1200;

const SENTENCE_END = /[。！？!?.…~～」』”"’)）]$/;

/**
 * Cuts subtitles into clips no longer than the model allows, preferring cuts at sentence ends and
 * long pauses and using as few clips as it can (dynamic programming over the cut points). A line
 * longer than a whole clip is split across clips, its text repeated. Long silences between lines
 * are not kept: each clip begins just before its first line.
 *
 * Linear in the lines, however dense: a clip holds at most `LIMITS.linesPerClip` lines, so each cut
 * point looks back that far at most; and lines past `LIMITS.subtitleLines` (counted before any is
 * split) are refused, so the work and the memory stay bounded whatever the file says.
 */
export function groupSubtitles(cues: readonly SubtitleCue[], options: GroupingOptions): SubtitleGroup[] {
  const allowed = [...modelDurations(options.model)].sort((a, b) => a - b);
  const ceiling = Math.max(...allowed);
  const maxMs = Math.min(options.maxSeconds ?? ceiling, ceiling) * 1000;
  const durations = allowed.filter((d) => d * 1000 <= maxMs);
  if (!durations.length) throw new RangeError(`No ${options.model} clip is ${maxMs / 1000} s or shorter.`);
  const pieceMs = maxMs - LEAD_MS;
  const pieces = cues.reduce((n, c) => n + Math.max(1, Math.ceil((c.end - c.start) / pieceMs)), 0);
  if (!(pieces <= LIMITS.subtitleLines)) {
    throw new SrtError(
      `These subtitles are too long or too dense to cut into clips (more than ${LIMITS.subtitleLines.toLocaleString('en-US')} lines once long lines are cut): split the file into parts, one storyboard each.`,
      `这些字幕太长或太密，无法切分成片段（切分长字幕后超过 ${LIMITS.subtitleLines} 行）：请把文件拆成几部分，每部分一个分镜。`,
    );
  }
  const lines = splitLongCues(
    [...cues].sort((a, b) => a.start - b.start),
    pieceMs,
  );
  const n = lines.length;
  if (!n) return [];

  const lead = (i: number): number => Math.max(0, Math.min(LEAD_MS, i === 0 ? lines[0].start : (lines[i].start - lines[i - 1].end) / 2));
  const groupStart = (i: number): number => lines[i].start - lead(i);
  const fit = (spanMs: number): number | undefined => durations.find((d) => d * 1000 >= spanMs);
  const cutPenalty = (k: number): number => {
    if (k >= n - 1) return 0;
    const pause = lines[k + 1].start - lines[k].end;
    const midSentence = SENTENCE_END.test(lines[k].text.trim()) ? 0 : COST.midSentence;
    return midSentence + COST.noPause * Math.max(0, 1 - pause / GOOD_PAUSE_MS);
  };

  // best[j]: the cheapest way to cut lines 0..j-1; from[j]: where its last clip begins.
  const best = new Array<number>(n + 1).fill(Infinity);
  const from = new Array<number>(n + 1).fill(-1);
  best[0] = 0;
  for (let j = 1; j <= n; j++) {
    let end = 0;
    const penalty = cutPenalty(j - 1);
    // A single line always fits (long ones were cut), so every j finds a clip within the window.
    for (let i = j - 1; i >= Math.max(0, j - LIMITS.linesPerClip); i--) {
      end = Math.max(end, lines[i].end); // lines may overlap
      const span = end - groupStart(i);
      const duration = fit(span);
      if (duration === undefined) break;
      const cost = best[i] + COST.clip + COST.wastedSecond * (duration - span / 1000) + penalty;
      if (cost < best[j]) {
        best[j] = cost;
        from[j] = i;
      }
    }
  }
  const groups: SubtitleGroup[] = [];
  for (let j = n; j > 0; j = from[j]) {
    const i = from[j];
    const start = groupStart(i);
    const duration = fit(lines.slice(i, j).reduce((end, c) => Math.max(end, c.end), 0) - start)!;
    groups.unshift({
      start,
      duration,
      cues: lines.slice(i, j).map((c) => ({ start: c.start - start, end: Math.min(c.end - start, duration * 1000), text: c.text })),
    });
  }
  return groups;
}

/** The clip lengths a model takes, from the catalog; a model it does not describe cannot be cut for. */
export function modelDurations(model: string): readonly number[] {
  const durations = describeModel(model)?.durations;
  if (!durations?.length) throw new RangeError(`The catalog does not say how long ${model} clips are.`);
  return durations;
}

/** A line longer than `pieceMs` becomes several back-to-back lines with the same text. */
function splitLongCues(cues: readonly SubtitleCue[], pieceMs: number): SubtitleCue[] {
  return cues.flatMap((cue) => {
    if (cue.end - cue.start <= pieceMs) return [cue];
    const pieces: SubtitleCue[] = [];
    for (let t = cue.start; t < cue.end; t += pieceMs) pieces.push({ start: t, end: Math.min(cue.end, t + pieceMs), text: cue.text });
    return pieces;
  });
}
