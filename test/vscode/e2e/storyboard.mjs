// Playwright drives a storyboard from an .srt to a film in the real workbench (code-server in
// Debian's chromium), as a person would: New Storyboard from Subtitles…, the shots written into the
// file, Generate All from the CodeLens, the CodeLens and the filmstrip following every clip, Assemble,
// the film playing for the length of its clips, Play All playing the clips in order.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UI_DEADLINE_MS, VIDEO_DEADLINE_MS, waitUntil } from '../../helpers/wait.cjs';
import { runCommand, webviewFrame } from './workbench.mjs';

const SRT = `1
00:00:00,500 --> 00:00:03,100
It rained all night.

2
00:00:20,000 --> 00:00:23,000
The bell rang.

3
00:00:40,000 --> 00:00:43,000
Just the last cup.
`;

/**
 * What a person (or Copilot) writes over each draft prompt. `#sim:clip-N` makes the simulator serve clip N;
 * the first clip's progress rises smoothly (`#sim:progress-smooth`), so the view's progress is seen whatever
 * the others draw from the real wire's mix (most sit at 0 and jump to 90 late, some never report any).
 */
const SHOTS = {
  'It rained all night.':
    'Shot 1 (0–1.5 s, wide): a rainy street corner at night, neon in the puddles, a small café glowing. Shot 2 (1.5–8 s, medium): a woman alone by the window, a cold cup in front of her. #sim:clip-1 #sim:progress-smooth',
  'The bell rang.':
    'Shot 1 (0–1.5 s, wide): the café door from outside, rain on the awning. Shot 2 (1.5–8 s, medium): the bell rings and a man in a soaked coat steps in. #sim:clip-2',
  'Just the last cup.': 'Shot 1 (0–1.5 s, close-up): two cups on the counter. Shot 2 (1.5–8 s, medium): she smiles and pours the last cup. #sim:clip-3',
};
/** The simulator's clips, whatever the model asked: clip-1 10 s, clip-2 15 s, clip-3 10 s (media/clips, src/simulator/README.md). */
const FILM_SECONDS = 10 + 15 + 10;

/**
 * Waits until `test` (run in the storyboard view's page) returns something truthy. The view gets a new
 * page when a clip's video or the film first appears (new resource roots), so its frame is found again
 * on every try.
 */
async function inView(page, test, arg, timeout, what) {
  let last;
  return waitUntil(
    async () => {
      try {
        const frame = await webviewFrame(page, '[data-testid="filmstrip"]', UI_DEADLINE_MS);
        const value = await frame.evaluate(test, arg);
        last = value;
        return value ? { frame, value } : undefined;
      } catch (error) {
        last = error;
        return undefined;
      }
    },
    timeout,
    `the storyboard view to show ${what}`,
    250,
  ).catch((error) => {
    throw new Error(`${error.message}; last: ${last}`);
  });
}

const lensTexts = (page) => page.$$eval('.codelens-decoration', (els) => els.map((e) => e.textContent ?? ''));

async function waitForLenses(page, test, timeout, what) {
  let last = [];
  return waitUntil(
    async () => {
      last = await lensTexts(page).catch(() => []);
      return test(last) && last;
    },
    timeout,
    `the CodeLens to show ${what}`,
    250,
  ).catch((error) => {
    throw new Error(`${error.message}; last: ${JSON.stringify(last)}`);
  });
}

/**
 * The storyboard screenshots for the README: the storyboard with its CodeLens beside the storyboard
 * view. Called by these tests (into test-artifacts/) and meant for the marketing screenshot script.
 */
export async function storyboardScreenshots(page, dir, name = 'storyboard') {
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** The README's two storyboard screenshots, copied into docs/screenshots only when asked (JUXIN_SCREENSHOTS=1). */
const README_SHOTS = { 'storyboard-filmstrip-progress': 'storyboard-progress', 'storyboard-film': 'storyboard-film' };

async function shot(ctx, name) {
  await ctx.shot(name);
  if (process.env.JUXIN_SCREENSHOTS && README_SHOTS[name] && ctx.screenshots) {
    mkdirSync(ctx.screenshots, { recursive: true });
    copyFileSync(path.join(ctx.artifacts, `${name}.png`), path.join(ctx.screenshots, `${README_SHOTS[name]}.png`));
  }
}

const state = {};

export const storyboardTests = [
  {
    title: 'Storyboard: New Storyboard from Subtitles… drafts one clip per group of lines and opens it with its CodeLens',
    async run(ctx) {
      const { page, folder } = ctx;
      // Room for the storyboard and its view (the chat panel is of no use here).
      await runCommand(page, 'View: Hide Secondary Side Bar').catch(() => undefined);
      const srt = path.join(folder, 'rain-cafe.srt');
      writeFileSync(srt, SRT);
      state.file = path.join(folder, 'rain-cafe.storyboard.md');
      await runCommand(page, 'Go to File');
      const input = page.locator('.quick-input-widget input');
      await input.fill('rain-cafe.srt');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'rain-cafe.srt' }).first().waitFor({ timeout: UI_DEADLINE_MS });
      await page.keyboard.press('Enter');
      await page.locator('.tab', { hasText: 'rain-cafe.srt' }).first().waitFor({ timeout: UI_DEADLINE_MS });
      await runCommand(page, 'AI Video: New Storyboard from Subtitles');
      // The model step: the default (Veo 3.1 fast, 8 s clips) first, each model saying what it takes. Its
      // question shown first: until then the focused row can still be the palette's own.
      await page.locator('.quick-input-widget input[placeholder^="Which model?"]').waitFor({ timeout: UI_DEADLINE_MS });
      const first = page.locator('.quick-input-list .monaco-list-row.focused').first();
      await first.waitFor({ timeout: UI_DEADLINE_MS });
      assert.match(await first.textContent(), /veo3\.1-fast\s*Veo 3\.x.*8 s \(fixed\)/);
      await page.keyboard.press('Enter');
      await page.locator('.tab', { hasText: 'rain-cafe.storyboard.md' }).first().waitFor({ timeout: UI_DEADLINE_MS });
      const lenses = await waitForLenses(page, (t) => t.some((x) => x.includes('Generate All (3)')), UI_DEADLINE_MS, 'Generate All (3)');
      assert.equal(lenses.filter((t) => t.includes('not generated')).length, 3, JSON.stringify(lenses));
      assert.match(readFileSync(state.file, 'utf8'), /^subtitles: rain-cafe\.srt$/m);
      assert.match(readFileSync(state.file, 'utf8'), /^model: veo3\.1-fast\n(.*\n)*duration: 8$/m);
    },
  },
  {
    title: 'Storyboard: Generate All from the CodeLens; the CodeLens and the filmstrip follow every clip live until all are ready',
    async run(ctx) {
      const { page } = ctx;
      // The shots, as a person would write them over the drafts (the file is saved, so the editor reloads it).
      const text = readFileSync(state.file, 'utf8')
        .split('\n')
        .map((line) => SHOTS[line] ?? line.replace(/^style: ""$/, 'style: cinematic, 35mm film grain, warm tungsten light'))
        .join('\n');
      writeFileSync(state.file, text);
      await page.locator('.view-lines', { hasText: '#sim:clip-3' }).first().waitFor({ timeout: UI_DEADLINE_MS });
      await waitForLenses(page, (t) => !t.some((x) => x.includes('Write the Shots')), UI_DEADLINE_MS, 'the drafts replaced by shots');
      await page.locator('.codelens-decoration a', { hasText: 'Generate All (3)' }).first().click();
      await waitForLenses(page, (t) => t.some((x) => /generating \d+%/.test(x)), VIDEO_DEADLINE_MS, 'a clip generating with its percentage');
      await shot(ctx, 'storyboard-codelens');

      await runCommand(page, 'AI Video: Open Storyboard View');
      const { value: ids } = await inView(
        page,
        () => {
          const ids = [...document.querySelectorAll('[data-testid="clip"]')].map((e) => e.getAttribute('data-clip-id'));
          return ids.length === 3 && ids;
        },
        undefined,
        UI_DEADLINE_MS,
        'three clips',
      );
      assert.deepEqual(ids, ['c1', 'c2', 'c3']);
      await inView(
        page,
        () => [...document.querySelectorAll('[data-testid="clip"] vscode-progress-bar[value]')].some((b) => Number(b.getAttribute('value')) > 0),
        undefined,
        VIDEO_DEADLINE_MS,
        'a clip progressing',
      );
      await shot(ctx, 'storyboard-filmstrip-progress');
      const clipsNow = () => {
        const statuses = [...document.querySelectorAll('[data-testid="clip-status"]')].map((e) => e.textContent);
        const posters = [...document.querySelectorAll('.poster video')].map((v) => ({
          readyState: v.readyState,
          error: v.error?.code ?? null,
          src: v.src.slice(-60),
        }));
        return { statuses, posters };
      };
      await inView(
        page,
        () => {
          const statuses = [...document.querySelectorAll('[data-testid="clip-status"]')].map((e) => e.textContent);
          const posters = [...document.querySelectorAll('.poster video')];
          return statuses.length === 3 && statuses.every((s) => s === 'ready') && posters.length === 3 && posters.every((v) => v.readyState >= 1);
        },
        undefined,
        2 * VIDEO_DEADLINE_MS,
        'three clips ready, each with a frame of its video',
      ).catch(async (error) => {
        const frame = await webviewFrame(page, '[data-testid="filmstrip"]', UI_DEADLINE_MS).catch(() => undefined);
        throw new Error(`${error.message}; the clips: ${JSON.stringify(await frame?.evaluate(clipsNow).catch(() => undefined))}`);
      });
      // (A lens below the visible lines keeps its old text until it is scrolled into view: VS Code draws only what shows.)
      await waitForLenses(
        page,
        (t) => t.some((x) => x.includes('3 of 3 clips ready')) && t.filter((x) => /ready\s*\|/.test(x)).length >= 2,
        UI_DEADLINE_MS,
        'the storyboard ready',
      );
      const { frame: view } = await inView(
        page,
        () => document.querySelector('[data-testid="summary"]')?.textContent === '3 of 3 clips ready',
        undefined,
        UI_DEADLINE_MS,
        'the summary',
      );
      assert.ok(view);
    },
  },
  {
    title: 'Storyboard: Assemble joins the film beside the storyboard, which plays for the sum of the clips; Play All plays the clips in order',
    async run(ctx) {
      const { page } = ctx;
      const { frame: view } = await inView(page, () => document.querySelector('[data-testid="action-assemble"]'), undefined, UI_DEADLINE_MS, 'Assemble Film');
      await view.click('[data-testid="action-assemble"]');
      const { frame: film, value: duration } = await inView(
        page,
        () => {
          const player = document.querySelector('[data-testid="player"]');
          return player?.getAttribute('src')?.includes('rain-cafe.film.mp4') && player.readyState >= 1 && player.duration;
        },
        undefined,
        VIDEO_DEADLINE_MS,
        'the film loaded in the player',
      );
      assert.ok(Math.abs(duration - FILM_SECONDS) <= 0.1, `the film lasts ${duration} s, the clips ${FILM_SECONDS} s`);
      assert.equal(await film.textContent('[data-testid="now-playing"]'), 'Playing the film');
      assert.ok(await film.$('[data-testid="action-playFilm"]'), 'the film has its button');
      await film.$eval('[data-testid="player"]', (v) => {
        v.muted = true;
        return v.play();
      });
      await film.waitForFunction(() => document.querySelector('[data-testid="player"]').currentTime > 0.5, undefined, { timeout: UI_DEADLINE_MS });
      await shot(ctx, 'storyboard-film');

      await film.click('[data-testid="action-playAll"]');
      await film.waitForFunction(() => document.querySelector('[data-testid="player"]')?.dataset.clipId === 'c1', undefined, { timeout: UI_DEADLINE_MS });
      assert.match(await film.getAttribute('[data-testid="preload"]', 'src'), /\.mp4/, 'the next clip is loading behind');
      assert.equal(await film.textContent('[data-testid="now-playing"]'), 'Playing clip 1 of 3');
      await film.$eval('[data-testid="player"]', (v) => {
        v.muted = true;
        v.playbackRate = 16;
        return v.play();
      });
      await film.waitForFunction(() => document.querySelector('[data-testid="player"]')?.dataset.clipId === 'c2', undefined, { timeout: UI_DEADLINE_MS });
      await film.waitForFunction(() => document.querySelector('[data-testid="player"]').currentTime > 0.2, undefined, { timeout: UI_DEADLINE_MS });
      assert.equal(await film.textContent('[data-testid="now-playing"]'), 'Playing clip 2 of 3');
      await storyboardScreenshots(page, ctx.artifacts);
    },
  },
];
