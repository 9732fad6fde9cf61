import { subtitlePrompt } from './draft';
import { normalizePromptText } from './prompt';
import { SHOT_PROMPT_RULES, shotPromptRequest } from './rules';
import type { Clip, Storyboard } from './types';
import type { Language } from './write';

/**
 * Helpers for writing a clip's shots with a language model (Copilot in VS Code): which clips still
 * hold a draft, which language to ask in, and how to read the answer. The request itself is
 * `SHOT_PROMPT_RULES` + `shotPromptRequest` (rules.ts).
 */

/** The clip's prompt is still what a draft from subtitles wrote (the words of its lines), or empty. */
export function isDraftPrompt(clip: Pick<Clip, 'prompt' | 'subtitles'>): boolean {
  const prompt = normalizePromptText(clip.prompt);
  return !prompt || (clip.subtitles.length > 0 && prompt === normalizePromptText(subtitlePrompt(clip.subtitles)));
}

/** Chinese when the storyboard's words are (subtitles first, then prompts and titles), else English. */
export function storyboardLanguage(storyboard: Pick<Storyboard, 'title' | 'clips'>): Language {
  const texts = [
    ...storyboard.clips.flatMap((c) => c.subtitles.map((s) => s.text)),
    ...storyboard.clips.map((c) => `${c.title} ${c.prompt}`),
    storyboard.title,
  ];
  const han = texts.join('\n').match(/\p{Script=Han}/gu)?.length ?? 0;
  return han > 0 ? 'zh' : 'en';
}

/**
 * A model's answer as a clip prompt: without a code fence around it, a label line ("Prompt:"), or
 * quotes around the whole of it. What remains is the shots, as the model wrote them.
 */
export function cleanShotPrompt(answer: string): string {
  let text = answer.replace(/\r\n?/g, '\n').trim();
  const fenced = /^(```|~~~)[^\n]*\n([\s\S]*?)\n\1\s*$/.exec(text);
  if (fenced) text = fenced[2].trim();
  text = text.replace(/^(?:\*\*)?(?:prompt|sora prompt|提示词)(?:\*\*)?\s*[:：]\s*\n/i, '').trim();
  const quoted = /^(["“「])([\s\S]*)(["”」])$/.exec(text);
  if (quoted && !quoted[2].includes(quoted[1]) && !quoted[2].includes(quoted[3])) text = quoted[2].trim();
  return text;
}

/** Asks a language model: the rules, then the request for one clip; resolves with its whole answer. */
export type AskModel = (rules: string, request: string) => Promise<string>;

export interface ShotWriting {
  storyboard: Storyboard;
  /** The clips to write, in order (each with its id). */
  clips: readonly Clip[];
  language: Language;
  ask: AskModel;
  /** Puts one clip's new prompt in the file; false when the clip could not be changed. */
  put: (clipId: string, prompt: string) => Promise<boolean>;
  /** Before each clip: its place, and whether to stop (cancelled). */
  onClip?: (index: number, clip: Clip) => boolean | void;
}

/**
 * Writes each clip's shots with a language model, one clip after another: the shot rules and the
 * clip's request (`rules.ts`), the answer cleaned, then put in the clip. A clip the model fails on
 * keeps its text, and the others go on.
 */
export async function writeShots(w: ShotWriting): Promise<{ written: string[]; failed: { clipId: string; reason: string }[] }> {
  const written: string[] = [];
  const failed: { clipId: string; reason: string }[] = [];
  for (const [index, clip] of w.clips.entries()) {
    if (w.onClip?.(index, clip) === false) break;
    const clipId = clip.id ?? '';
    try {
      const prompt = cleanShotPrompt(await w.ask(SHOT_PROMPT_RULES[w.language], shotPromptRequest(w.storyboard, clip, w.language)));
      if (!prompt) throw new Error(w.language === 'zh' ? '模型没有给出回答' : 'the model gave no answer');
      if (!clipId || !(await w.put(clipId, prompt))) throw new Error(w.language === 'zh' ? '无法修改这个片段' : 'the clip could not be changed');
      written.push(clipId);
    } catch (error) {
      failed.push({ clipId: clipId || clip.title, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { written, failed };
}
