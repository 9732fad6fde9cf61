import { subtitlePrompt } from './draft';
import { normalizePromptText } from './prompt';
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
