// `node test/vscode/run.mjs`: the extension's tests in a REAL VS Code (code-server 4.139.1 = VS Code
// 1.139.1), offline. 1) provision (cached), 2) package the .vsix and install it into a fresh
// extensions folder, 3) start the Juxin simulator, 4) start code-server and open the workbench in
// Debian's chromium (Playwright), 5) the in-host mocha suite runs inside the extension host and writes
// its results to a file, 6) Playwright drives the workbench (e2e), 7) report "N passed, N failed".
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { nodeEnvironment, provision } from './provision.mjs';
import { UI_DEADLINE_MS, waitUntil } from '../helpers/wait.cjs';
import { e2eTests } from './e2e/workbench.mjs';
import { chatTests } from './e2e/chat.mjs';
import { windowsTests } from './e2e/windows.mjs';
import { galleryTests, seedGallery, setKeyInUi } from './e2e/gallery.mjs';
import { storyboardTests } from './e2e/storyboard.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const TEST_KEY = 'sk-test-not-a-real-key-0001';
// Simulated seconds per real second: a 4-minute job takes 24 s, its generation about 9 s. At 20× the
// generation (4.5 s) sometimes ended before the chat card or the storyboard view had drawn a frame of
// it, and the tests that watch progress missed it.
const TIME_SCALE = 10;
const TIME_ORIGIN = Date.now();
// Only bounds a run that hangs: a busy 2-core machine takes twice as long as a quiet one (8–15 min).
const TOTAL_TIMEOUT_MS = 60 * 60 * 1000;
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
/** Opening a workbench page: generous, the machine may be busy (the default 30 s is not). */
const PAGE_LOAD = { timeout: 120_000 };

const log = (m) => process.stdout.write(`[vscode-host] ${m}\n`);
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

function startProcess(command, args, options) {
  const child = spawn(command, args, { ...options, detached: true });
  children.push(child);
  return child;
}

function killAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function bundleSuite(out) {
  const esbuild = require('esbuild');
  const dir = path.join(ROOT, 'test/vscode/suite');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort();
  if (!files.length) throw new Error('no in-host test files in test/vscode/suite');
  await esbuild.build({
    stdin: { contents: files.map((f) => `import './${f}';`).join('\n'), resolveDir: dir, sourcefile: 'suite-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    outfile: out,
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return files;
}

async function main() {
  const started = Date.now();
  const { cache, node, codeServer } = provision(ROOT);
  const nodeEnv = nodeEnvironment(node);

  log('packaging the extension (.vsix)');
  const vsix = path.join(cache, 'juxin-sora.vsix');
  execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--readme-path', 'docs/extension.md', '--out', vsix], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const vsixKb = Math.round(readFileSync(vsix).length / 1024);

  const work = mkdtempSync(path.join(tmpdir(), 'juxin-vscode-'));
  const userData = path.join(work, 'user-data');
  const extensions = path.join(work, 'extensions');
  const folder = path.join(work, 'workspace');
  const soraHome = path.join(work, 'sora-home');
  for (const d of [userData, extensions, folder, soraHome, ARTIFACTS]) mkdirSync(d, { recursive: true });
  writeFileSync(path.join(folder, 'notes.md'), '# My video ideas\n\na paper boat drifting down a rainy street at night\n');

  // The test runner goes in first: the install below registers what it finds in the folder.
  cpSync(path.join(ROOT, 'test/vscode/runner'), path.join(extensions, 'juxin-sora-tests.test-runner-0.0.1'), { recursive: true });
  // A chat participant and a scripted language model: real chat requests without a Copilot account.
  cpSync(path.join(ROOT, 'test/vscode/chat'), path.join(extensions, 'juxin-sora-tests.chat-driver-0.0.1'), { recursive: true });
  log(`installing ${path.basename(vsix)} (${vsixKb} KB) into a fresh VS Code`);
  execFileSync(codeServer, ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', vsix], {
    env: nodeEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const installed = readFileSync(path.join(extensions, 'extensions.json'), 'utf8');
  if (!installed.includes('test-runner') || !installed.includes('juxin-sora.juxin-sora')) throw new Error(`extensions not registered: ${installed}`);

  const suiteFile = path.join(cache, 'suite.js');
  const suiteFiles = await bundleSuite(suiteFile);
  log(`in-host suite: ${suiteFiles.join(', ')}`);

  const sim = startProcess(
    process.execPath,
    [path.join(ROOT, 'dist/simulator.js'), '--port', '0', '--time-scale', String(TIME_SCALE), '--with-sora' /* until the VS Code tests move to Veo */],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let simOut = '';
  sim.stdout.on('data', (c) => (simOut += c));
  const simUrl = await waitUntil(() => simOut.match(/http:\/\/127\.0\.0\.1:\d+/)?.[0], UI_DEADLINE_MS, 'the simulator', 250);

  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'chat.tools.global.autoApprove': true,
        'juxinSora.baseUrl': simUrl,
      },
      null,
      2,
    ),
  );

  // Machine-scoped settings (the base URL) live in the remote machine's settings in code-server.
  mkdirSync(path.join(userData, 'Machine'), { recursive: true });
  writeFileSync(path.join(userData, 'Machine', 'settings.json'), JSON.stringify({ 'juxinSora.baseUrl': simUrl }, null, 2));

  const results = path.join(work, 'results.json');
  // Files the in-host suite and this harness exchange: which button to press in the next modal dialog
  // (dialog-answer.json), what each dialog said (dialogs.jsonl), and facts for the workbench tests.
  const exchange = path.join(work, 'exchange');
  mkdirSync(exchange);
  const serverLog = path.join(ARTIFACTS, 'code-server.log');
  let csOut = '';
  /** Starts code-server on the test profile with a task history folder; the in-host suite runs only when `suite` is set. */
  async function startCodeServer(home, suite, dataDir = userData) {
    const port = await freePort();
    const cs = startProcess(
      codeServer,
      [
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--user-data-dir',
        dataDir,
        '--extensions-dir',
        extensions,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        folder,
      ],
      {
        env: {
          ...nodeEnv,
          JUXIN_SIM_URL: simUrl,
          JUXIN_TEST_KEY: TEST_KEY,
          JUXIN_SORA_HOME: home,
          JUXIN_TIME_SCALE: String(TIME_SCALE),
          // Every window counts simulated time from the same moment: windows on one home agree on the time.
          JUXIN_TIME_ORIGIN: String(TIME_ORIGIN),
          ...(suite ? { JUXIN_TEST_SUITE: suiteFile, JUXIN_TEST_RESULTS: results, JUXIN_TEST_MOCHA: require.resolve('mocha') } : {}),
          JUXIN_TEST_EXCHANGE: exchange,
          // The extension returns its test API (the engine…) only when asked: other extensions get nothing.
          JUXIN_SORA_TEST_API: '1',
          JUXIN_API_KEY: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    cs.stdout.on('data', (c) => ((out += c), (csOut += c)));
    cs.stderr.on('data', (c) => (csOut += c));
    await waitUntil(() => out.includes('HTTP server listening'), 2 * UI_DEADLINE_MS, 'code-server', 250);
    log(`code-server on 127.0.0.1:${port}, simulator at ${simUrl}`);
    return { port, stop: () => process.kill(-cs.pid, 'SIGKILL') };
  }
  const first = await startCodeServer(soraHome, true);
  const port = first.port;

  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
      '--enable-precise-memory-info',
    ],
  });
  const outcomes = [];
  let metrics;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const alerts = [];
    page.on('dialog', (d) => {
      alerts.push(d.message());
      void d.dismiss();
    });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`, PAGE_LOAD);
    await page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
    const t0 = Date.now();
    log('workbench open; the in-host suite runs in the extension host');
    // VS Code asks once before it lets tools run without confirmation; the suite's invokeTool waits on it.
    // Our own modal dialogs are answered as the in-host suite asked (answerDialogs), and recorded.
    let answering = false;
    const approver = setInterval(async () => {
      if (answering) return;
      answering = true;
      try {
        const enable = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Enable$/ });
        if (await enable.count().catch(() => 0)) {
          await enable
            .first()
            .click()
            .catch(() => undefined);
          return;
        }
        await answerDialogs(page, exchange).catch((error) => log(`could not answer a dialog: ${error?.message ?? error}`));
      } finally {
        answering = false;
      }
    }, 250);
    const inHost = await waitUntil(() => existsSync(results) && JSON.parse(readFileSync(results, 'utf8')), 30 * 60_000, 'the in-host suite', 250).finally(() =>
      clearInterval(approver),
    );
    for (const r of inHost.results) outcomes.push({ ...r, title: `[in VS Code] ${r.title}` });
    log(`in-host suite finished in ${Math.round((Date.now() - t0) / 1000)} s`);
    metrics = inHost.metrics ?? {};

    /** A second window on the same history: another code-server (its own profile, with the key set through the UI). */
    const openWindow = async () => {
      const dataDir = path.join(work, 'user-data-second');
      for (const scope of ['User', 'Machine']) {
        mkdirSync(path.join(dataDir, scope), { recursive: true });
        cpSync(path.join(userData, scope, 'settings.json'), path.join(dataDir, scope, 'settings.json'));
      }
      const server = await startCodeServer(soraHome, false, dataDir);
      const other = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      other.on('dialog', (d) => void d.dismiss());
      await other.goto(`http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(folder)}`, PAGE_LOAD);
      await other.waitForSelector('.monaco-workbench', { timeout: 120_000 });
      // (The palette is opened again until it runs the command: a workbench still starting is waited for.)
      await setKeyInUi(other);
      return {
        page: other,
        close: async () => {
          await other.close().catch(() => undefined);
          server.stop();
        },
      };
    };

    for (const test of [...e2eTests, ...chatTests, ...windowsTests, ...storyboardTests]) {
      const t = Date.now();
      try {
        const shot = (name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
        await test.run({
          page,
          artifacts: ARTIFACTS,
          screenshots: path.join(ROOT, 'docs/screenshots'),
          alerts,
          simUrl,
          exchange,
          metrics,
          openWindow,
          folder,
          shot,
        });
        outcomes.push({ title: `[workbench] ${test.title}`, state: 'passed', ms: Date.now() - t });
      } catch (error) {
        await page.screenshot({ path: path.join(ARTIFACTS, `failed-${test.title.replace(/[^a-z0-9]+/gi, '-')}.png`) }).catch(() => undefined);
        outcomes.push({ title: `[workbench] ${test.title}`, state: 'failed', error: String(error?.stack ?? error) });
      }
    }

    // The gallery: a second window on a seeded history of 10,000 videos (test/vscode/e2e/gallery.mjs).
    // A set-up that fails is a failed outcome (the results of every other test are still reported).
    try {
      first.stop();
      const galleryHome = path.join(work, 'gallery-home');
      const galleryVideos = path.join(galleryHome, 'videos');
      const seeded = seedGallery(ROOT, galleryHome, galleryVideos, simUrl);
      metrics['gallery: seeding 10,000 records through TaskStore.put'] = `${seeded.ms} ms`;
      const machineSettings = path.join(userData, 'Machine', 'settings.json');
      writeFileSync(
        machineSettings,
        // The seeded history makes about 35 videos a day: no daily limit here, or a palette generation late
        // in the day would wait on a question nobody answers (the limits are tested in the first window).
        JSON.stringify(
          {
            ...JSON.parse(readFileSync(machineSettings, 'utf8')),
            'juxinSora.downloadFolder': galleryVideos,
            'juxinSora.dailyVideoLimit': 0,
            'juxinSora.dailySecondsLimit': 0,
          },
          null,
          2,
        ),
      );
      const second = await startCodeServer(galleryHome, false);
      const gallery = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      gallery.on('dialog', (d) => void d.dismiss());
      await gallery.goto(`http://127.0.0.1:${second.port}/?folder=${encodeURIComponent(folder)}`, PAGE_LOAD);
      await gallery.waitForSelector('.monaco-workbench', { timeout: 120_000 });
      await setKeyInUi(gallery);
      for (const test of galleryTests) {
        const t = Date.now();
        try {
          await test.run({ page: gallery, artifacts: ARTIFACTS, metrics, simUrl });
          outcomes.push({ title: `[gallery] ${test.title}`, state: 'passed', ms: Date.now() - t });
        } catch (error) {
          await gallery.screenshot({ path: path.join(ARTIFACTS, `failed-${test.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`) }).catch(() => undefined);
          outcomes.push({ title: `[gallery] ${test.title}`, state: 'failed', error: String(error?.stack ?? error) });
        }
      }
    } catch (error) {
      outcomes.push({ title: '[gallery] the second window on 10,000 videos opens', state: 'failed', error: String(error?.stack ?? error) });
    }
  } finally {
    writeFileSync(serverLog, csOut);
    await browser.close().catch(() => undefined);
  }

  const passed = outcomes.filter((o) => o.state === 'passed');
  const failed = outcomes.filter((o) => o.state === 'failed');
  for (const o of outcomes) process.stdout.write(`  ${o.state === 'passed' ? '✔' : '✘'} ${o.title}${o.ms ? ` (${o.ms} ms)` : ''}\n`);
  for (const f of failed) process.stdout.write(`\n✘ ${f.title}\n${f.error}\n`);
  writeFileSync(path.join(ARTIFACTS, 'vscode-results.json'), JSON.stringify({ vsixKb, metrics, outcomes }, null, 2));
  const measured = Object.entries(metrics)
    .map(([k, v]) => `; ${k} ${v}`)
    .join('');
  log(`done in ${Math.round((Date.now() - started) / 1000)} s; .vsix ${vsixKb} KB${measured}; artifacts in test-artifacts/`);
  process.stdout.write(`\nvscode: ${passed.length} passed, ${failed.length} failed\n`);
  return outcomes.length > 0 && failed.length === 0 ? 0 : 1;
}

/**
 * Answers what the in-host suite asked for in `dialog-answer.json` and records each question in
 * `dialogs.jsonl`: a modal dialog (`{ buttons: [...] }`: the first is pressed, the rest wait for the next
 * dialogs) or an MCP server's question (`{ elicit }`: VS Code 1.139 shows an elicitation outside a chat as
 * a notification with a "Respond" button, and "Cancel" in its menu; "Respond" opens a quick pick per
 * field, closing the notification cancels).
 */
let unexpectedSince = 0;
async function answerDialogs(page, exchange) {
  const answerFile = path.join(exchange, 'dialog-answer.json');
  const answer = existsSync(answerFile) ? JSON.parse(readFileSync(answerFile, 'utf8')) : undefined;
  const box = page.locator('.monaco-dialog-box').first();
  if (await box.isVisible().catch(() => false)) return answerModal(page, box, answer?.buttons ? answer : undefined, answerFile, exchange);
  const toast = page.locator('.notification-toast', { has: page.locator('.monaco-button', { hasText: /^Respond$/ }) }).first();
  if (await toast.isVisible().catch(() => false)) return answerElicitation(page, toast, answer?.elicit ? answer : undefined, answerFile, exchange);
  unexpectedSince = 0;
}

/** A question nobody asked to answer would block every later test: after 10 s it is cancelled (and recorded). */
function unexpected(answer) {
  if (answer) {
    unexpectedSince = 0;
    return false;
  }
  unexpectedSince ||= Date.now();
  return Date.now() - unexpectedSince >= 10_000 ? 'cancel' : 'wait';
}

async function answerModal(page, box, answer, answerFile, exchange) {
  const surprise = unexpected(answer);
  if (surprise === 'wait') return;
  const [button, ...rest] = answer?.buttons ?? ['Cancel'];
  // Read in one go: a locator's innerText would wait (30 s) for a part the dialog does not have.
  const dialog = await box.evaluate((el) => ({
    message: el.querySelector('.dialog-message-text')?.innerText ?? '',
    detail: el.querySelector('.dialog-message-detail')?.innerText ?? '',
    buttons: [...el.querySelectorAll('.dialog-buttons .monaco-button')].map((b) => b.textContent?.trim() ?? ''),
  }));
  // A button the dialog does not have is recorded as missing, and the dialog cancelled: never a wait.
  const pressed = dialog.buttons.includes(button) ? button : 'Cancel';
  const record = { kind: 'dialog', ...dialog, asked: button, pressed, id: answer?.id, unexpected: Boolean(surprise), at: new Date().toISOString() };
  appendFileSync(path.join(exchange, 'dialogs.jsonl'), `${JSON.stringify(record)}\n`);
  if (answer && rest.length) writeFileSync(answerFile, JSON.stringify({ ...answer, buttons: rest }));
  else if (answer) rmSync(answerFile, { force: true });
  await box
    .locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^${pressed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
    .first()
    .click({ timeout: UI_DEADLINE_MS });
}

async function answerElicitation(page, toast, answer, answerFile, exchange) {
  const surprise = unexpected(answer);
  if (surprise === 'wait') return;
  const choice = answer?.elicit ?? 'Cancel';
  const shown = await toast.evaluate((el) => ({
    message: el.querySelector('.notification-list-item-message')?.innerText ?? '',
    detail: el.querySelector('.notification-list-item-source')?.innerText ?? '',
    buttons: [...el.querySelectorAll('.monaco-button')].map((b) => b.textContent?.trim() ?? '').filter(Boolean),
  }));
  const record = {
    kind: 'elicitation',
    ...shown,
    asked: choice,
    pressed: 'Cancel',
    id: answer?.id,
    unexpected: Boolean(surprise),
    at: new Date().toISOString(),
  };
  if (answer) rmSync(answerFile, { force: true });
  const button = (label) => toast.locator('.monaco-button', { hasText: new RegExp(`^${label}$`) }).first();
  try {
    if (choice === 'Cancel') {
      // "Cancel" is a secondary action (in the toast's menu); closing the notification also cancels.
      await toast.hover({ timeout: UI_DEADLINE_MS });
      await toast.locator('.codicon-notifications-clear').first().click({ timeout: UI_DEADLINE_MS, force: true });
      return;
    }
    await button('Respond').click({ timeout: UI_DEADLINE_MS });
    const picker = page.locator('.quick-input-widget');
    await picker.waitFor({ state: 'visible', timeout: UI_DEADLINE_MS });
    await picker.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: UI_DEADLINE_MS });
    record.title = await picker.evaluate((el) => el.querySelector('.quick-input-title')?.textContent?.trim() ?? '');
    const rows = picker.locator('.quick-input-list .monaco-list-row');
    const labels = await rows.evaluateAll((els) => els.map((e) => e.querySelector('.label-name')?.textContent?.trim() ?? e.textContent?.trim() ?? ''));
    record.choices = labels;
    const index = labels.indexOf(choice);
    if (index < 0) {
      await page.keyboard.press('Escape');
      return;
    }
    await rows.nth(index).click({ timeout: UI_DEADLINE_MS });
    record.pressed = choice;
  } finally {
    appendFileSync(path.join(exchange, 'dialogs.jsonl'), `${JSON.stringify(record)}\n`);
  }
}

const watchdog = setTimeout(() => {
  process.stderr.write('[vscode-host] the VS Code tests took longer than 25 minutes: stopping\n');
  killAll();
  process.exit(1);
}, TOTAL_TIMEOUT_MS);

main()
  .then(
    (code) => (process.exitCode = code),
    (error) => {
      process.stderr.write(`[vscode-host] ${error?.stack ?? error}\n`);
      process.exitCode = 1;
    },
  )
  .finally(() => {
    clearTimeout(watchdog);
    killAll();
  });
