// One owner for "wait for something real": used by the TypeScript tests (through wait.ts) and by the
// real-VS-Code harness and its Playwright tests (test/vscode/*.mjs), which run on plain Node.

/**
 * Waits for something real that offers no event to await (a file another process writes, a server
 * process, a real VS Code): checks it every `everyMs` until it gives a value, or fails with
 * "timed out after N s: <what>" after `ms`. Deadlines only bound a failure, so they are generous: a
 * busy 2-core machine can be many times slower than a quiet one. Never use it to let time pass.
 *
 * @template T
 * @param {() => T | undefined | null | false | Promise<T | undefined | null | false>} check
 * @param {number} ms
 * @param {string} what
 * @param {number} [everyMs]
 * @returns {Promise<T>}
 */
async function waitUntil(check, ms, what, everyMs = 100) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(ms / 1000)} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The most a real VS Code may take to react to one step (a view resolving, a tab, a dialog): a busy 2-core machine. */
const UI_DEADLINE_MS = 60_000;
/** The most one video may take end to end in a real VS Code against the simulator at 10× (about 24 s when the machine is quiet). */
const VIDEO_DEADLINE_MS = 180_000;

module.exports = { waitUntil, UI_DEADLINE_MS, VIDEO_DEADLINE_MS };
