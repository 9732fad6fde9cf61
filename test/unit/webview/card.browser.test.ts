// The chat card exactly as the MCP server serves it (dist/webview/card.html, its own CSP), in a real
// browser (Debian's chromium), inside an iframe of a small host page that speaks the MCP Apps
// postMessage protocol the way VS Code does: ui/initialize, tool-input, tools/call, resources/read.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { cardTemplate, renderCardHtml } from '../../../src/mcp/apps/cardHtml';
import { CARD_ACTION_TOOL, CARD_STATE_TOOL, type CardState } from '../../../src/webview/card/protocol';
import { UI_DEADLINE_MS, waitUntil } from '../../helpers/wait';
import { completed, snapshot } from './helpers';

const HOST = 'https://host.test';
const CARD = 'https://card.test';
const API = 'http://127.0.0.1:8787';
const XSS = '<img src=x onerror=alert(1)> a cat playing piano';
const VIDEO = readFileSync(path.resolve(__dirname, '../../../media/sample.mp4')).toString('base64');

/** The host side, in the host page: answers the card like VS Code's MCP App host does. */
const HOST_PAGE = `<!DOCTYPE html><html><body style="margin:0;background:#1e1e1e">
<iframe id="card" src="${CARD}/card.html" allow="clipboard-read; clipboard-write" style="width:480px;height:640px;border:0"></iframe>
<script>
const frame = document.getElementById('card');
const send = (m) => frame.contentWindow.postMessage({ jsonrpc: '2.0', ...m }, '*');
window.__sizes = [];
window.__sendResult = (result) => send({ method: 'ui/notifications/tool-result', params: result });
window.addEventListener('message', async (event) => {
  if (event.source !== frame.contentWindow) return;
  const m = event.data;
  const reply = (result) => send({ id: m.id, result });
  switch (m.method) {
    case 'ui/initialize':
      return reply({ protocolVersion: '2026-01-26', hostInfo: { name: 'test-host', version: '1.0.0' },
        hostCapabilities: { openLinks: {}, serverTools: { listChanged: true }, serverResources: { listChanged: true }, logging: {} },
        hostContext: { theme: 'dark', locale: window.__setup.locale, displayMode: 'inline', availableDisplayModes: ['inline'], platform: 'desktop' } });
    case 'ui/notifications/initialized':
      return send({ method: 'ui/notifications/tool-input', params: { arguments: window.__setup.input } });
    case 'tools/call':
      return reply(await window.__toolCall(m.params));
    case 'resources/read':
      return reply({ contents: [{ uri: m.params.uri, mimeType: 'video/mp4', blob: window.__setup.video }] });
    case 'ui/notifications/size-changed':
      return window.__sizes.push(m.params.height);
    default:
      if (m.id !== undefined) reply({});
  }
});
</script></body></html>`;

interface Opened {
  page: Page;
  card: Frame;
  calls: { name: string; arguments: Record<string, unknown> }[];
  dialogs: string[];
  requests: string[];
  violations(): Promise<string[]>;
}

describe('the chat card in a real browser, under its own CSP', function () {
  this.timeout(120_000);
  let browser: Browser;
  const html = renderCardHtml(cardTemplate(), API);

  before(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
    });
  });

  after(async () => {
    await browser?.close();
  });

  /**
   * Opens the card for a tool call. `answer` plays the server: it gets each tools/call and returns the
   * tool result. `initScript` runs in every frame before its scripts (e.g. to play a host without AAC).
   */
  async function open(
    input: Record<string, unknown>,
    answer: (name: string, args: Record<string, unknown>) => unknown,
    options: { locale?: string; initScript?: string; fakeTime?: boolean } = {},
  ): Promise<Opened> {
    const context = await browser.newContext({ viewport: { width: 520, height: 700 } });
    for (const origin of [HOST, CARD]) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const page = await context.newPage();
    const calls: Opened['calls'] = [];
    const dialogs: string[] = [];
    const requests: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.exposeFunction('__toolCall', async (params: { name: string; arguments: Record<string, unknown> }) => {
      calls.push({ name: params.name, arguments: params.arguments });
      try {
        const structuredContent = answer(params.name, params.arguments);
        return { content: [{ type: 'text', text: 'ok' }], structuredContent };
      } catch (error) {
        return { content: [{ type: 'text', text: (error as Error).message }], isError: true };
      }
    });
    const setup = { locale: options.locale ?? 'en', input, video: VIDEO };
    await page.addInitScript(`
      window.__name = (f) => f;
      if (location.origin === '${HOST}') window.__setup = ${JSON.stringify(setup)};
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
      ${options.initScript ?? ''}
    `);
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      requests.push(url.href);
      if (url.origin === HOST) return route.fulfill({ contentType: 'text/html', body: HOST_PAGE });
      if (url.href === `${CARD}/card.html`) return route.fulfill({ contentType: 'text/html', body: html });
      return route.abort();
    });
    // The card's timers on a clock the test moves (`page.clock.runFor`): its asking every second is counted, not waited for.
    if (options.fakeTime) await page.clock.install();
    await page.goto(`${HOST}/`);
    const card = page.frames().find((f) => f.url() === `${CARD}/card.html`)!;
    await card.waitForSelector('[data-testid="sora-card"]');
    return { page, card, calls, dialogs, requests, violations: () => card.evaluate(() => (window as unknown as { __violations: string[] }).__violations) };
  }

  const stateOf = (patch: Partial<CardState> = {}): CardState => ({ actions: [], canRemix: false, ...patch });
  const saved = (patch: Partial<CardState> = {}) =>
    stateOf({
      task: completed('done', { id: 't1', prompt: 'a paper boat', params: { ...snapshot().params, private: false } }),
      media: { kind: 'inline', uri: 'juxin-sora://videos/t1', bytes: 130_125 },
      audio: { codec: 'aac', codecString: 'mp4a.40.2' },
      actions: ['openPreview', 'copyUrl'],
      canRemix: true,
      ...patch,
    });

  it('follows a generation live, from "starting" to a video that plays from the bytes the host passed', async () => {
    const script: CardState[] = [
      stateOf(),
      stateOf({ task: snapshot({ id: 't1', prompt: 'a paper boat', status: 'queued', queuePosition: 3 }) }),
      stateOf({ task: snapshot({ id: 't1', prompt: 'a paper boat', status: 'processing', progress: 30 }) }),
      stateOf({ task: snapshot({ id: 't1', prompt: 'a paper boat', status: 'processing', progress: 60 }) }),
      stateOf({ task: completed('downloading', { id: 't1', prompt: 'a paper boat' }) }),
      saved(),
    ];
    // The host answers the next state only once the test has seen the card show the current one: no state
    // can pass unseen, however slow the browser is.
    let step = 0;
    const { page, card, calls, violations } = await open(
      { prompt: 'a paper boat', orientation: 'landscape' },
      () => script[Math.min(step, script.length - 1)],
      { fakeTime: true },
    );
    const seen: string[] = [];
    const progress: string[] = [];
    const status = () => card.textContent('[data-testid="status"]');
    for (; step < script.length - 1; step++) {
      await card.waitForFunction((shown) => document.querySelector('[data-testid="status"]')?.textContent !== shown, seen.at(-1) ?? '', {
        timeout: UI_DEADLINE_MS,
      });
      seen.push((await status())!);
      const value = await card.getAttribute('[data-testid="progress"]', 'aria-valuenow');
      if (value && progress.at(-1) !== value) progress.push(value);
      await page.clock.runFor(1000); // the card asks again
    }
    await card.waitForSelector('video[src^="data:video/mp4;base64,"]', { timeout: UI_DEADLINE_MS });
    assert.deepEqual(seen, ['Starting the generation…', 'Queued · position 3', 'Generating · 30%', 'Generating · 60%', 'Downloading…']);
    assert.deepEqual(progress, ['30', '60']);
    assert.deepEqual(calls[0], { name: CARD_STATE_TOOL, arguments: { prompt: 'a paper boat', lang: 'en' } });
    assert.deepEqual(calls.at(-1), { name: CARD_STATE_TOOL, arguments: { task_id: 't1', lang: 'en' } }, 'once the task exists, by its id');

    await card.waitForFunction(() => document.querySelector('video')!.readyState >= 1, undefined, { timeout: UI_DEADLINE_MS });
    const duration = await card.$eval('video', (v) => (v as HTMLVideoElement).duration);
    assert.ok(Math.abs(duration - 10) < 0.5, `duration ${duration}`);
    await card.$eval('video', (v) => {
      const video = v as HTMLVideoElement;
      video.muted = true;
      return video.play();
    });
    await card.waitForFunction(() => document.querySelector('video')!.currentTime > 0.3, undefined, { timeout: UI_DEADLINE_MS });
    assert.equal(await card.textContent('[data-testid="status"]'), 'Ready');
    assert.equal(await card.isHidden('[data-testid="progress"]'), true);
    assert.equal(await card.textContent('[data-testid="notice"]'), '', 'chromium plays AAC: no note');
    const count = calls.length;
    await page.clock.runFor(10_000); // ten of its seconds
    assert.equal(calls.length, count, 'no more asking once the video is saved');
    assert.deepEqual(await violations(), []);
    const heights = await page.evaluate(() => (window as unknown as { __sizes: number[] }).__sizes);
    assert.ok(heights.length > 0 && heights.at(-1)! > 250, `the card told the host its height: ${heights.join(', ')}`);
    await page.context().close();
  });

  it('speaks Chinese when the host says so, and renders a hostile prompt as text', async () => {
    const failed = stateOf({ task: snapshot({ id: 't2', prompt: XSS, status: 'failed', failureReason: '<script>alert(2)</script> content moderation' }) });
    const { page, card, dialogs, requests, violations } = await open({ task_id: 't2' }, () => failed, { locale: 'zh-CN' });
    await card.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent === '失败');
    assert.equal(await card.textContent('[data-testid="prompt"]'), XSS);
    assert.equal(await card.textContent('[data-testid="failure"]'), '<script>alert(2)</script> content moderation');
    assert.match((await card.textContent('[data-testid="advice"]'))!, /内容审核未通过/);
    assert.equal(await card.$$eval('img', (imgs) => imgs.length), 0, 'no element made from the prompt');
    assert.equal(await card.$$eval('script', (s) => s.length), 1, 'only the card script');
    assert.equal(await card.evaluate(() => document.documentElement.lang), 'zh-CN');
    // No <img> exists (above), so nothing can load "x"; and the page has gone quiet: no request pending.
    await card.waitForLoadState('networkidle');
    assert.deepEqual(dialogs, []);
    assert.ok(!requests.some((r) => r.endsWith('/x')), 'nothing fetched the "x" image');
    assert.deepEqual(await violations(), []);
    await page.context().close();
  });

  it('says when the host cannot play the AAC sound, and offers the system player', async () => {
    // A host like desktop VS Code (Electron without AAC).
    const noAac = `const can = HTMLMediaElement.prototype.canPlayType;
      HTMLMediaElement.prototype.canPlayType = function (type) { return /mp4a/.test(type) ? '' : can.call(this, type); };`;
    const state = saved({ actions: ['openPreview', 'copyUrl', 'playExternal'] });
    const { page, card, calls } = await open({ task_id: 't1' }, (name) => (name === CARD_STATE_TOOL ? state : { ok: true }), { initScript: noAac });
    await card.waitForSelector('[data-testid="action-playExternal"]');
    assert.match((await card.textContent('[data-testid="notice"]'))!, /cannot play its AAC audio/);
    assert.equal(await card.getAttribute('[data-testid="action-playExternal"]', 'class'), 'primary');
    await card.click('[data-testid="action-playExternal"]');
    await waitUntil(() => calls.some((c) => c.name === CARD_ACTION_TOOL), 30_000, 'the action sent to the host');
    assert.deepEqual(
      calls.filter((c) => c.name === CARD_ACTION_TOOL),
      [{ name: CARD_ACTION_TOOL, arguments: { task_id: 't1', action: 'playExternal' } }],
    );
    await page.context().close();
  });

  it('runs its actions through the host: preview, copy (VS Code copies, elsewhere the card does), remix', async () => {
    let url: string | undefined = 'https://cdn.example/v.mp4?sig=1';
    const { page, card, calls } = await open({ task_id: 't1' }, (name, args) => {
      if (name === CARD_STATE_TOOL)
        return args.task_id === 't1' ? saved() : stateOf({ task: snapshot({ id: 'remix-1', prompt: 'purple sky', status: 'queued' }) });
      if (name === CARD_ACTION_TOOL) return args.action === 'copyUrl' && url ? { ok: true, url } : { ok: true };
      if (name === 'remix_video') return { task_id: 'remix-1' };
      throw new Error(`unexpected ${name}`);
    });
    await card.waitForSelector('[data-testid="action-openPreview"]');
    await card.click('[data-testid="action-openPreview"]');
    await card.click('[data-testid="action-copyUrl"]');
    await card.waitForFunction(() => document.querySelector('[data-testid="feedback"]')?.textContent === 'Copied');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url, 'the card put the URL on the clipboard itself');
    url = undefined;

    await card.click('[data-testid="action-remix"]');
    assert.equal(await card.isVisible('[data-testid="remix-form"]'), true);
    await card.fill('[data-testid="remix-input"]', 'purple sky');
    await card.click('[data-testid="remix-confirm"]');
    await card.waitForFunction(() => document.querySelector('[data-testid="prompt"]')?.textContent === 'purple sky');
    assert.equal(await card.textContent('[data-testid="feedback"]'), 'Remix started: this card now follows the new video.');
    assert.deepEqual(
      calls.filter((c) => c.name !== CARD_STATE_TOOL),
      [
        { name: CARD_ACTION_TOOL, arguments: { task_id: 't1', action: 'openPreview' } },
        { name: CARD_ACTION_TOOL, arguments: { task_id: 't1', action: 'copyUrl' } },
        { name: 'remix_video', arguments: { task_id: 't1', prompt: 'purple sky' } },
      ],
    );
    assert.deepEqual(calls.at(-1)?.arguments, { task_id: 'remix-1', lang: 'en' }, 'the card follows the remix');
    await page.context().close();
  });

  it('shows the error of a call that failed before any task existed', async () => {
    const { page, card } = await open({ prompt: 'no key' }, () => stateOf());
    await card.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent === 'Starting the generation…');
    await page.evaluate(() =>
      (window as unknown as { __sendResult(r: unknown): void }).__sendResult({
        content: [{ type: 'text', text: 'No Juxin API key is configured. 未配置聚鑫 API Key。' }],
        isError: true,
      }),
    );
    await card.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent === 'The generation did not start.');
    assert.equal(await card.textContent('[data-testid="failure"]'), 'No Juxin API key is configured. 未配置聚鑫 API Key。');
    await page.context().close();
  });
});
