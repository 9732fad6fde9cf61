import { createHash } from 'node:crypto';

import { ParamError, validateGenerationParams } from '../core/params';
import { isHttpUrl } from '../juxin/images';
import type { GenerationParams } from '../juxin/types';
import { problemAt } from './problems';
import type { CastMember, Clip, Storyboard, StoryboardProblem } from './types';

/** The generation settings of one clip: what is sent (watermark and privacy come from the user's settings). */
export type ClipParams = Pick<
  GenerationParams,
  'prompt' | 'model' | 'orientation' | 'size' | 'duration' | 'images' | 'aspectRatio' | 'resolution' | 'firstFrame' | 'lastFrame'
>;

/** Line ends, trailing spaces and runs of blank lines are not content: editing them changes nothing. */
export function normalizePromptText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `@小林` → `@hfspncadz.mooflapand`: prompts name the cast as people know them; Sora needs the
 * username to keep a character the same in every clip. Longest names first (`@小林子` before
 * `@小林`); an ASCII name must end at a word boundary (`@Mika` but not `@Mikael`); an e-mail
 * address or a username already written out is left alone.
 */
export function substituteCast(text: string, cast: readonly CastMember[]): string {
  if (!cast.length) return text;
  const names = [...cast].sort((a, b) => b.name.length - a.name.length);
  const pattern = new RegExp(`(?<![A-Za-z0-9_.])@(${names.map((c) => escapeRegExp(c.name)).join('|')})(?![A-Za-z0-9_])`, 'g');
  return text.replace(pattern, (match: string, name: string, offset: number) => {
    if (cast.some((c) => text.startsWith(c.username, offset) && c.username.length > match.length)) return match;
    return cast.find((c) => c.name === name)?.username ?? match;
  });
}

/** `@name` references that are neither in the cast nor a username (`abc.def`), for a warning. */
export function unknownCastReferences(text: string, cast: readonly CastMember[]): string[] {
  const unknown = new Set<string>();
  for (const m of text.matchAll(/(?<![A-Za-z0-9_.])@([^\s@,，。.!?！？、；;：:()（）"'“”‘’[\]]+(?:\.[A-Za-z0-9_]+)*)/g)) {
    const token = m[1];
    if (cast.some((c) => token.startsWith(c.name) || `@${token}`.startsWith(c.username))) continue;
    if (/^[A-Za-z0-9_]+\.[A-Za-z0-9_.]+$/.test(token)) continue; // a username written out
    unknown.add(token);
  }
  return [...unknown];
}

/** What Sora receives for a clip: its prompt with the cast as usernames, then the style string. */
export function effectivePrompt(storyboard: Pick<Storyboard, 'style' | 'cast'>, clip: Pick<Clip, 'prompt'>): string {
  const body = normalizePromptText(clip.prompt);
  // No prompt is no prompt, even with a style string: there is nothing to film yet.
  if (!body) return '';
  const style = normalizePromptText(storyboard.style);
  const text = style && !body.includes(style) ? `${body}\n\n${style}` : body;
  return substituteCast(text, storyboard.cast);
}

export function clipDuration(storyboard: Pick<Storyboard, 'defaults'>, clip: Pick<Clip, 'duration'>): number {
  return clip.duration ?? storyboard.defaults.duration;
}

const imagePath = (image: string) => image.trim().replace(/\\/g, '/');

export function clipParams(storyboard: Storyboard, clip: Clip): ClipParams {
  const { defaults } = storyboard;
  const params: ClipParams = {
    prompt: effectivePrompt(storyboard, clip),
    model: defaults.model,
    orientation: defaults.orientation,
    size: defaults.size,
    duration: clipDuration(storyboard, clip),
    images: clip.images.map(imagePath).filter(Boolean),
  };
  // Only when set, so a Sora clip of a file written before keeps its parameters (and its fingerprint).
  if (defaults.aspectRatio) params.aspectRatio = defaults.aspectRatio;
  if (defaults.resolution) params.resolution = defaults.resolution;
  if (clip.firstFrame?.trim()) params.firstFrame = imagePath(clip.firstFrame);
  if (clip.lastFrame?.trim()) params.lastFrame = imagePath(clip.lastFrame);
  return params;
}

const FINGERPRINT_VERSION = 'v1';

/**
 * Everything that, changed, makes a clip's video no longer match it: the prompt as sent (with the
 * style and the cast usernames), model, orientation, size, aspect ratio, resolution, duration, images
 * and frames (as written; a changed image file under the same name is not seen). Task records keep it; `planStoryboard`
 * compares.
 */
export function clipFingerprint(params: ClipParams): string {
  const canonical = JSON.stringify([
    FINGERPRINT_VERSION,
    normalizePromptText(params.prompt),
    params.model,
    params.orientation,
    params.size,
    params.duration,
    params.images,
    // Added after v1: present only when set, so the fingerprints of clips written before stay what they were.
    ...(params.aspectRatio || params.resolution || params.firstFrame || params.lastFrame
      ? [[params.aspectRatio ?? null, params.resolution ?? null, params.firstFrame ?? null, params.lastFrame ?? null]]
      : []),
  ]);
  return `${FINGERPRINT_VERSION}-${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}

/**
 * The generation rules of `validateGenerationParams`, applied to one clip and reported at the line
 * where the person can fix them. The storyboard's own settings were checked with the front matter.
 */
export function checkClip(storyboard: Storyboard, clip: Clip, clipIndex: number, problems: StoryboardProblem[]): void {
  const params: Record<string, unknown> = { ...clipParams(storyboard, clip) };
  const lineOf: Record<string, number> = {
    prompt: clip.lines.prompt?.start ?? clip.lines.heading,
    duration: clip.lines.fields.duration ?? clip.lines.heading,
    images: clip.lines.fields.images ?? clip.lines.heading,
    firstFrame: clip.lines.fields.first_frame ?? clip.lines.heading,
    lastFrame: clip.lines.fields.last_frame ?? clip.lines.heading,
  };
  for (const field of ['firstFrame', 'lastFrame'] as const) {
    const frame = params[field] as string | undefined;
    if (frame && !isHttpUrl(frame) && /^[a-z][a-z0-9+.-]*:\/\//i.test(frame)) {
      // Same rule as generate_video's images: only http(s) addresses are fetched by the relay.
      const name = field === 'firstFrame' ? 'first_frame' : 'last_frame';
      problems.push(
        problemAt(
          'error',
          lineOf[field],
          `${name} "${frame}" is neither an http(s) URL nor a file path: give an image URL or the path of a local image.`,
          `${name} "${frame}" 既不是 http(s) 链接也不是文件路径：请填写图片链接或本地图片的路径。`,
          clipIndex,
        ),
      );
      delete params[field];
    }
  }
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      validateGenerationParams(params);
      break;
    } catch (error) {
      if (!(error instanceof ParamError) || !(error.field in lineOf)) throw error;
      const emptyPrompt = error.field === 'prompt' && !String(params.prompt).trim();
      problems.push(
        emptyPrompt
          ? problemAt(
              'error',
              lineOf.prompt,
              'this clip has no prompt yet: describe its shots under the heading.',
              '这个片段还没有提示词：请在标题下面描述它的镜头。',
              clipIndex,
            )
          : problemAt('error', lineOf[error.field], error.message, error.messageZh, clipIndex),
      );
      if (error.field === 'prompt') params.prompt = 'x';
      else if (error.field === 'images') params.images = [];
      else if (error.field === 'duration') params.duration = storyboard.defaults.duration;
      else if (error.field === 'firstFrame') {
        delete params.firstFrame;
        delete params.lastFrame;
      } else delete params[error.field];
    }
  }
  for (const name of unknownCastReferences(clip.prompt, storyboard.cast)) {
    problems.push(
      problemAt(
        'warning',
        lineOf.prompt,
        `@${name} is not in the cast: add  ${name}: "@username"  under "cast" so the character looks the same in every clip.`,
        `@${name} 不在角色表（cast）中：请在 cast 下添加  ${name}: "@用户名"，这样角色在每个片段里长得一样。`,
        clipIndex,
      ),
    );
  }
  const duration = clipDuration(storyboard, clip);
  clip.subtitles.forEach((cue, i) => {
    if (cue.start >= duration * 1000) {
      problems.push(
        problemAt(
          'warning',
          clip.lines.subtitles[i] ?? clip.lines.heading,
          `this subtitle starts at ${cue.start / 1000} s but the clip lasts ${duration} s: it will not be shown.`,
          `这条字幕从 ${cue.start / 1000} 秒开始，但片段只有 ${duration} 秒：它不会显示。`,
          clipIndex,
        ),
      );
    }
  });
}
