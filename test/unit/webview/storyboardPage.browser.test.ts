// The storyboard view in a real browser (Debian's chromium, headless), under the exact CSP and page
// shell the extension renders, with the real test clips. Every request goes to a route handler here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderPage } from '../../../src/extension/views/html';
import type { StoryboardPageState, ToStoryboardPage } from '../../../src/webview/storyboardProtocol';
import { STORYBOARD_STRINGS, clip, page as pageState } from './storyboardHelpers';
import { UI_DEADLINE_MS } from '../../helpers/wait';

const ROOT = path.resolve(__dirname, '../../..');
const ORIGIN = 'https://webview.test';
const XSS = '<img src=x onerror=alert(1)> Rain';
const video = (name: string) => `${ORIGIN}/videos/${name}.mp4`;

describe('the storyboard view in a real browser, under the real CSP', function () {
  this.timeout(120_000);
  let browser: Browser;
  let bundle = '';

  before(async () => {
    const result = await esbuild.build({
      entryPoints: [path.join(ROOT, 'src/webview/storyboard.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    bundle = result.outputFiles[0].text;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
    });
  });

  after(async () => {
    await browser?.close();
  });

  async function open(state: StoryboardPageState) {
    const html = renderPage({
      webview: { cspSource: ORIGIN },
      nonce: 'testnonce123',
      title: 'Storyboard',
      script: `${ORIGIN}/dist/webview/storyboard.js`,
      style: `${ORIGIN}/media/webview/storyboard.css`,
      mediaSources: [],
      imgSources: [],
      data: { strings: STORYBOARD_STRINGS, state, persist: { file: '/work/rain.storyboard.md' } },
      body: '<main id="app" data-testid="storyboard"></main>',
      lang: 'en',
    });
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.addInitScript(`
      window.__name = (f) => f;
      window.__posted = [];
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), setState: (s) => (window.__state = s), getState: () => window.__state });
    `);
    const requests: string[] = [];
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      requests.push(url.href);
      if (url.origin !== ORIGIN) return route.abort();
      if (url.pathname === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
      if (url.pathname === '/dist/webview/storyboard.js') return route.fulfill({ contentType: 'text/javascript', body: bundle });
      if (url.pathname.startsWith('/media/webview/')) return route.fulfill({ contentType: 'text/css', body: readFileSync(path.join(ROOT, url.pathname)) });
      const clipName = /^\/videos\/(clip-\d)\.mp4$/.exec(url.pathname)?.[1];
      if (clipName) return route.fulfill({ contentType: 'video/mp4', body: readFileSync(path.join(ROOT, 'media/clips', `${clipName}.mp4`)) });
      return route.fulfill({ status: 404, body: '' });
    });
    await page.goto(`${ORIGIN}/index.html`);
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
    return {
      page,
      dialogs,
      requests,
      posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted),
      violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
    };
  }

  const post = (page: Page, message: ToStoryboardPage) => page.evaluate((m) => window.postMessage(m, '*'), message);

  const three = () =>
    pageState(
      [
        clip({ id: 'c1', title: XSS, status: { kind: 'ready' }, video: video('clip-1'), caption: 'It rained all night.' }),
        clip({ id: 'c2', number: 2, title: 'Door', status: { kind: 'missing' } }),
        clip({ id: 'c3', number: 3, title: 'Cup', status: { kind: 'ready' }, video: video('clip-3') }),
      ],
      { title: XSS },
    );

  it('shows titles with HTML as text, a frame of each clip as its poster, and asks the extension for every action', async () => {
    const { page, posted, violations, dialogs } = await open(three());
    assert.equal(await page.textContent('[data-testid="title"]'), XSS);
    assert.equal(await page.textContent('[data-clip-id="c1"] .clip-title'), `1. ${XSS}`);
    assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0, 'no element made from a title');
    assert.equal(await page.textContent('[data-testid="summary"]'), '2 of 3 clips ready');
    assert.deepEqual(await page.$$eval('[data-testid="clip-status"]', (els) => els.map((e) => e.textContent)), ['ready', 'not generated', 'ready']);
    await page.waitForFunction(() => ((document.querySelector('[data-clip-id="c1"] .poster video') as HTMLVideoElement | null)?.readyState ?? 0) >= 1);
    assert.equal(await page.getAttribute('[data-clip-id="c1"] .poster video', 'src'), `${video('clip-1')}#t=1`);
    await page.click('[data-clip-id="c2"] [data-action="generate"]');
    await page.click('[data-testid="action-assemble"]');
    await page.click('[data-clip-id="c3"] [data-action="regenerate"]');
    await page.click('[data-clip-id="c3"] [data-action="regenerate"]');
    assert.deepEqual(
      (await posted()).slice(1),
      [
        { type: 'clip', action: 'generate', clipId: 'c2' },
        { type: 'storyboard', action: 'assemble' },
        { type: 'clip', action: 'regenerate', clipId: 'c3' },
      ],
      'a double click asks once',
    );
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __state: unknown }).__state), { file: '/work/rain.storyboard.md' });
    assert.deepEqual(dialogs, []);
    assert.deepEqual(await violations(), []);
    await page.close();
  });

  it('plays every clip in order as one film: the next clip is loaded behind the current one and takes over when it ends', async () => {
    const { page, violations } = await open(three());
    await page.click('[data-testid="action-playAll"]');
    const active = () =>
      page.$eval('[data-testid="player"]', (v) => ({
        src: v.getAttribute('src'),
        clip: (v as HTMLVideoElement).dataset.clipId,
        hidden: (v as HTMLVideoElement).hidden,
      }));
    assert.deepEqual(await active(), { src: video('clip-1'), clip: 'c1', hidden: false });
    assert.equal(await page.getAttribute('[data-testid="preload"]', 'src'), video('clip-3'), 'the next clip with a video is already loading');
    assert.equal(await page.textContent('[data-testid="now-playing"]'), 'Playing clip 1 of 2');
    await page.waitForFunction(() => (document.querySelector('[data-testid="preload"]') as HTMLVideoElement).readyState >= 2, undefined, {
      timeout: UI_DEADLINE_MS,
    });
    await page.waitForFunction(() => (document.querySelector('[data-testid="player"]') as HTMLVideoElement).currentTime > 0.2, undefined, {
      timeout: UI_DEADLINE_MS,
    });
    // The test server answers without ranges, so the player cannot seek: it plays the clip fast instead.
    await page.$eval('[data-testid="player"]', (v) => {
      const player = v as HTMLVideoElement;
      player.muted = true;
      player.playbackRate = 16;
    });
    await page.waitForFunction(() => document.querySelector('[data-testid="player"]')?.getAttribute('src')?.endsWith('clip-3.mp4'), undefined, {
      timeout: UI_DEADLINE_MS,
    });
    assert.deepEqual(await active(), { src: video('clip-3'), clip: 'c3', hidden: false });
    assert.equal(await page.textContent('[data-testid="now-playing"]'), 'Playing clip 2 of 2');
    await page.waitForFunction(() => (document.querySelector('[data-testid="player"]') as HTMLVideoElement).currentTime > 0.2, undefined, {
      timeout: UI_DEADLINE_MS,
    });
    assert.equal(await page.$eval('[data-testid="preload"]', (v) => (v as HTMLVideoElement).hidden), true);
    assert.deepEqual(await violations(), []);
    await page.close();
  });

  it('follows live updates: a bar that moves in place, then the new clip poster, the film and its button', async () => {
    const state = three();
    const { page } = await open(state);
    const running = {
      ...state,
      clips: state.clips.map((c) => (c.id === 'c2' ? { ...c, status: { kind: 'generating' as const, progress: 30 } } : c)),
      toGenerate: 0,
    };
    await post(page, { type: 'state', state: running });
    await page.waitForFunction(() => document.querySelector('[data-clip-id="c2"] vscode-progress-bar')?.getAttribute('value') === '30');
    const bar = await page.$('[data-clip-id="c2"] vscode-progress-bar');
    assert.equal(await page.textContent('[data-clip-id="c2"] [data-testid="clip-status"]'), 'generating 30%');
    assert.equal(await page.$('[data-testid="action-generateAll"]'), null, 'nothing left to start');
    const later = { ...running, clips: running.clips.map((c) => (c.id === 'c2' ? { ...c, status: { kind: 'generating' as const, progress: 80 } } : c)) };
    await post(page, { type: 'state', state: later });
    await page.waitForFunction(() => document.querySelector('[data-clip-id="c2"] vscode-progress-bar')?.getAttribute('value') === '80');
    assert.ok(await bar!.evaluate((el) => el.isConnected), 'the same bar, updated in place');
    const done = {
      ...later,
      clips: later.clips.map((c) => (c.id === 'c2' ? { ...c, status: { kind: 'ready' as const }, video: video('clip-2') } : c)),
      film: { src: video('clip-2'), name: 'rain.mp4' },
    };
    await post(page, { type: 'state', state: done });
    await page.waitForSelector('[data-clip-id="c2"] .poster video');
    assert.equal(await page.$('[data-clip-id="c2"] vscode-progress-bar'), null);
    await post(page, { type: 'play', what: 'film' });
    await page.waitForFunction(() => (document.querySelector('[data-testid="player"]') as HTMLVideoElement).readyState >= 1, undefined, {
      timeout: UI_DEADLINE_MS,
    });
    assert.equal(await page.textContent('[data-testid="now-playing"]'), 'Playing the film');
    assert.ok(Math.abs((await page.$eval('[data-testid="player"]', (v) => (v as HTMLVideoElement).duration)) - 15) < 0.2);
    await page.close();
  });
});
