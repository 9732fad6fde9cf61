// The Videos view in a real browser (Debian's chromium, headless), under the exact CSP and page shell
// the extension renders, talking to the real ResultsFeed in this process as the extension would.
// Nothing leaves the browser: every request goes to a route handler here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { countTasks } from '../../../src/core/query';
import { DEFAULT_LIMITS, spendLedger, type SpendLimits } from '../../../src/core/spend';
import type { TaskRecord } from '../../../src/core/types';
import { firstPage, ResultsFeed } from '../../../src/extension/views/feed';
import { renderPage } from '../../../src/extension/views/html';
import { hoverMedia } from '../../../src/extension/views/previewMedia';
import { validateSidebarMessage } from '../../../src/extension/views/messages';
import { toSnapshot } from '../../../src/extension/views/snapshot';
import type { FromSidebar, PageSettings, SidebarInit, ToSidebar } from '../../../src/webview/protocol';
import { UI_DEADLINE_MS, waitUntil } from '../../helpers/wait';
import { STRINGS } from './helpers';
import { DEFAULT_PARAMS } from '../../../src/core/params';

const ROOT = path.resolve(__dirname, '../../..');
const ORIGIN = 'https://webview.test';
const API = 'http://127.0.0.1:8787';
const XSS = '<img src=x onerror=alert(1)> a cat playing piano';
/** The host's "now", fixed: the test reads the same days whenever it runs (a run across midnight included). */
const NOW = Date.now();

function record(n: number, patch: Partial<TaskRecord> = {}): TaskRecord {
  const prompts = ['a paper boat drifting down a rainy street at night', '一只柴犬在雪地里奔跑，慢动作', 'timelapse of clouds over mountains at sunrise'];
  return {
    id: `sora-2:task_${String(n).padStart(5, '0')}`,
    source: 'vscode',
    origin: n % 3 === 1 ? { kind: 'mcp', client: 'Visual Studio Code', host: 'vscode' } : { kind: 'palette', host: 'vscode' },
    // Twenty a day, newest first.
    createdAt: NOW - n * 72 * 60_000,
    updatedAt: NOW,
    params: { ...DEFAULT_PARAMS, prompt: `${prompts[n % 3]} #${n}` },
    status: 'completed',
    progress: 100,
    videoUrl: `${API}/files/${n}/src.mp4`,
    download: { state: 'done', localPath: `/home/me/videos/${n}.mp4` },
    ...patch,
  };
}

/** The extension's side: an engine's records, the real feed, and what the page asked for. */
class FakeHost {
  readonly tasks = new Map<string, TaskRecord>();
  readonly received: FromSidebar[] = [];
  /** Holds the answers to queries back (a slow extension host) until released. */
  hold: Promise<void> | undefined;
  withFirstPage = false;
  /** The extension is still reading the history (the view opened right after VS Code started). */
  loading = false;
  limits: SpendLimits = DEFAULT_LIMITS;
  readonly feed: ResultsFeed;
  page!: Page;

  constructor(records: TaskRecord[]) {
    for (const r of records) this.tasks.set(r.id, r);
    this.feed = new ResultsFeed(
      { list: () => [...this.tasks.values()].sort((a, b) => b.createdAt - a.createdAt), get: (id) => this.tasks.get(id) },
      (t) => toSnapshot(t, { baseUrl: API, chinese: false }),
      () => NOW,
    );
  }

  get init(): SidebarInit {
    const source = { list: () => [...this.tasks.values()], get: (id: string) => this.tasks.get(id) };
    const first = this.withFirstPage
      ? firstPage(source, (t) => toSnapshot(t, { baseUrl: API, chinese: false }), NOW, { text: '', phases: [], sources: [] }, 'UTC', 50)
      : undefined;
    if (this.loading) return { hasKey: true, counts: countTasks([]), spend: this.spend, loading: true };
    return { hasKey: true, counts: countTasks(this.tasks.values()), spend: this.spend, first };
  }

  /** The ledger as the engine computes it (days in UTC here). */
  get spend() {
    return spendLedger(this.tasks.values(), this.limits, NOW, 'UTC');
  }

  async post(message: ToSidebar): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  async receive(raw: unknown): Promise<void> {
    const message = validateSidebarMessage(raw, (id) => this.tasks.has(id));
    assert.ok(message, `the page sent a message of the protocol: ${JSON.stringify(raw)}`);
    this.received.push(message);
    if (message.type === 'ready') {
      if (this.loading) await this.hold; // answered once the history is read
      await this.post({ type: 'state', hasKey: true, counts: this.feed.taskCounts });
    } else if (message.type === 'query') {
      await this.hold;
      await this.post(this.feed.setQuery(message));
    } else if (message.type === 'page') {
      const page = this.feed.page(message);
      if (page) await this.post(page);
    } else if (message.type === 'hover') {
      // What the extension would play (hoverMedia), the file served from this test's origin.
      const media = hoverMedia(this.tasks.get(message.id)!, '/home/me/videos', API);
      if (media) await this.post({ type: 'media', id: message.id, kind: media.kind, src: media.kind === 'video' ? `${ORIGIN}/videos/sample.mp4` : media.url });
    }
  }

  /** An engine change, as the extension forwards it. */
  async change(task: TaskRecord): Promise<void> {
    this.tasks.set(task.id, task);
    const { messages, countsChanged } = this.feed.changed(task);
    for (const m of messages) await this.post(m);
    if (countsChanged) {
      await this.post({ type: 'state', hasKey: true, counts: this.feed.taskCounts });
      await this.post({ type: 'spend', spend: this.spend });
    }
  }
}

describe('the Videos view in a real browser: a virtualized gallery under the real CSP', function () {
  this.timeout(120_000);
  let browser: Browser;
  let bundle = '';

  before(async () => {
    const result = await esbuild.build({
      entryPoints: [path.join(ROOT, 'src/webview/sidebar.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      outdir: '/out',
      logLevel: 'silent',
    });
    bundle = result.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });

  after(async () => {
    await browser?.close();
  });

  async function open(host: FakeHost, viewport = { width: 320, height: 700 }, timezoneId?: string) {
    const html = renderPage({
      webview: { cspSource: ORIGIN },
      nonce: 'testnonce123',
      title: 'AI videos',
      script: `${ORIGIN}/dist/webview/sidebar.js`,
      style: `${ORIGIN}/media/webview/sidebar.css`,
      extraStyles: [{ id: 'vscode-codicon-stylesheet', href: `${ORIGIN}/dist/webview/codicon.css` }],
      imgSources: ['https:', API],
      mediaSources: [],
      data: { strings: STRINGS, settings: { apiBaseUrl: API } satisfies PageSettings, state: host.init },
      body: '<main id="app" data-testid="videos"></main>',
      lang: 'en',
    });
    const page = await browser.newPage({ viewport, timezoneId });
    page.on('pageerror', (e) => process.stderr.write(`[page] ${e.stack ?? e}\n`));
    page.on('console', (m) => m.type() === 'error' && process.stderr.write(`[console] ${m.text()}\n`));
    host.page = page;
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.exposeFunction('__toHost', (m: unknown) => host.receive(m));
    await page.addInitScript(`
      window.__name = (f) => f;
      window.__violations = [];
      window.__menus = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
      // What VS Code's webview host does on a context menu event: collect data-vscode-context upwards.
      window.addEventListener('contextmenu', (e) => {
        if (e.defaultPrevented) return;
        e.preventDefault();
        let context = {};
        for (let node = e.target.closest && e.target.closest('[data-vscode-context]'); node; node = node.parentElement && node.parentElement.closest('[data-vscode-context]')) context = { ...JSON.parse(node.dataset.vscodeContext), ...context };
        window.__menus.push({ x: e.clientX, y: e.clientY, context });
      });
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__toHost(m), setState: (s) => (window.__state = s), getState: () => window.__state });
    `);
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      requests.push(url.href);
      if (url.origin === API && url.pathname.endsWith('/preview.gif'))
        return route.fulfill({ contentType: 'image/gif', body: readFileSync(path.join(ROOT, 'media/sample-preview.gif')) });
      if (url.origin === API && url.pathname.endsWith('/thumbnail.webp'))
        return route.fulfill({ contentType: 'image/webp', body: readFileSync(path.join(ROOT, 'media/sample-thumbnail.webp')) });
      if (url.origin !== ORIGIN) return route.abort();
      if (url.pathname === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
      if (url.pathname === '/dist/webview/sidebar.js') return route.fulfill({ contentType: 'text/javascript', body: bundle });
      if (url.pathname.startsWith('/dist/webview/codicon.'))
        return route.fulfill({ body: readFileSync(path.join(ROOT, 'node_modules/@vscode/codicons/dist', path.basename(url.pathname))) });
      if (url.pathname === '/media/webview/sidebar.css') return route.fulfill({ contentType: 'text/css', body: readFileSync(path.join(ROOT, url.pathname)) });
      if (url.pathname === '/videos/sample.mp4') return route.fulfill({ contentType: 'video/mp4', body: readFileSync(path.join(ROOT, 'media/sample.mp4')) });
      return route.fulfill({ status: 404, body: '' });
    });
    await page.goto(`${ORIGIN}/index.html`);
    return {
      page,
      requests,
      dialogs,
      violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
      menus: () => page.evaluate(() => (window as unknown as { __menus: { x: number; y: number; context: Record<string, unknown> }[] }).__menus),
    };
  }

  const cardIds = (page: Page) => page.$$eval('.card:not([hidden])[data-task-id]', (els) => els.map((e) => e.getAttribute('data-task-id')));

  it('walks a beginner through the empty state, and the buttons ask for the commands', async () => {
    const host = new FakeHost([]);
    const { page, violations } = await open(host);
    await page.waitForSelector('[data-testid="empty"] h2');
    assert.equal(await page.textContent('[data-testid="empty"] h2'), STRINGS.emptyTitle);
    assert.ok(await page.$eval('.toolbar', (t) => (t as HTMLElement).hidden), 'no search before the first video');
    await page.click('[data-testid="empty-generate"]');
    assert.deepEqual(host.received.at(-1), { type: 'command', command: 'generate' });
    assert.deepEqual(await violations(), []);
    await page.close();
  });

  it('shows 10,000 videos with a bounded DOM, paging as it scrolls, and a hostile prompt as text', async () => {
    const records = Array.from({ length: 10_000 }, (_, n) => record(n));
    records[0] = record(0, {
      params: { ...records[0].params, prompt: XSS },
      status: 'failed',
      failureReason: '<script>alert(2)</script> moderation',
      download: { state: 'none' },
    });
    const host = new FakeHost(records);
    const { page, violations, dialogs, requests } = await open(host);
    await page.waitForSelector('.card[data-task-id]');
    assert.equal(await page.textContent('[data-task-id="sora-2:task_00000"] .prompt'), XSS);
    assert.match((await page.textContent('[data-task-id="sora-2:task_00000"] .status'))!, /^Failed · <script>alert\(2\)<\/script> moderation$/);
    assert.equal(await page.$$eval('img[src="x"], script:not([src])', (els) => els.length), 0);
    assert.deepEqual(dialogs, []);
    assert.equal(await page.textContent('[data-testid="summary"]'), '10000 videos');
    await page.screenshot({ path: path.join(ROOT, 'test-artifacts', 'gallery-list-browser.png') });
    const firstPaint = await page.$$eval('.card', (els) => els.length);
    const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    assert.ok(firstPaint < 40 && nodes < 1_000, `${firstPaint} cards, ${nodes} elements for 10,000 videos`);
    assert.equal(host.received.filter((m) => m.type === 'page').length, 0, 'the first screen came with the results');
    // The scroll area is as tall as the whole list; the middle loads when it is scrolled to.
    await page.$eval('.scroller', (s) => (s.scrollTop = s.scrollHeight / 2));
    // (Cards arrive as their page does: wait until the screen is filled, not just for the first one.)
    await page.waitForFunction(
      () => [...document.querySelectorAll('.card[data-task-id]:not([hidden])')].filter((c) => Number(c.getAttribute('data-index')) > 4_000).length > 5,
    );
    // The first card stays drawn (off screen): it is the list's one tab stop.
    const middle = (await cardIds(page)).filter((id) => id !== 'sora-2:task_00000');
    assert.ok(middle.length > 5 && middle.every((id) => Number(id!.slice(-5)) > 4_000 && Number(id!.slice(-5)) < 6_000), `middle cards ${middle.join()}`);
    const pages = host.received.filter((m) => m.type === 'page');
    assert.ok(pages.length <= 3, `a page or two for the new screen: ${JSON.stringify(pages)}`);
    assert.ok((await page.$$eval('.card', (els) => els.length)) < 60, 'cards are reused, not added');
    assert.ok(!requests.some((r) => r.endsWith('/x')));
    assert.deepEqual(await violations(), []);
    await page.close();
  });

  it("shows today's spend against the daily limits in the header, near and at a limit, failed apart; the gear asks for the settings", async () => {
    const today = Math.floor(NOW / 86_400_000) * 86_400_000;
    // 16 videos and a failed one today (UTC), a minute apart.
    const records = Array.from({ length: 17 }, (_, n) =>
      record(n, { createdAt: today + n * 60_000, ...(n === 16 ? { status: 'failed', failureReason: 'moderation', download: { state: 'none' } } : {}) }),
    );
    const host = new FakeHost(records);
    host.limits = { dailyVideos: 20, dailySeconds: 300, prices: { 'sora-2': { perSecond: 0.1 } } };
    const { page, violations } = await open(host);
    await page.waitForSelector('.card[data-task-id]');
    const text = async (id: string) => (await page.textContent(`[data-testid="${id}"]`))?.replace(/\u00a0/g, ' ');
    // The failed one counts toward the limits (17/20), not toward the ¥ estimate.
    assert.equal(await text('spend-today'), 'Today: 17/20 videos · 170/300 s · ≈ ¥16.00');
    assert.equal(await text('spend-month'), 'This month: 16 video(s) · 160 s · ≈ ¥16.00');
    assert.equal(await text('spend-failed'), 'Failed: 1 today, 1 this month (may or may not have been billed)');
    assert.equal(await page.getAttribute('[data-testid="spend"]', 'data-level'), 'near');
    assert.equal(await text('spend-status'), "Near today's limit.");
    // Three more: at the limit, the next one asks. Said once, for screen readers too.
    for (let n = 17; n < 20; n++) await host.change(record(n, { createdAt: today + n * 60_000 }));
    await page.waitForFunction(() => document.querySelector('[data-testid="spend"]')?.getAttribute('data-level') === 'over');
    assert.equal(await text('spend-today'), 'Today: 20/20 videos · 200/300 s · ≈ ¥19.00');
    assert.equal(await text('spend-status'), "At today's limit: the next generation asks you first.");
    assert.equal(await text('announcer'), "At today's limit: the next generation asks you first.");
    await page.screenshot({ path: path.join(ROOT, 'test-artifacts', 'gallery-spend-browser.png') });
    await page.click('[data-testid="spend-settings"]');
    assert.deepEqual(host.received.at(-1), { type: 'command', command: 'spendSettings' });
    assert.deepEqual(await violations(), []);
    await page.close();
  });

  it('paints the first page from its HTML before the extension answers, then takes the answer', async () => {
    const host = new FakeHost(Array.from({ length: 10_000 }, (_, n) => record(n)));
    host.withFirstPage = true;
    let release!: () => void;
    host.hold = new Promise((r) => (release = r));
    const { page } = await open(host, undefined, 'UTC');
    await page.waitForSelector('.card[data-task-id="sora-2:task_00000"]');
    assert.equal(await page.textContent('[data-testid="summary"]'), '10000 videos');
    assert.ok(await page.evaluate(() => performance.getEntriesByName('juxin-sora:first-card').length === 1), 'the first card is marked');
    assert.equal(host.received.filter((m) => m.type === 'page').length, 0, 'no pages asked for before its own query is answered');
    release();
    await page.$eval('.scroller', (s) => (s.scrollTop = 20_000));
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.card[data-task-id]:not([hidden])')].some((c) => Number(c.getAttribute('data-index')) > 150),
    );
    assert.ok(
      host.received.some((m) => m.type === 'page'),
      'once answered, it pages as it scrolls',
    );
    await page.close();
  });

  it('opened while the extension still reads the history: no "make your first video" meanwhile, the cards once it answers', async () => {
    const host = new FakeHost(Array.from({ length: 10_000 }, (_, n) => record(n)));
    host.loading = true;
    let release!: () => void;
    host.hold = new Promise((r) => (release = r));
    const { page, violations } = await open(host, undefined, 'UTC');
    // The page is up and has asked (ready, its query); nothing it shows may say the history is empty.
    await waitUntil(() => host.received.length >= 2, UI_DEADLINE_MS, 'the page ready and asking for its first page', 20);
    assert.deepEqual(
      host.received.map((m) => m.type),
      ['ready', 'query'],
    );
    assert.equal(await page.$('[data-testid="empty"]'), null, 'no onboarding for a history that is only loading');
    assert.equal(await page.$('.card[data-task-id]'), null);
    release();
    await page.waitForSelector('.card[data-task-id="sora-2:task_00000"]');
    assert.equal(await page.textContent('[data-testid="summary"]'), '10000 videos');
    assert.equal(await page.$eval('[data-testid="summary"]', (e) => (e as HTMLElement).hidden), false);
    assert.deepEqual(await violations(), []);
    await page.close();
  });

  it('searches prompts in Chinese and English and filters by status, with counts', async () => {
    const records = Array.from({ length: 300 }, (_, n) =>
      record(n, n % 10 === 0 ? { status: 'failed', failureReason: 'moderation', download: { state: 'none' } } : {}),
    );
    const host = new FakeHost(records);
    const { page } = await open(host);
    await page.waitForSelector('.card[data-task-id]');
    await page.locator('[data-testid="search"]').locator('input').fill('柴犬 #13');
    await page.waitForFunction(() => document.querySelector('[data-testid="summary"]')?.textContent?.startsWith('5 of'));
    assert.equal(await page.textContent('[data-testid="summary"]'), '5 of 300 videos');
    assert.equal(await page.textContent('[data-testid="announcer"]'), '5 of 300 videos', 'the count is announced');
    assert.ok((await cardIds(page)).includes('sora-2:task_00013'));
    const query = host.received.filter((m) => m.type === 'query').at(-1);
    assert.deepEqual(query?.type === 'query' && query.query, { text: '柴犬 #13', phases: [], sources: [] });
    await page.locator('[data-testid="search"]').locator('input').fill('');
    await page.evaluate(() => {
      const select = document.querySelector('[data-testid="filter-status"]') as HTMLElement & { value: string };
      select.value = 'failed';
      select.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => document.querySelector('[data-testid="summary"]')?.textContent === '30 of 300 videos');
    const statuses = await page.$$eval('.card[data-task-id]:not([hidden]) .status', (els) => els.map((e) => e.textContent));
    assert.ok(statuses.length > 3 && statuses.every((s) => s!.startsWith('Failed')), statuses.join());
    assert.match((await page.$$eval('[data-testid="filter-status"] vscode-option', (o) => o.map((x) => x.textContent)))!.join('|'), /Failed \(30\)/);
    await page.locator('[data-testid="search"]').locator('input').fill('no such prompt anywhere');
    await page.waitForSelector('[data-testid="no-matches"]:not([hidden])');
    await page.click('[data-testid="clear-filters"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="summary"]')?.textContent === '300 videos');
    await page.close();
  });

  it('moves progress in place and keeps the cards on screen still when a task is added above them', async () => {
    const records = Array.from({ length: 2_000 }, (_, n) => record(n));
    const host = new FakeHost(records);
    const { page } = await open(host);
    await page.waitForSelector('.card[data-task-id]');
    // Scrolled down a little: what is on screen must not move when a new task arrives at the top.
    await page.$eval('.scroller', (s) => (s.scrollTop = 3_000));
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.card[data-task-id]:not([hidden])')].some((c) => Number(c.getAttribute('data-index')) > 30),
    );
    const before = await page.evaluate(() => {
      const scroller = document.querySelector('.scroller')!;
      const top = scroller.getBoundingClientRect().top;
      const card = [...document.querySelectorAll<HTMLElement>('.card[data-task-id]:not([hidden])')].find((c) => c.getBoundingClientRect().top >= top)!;
      return { id: card.dataset.taskId, y: card.getBoundingClientRect().top };
    });
    const live = record(-1, { id: 'live', createdAt: NOW, status: 'processing', progress: 10, download: { state: 'none' } });
    await host.change(live);
    await page.waitForFunction(() => document.querySelector('[data-testid="summary"]')?.textContent === '2001 videos');
    const after = await page.evaluate((id) => document.querySelector<HTMLElement>(`.card[data-task-id="${id}"]`)!.getBoundingClientRect().top, before.id!);
    assert.ok(Math.abs(after - before.y) <= 1, `the card stayed at ${before.y}px (now ${after}px)`);
    // At the top the new task shows, and its bar moves in place.
    await page.$eval('.scroller', (s) => (s.scrollTop = 0));
    const bar = page.locator('[data-task-id="live"] vscode-progress-bar');
    await bar.waitFor();
    const handle = await bar.elementHandle();
    await host.change({ ...live, progress: 60 });
    await page.waitForFunction(() => document.querySelector('[data-task-id="live"] vscode-progress-bar')?.getAttribute('value') === '60');
    assert.ok(await handle!.evaluate((el) => el.isConnected), 'the same bar element, updated in place');
    assert.equal(await page.textContent('[data-task-id="live"] .status'), 'Generating · 60%');
    await host.change({ ...live, status: 'completed', progress: 100, download: { state: 'done' } });
    await page.waitForFunction(() => document.querySelector('[data-testid="announcer"]')?.textContent?.startsWith('Ready:'));
    assert.equal(await page.$('[data-task-id="live"] vscode-progress-bar'), null, 'no bar once ready');
    await page.close();
  });

  it('is one tab stop: arrows move between cards, Enter plays, Shift+F10 and "…" open the card menu; every control is named', async () => {
    const host = new FakeHost(
      Array.from({ length: 500 }, (_, n) => record(n, n === 1 ? { status: 'failed', failureReason: 'x', download: { state: 'none' } } : {})),
    );
    const { page, menus } = await open(host);
    await page.waitForSelector('.card[data-task-id]');
    assert.equal(await page.$$eval('.card[tabindex="0"]', (els) => els.length), 1, 'one card in the tab order');
    await page.focus('.card[tabindex="0"]');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-task-id') ?? document.activeElement?.getAttribute('data-action'));
    assert.equal(await focused(), 'sora-2:task_00000');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'sora-2:task_00001');
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-task-id') === 'sora-2:task_00499');
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-task-id') === 'sora-2:task_00000');
    await page.keyboard.press('Enter');
    assert.deepEqual(host.received.at(-1), { type: 'action', action: 'play', id: 'sora-2:task_00000' });
    // The screen reader hears the card's position and its status.
    const card = await page.$eval('.card[data-task-id="sora-2:task_00000"]', (c) => ({
      role: c.getAttribute('role'),
      pos: c.getAttribute('aria-posinset'),
      size: c.getAttribute('aria-setsize'),
      name: document.getElementById(c.getAttribute('aria-labelledby')!)?.textContent,
      description: c
        .getAttribute('aria-describedby')!
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent)
        .join(' | '),
    }));
    assert.deepEqual([card.role, card.pos, card.size], ['listitem', '1', '500']);
    assert.match(card.name!, /paper boat/);
    assert.match(card.description, /^Ready \| Sora 2 · 16:9 · 10 seconds · Command Palette · /);
    await page.keyboard.press('Shift+F10');
    const menu = (await menus()).at(-1)!;
    assert.equal(menu.context.taskId, 'sora-2:task_00000');
    assert.equal(menu.context.webviewSection, 'task');
    assert.equal(menu.context.juxinSoraActions, ' play openFile reveal copyUrl retry remove ');
    assert.ok(menu.x > 0 && menu.y > 0, 'at the card, not at the corner of the view');
    // Tab goes from the card into its buttons (icons with names), then out of the list.
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'play');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'openFile');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'more');
    await page.keyboard.press('Enter');
    assert.equal((await menus()).length, 2, '"…" opens the same menu');
    assert.equal((await menus()).at(-1)!.context.taskId, 'sora-2:task_00000');
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('button, [role="button"], [tabindex], vscode-textfield, vscode-single-select')]
        .filter((e) => !e.hidden && !e.closest('[hidden]'))
        .filter((e) => !(e.getAttribute('aria-label') || e.getAttribute('label') || e.getAttribute('aria-labelledby') || e.textContent?.trim()))
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unnamed, []);
    const icons = await page.$$eval('.card[data-task-id="sora-2:task_00001"] button', (b) =>
      b.map((x) => `${x.getAttribute('aria-label')}=${x.getAttribute('title')}`),
    );
    assert.deepEqual(icons, ['Retry=Retry', `${STRINGS.moreActions}=${STRINGS.moreActions}`]);
    await page.close();
  });

  it('switches to a grid of posters and plays the video, muted, while the pointer rests on a card', async () => {
    const records = Array.from({ length: 100 }, (_, n) =>
      record(n, { thumbnailUrl: n % 2 ? `${API}/files/${n}/thumbnail.webp` : 'http://evil.example/t.png' }),
    );
    const host = new FakeHost(records);
    const { page, requests, violations } = await open(host, { width: 640, height: 700 });
    await page.waitForSelector('.card[data-task-id]');
    await page.waitForSelector('[data-task-id="sora-2:task_00001"] img[data-testid="thumbnail"]');
    assert.ok(requests.includes(`${API}/files/1/thumbnail.webp`), 'a thumbnail from the API origin is loaded');
    assert.equal(await page.$('[data-task-id="sora-2:task_00002"] img'), null, 'a thumbnail from elsewhere is refused by the page');
    assert.ok(!requests.some((r) => r.includes('evil.example')));
    await page.click('[data-testid="mode-grid"]');
    await page.waitForFunction(() => document.querySelector('.scroller')?.classList.contains('grid'));
    const lefts = await page.$$eval('.card[data-task-id]:not([hidden])', (els) => [...new Set(els.map((e) => Math.round(e.getBoundingClientRect().left)))]);
    assert.ok(lefts.length >= 3, `tiles in ${lefts.length} columns`);
    assert.equal(await page.getAttribute('[data-testid="mode-grid"]', 'aria-pressed'), 'true');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __state: unknown }).__state), {
      query: { text: '', phases: [], sources: [] },
      mode: 'grid',
    });
    await page.hover('[data-task-id="sora-2:task_00002"] .poster');
    const video = page.locator('[data-task-id="sora-2:task_00002"] video[data-testid="hover-video"]');
    await video.waitFor();
    assert.deepEqual(host.received.at(-1), { type: 'hover', id: 'sora-2:task_00002' });
    await page.waitForFunction(() => ((document.querySelector('video[data-testid="hover-video"]') as HTMLVideoElement | null)?.currentTime ?? 0) > 0.2);
    assert.equal(await video.evaluate((v) => (v as HTMLVideoElement).muted), true);
    await page.mouse.move(5, 5);
    await video.waitFor({ state: 'detached' });
    // Not saved yet, but the relay gave an animated preview: that plays instead.
    await host.change(record(3, { download: { state: 'downloading' }, gifUrl: `${API}/files/3/preview.gif` }));
    await page.hover('[data-task-id="sora-2:task_00003"] .poster');
    const preview = page.locator('[data-task-id="sora-2:task_00003"] img[data-testid="hover-preview"]');
    await preview.waitFor();
    await page.waitForFunction(() => ((document.querySelector('img[data-testid="hover-preview"]') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
    assert.ok(requests.includes(`${API}/files/3/preview.gif`));
    await page.mouse.move(5, 5);
    await preview.waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(ROOT, 'test-artifacts', 'gallery-grid-browser.png') });
    assert.deepEqual(await violations(), []);
    await page.close();
  });
});
