import { createHash } from 'node:crypto';

import { ParamError, validateGenerationParams } from '../core/params';
import type { GenerationParams } from '../juxin/types';
import { problemAt } from './problems';
import type { CastMember, Clip, Storyboard, StoryboardProblem } from './types';

/** The generation settings of one clip: what is sent to Sora (watermark and privacy come from the user's settings). */
export type ClipParams = Pick<GenerationParams, 'prompt' | 'model' | 'orientation' | 'size' | 'duration' | 'images'>;

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

export function clipParams(storyboard: Storyboard, clip: Clip): ClipParams {
  return {
    prompt: effectivePrompt(storyboard, clip),
    model: storyboard.defaults.model,
    orientation: storyboard.defaults.orientation,
    size: storyboard.defaults.size,
    duration: clipDuration(storyboard, clip),
    images: clip.images.map((i) => i.trim().replace(/\\/g, '/')).filter(Boolean),
  };
}

const FINGERPRINT_VERSION = 'v1';

/**
 * Everything that, changed, makes a clip's video no longer match it: the prompt as sent (with the
 * style and the cast usernames), model, orientation, size, duration and images (as written; a
 * changed image file under the same name is not seen). Task records keep it; `planStoryboard`
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
  };
  for (let attempt = 0; attempt < 4; attempt++) {
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
      params[error.field] = error.field === 'prompt' ? 'x' : error.field === 'images' ? [] : storyboard.defaults.duration;
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
