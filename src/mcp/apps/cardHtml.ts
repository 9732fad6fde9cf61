import { readFileSync } from 'node:fs';
import path from 'node:path';
import { originOf } from '../../webview/model/urls';

// esbuild.mjs builds the card (src/webview/card.ts + media/webview/card.css) into one HTML page and
// defines this constant in every Node bundle, so the standalone server stays one file. Run from source
// (the unit tests), the page is read from the build output instead.
declare const __JUXIN_SORA_CARD_HTML__: string | undefined;

/** Stands for the extra image/media sources in the page's own CSP; filled per read (the base URL is a setting). */
export const CARD_SOURCES_PLACEHOLDER = '__JUXIN_SORA_CARD_SOURCES__';

let cached: string | undefined;

/** The built card page, with its CSP placeholder. */
export function cardTemplate(): string {
  if (typeof __JUXIN_SORA_CARD_HTML__ === 'string') return __JUXIN_SORA_CARD_HTML__;
  cached ??= readFileSync(path.resolve(__dirname, '../../../dist/webview/card.html'), 'utf8');
  return cached;
}

// A source we put in a CSP must be an origin or the bare https: scheme (nothing that could end the
// directive or add a keyword): the same rule as the extension's pages.
const SAFE_SOURCE = /^(https:|https?:\/\/[A-Za-z0-9.\-[\]:]+)$/;

/**
 * Where the card may load images (the poster) and video from besides `data:`: any https (Sora's video
 * and thumbnail hosts vary by relay and change), and the configured API origin when it is plain http
 * (the simulator, a relay on the user's own machine). Scripts and styles stay limited to the page's
 * own hashed inline code by its CSP, whatever the host adds.
 */
export function cardResourceDomains(baseUrl: string): string[] {
  const base = originOf(baseUrl);
  const sources = ['https:', ...(base && base.startsWith('http:') ? [base] : [])];
  return sources.filter((s) => SAFE_SOURCE.test(s));
}

/** The page as served: its CSP names exactly the sources the resource's `_meta.ui.csp` declares. */
export function renderCardHtml(template: string, baseUrl: string): string {
  return template.split(CARD_SOURCES_PLACEHOLDER).join(cardResourceDomains(baseUrl).join(' '));
}
