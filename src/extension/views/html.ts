import { randomBytes } from 'node:crypto';

export function getNonce(): string {
  return randomBytes(24)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

/** For values placed inside a double-quoted HTML attribute (and text in <title>). */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// A CSP source we add must be an origin or the bare `https:` scheme: nothing that could end the
// directive (`;`), add another source (space) or quote a keyword.
const SAFE_SOURCE = /^(https:|https?:\/\/[A-Za-z0-9.\-[\]:]+)$/;

export interface PolicySources {
  /** `webview.cspSource`: the extension's own files (scripts, CSS, local videos). */
  cspSource: string;
  nonce: string;
  /** Extra image sources; none: images only from the extension. */
  img?: string[];
  /** Media sources beyond cspSource; undefined: the page plays no media at all. */
  media?: string[];
}

/**
 * Only what the pages need: our script by nonce, our CSS file, images and media from the extension or
 * from the exact remote origins the caller allowed. No 'unsafe-inline' for styles: the elements of
 * @vscode-elements/elements style their shadow roots with constructable stylesheets and set inline
 * styles through the CSSOM, neither of which style-src governs.
 */
export function contentSecurityPolicy(s: PolicySources): string {
  const extra = (list: string[] = []) => list.filter((x) => SAFE_SOURCE.test(x));
  return [
    `default-src 'none'`,
    `script-src 'nonce-${s.nonce}'`,
    `style-src ${s.cspSource}`,
    `font-src ${s.cspSource}`,
    `img-src ${[s.cspSource, ...extra(s.img)].join(' ')}`,
    ...(s.media ? [`media-src ${[s.cspSource, ...extra(s.media)].join(' ')}`] : []),
  ].join('; ');
}

export interface PageOptions {
  webview: { cspSource: string };
  nonce: string;
  title: string;
  script: { toString(): string };
  style: { toString(): string };
  /** More stylesheets by id (the codicon font's, which the elements look up by its id). */
  extraStyles?: { id: string; href: { toString(): string } }[];
  imgSources?: string[];
  mediaSources?: string[];
  /** JSON handed to the page in data- attributes (no inline script). */
  data: Record<string, unknown>;
  /** Static markup only: never anything from a prompt or the API. */
  body: string;
  lang: string;
}

/**
 * The shell of every page: a strict CSP with a nonce, one module script and one stylesheet as files,
 * data as escaped JSON in data- attributes. Text from a prompt or the API only ever reaches the page
 * inside those attributes, and the page renders it with textContent.
 */
export function renderPage(o: PageOptions): string {
  const csp = contentSecurityPolicy({ cspSource: o.webview.cspSource, nonce: o.nonce, img: o.imgSources, media: o.mediaSources });
  const data = Object.entries(o.data)
    .map(([key, value]) => ` data-${key}="${escapeAttribute(JSON.stringify(value))}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(o.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${(o.extraStyles ?? []).map((x) => `<link rel="stylesheet" id="${escapeAttribute(x.id)}" href="${escapeAttribute(x.href.toString())}">\n`).join('')}<link rel="stylesheet" href="${escapeAttribute(o.style.toString())}">
<title>${escapeAttribute(o.title)}</title>
</head>
<body${data}>
${o.body}
<script type="module" nonce="${escapeAttribute(o.nonce)}" src="${escapeAttribute(o.script.toString())}"></script>
</body>
</html>`;
}
