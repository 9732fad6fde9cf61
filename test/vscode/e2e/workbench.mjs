// Playwright drives the real workbench (code-server in Debian's chromium) like a person would.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { UI_DEADLINE_MS, VIDEO_DEADLINE_MS, waitUntil } from '../../helpers/wait.cjs';

const XSS_PROMPT = '<img src=x onerror=alert(1)> a cat playing piano';

/**
 * Runs a command from the palette by its title, as a person would. The workbench may still be starting,
 * or opening an editor (the walkthrough the in-host suite opened, say) that takes the focus and closes
 * the palette: then it is opened again, until the command runs or UI_DEADLINE_MS have passed.
 */
export async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget input');
  const deadline = Date.now() + UI_DEADLINE_MS;
  for (;;) {
    // Keys typed while a webview has focus go to its iframe: give the focus back to the workbench first.
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 10_000 });
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`the palette did not run "${title}" within ${UI_DEADLINE_MS / 1000} s: ${error.message}`, { cause: error });
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * Answers a multi-step quick input (the palette's Generate Video…) the way a person does: at each step,
 * once the widget shows that step ("Title (n/total)") and holds the keyboard focus, types the answer
 * (a text step, or a filter that leaves the wanted item first in a list) or keeps the preselected item,
 * then Enter. Resolves once the last step has closed it. Never a fixed pause: a step that comes late is
 * waited for, one that never comes fails. `totals`: the step count each step shows, when the model
 * chosen changes it (the steps are what that model takes); by default every step shows answers.length.
 */
export async function answerSteps(page, title, answers, totals = answers.map(() => answers.length)) {
  for (const [i, text] of answers.entries()) await answerStep(page, `${title} (${i + 1}/${totals[i]})`, text);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_DEADLINE_MS });
}

/** One step of answerSteps: waits for the step ("Title (n/total)"), types `text` or keeps the preselected item, Enter. */
export async function answerStep(page, stepTitle, text) {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: stepTitle }).waitFor({ state: 'visible', timeout: UI_DEADLINE_MS });
  if (text !== undefined) await widget.locator('input').first().fill(text, { timeout: UI_DEADLINE_MS });
  else await widget.locator('.quick-input-list .monaco-list-row.focused').first().waitFor({ state: 'visible', timeout: UI_DEADLINE_MS });
  // The chat view can hold the keyboard: Enter must go to this step.
  await page.waitForFunction(() => document.activeElement?.closest('.quick-input-widget') != null, undefined, { timeout: UI_DEADLINE_MS });
  await page.keyboard.press('Enter');
}

/** The title of the palette's Generate Video… steps. */
export const GENERATE_TITLE = 'Generate a video';

/**
 * The palette's Generate Video…: the prompt, then every default. The default model is Veo 3.1 fast (the
 * first of the preference list the simulator's key can use): its length (8 s) and resolution (720p) are
 * fixed, so the steps are prompt, model, aspect ratio, its switches (enhance_prompt, enable_upsample), images.
 */
export async function generateFromPalette(page, prompt) {
  await runCommand(page, 'AI Video: Generate Video');
  await answerSteps(page, GENERATE_TITLE, [prompt, undefined, undefined, undefined, undefined]);
}

/** The inner frame of a webview that contains `selector` (webviews are nested iframes), optionally with some text. */
export async function webviewFrame(page, selector, timeoutMs = UI_DEADLINE_MS, text, everyMs = 250) {
  return waitUntil(
    async () => {
      for (const frame of page.frames()) {
        if (frame.isDetached() || !(await frame.$(selector).catch(() => null))) continue;
        if (text === undefined || (await frame.evaluate((t) => document.body.textContent.includes(t), text).catch(() => false))) return frame;
      }
      return undefined;
    },
    timeoutMs,
    `a webview that shows ${selector}${text === undefined ? '' : ` with "${text}"`}`,
    everyMs,
  );
}

// Test screenshots go to test-artifacts/ only; the README's come from `npm run screenshots`.
async function shot(page, ctx, name) {
  mkdirSync(ctx.artifacts, { recursive: true });
  await page.screenshot({ path: path.join(ctx.artifacts, `${name}.png`) });
}

export const e2eTests = [
  {
    title:
      'AI Video: Generate Video… from the command palette: a model the key can use (Veo 3.1 fast by default, its capabilities beside it), then only what it takes',
    async run(ctx) {
      const { page } = ctx;
      const prompt = 'a paper boat drifting down a rainy street at night, neon reflections';
      await runCommand(page, 'AI Video: Generate Video');
      await page.locator('.quick-input-widget', { hasText: GENERATE_TITLE }).waitFor({ timeout: UI_DEADLINE_MS });
      await shot(page, ctx, 'palette-generate');
      await answerStep(page, `${GENERATE_TITLE} (1/5)`, prompt);
      // The model step: the models this key can use, the default preselected, each saying what it takes.
      const widget = page.locator('.quick-input-widget');
      const rowsNow = () => widget.locator('.quick-input-list .monaco-list-row').allTextContents();
      await widget.locator('.quick-input-title', { hasText: `${GENERATE_TITLE} (2/5)` }).waitFor({ timeout: UI_DEADLINE_MS });
      const focused = widget.locator('.quick-input-list .monaco-list-row.focused').first();
      await focused.waitFor({ state: 'visible', timeout: UI_DEADLINE_MS });
      const row = await focused.textContent();
      assert.match(row, /veo3\.1-fast\s*Veo 3\.x/, row);
      assert.match(
        row,
        /aspect ratio 16:9, 9:16; resolution 720p; 8 s \(fixed\); images: a first frame and optionally a last frame; with sound; switches: enhance_prompt, enable_upsample/,
        row,
      );
      const rows = await rowsNow();
      assert.ok(
        rows.some((r) => r.includes('grok-video-3')),
        `the video models the key can use; saw ${JSON.stringify(rows)}`,
      );
      assert.ok(!rows.some((r) => /gpt-4o|gpt-image|claude|deepseek/.test(r)), `no chat or image model; saw ${JSON.stringify(rows)}`);
      await shot(page, ctx, 'palette-model-step');
      await page.keyboard.press('Enter');
      // Veo: no resolution or duration step (one value each); its ratio, its own switches, images.
      await widget.locator('.quick-input-title', { hasText: `${GENERATE_TITLE} (3/5)` }).waitFor({ timeout: UI_DEADLINE_MS });
      const ratios = await waitUntil(
        async () => {
          const found = (await rowsNow()).map((r) => r.match(/\d+:\d+/)?.[0]);
          return found.length && found;
        },
        UI_DEADLINE_MS,
        'the aspect ratios',
      );
      assert.deepEqual(ratios, ['16:9', '9:16']);
      await answerStep(page, `${GENERATE_TITLE} (3/5)`);
      await widget.locator('.quick-input-title', { hasText: `${GENERATE_TITLE} (4/5)` }).waitFor({ timeout: UI_DEADLINE_MS });
      const toggles = await waitUntil(
        async () => {
          const found = await rowsNow();
          return found.length && found;
        },
        UI_DEADLINE_MS,
        'the switches',
      );
      assert.ok(toggles.length === 2 && /Enhance the prompt/.test(toggles[0]) && /Upscale/.test(toggles[1]), JSON.stringify(toggles));
      await answerStep(page, `${GENERATE_TITLE} (4/5)`);
      await answerStep(page, `${GENERATE_TITLE} (5/5)`);
      await widget.waitFor({ state: 'hidden', timeout: UI_DEADLINE_MS });
      await page.locator('.notifications-toasts', { hasText: 'AI Video:' }).first().waitFor({ timeout: UI_DEADLINE_MS });
    },
  },
  {
    title: 'a model the key cannot use: the palette says which, that Sora 2 was retired, and the video models the key can use',
    async run(ctx) {
      const { page } = ctx;
      // About Sora itself: chosen at the model step (typed to filter). Its steps: ratio, duration (10 or 15),
      // watermark and private; one resolution (no step). Before the model is chosen the count is the default's.
      await runCommand(page, 'AI Video: Generate Video');
      await answerSteps(
        page,
        GENERATE_TITLE,
        ['a model this key cannot use #sim:model-not-found', 'sora-2', undefined, undefined, undefined, undefined],
        [5, 5, 6, 6, 6, 6],
      );
      const toast = page.locator('.notifications-toasts', { hasText: 'cannot use the model sora-2' }).first();
      await toast.waitFor({ timeout: UI_DEADLINE_MS });
      const text = await toast.textContent();
      assert.match(text, /group default/, text);
      assert.match(text, /Sora 2 was retired upstream on 2026-09-24/, text);
      assert.match(text, /Video models this key can use: .*veo3\.1-fast/, text);
      assert.match(text, /not temporary/, text);
      assert.doesNotMatch(text, /usually temporary/, text);
      await shot(page, ctx, 'palette-model-unavailable');
    },
  },
  {
    title: 'the Videos sidebar shows live progress, and a prompt with HTML renders as text',
    async run(ctx) {
      const { page } = ctx;
      await runCommand(page, 'AI Video: Show Videos');
      const frame = await webviewFrame(page, '[data-testid="task-list"]');
      await frame.waitForSelector('[data-testid="progress"]', { timeout: UI_DEADLINE_MS });
      // Live: once generation starts the bar carries a percentage, and it moves on (or the task
      // finishes) with no reload of the view.
      const percent = () => {
        const bar = document.querySelector('[data-testid="progress"][value]');
        const value = bar ? Number(bar.getAttribute('value')) : 0;
        return value > 0 && value < 100 ? value : false;
      };
      const first = await (await frame.waitForFunction(percent, undefined, { timeout: VIDEO_DEADLINE_MS })).jsonValue();
      await shot(page, ctx, 'sidebar-progress');
      await frame.waitForFunction(
        (seen) => {
          const bar = document.querySelector('[data-testid="progress"][value]');
          return bar ? Number(bar.getAttribute('value')) > seen : document.querySelectorAll('[data-testid="progress"]').length === 0;
        },
        first,
        { timeout: VIDEO_DEADLINE_MS },
      );
      const prompts = await frame.$$eval('.prompt', (els) => els.map((e) => e.textContent));
      assert.ok(prompts.includes(XSS_PROMPT), `the prompt is shown literally; saw ${JSON.stringify(prompts)}`);
      assert.equal(await frame.$$eval('img[src="x"]', (els) => els.length), 0, 'no <img> was created from the prompt');
      assert.deepEqual(ctx.alerts, [], 'no script ran');
      // The ledger in the header: today against the default limits (the in-host suite restored them).
      const spend = (await frame.textContent('[data-testid="spend-today"]')).replace(/\u00a0/g, ' ');
      assert.match(spend, /^Today: \d+\/20 videos · \d+\/300 s$/, `the spend header: ${spend}`);
      const items = await frame.$$('.card[data-task-id]');
      assert.ok(items.length >= 4, `${items.length} tasks listed (palette, in-host and Copilot)`);
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="progress"]').length === 0, undefined, { timeout: VIDEO_DEADLINE_MS });
      await shot(page, ctx, 'sidebar-done');
    },
  },
  {
    title: 'Play opens the preview, and the video element loads the MP4 and plays',
    async run(ctx) {
      const { page } = ctx;
      const sidebar = await webviewFrame(page, '[data-testid="task-list"]');
      const item = sidebar.locator('[data-task-id]', { hasText: XSS_PROMPT }).first();
      await item.locator('[data-testid="action-play"]').click();
      const preview = await webviewFrame(page, '#player', UI_DEADLINE_MS, XSS_PROMPT);
      assert.equal(await preview.$eval('.prompt', (p) => p.textContent), XSS_PROMPT, 'the preview shows the prompt as text');
      assert.equal(await preview.$$eval('img[src="x"]', (els) => els.length), 0);
      await preview.waitForFunction(() => document.querySelector('#player').readyState >= 1, undefined, { timeout: UI_DEADLINE_MS });
      const duration = await preview.$eval('#player', (v) => v.duration);
      // The default model's (Veo 3.1 fast) one length: the simulator serves a video as long as the job asked.
      assert.ok(Math.abs(duration - 8) < 0.5, `duration ${duration}`);
      const src = await preview.$eval('#player', (v) => v.currentSrc);
      assert.match(src, /vscode-(resource|cdn)|vscode-remote-resource|\/vscode-remote-resource/, `played from the local file through asWebviewUri: ${src}`);
      await preview.$eval('#player', (v) => {
        v.muted = true;
        return v.play();
      });
      await preview.waitForFunction(() => document.querySelector('#player').currentTime > 0.5, undefined, { timeout: UI_DEADLINE_MS });
      await shot(page, ctx, 'preview');
    },
  },
  {
    title: 'the preview may load its own video and nothing beside it in the same folder',
    async run(ctx) {
      const { page } = ctx;
      const probe = JSON.parse(readFileSync(path.join(ctx.exchange, 'preview-probe.json'), 'utf8'));
      const preview = await webviewFrame(page, '#player', UI_DEADLINE_MS, XSS_PROMPT);
      const src = await preview.$eval('#player', (v) => v.currentSrc);
      // The same kind of URL, for the file beside the video (the in-host suite copied one there).
      const sibling = new URL(src);
      if (sibling.searchParams.has('path')) sibling.searchParams.set('path', probe.sibling);
      else sibling.pathname = probe.sibling.split('/').map(encodeURIComponent).join('/');
      const load = (url) =>
        preview.evaluate(
          (u) =>
            new Promise((resolve) => {
              const video = document.createElement('video');
              video.muted = true;
              video.preload = 'metadata';
              video.onloadedmetadata = () => resolve('loaded');
              video.onerror = () => resolve('refused');
              // A deadline for the first load only (the probe itself works); the sibling must not load either way.
              setTimeout(() => resolve('timed out'), 60_000);
              video.src = u;
            }),
          url,
        );
      assert.equal(await load(src), 'loaded', `the probe itself works: the video loads again from ${src}`);
      assert.notEqual(await load(sibling.href), 'loaded', `a file beside the video must not load: ${sibling.href}`);
    },
  },
];
