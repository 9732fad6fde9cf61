/**
 * Waits for something real that offers no event to await (a file another process writes, a server
 * process, a real VS Code): checks it every `everyMs` until it gives a value, or fails with
 * "timed out: <what>" after `ms`. Deadlines only bound a failure, so they are generous: a busy
 * 2-core machine can be many times slower than a quiet one. Never use it to let time pass.
 */
export async function waitUntil<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms: number,
  what: string,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(ms / 1000)} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
