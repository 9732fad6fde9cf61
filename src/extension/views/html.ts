import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export function getNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/** For values placed inside a double-quoted HTML attribute. */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface PageOptions {
  webview: vscode.Webview;
  nonce: string;
  title: string;
  script: vscode.Uri;
  style: vscode.Uri;
  /** Extra origins for img-src / media-src (https: is always allowed for images). */
  imgSources?: string[];
  mediaSources?: string[];
  /** JSON handed to the page in data- attributes (no inline script). */
  data: Record<string, unknown>;
  body: string;
  lang: string;
}

/**
 * The page shell every webview uses: a strict CSP with a nonce, scripts and CSS as files, data in
 * attributes. Nothing from a prompt or the API is ever interpolated into the HTML except through
 * escapeAttribute inside data- attributes; the scripts render it with textContent.
 */
export function renderPage(o: PageOptions): string {
  const csp = [
    `default-src 'none'`,
    `img-src ${o.webview.cspSource} https: data: ${(o.imgSources ?? []).join(' ')}`,
    `media-src ${o.webview.cspSource} ${(o.mediaSources ?? []).join(' ')}`,
    `style-src ${o.webview.cspSource}`,
    `font-src ${o.webview.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  const data = Object.entries(o.data)
    .map(([k, v]) => ` data-${k}="${escapeAttribute(JSON.stringify(v))}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(o.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(o.style.toString())}">
<title>${escapeAttribute(o.title)}</title>
</head>
<body${data}>
${o.body}
<script type="module" nonce="${o.nonce}" src="${escapeAttribute(o.script.toString())}"></script>
</body>
</html>`;
}
