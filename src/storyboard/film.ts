import path from 'node:path';

import type { OwnFiles } from '../util/safeWrite';
import { AssembleError, assembleFilm, type AssembleResult } from './assemble';
import { clipLabel, type ClipPlan, type ClipState, type StoryboardPlan } from './plan';

/**
 * `cafe.storyboard.md` → `cafe.film.mp4` (and `cafe.film.srt`) in the same folder: a name of its own,
 * so the film never takes the place of the person's `cafe.mp4` or of the `cafe.srt` the storyboard
 * was drafted from.
 */
export function filmPath(storyboardFile: string): string {
  const dir = path.dirname(storyboardFile);
  const base =
    path
      .basename(storyboardFile)
      .replace(/\.storyboard\.md$/i, '')
      .replace(/\.md$/i, '') || 'film';
  return path.join(dir, `${base}.film.mp4`);
}

const STATE_WORDS: Record<ClipState, { en: string; zh: string }> = {
  invalid: { en: 'has errors', zh: '有错误' },
  missing: { en: 'not generated', zh: '未生成' },
  outdated: { en: 'out of date', zh: '已过期' },
  running: { en: 'still generating', zh: '仍在生成' },
  failed: { en: 'failed', zh: '失败' },
  ready: { en: 'ready', zh: '就绪' },
};

/** "c2 The door (not generated), c4 (out of date)" in English and Chinese. */
export function describeClips(clips: readonly ClipPlan[]): { en: string; zh: string } {
  return {
    en: clips.map((c) => `${clipLabel(c)} (${STATE_WORDS[c.state].en})`).join(', '),
    zh: clips.map((c) => `${clipLabel(c)}（${STATE_WORDS[c.state].zh}）`).join('，'),
  };
}

/** The subtitles' language for the film's soft track (ISO 639-2): Chinese when any line has Han characters. */
export function subtitleLanguageOf(texts: readonly string[]): string {
  if (texts.some((t) => /\p{Script=Han}/u.test(t))) return 'zho';
  if (texts.some((t) => /[A-Za-z]/.test(t))) return 'eng';
  return 'und';
}

export interface StoryboardFilmOptions {
  /** The storyboard file (absolute). */
  file: string;
  plan: StoryboardPlan;
  /** Default: beside the storyboard (`filmPath`). */
  output?: string;
  /** The files we wrote: a previous film (and its subtitles) is replaced only if it is one of them (see assembleFilm). */
  ownFiles?: OwnFiles;
  ffmpeg?: string | null;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface StoryboardFilm extends AssembleResult {
  /** The clips in the film, in order. */
  used: ClipPlan[];
  /** Clips left out because they are not ready. */
  skipped: ClipPlan[];
}

/**
 * Joins the ready clips of a storyboard, in order, into its film, with the clips' subtitles retimed
 * beside it. Clips that are not ready are left out (and named); none ready is a clear error.
 */
export async function assembleStoryboard(options: StoryboardFilmOptions): Promise<StoryboardFilm> {
  const { plan } = options;
  const used = plan.ready;
  const skipped = plan.clips.filter((c) => c.state !== 'ready');
  if (!used.length) {
    const { en, zh } = describeClips(skipped);
    throw new AssembleError(
      'no-clips',
      plan.clips.length
        ? `No clip is ready yet, so there is nothing to join: ${en}. Generate the clips first.`
        : 'This storyboard has no clips yet: add a "## " section for each clip.',
      plan.clips.length ? `还没有就绪的片段，无法拼接：${zh}。请先生成片段。` : '这个分镜还没有片段：请为每个片段添加一个 "## " 小节。',
    );
  }
  const result = await assembleFilm({
    clips: used.map((c) => ({ file: c.video!.localFile!, label: clipLabel(c), subtitles: c.clip.subtitles })),
    output: options.output ?? filmPath(options.file),
    ownFiles: options.ownFiles,
    subtitleLanguage: subtitleLanguageOf(used.flatMap((c) => c.clip.subtitles.map((s) => s.text))),
    ffmpeg: options.ffmpeg,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  return { ...result, used, skipped };
}
