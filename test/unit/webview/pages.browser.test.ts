// The preview page in a real browser (the Videos view: gallery.browser.test.ts) (Debian's chromium, headless), under the exact CSP and page shell
// the extension renders. Nothing leaves the browser: every request goes to a route handler here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderPage } from '../../../src/extension/views/html';
import type { PageSettings, PreviewState } from '../../../src/webview/protocol';
import { completed, STRINGS } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
const ORIGIN = 'https://webview.test';
const API = 'http://127.0.0.1:8787';
const XSS = '<img src=x onerror=alert(1)> a cat playing piano';

interface Loaded {
  page: Page;
  /** Messages the page posted to the extension. */
  posted(): Promise<unknown[]>;
  violations(): Promise<string[]>;
  requests: string[];
  dialogs: string[];
}

describe('webview pages in a real browser, under the real CSP', function () {
  this.timeout(120_000);
  let browser: Browser;
  const bundles = new Map<string, string>();

  before(async () => {
    const result = await esbuild.build({
      entryPoints: { sidebar: path.join(ROOT, 'src/webview/sidebar.ts'), preview: path.join(ROOT, 'src/webview/preview.ts') },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      outdir: '/out',
      logLevel: 'silent',
    });
    for (const file of result.outputFiles) bundles.set(path.basename(file.path), file.text);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });

  after(async () => {
    await browser?.close();
  });

  async function open(name: 'sidebar' | 'preview', data: Record<string, unknown>, media: string[] = [], img: string[] = [], init = ''): Promise<Loaded> {
    const html = renderPage({
      webview: { cspSource: ORIGIN },
      nonce: 'testnonce123',
      title: 'Sora',
      script: `${ORIGIN}/dist/webview/${name}.js`,
      style: `${ORIGIN}/media/webview/${name}.css`,
      imgSources: img,
      mediaSources: name === 'preview' ? media : undefined,
      data: { strings: STRINGS, settings: { apiBaseUrl: API } satisfies PageSettings, ...data },
      body: `<main id="app" data-testid="${name === 'sidebar' ? 'videos' : 'preview'}"></main>`,
      lang: 'en',
    });
    const page = await browser.newPage();
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks
    // (`__name`), which the shim also provides for the evaluate callbacks below.
    await page.addInitScript(`
      window.__name = (f) => f;
      window.__posted = [];
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), setState: (s) => (window.__state = s), getState: () => window.__state });
      ${init}
    `);
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      requests.push(url.href);
      if (url.origin !== ORIGIN) return route.abort();
      if (url.pathname === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
      if (url.pathname.startsWith('/dist/webview/'))
        return route.fulfill({ contentType: 'text/javascript', body: bundles.get(path.basename(url.pathname)) ?? '' });
      if (url.pathname.startsWith('/media/webview/')) return route.fulfill({ contentType: 'text/css', body: readFileSync(path.join(ROOT, url.pathname)) });
      if (url.pathname === '/videos/sample.mp4') return route.fulfill({ contentType: 'video/mp4', body: readFileSync(path.join(ROOT, 'media/sample.mp4')) });
      return route.fulfill({ status: 404, body: '' });
    });
    await page.goto(`${ORIGIN}/index.html`);
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
    return {
      page,
      requests,
      dialogs,
      posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted),
      violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
    };
  }

  it('plays a local video in the preview and persists only the task id', async () => {
    const task = completed('done', { id: 't1', prompt: XSS });
    const state: PreviewState = { task, media: { src: `${ORIGIN}/videos/sample.mp4`, local: true } };
    const { page, violations, posted, dialogs } = await open('preview', { state });
    assert.equal(await page.textContent('.prompt'), XSS);
    await page.waitForFunction(() => (document.querySelector('#player') as HTMLVideoElement).readyState >= 1);
    assert.ok(Math.abs((await page.$eval('#player', (v) => (v as HTMLVideoElement).duration)) - 10) < 0.5);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __state: unknown }).__state), { taskId: 't1' });
    await page.click('[data-testid="action-reveal"]');
    assert.deepEqual((await posted()).at(-1), { type: 'action', action: 'reveal', id: 't1' });
    assert.deepEqual(dialogs, []);
    assert.deepEqual(await violations(), []);
    await page.close();
  });

  it('refuses a remote video the CSP or the URL rule does not allow, and says so', async () => {
    const task = completed('downloading', { id: 't1' });
    const blocked = await open('preview', { state: { task, media: { src: 'http://evil.example/v.mp4', local: false } } }, ['http://evil.example']);
    assert.equal(await blocked.page.$('#player'), null, 'no player for a URL outside the rule');
    assert.equal(await blocked.page.textContent('[data-testid="notice"]'), STRINGS.noVideo);
    await blocked.page.close();
    // Allowed by the rule, not by this page's CSP: the browser refuses it and the page reports it.
    const refused = await open('preview', { state: { task, media: { src: `${API}/files/t1/src.mp4`, local: false } } }, []);
    await refused.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'mediaError'));
    assert.equal(await refused.page.textContent('[data-testid="notice"]'), STRINGS.mediaError);
    assert.ok((await refused.violations()).some((v) => v.startsWith('media-src')));
    await refused.page.close();
  });

  it('says when this window cannot play the AAC sound, and offers the system player where there is one', async () => {
    // Desktop VS Code's Electron: no AAC (microsoft/vscode#167685). Debian's chromium plays it.
    const noAac = `const can = HTMLMediaElement.prototype.canPlayType;
      HTMLMediaElement.prototype.canPlayType = function (type) { return /mp4a/.test(type) ? '' : can.call(this, type); };`;
    const task = completed('done', { id: 't1' });
    const media = { src: `${ORIGIN}/videos/sample.mp4`, local: true };
    const audio = { codec: 'aac', codecString: 'mp4a.40.2' };
    const desktop = await open('preview', { state: { task, media, audio, systemPlayer: true } satisfies PreviewState }, [], [], noAac);
    assert.equal(await desktop.page.textContent('[data-testid="sound"]'), STRINGS.aacNote);
    assert.equal(await desktop.page.getAttribute('[data-testid="action-playExternal"]', 'secondary'), null, 'the primary button');
    await desktop.page.click('[data-testid="action-playExternal"]');
    assert.deepEqual((await desktop.posted()).at(-1), { type: 'action', action: 'playExternal', id: 't1' });
    await desktop.page.close();

    const remote = await open('preview', { state: { task, media, audio, systemPlayer: false } satisfies PreviewState }, [], [], noAac);
    assert.equal(await remote.page.textContent('[data-testid="sound"]'), STRINGS.aacNote, 'the note stays');
    assert.equal(await remote.page.$('[data-testid="action-playExternal"]'), null, 'no system player to offer in a remote window');
    await remote.page.close();

    const chromium = await open('preview', { state: { task, media, audio, systemPlayer: true } satisfies PreviewState });
    assert.equal(await chromium.page.isHidden('[data-testid="sound"]'), true, 'a browser that plays AAC shows no note');
    assert.equal(await chromium.page.$('[data-testid="action-playExternal"]'), null);
    await chromium.page.close();
  });
});
