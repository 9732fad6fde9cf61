import { z } from 'zod';

const english = z.locales.en().localeError;
const chinese = z.locales.zhCN().localeError;
const words = (said: ReturnType<typeof english>): string => (typeof said === 'string' ? said : (said?.message ?? ''));

/**
 * The `error` parameter every tool input schema (and each of its checks) carries: zod's own words for
 * the problem in English and in Chinese, so the SDK's "Input validation error" the model sees is
 * bilingual like every other refusal. (Set per schema: a global zod setting would change every
 * library's messages.)
 */
export const bilingual = {
  error: (issue: Parameters<typeof english>[0]) => `${words(english(issue))} / ${words(chinese(issue))}`,
};

/** A message of our own for one check, in both languages. */
export function says(en: string, zh: string): { error: string } {
  return { error: `${en} / ${zh}` };
}
