// `npm run screenshots`: the README's screenshots, taken in a real VS Code (code-server) against the
// simulator, with a realistic history (seeded through the store, test/vscode/seed.ts) and one live
// generation. Light, dark and high-contrast themes, prompts in Chinese and English. (A VS Code in
// Chinese needs Microsoft's language pack, which is not on npm: without it `--locale zh-cn` leaves
// VS Code, and so our view, in English.) Writes docs/screenshots/*.png; the tests never write there
// (theirs go to test-artifacts/).
// Page callbacks (evaluate, waitForFunction) run in the browser.
/* global document, HTMLElement */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { nodeEnvironment, provision } from './provision.mjs';
import { runCommand } from './e2e/workbench.mjs';
import { setKeyInUi } from './e2e/gallery.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(ROOT, 'docs/screenshots');
const require = createRequire(import.meta.url);
const POSTERS = 'https://posters.juxin-sora.test/';
const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern', hc: 'Default High Contrast' };
// How the theme picker names them.
const THEME_LABELS = { dark: 'Dark Modern', light: 'Light Modern', hc: 'Dark High Contrast' };
// The newest videos of the seeded history, as a creator would have written them.
const PROMPTS = [
  '一只柴犬在雪地里奔跑，慢动作，电影感，清晨的阳光洒在雪上',
  'A paper boat drifting down a rainy street at night, neon reflections, slow dolly-in',
  '穿汉服的女孩在樱花树下弹古筝，花瓣随风飘落，宫崎骏动画风格',
  'Aerial drone shot of a lighthouse on a cliff at golden hour, waves crashing below',
  '熊猫宝宝在竹林里吃竹子，水墨画风格',
  'A street food vendor cooking noodles at a night market in Taipei, steam rising, 35mm film',
  '老式蒸汽火车穿过金色的麦田，航拍镜头',
  'A hummingbird hovering over tropical flowers, extreme close-up, shallow depth of field',
  '赛博朋克机器人在霓虹灯下的雨夜漫步，胶片质感',
  'Timelapse of clouds rolling over snowy mountains at sunrise, 4K documentary style',
  '一群锦鲤在荷花池里游动，俯拍，暖色调',
  'An astronaut walking through a field of sunflowers, Studio Ghibli style',
];
const LIVE_PROMPT = 'A red fox crossing a frozen lake at dawn, breath visible in the cold air';

const log = (m) => process.stdout.write(`[screenshots] ${m}\n`);
const children = [];

function freePort() {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function until(check, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function start(command, args, options) {
  const child = spawn(command, args, { ...options, detached: true });
  children.push(child);
  return child;
}

/** Posters for the seeded videos: small painted landscapes (sky, sun, hills), drawn in the browser. */
async function paintPosters(browser, count) {
  const page = await browser.newPage();
  const urls = await page.evaluate((count) => {
    const out = [];
    for (let i = 0; i < count; i++) {
      const c = document.createElement('canvas');
      c.width = 384;
      c.height = 216;
      const g = c.getContext('2d');
      const hue = (i * 47) % 360;
      const sky = g.createLinearGradient(0, 0, 0, 216);
      sky.addColorStop(0, `hsl(${hue}, 60%, ${i % 3 === 0 ? 18 : 62}%)`);
      sky.addColorStop(1, `hsl(${(hue + 40) % 360}, 70%, ${i % 3 === 0 ? 40 : 82}%)`);
      g.fillStyle = sky;
      g.fillRect(0, 0, 384, 216);
      g.fillStyle = `hsla(${(hue + 180) % 360}, 90%, 85%, 0.9)`;
      g.beginPath();
      g.arc(60 + ((i * 71) % 260), 60 + ((i * 13) % 40), 18 + (i % 4) * 6, 0, Math.PI * 2);
      g.fill();
      for (let layer = 0; layer < 3; layer++) {
        g.fillStyle = `hsl(${(hue + 200 + layer * 10) % 360}, 35%, ${45 - layer * 14}%)`;
        g.beginPath();
        g.moveTo(0, 216);
        for (let x = 0; x <= 384; x += 24) g.lineTo(x, 120 + layer * 30 + Math.sin((x + i * 37 + layer * 90) / (40 + layer * 15)) * (22 - layer * 5));
        g.lineTo(384, 216);
        g.fill();
      }
      out.push(c.toDataURL('image/png'));
    }
    return out;
  }, count);
  await page.close();
  return urls.map((u) => Buffer.from(u.split(',')[1], 'base64'));
}

async function main() {
  const { cache, node, codeServer } = provision(ROOT);
  const nodeEnv = nodeEnvironment(node);
  const vsix = path.join(cache, 'juxin-sora-screenshots.vsix');
  execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--readme-path', 'docs/extension.md', '--out', vsix], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const work = mkdtempSync(path.join(tmpdir(), 'juxin-screenshots-'));
  const extensions = path.join(work, 'extensions');
  const folder = path.join(work, 'my-videos');
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'ideas.md'), '# 视频创意 / Video ideas\n\n- 雪地里的柴犬\n- a paper boat on a rainy street\n');
  execFileSync(codeServer, ['--extensions-dir', extensions, '--install-extension', vsix], { env: nodeEnv, stdio: ['ignore', 'ignore', 'inherit'] });

  // A slow simulator: the live generation is still running while the pictures are taken.
  const sim = start(
    process.execPath,
    [path.join(ROOT, 'dist/simulator.js'), '--port', '0', '--time-scale', '4', '--with-sora' /* until the VS Code tests move to Veo */],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let simOut = '';
  sim.stdout.on('data', (c) => (simOut += c));
  const simUrl = await until(() => simOut.match(/http:\/\/127\.0\.0\.1:\d+/)?.[0], 20_000, 'the simulator');

  const home = path.join(work, 'sora-home');
  const videos = path.join(home, 'videos');
  const prompts = JSON.stringify(PROMPTS);
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/vscode/seed.ts',
      '--home',
      home,
      '--count',
      '240',
      '--videos',
      videos,
      '--files',
      '12',
      '--posters',
      POSTERS,
      '--prompts',
      prompts,
    ],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );

  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
  });
  const posters = await paintPosters(browser, 24);
  mkdirSync(OUT, { recursive: true });
  try {
    {
      const userData = path.join(work, 'user-data');
      const settingsFile = path.join(userData, 'User', 'settings.json');
      const settings = {
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.colorTheme': THEMES.dark,
        'chat.commandCenter.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'juxinSora.baseUrl': simUrl,
      };
      mkdirSync(path.dirname(settingsFile), { recursive: true });
      writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
      mkdirSync(path.join(userData, 'Machine'), { recursive: true });
      writeFileSync(
        path.join(userData, 'Machine', 'settings.json'),
        // The seeded history makes about 35 videos a day: no daily limit, or the live generation late in
        // the day would stop at the limit's question.
        JSON.stringify(
          { 'juxinSora.baseUrl': simUrl, 'juxinSora.downloadFolder': videos, 'juxinSora.dailyVideoLimit': 0, 'juxinSora.dailySecondsLimit': 0 },
          null,
          2,
        ),
      );
      // Through the theme picker, as a person would (and as VS Code applies it at once).
      const theme = async (name) => {
        await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget input');
        await input.fill('>Preferences: Color Theme');
        // Not "Browse Color Themes in Marketplace", which the palette may list first.
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Preferences: Color Theme' }).filter({ hasNotText: 'Marketplace' }).first().click();
        await input.fill(THEME_LABELS[name]);
        await page
          .locator('.quick-input-list .monaco-list-row', { hasText: THEME_LABELS[name] })
          .first()
          .waitFor()
          .catch(async (error) => {
            await page.screenshot({ path: '/tmp/theme-debug.png' });
            throw error;
          });
        await page.keyboard.press('Enter');
        await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
        await page.mouse.move(700, 400);
        await page.waitForTimeout(1500);
      };
      const launch = async () => {
        const port = await freePort();
        const cs = start(
          codeServer,
          [
            '--bind-addr',
            `127.0.0.1:${port}`,
            '--auth',
            'none',
            '--user-data-dir',
            userData,
            '--extensions-dir',
            extensions,
            '--disable-telemetry',
            '--disable-update-check',
            '--disable-workspace-trust',
            folder,
          ],
          { env: { ...nodeEnv, JUXIN_SORA_HOME: home, JUXIN_TIME_SCALE: '4', JUXIN_API_KEY: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        cs.stdout.on('data', (c) => (out += c));
        await until(() => out.includes('HTTP server listening'), 60_000, 'code-server');
        return { port, cs };
      };
      const { port, cs } = await launch();
      const context = await browser.newContext({
        viewport: { width: 1280, height: 760 },
        locale: 'en-US',
        timezoneId: 'Asia/Shanghai',
      });
      await context.route(`${POSTERS}**`, (route) =>
        route.fulfill({ contentType: 'image/png', body: posters[Number(/(\d+)\.webp$/.exec(route.request().url())?.[1] ?? 0) % posters.length] }),
      );
      const page = await context.newPage();
      const shot = async (name) => {
        await page.waitForTimeout(800);
        await page.screenshot({ path: path.join(OUT, `${name}.png`) });
        log(`docs/screenshots/${name}.png`);
      };
      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`, { timeout: 120_000 });
      await page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
      await page.waitForTimeout(4000);
      await setKeyInUi(page).catch(async (error) => {
        await page.keyboard.press('F1');
        await page.locator('.quick-input-widget input').fill('>AI Video');
        await page.waitForTimeout(1500);
        await page.screenshot({ path: path.join(work, 'failed.png') });
        throw new Error(`${error.message} (the workbench as it was: ${path.join(work, 'failed.png')})`);
      });
      await runCommand(page, 'View: Close Secondary Side Bar').catch(() => undefined);

      const sidebar = async () => {
        for (const frame of page.frames()) if (!frame.isDetached() && (await frame.$('.card[data-task-id]').catch(() => null))) return frame;
        return undefined;
      };
      {
        await runCommand(page, 'AI Video: Generate Video');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible' });
        await input.fill(LIVE_PROMPT);
        await shot('palette-generate');
        await page.keyboard.press('Enter');
        for (let step = 0; step < 5; step++) {
          await input.waitFor({ state: 'visible' });
          await page.waitForTimeout(200);
          await page.keyboard.press('Enter');
        }
        const frame = await until(sidebar, 30_000, 'the Videos view');
        await frame.waitForFunction(() => Number(document.querySelector('vscode-progress-bar[value]')?.getAttribute('value') ?? 0) > 15, undefined, {
          timeout: 120_000,
        });
        await page.mouse.move(700, 400);
        await shot('videos-list-dark');
        await theme('light');
        await shot('videos-list-light');
        await theme('hc');
        await shot('videos-list-hc');
        await theme('light');
        await frame.click('[data-testid="mode-grid"]');
        await frame.hover('.card:not([hidden]):has([data-testid="action-play"]) .poster');
        await shot('videos-grid-light');
        await frame.click('[data-testid="mode-list"]');
        await theme('dark');
        await frame.locator('.card:not([hidden]):has([data-testid="action-play"])').nth(1).click({ button: 'right' });
        await page.locator('.context-view .monaco-menu').waitFor();
        await shot('videos-menu-dark');
        await page.keyboard.press('Escape');
        await frame.locator('[data-testid="search"] input').fill('柴犬');
        await frame.waitForFunction(() => / of /.test(document.querySelector('[data-testid="summary"]')?.textContent ?? ''));
        await page.mouse.move(700, 400);
        await shot('videos-search-dark');
        await frame.locator('[data-testid="search"] input').fill('');
        await frame.locator('.card:not([hidden]) [data-testid="action-play"]').nth(1).click();
        await page.locator('.tab', { hasText: 'AI Video:' }).first().waitFor();
        await page.waitForTimeout(1500);
        await shot('preview');
      }
      await context.close();
      process.kill(-cs.pid, 'SIGKILL');
    }
  } finally {
    await browser.close();
  }
}

main()
  .then(
    () => (process.exitCode = 0),
    (error) => {
      process.stderr.write(`[screenshots] ${error?.stack ?? error}\n`);
      process.exitCode = 1;
    },
  )
  .finally(() => {
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
