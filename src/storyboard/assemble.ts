import type { Stats } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';

import { checkReplaceable, createExclusive, FileInTheWayError, placeOver, temporaryBeside, writeTemporary, type OwnFiles } from '../util/safeWrite';

import { ffmpegJoin, findFfmpeg } from './ffmpegJoin';
import { ClipReadError, compareClips, describeMismatches, probeClip, type ClipMedia, type ClipMismatch } from './probe';
import { remuxClips } from './remux';
import { formatSrt, retimeSubtitles } from './srt';
import type { ClipCue } from './types';

export interface AssembleClip {
  /** The clip's video file. */
  file: string;
  /** How messages name it (default: the file name), e.g. "c3 Opening". */
  label?: string;
  /** Its subtitle lines, timed from the clip's start. */
  subtitles?: readonly ClipCue[];
}

export interface AssembleOptions {
  clips: readonly AssembleClip[];
  /** The film to write (.mp4). Replaced only once the new one is complete, and only if `ownFiles` says we wrote it. */
  output: string;
  /**
   * The files this program wrote: an existing film (or its subtitles) is replaced only when it is one
   * of them, unchanged; anything else there (the person's own file, a link) is refused before any work.
   * Without it nothing existing is replaced.
   */
  ownFiles?: OwnFiles;
  /** Where the film's subtitles go (when any clip has some); default: beside the film, same name, `.srt`; `false`: none. */
  subtitlesFile?: string | false;
  /** Also put the subtitles in the film as a soft track (mov_text, which every player shows). Default true. */
  softSubtitles?: boolean;
  /** ISO 639-2 code of the subtitles' language, e.g. "zho" or "eng" (default "und"). */
  subtitleLanguage?: string;
  /** ffmpeg for clips that differ: a path, `undefined` to look on PATH, `null` never to use it. */
  ffmpeg?: string | null;
  /** 0..1, never going backwards; 1 once the film is in place. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface AssembleResult {
  output: string;
  subtitlesFile?: string;
  /** remux: packets copied (no quality lost); ffmpeg: re-encoded because the clips differ. */
  method: 'remux' | 'ffmpeg';
  /** Why ffmpeg was needed. */
  mismatches: ClipMismatch[];
  /** Seconds. */
  duration: number;
  /** Where each clip sits in the film, seconds. */
  layout: { file: string; start: number; duration: number }[];
  /** The film carries a soft subtitle track. */
  softSubtitles: boolean;
}

export type AssembleErrorCode = 'no-clips' | 'unreadable' | 'mismatch' | 'exists' | 'write';

/** Why no film was made, in English and Chinese; nothing was left behind. */
export class AssembleError extends Error {
  override readonly name = 'AssembleError';
  constructor(
    readonly code: AssembleErrorCode,
    message: string,
    readonly messageZh: string,
    readonly mismatches: ClipMismatch[] = [],
  ) {
    super(message);
  }
}

/**
 * Joins clips in order into one MP4 film, and writes its subtitles (retimed onto the film) beside
 * it. Clips encoded alike (the usual case: one model, size and orientation) are joined without
 * re-encoding, in pure TypeScript; clips that differ are re-encoded with ffmpeg when it is on PATH,
 * else refused with the differences named. The film appears only when complete: it is written to a
 * temporary file beside it and put in place (`placeOver`), so a failure or a cancel never leaves half
 * a film, and neither the film nor its subtitles ever replace a file we did not write or go through a link.
 */
export async function assembleFilm(options: AssembleOptions): Promise<AssembleResult> {
  if (!options.clips.length) throw new AssembleError('no-clips', 'There are no clips to join yet.', '还没有可以拼接的片段。');
  const mayReplace = (file: string, info: Stats) => options.ownFiles?.isOurs(file, info) ?? false;
  const srtTarget =
    options.subtitlesFile === false ? undefined : (options.subtitlesFile ?? path.join(path.dirname(options.output), `${path.parse(options.output).name}.srt`));
  // Refused before any work: what is in the way now is in the way after a minute of joining too.
  for (const target of [options.output, ...(srtTarget && options.clips.some((c) => c.subtitles?.length) ? [srtTarget] : [])]) {
    await checkReplaceable(target, mayReplace).catch(refuseInTheWay);
  }
  const progress = monotonic(options.onProgress);
  const media: ClipMedia[] = [];
  for (const [i, clip] of options.clips.entries()) {
    options.signal?.throwIfAborted();
    try {
      media.push(await probeClip(clip.file, clip.label ?? path.basename(clip.file)));
    } catch (error) {
      if (!(error instanceof ClipReadError)) throw error;
      throw new AssembleError('unreadable', `Clip ${i + 1}: ${error.message}`, `第 ${i + 1} 个片段：${error.messageZh}`);
    }
    progress(0.02 * ((i + 1) / options.clips.length));
  }

  let start = 0;
  const layout = media.map((m) => {
    const placed = { file: m.file, start, duration: m.duration };
    start += m.duration;
    return placed;
  });
  const total = start;
  const cues = retimeSubtitles(
    options.clips.map((clip, i) => ({ start: layout[i].start * 1000, duration: layout[i].duration * 1000, subtitles: clip.subtitles ?? [] })),
  );

  const mismatches = compareClips(media);
  const ffmpeg = mismatches.length ? (options.ffmpeg === undefined ? findFfmpeg() : (options.ffmpeg ?? undefined)) : undefined;
  if (mismatches.length && !ffmpeg) {
    const { en, zh } = describeMismatches(mismatches, media[0].label);
    throw new AssembleError(
      'mismatch',
      `These clips cannot be joined as they are, because they were not encoded alike: ${en}. ` +
        'Regenerate the odd clips with the same model, size and orientation as the others, or install ffmpeg (ffmpeg.org; Windows: winget install ffmpeg, macOS: brew install ffmpeg) so they can be re-encoded to match.',
      `这些片段的编码不一致，无法直接拼接：${zh}。` +
        '请用与其他片段相同的模型、尺寸和方向重新生成不一致的片段，或安装 ffmpeg（ffmpeg.org；Windows：winget install ffmpeg，macOS：brew install ffmpeg），以便重新编码后拼接。',
      mismatches,
    );
  }

  const softSubtitles = options.softSubtitles !== false && cues.length > 0;
  const subtitlesFile = cues.length ? srtTarget : undefined;
  const temp = temporaryBeside(options.output, '.mp4');
  const tempSrt = ffmpeg && softSubtitles ? temporaryBeside(options.output, '.srt') : undefined;
  const onSeconds = (seconds: number) => progress(0.02 + 0.97 * Math.min(1, seconds / (total || 1)));
  try {
    await mkdir(path.dirname(path.resolve(options.output)), { recursive: true });
    // The temporary name is claimed first (exclusively), so the joiner writes only into a file of ours.
    await createExclusive(temp);
    if (ffmpeg) {
      if (tempSrt) await createExclusive(tempSrt, formatSrt(cues));
      await ffmpegJoin({
        ffmpeg,
        clips: media,
        file: temp,
        srtFile: tempSrt,
        subtitleLanguage: options.subtitleLanguage,
        onProgress: onSeconds,
        signal: options.signal,
      });
    } else {
      await remuxClips({
        clips: media,
        file: temp,
        subtitles: softSubtitles ? cues : undefined,
        subtitleLanguage: options.subtitleLanguage,
        onProgress: onSeconds,
        signal: options.signal,
      });
    }
    options.signal?.throwIfAborted();
    if (subtitlesFile) await placeOver(await writeTemporary(subtitlesFile, formatSrt(cues)), subtitlesFile, mayReplace);
    await placeOver(temp, options.output, mayReplace);
  } catch (error) {
    await removeQuietly(temp);
    if (error instanceof AssembleError || options.signal?.aborted) throw error;
    if (error instanceof FileInTheWayError) refuseInTheWay(error);
    if (error instanceof ClipReadError) {
      const i = error.index ?? media.findIndex((m) => m.label === error.clip);
      throw new AssembleError('unreadable', `Clip ${i + 1}: ${error.message} Nothing was written.`, `第 ${i + 1} 个片段：${error.messageZh}没有写入任何文件。`);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new AssembleError(
      'write',
      `The film could not be made (${reason}); nothing was written. Check the clips play and the folder has space, then try again.`,
      `未能生成成片（${reason}），没有写入任何文件。请确认各片段能播放、文件夹有空间，然后重试。`,
    );
  } finally {
    if (tempSrt) await removeQuietly(tempSrt);
  }
  // Remembered so the next assembly may replace them; if that fails, the next one refuses instead (nothing lost).
  await options.ownFiles?.record(subtitlesFile ? [options.output, subtitlesFile] : [options.output]).catch(() => undefined);
  progress(1);
  return { output: options.output, subtitlesFile, method: ffmpeg ? 'ffmpeg' : 'remux', mismatches, duration: total, layout, softSubtitles };
}

/** Cleaning up must not hide the error that made it necessary. */
async function removeQuietly(file: string): Promise<void> {
  await rm(file, { force: true }).catch(() => undefined);
}

/** A film or subtitles target held by a file we did not write (or a link): said as an AssembleError, nothing written. */
function refuseInTheWay(error: unknown): never {
  if (!(error instanceof FileInTheWayError)) throw error;
  throw new AssembleError(
    'exists',
    `${error.message} Nothing was written: give assemble another output path, or move that file away and try again.`,
    `${error.messageZh}没有写入任何文件：请换一个输出路径，或移走该文件后重试。`,
  );
}

function monotonic(report: ((fraction: number) => void) | undefined): (fraction: number) => void {
  let last = -1;
  return (fraction) => {
    const value = Math.min(1, Math.max(0, fraction));
    // Whole percents are enough for a progress bar, and spare the listener thousands of calls.
    if (!report || (value < 1 && Math.floor(value * 100) <= Math.floor(last * 100)) || value <= last) return;
    last = value;
    report(value);
  };
}
