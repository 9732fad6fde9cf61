// A real chat request in the workbench: the test extension in test/vscode/chat brings a scripted
// language model and an @sora participant (no Copilot account offline), the request runs our MCP
// tool through VS Code's own MCP client, and VS Code shows the tool's MCP App: our player card.
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { UI_DEADLINE_MS, VIDEO_DEADLINE_MS, waitUntil } from '../../helpers/wait.cjs';
import { runCommand, webviewFrame } from './workbench.mjs';

const PROMPT = 'a paper boat drifting down a rainy street at night, neon reflections, from the chat';

/** The chat view (the secondary side bar), for screenshots of the card in its place. */
const chatView = (page) => page.locator('.part.auxiliarybar').first();

/** Screenshots go to test-artifacts; into docs/screenshots only when asked (JUXIN_SCREENSHOTS=1). */
async function shot(page, ctx, name) {
  const file = path.join(ctx.artifacts, `${name}.png`);
  await page.screenshot({ path: path.join(ctx.artifacts, `${name}-window.png`) });
  await ((await chatView(page).count()) ? chatView(page) : page).screenshot({ path: file });
  if (process.env.JUXIN_SCREENSHOTS) {
    mkdirSync(ctx.screenshots, { recursive: true });
    copyFileSync(file, path.join(ctx.screenshots, `${name}.png`));
  }
}

/** The chat's input editor (the Monaco editor inside the chat view). */
const chatInput = (page) => page.locator('.interactive-input-part .monaco-editor').first();

/** Whether the chat shows a request with `tail` in it (the list is virtualized: the newest turns are drawn). */
const requestShown = (page, tail) =>
  page.evaluate((tail) => [...document.querySelectorAll('.interactive-request')].some((r) => r.textContent.includes(tail)), tail);

/**
 * Sends a chat request by typing it, as a person would: Enter only once the input holds the whole text;
 * done once the chat shows the request. On a busy machine a late suggestion list can take the Enter: it
 * keeps the text (closed, and Enter pressed again) or puts its own choice in its place (typed again).
 */
async function ask(page, text) {
  const tail = text.slice(-20);
  for (let attempt = 1; ; attempt++) {
    await typeRequest(page, text, tail);
    const shown = await waitUntil(() => requestShown(page, tail), 30_000, `the chat to show the request "${tail}"`, 250).then(
      () => true,
      () => false,
    );
    if (shown) return;
    if (attempt === 3) throw new Error(`the chat request "${tail}" was typed three times and never sent`);
  }
}

async function typeRequest(page, text, tail) {
  await chatInput(page).click({ timeout: UI_DEADLINE_MS });
  // After a turn the chat keeps its participant in the input ("@sora "): start from an empty input, or
  // the request would read "@sora @sora …" and the participant suggestion could take the Enter.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await waitUntil(
    () => chatInput(page).evaluate((editor) => editor.querySelector('.view-lines').textContent.trim() === ''),
    UI_DEADLINE_MS,
    'an empty chat input',
  );
  await page.keyboard.type(text, { delay: 5 });
  await page.locator('.interactive-input-part', { hasText: tail }).waitFor({ timeout: UI_DEADLINE_MS });
  // A suggestion list still open (the participant's, after "@sora") would take the Enter: close it first.
  const suggest = page.locator('.interactive-input-part .suggest-widget.visible');
  if (await suggest.count()) await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  // The text leaves the input once sent (or once a suggestion took its place); while it stays, Enter again.
  let pressed = Date.now();
  await waitUntil(
    async () => {
      const left = await chatInput(page).evaluate((editor) => editor.querySelector('.view-lines').textContent);
      if (!left.includes(tail)) return true;
      if (Date.now() - pressed > 3_000) {
        if (await suggest.count()) await page.keyboard.press('Escape');
        await page.keyboard.press('Enter');
        pressed = Date.now();
      }
      return false;
    },
    UI_DEADLINE_MS,
    `the chat request "${tail}" to leave the input`,
    250,
  );
}

/** Runs one of the chat driver's test commands (test/vscode/chat) and waits until it says it is done: a settings write. */
async function runTestCommand(ctx, title, command) {
  const done = path.join(ctx.exchange, `${command}.done.json`);
  rmSync(done, { force: true });
  await runCommand(ctx.page, title);
  await waitUntil(() => existsSync(done), UI_DEADLINE_MS, `"${title}" to finish`);
}

let card;

/**
 * Runs `steps` on the card. VS Code may render the chat's tool part anew (when the call answers and its
 * result awaits the user's approval, say), and the card's webview with it: the card then loads again and
 * shows the same task. The steps are run again on the new card, found as a person would (by its prompt).
 */
async function onCard(page, steps, timeoutMs = VIDEO_DEADLINE_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!card || card.isDetached()) card = await webviewFrame(page, '[data-testid="sora-card"]', Math.max(1_000, deadline - Date.now()), PROMPT);
    try {
      return await steps(card);
    } catch (error) {
      if (!card.isDetached() || Date.now() > deadline) throw error;
    }
  }
}

export const chatTests = [
  {
    title: 'a chat request runs generate_video, and the chat shows the player card with live progress',
    async run(ctx) {
      const { page } = ctx;
      // Toasts of the earlier tests sit on top of the chat's input box.
      await runCommand(page, 'Notifications: Clear All Notifications');
      await runCommand(page, 'Chat: Open Chat');
      // The test model in the picker: without a model the chat refuses every request.
      await page.locator('.interactive-input-part', { hasText: 'Sora Test Model' }).waitFor({ timeout: UI_DEADLINE_MS });
      await ask(page, `@sora ${PROMPT}`);

      // The tool call, as VS Code renders it: titled by the tool, or (while it runs) by our progress messages.
      const call = page.locator('.chat-tool-invocation-part', { hasText: /Generate video|queued|generating \d+%|downloading/ }).first();
      await call.waitFor({ timeout: VIDEO_DEADLINE_MS }).catch(async (error) => {
        const parts = await page.$$eval('.chat-tool-invocation-part', (els) => els.map((e) => e.textContent.slice(0, 300)));
        throw new Error(`${error.message}\ntool parts in the chat: ${JSON.stringify(parts)}`);
      });

      // The card, in its own webview inside the chat, showing the call's prompt.
      card = await webviewFrame(page, '[data-testid="sora-card"]', VIDEO_DEADLINE_MS, PROMPT);
      assert.equal(await card.textContent('[data-testid="prompt"]'), PROMPT);
      const first = await onCard(page, async (card) => {
        await card.waitForFunction(
          () => {
            const bar = document.querySelector('[data-testid="progress"]');
            const value = Number(bar?.getAttribute('aria-valuenow') ?? 0);
            return !bar?.hidden && value > 0 && value < 100 && /Generating · \d+%/.test(document.querySelector('[data-testid="status"]').textContent);
          },
          undefined,
          { timeout: VIDEO_DEADLINE_MS },
        );
        return Number((await card.getAttribute('[data-testid="progress"]', 'aria-valuenow')) ?? 0);
      });
      await shot(page, ctx, 'chat-card-progress');
      // Live: the bar moves on (or the task finishes) while the card stays where it is.
      await onCard(page, (card) =>
        card.waitForFunction(
          (seen) => {
            const bar = document.querySelector('[data-testid="progress"]');
            return bar.hidden || Number(bar.getAttribute('aria-valuenow') ?? 0) > seen;
          },
          first,
          { timeout: VIDEO_DEADLINE_MS },
        ),
      );
    },
  },
  {
    title: 'the card ends in the video, which loads and plays inside the chat',
    async run(ctx) {
      const { page } = ctx;
      assert.ok(card, 'the card of the previous test');
      await onCard(page, async (card) => {
        await card.waitForSelector('video[src^="data:video/mp4;base64,"]', { timeout: VIDEO_DEADLINE_MS });
        await card.waitForFunction(() => document.querySelector('video').readyState >= 1, undefined, { timeout: UI_DEADLINE_MS });
        const duration = await card.$eval('video', (v) => v.duration);
        // The default model's (Veo 3.1 fast) one length: the simulator serves a video as long as the job asked.
        assert.ok(Math.abs(duration - 8) < 0.5, `duration ${duration}`);
        assert.equal(await card.textContent('[data-testid="status"]'), 'Ready');
        await card.$eval('video', (v) => {
          v.muted = true;
          return v.play();
        });
        await card.waitForFunction(() => document.querySelector('video').currentTime > 0.5, undefined, { timeout: UI_DEADLINE_MS });
        const playing = await card.$eval('video', (v) => ({ readyState: v.readyState, paused: v.paused, time: v.currentTime }));
        assert.ok(playing.readyState >= 2 && !playing.paused, JSON.stringify(playing));
      });
      // VS Code asks before it hands the result of a tool that reaches the outside world to the model
      // (global auto-approve covers the call, not its result): the user allows it, as a person would.
      const allow = page.locator('.chat-tool-invocation-part .monaco-button', { hasText: /^Allow/ }).first();
      await allow.click({ timeout: UI_DEADLINE_MS });
      // The model's closing words arrive once the tool call has answered.
      await page.locator('.interactive-item-container', { hasText: 'Your video is ready' }).first().waitFor({ timeout: UI_DEADLINE_MS });
      await onCard(page, (card) => card.$eval('video', (v) => v.pause()), UI_DEADLINE_MS);
      assert.deepEqual(ctx.alerts, [], 'no script ran from anything the card showed');
      await shot(page, ctx, 'chat-card-ready');
    },
  },
  {
    title: "the card's actions work: open in the preview, copy the URL, add to a storyboard",
    async run(ctx) {
      const { page } = ctx;
      assert.ok(card, 'the card of the previous test');
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
      await onCard(page, (card) => card.click('[data-testid="action-openPreview"]', { timeout: UI_DEADLINE_MS }), UI_DEADLINE_MS);
      const preview = await webviewFrame(page, '#player', UI_DEADLINE_MS, PROMPT);
      assert.equal(await preview.textContent('.prompt'), PROMPT, 'the preview panel of the same task');

      await onCard(
        page,
        async (card) => {
          await card.click('[data-testid="action-copyUrl"]', { timeout: UI_DEADLINE_MS });
          await card.waitForFunction(() => document.querySelector('[data-testid="feedback"]').textContent === 'Copied', undefined, { timeout: UI_DEADLINE_MS });
        },
        UI_DEADLINE_MS,
      );
      await page.locator('.notifications-toasts', { hasText: 'Video URL copied' }).first().waitFor({ timeout: UI_DEADLINE_MS });
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      // The task's own URL, where the relay put it: its key-guarded /content route, or its storage host (another origin).
      const { tasks } = await (await fetch(`${ctx.simUrl}/__sim/tasks`)).json();
      const sim = ctx.simUrl.replace(/[.:/]/g, '\\$&');
      const owner = tasks.find(
        (t) =>
          copied === `${ctx.simUrl}/v1/videos/${encodeURIComponent(t.id)}/content` ||
          (t.wire.video === 'storage' &&
            new RegExp(`^http://127\\.0\\.0\\.1:\\d+/sora/${t.wire.file}\\.mp4$`).test(copied) &&
            !new RegExp(`^${sim}/`).test(copied)),
      );
      assert.ok(owner, `the video URL of one of the simulator's tasks is on the clipboard: ${copied}`);
      assert.equal(owner.prompt, PROMPT, "the card's own task");

      // "Add to Storyboard": a quick pick of the workspace's storyboards (and a new one); the video becomes its next clip.
      await onCard(page, (card) => card.click('[data-testid="action-addToStoryboard"]', { timeout: UI_DEADLINE_MS }), UI_DEADLINE_MS);
      const picker = page.locator('.quick-input-widget');
      await picker.waitFor({ state: 'visible', timeout: UI_DEADLINE_MS });
      await picker.locator('.monaco-list-row', { hasText: 'lighthouse.storyboard.md' }).first().waitFor({ timeout: UI_DEADLINE_MS });
      assert.ok(await picker.locator('.monaco-list-row', { hasText: 'New Storyboard with This Video' }).count(), 'a new storyboard is offered');
      await picker.locator('.monaco-list-row', { hasText: 'lighthouse.storyboard.md' }).first().click({ timeout: UI_DEADLINE_MS });
      await page
        .locator('.notifications-toasts', { hasText: /Added as clip c\d+ of lighthouse\.storyboard\.md/ })
        .first()
        .waitFor({ timeout: UI_DEADLINE_MS });
    },
  },
  {
    title: "past the daily limit, the chat asks before Copilot's call goes out (MCP elicitation): False sends nothing, True generates",
    async run(ctx) {
      const { page } = ctx;
      const creates = async () =>
        ((await (await fetch(`${ctx.simUrl}/__sim/requests`)).json()).requests ?? []).filter((r) => r.method === 'POST' && r.path.startsWith('/v1')).length;
      // The chat's list is virtualized (old turns leave the page, and rows sit in the page in any order;
      // each says its place in `data-index`): the turn that ended is the last request (this one) followed
      // by the model's closing words.
      const turnEnded = (answer) =>
        page.evaluate((answer) => {
          const rows = [...document.querySelectorAll('.monaco-list-row')]
            .map((row) => ({ index: Number(row.dataset.index), item: row.querySelector('.interactive-item-container') }))
            .filter((r) => r.item && Number.isFinite(r.index))
            .sort((a, b) => a.index - b.index);
          const request = rows.findLastIndex((r) => r.item.classList.contains('interactive-request'));
          return (
            request >= 0 &&
            rows[request].item.textContent.includes(`past the daily limit (${answer})`) &&
            rows.slice(request + 1).some((r) => r.item.classList.contains('interactive-response') && r.item.textContent.includes('Your video is ready'))
          );
        }, answer);
      await runCommand(page, 'Notifications: Clear All Notifications');
      // The limit must be in the settings before the request goes out, or nothing would be asked.
      await runTestCommand(ctx, 'Sora Tests: Daily Video Limit at Today', 'limitAtToday');
      try {
        for (const [answer, made] of [
          ['False', 0],
          ['True', 1],
        ]) {
          const sent = await creates();
          await ask(page, `@sora a lantern floating over a lake, past the daily limit (${answer})`);
          // VS Code 1.139 shows an elicitation of a call made for a chat request as a question above the
          // chat's input: the message, the field's title and description, its choices (False preselected), Submit.
          const question = page.locator('.chat-question-carousel-widget-container', { hasText: 'Generate anyway?' }).last();
          await question.waitFor({ timeout: VIDEO_DEADLINE_MS });
          assert.match(await question.textContent(), /This would be video \d+ today, over your limit of \d+\. Generate anyway\?/);
          if (answer === 'False') await shot(page, ctx, 'chat-spend-question');
          await question
            .locator('.chat-question-list-item')
            .filter({ has: page.locator('.chat-question-list-label', { hasText: new RegExp(`^${answer}$`) }) })
            .first()
            .click();
          const submit = question.locator('.chat-question-submit-button');
          if (await submit.isVisible().catch(() => false)) await submit.click({ timeout: 2_000 }).catch(() => undefined);
          // The turn ends with the model's closing words; VS Code asks first to hand the tool's result to the model.
          await waitUntil(
            async () => {
              if (await turnEnded(answer)) return true;
              const allow = page.locator('.chat-tool-invocation-part .monaco-button', { hasText: /^Allow/ }).first();
              if (await allow.isVisible().catch(() => false)) await allow.click({ timeout: 2_000 }).catch(() => undefined);
              return false;
            },
            VIDEO_DEADLINE_MS,
            `the chat turn to end (answered ${answer})`,
            250,
          );
          assert.equal(await creates(), sent + made, `${made} paid request(s) after "${answer}"`);
        }
      } finally {
        await runTestCommand(ctx, 'Sora Tests: Restore Daily Limits', 'restoreLimits');
      }
    },
  },
];
