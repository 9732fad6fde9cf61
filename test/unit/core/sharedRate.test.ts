import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileRateBook, RateLimiter, type RateBook } from '../../../src/core/rateLimiter';
import { MAX_TIMER_MS, systemClock } from '../../../src/util/clock';
import { TestClock } from '../../helpers/clock';

function maxInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('core/rateLimiter: bounds and sharing across processes', function () {
  this.timeout(120_000);
  let home: string;
  beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'rate-test-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true, maxRetries: 5 }));

  it('holds everyone back at most a minute, whatever Retry-After asks (a day, or nonsense)', async () => {
    for (const asked of [86_400_000, 3_000_000_000, Number.POSITIVE_INFINITY, Number.NaN, -5]) {
      const clock = new TestClock();
      const limiter = new RateLimiter(clock, 10);
      limiter.penalize(asked);
      const t0 = clock.now();
      let at = 0;
      const p = limiter.acquire().then(() => (at = clock.now()));
      await clock.runUntil(() => at > 0);
      await p;
      assert.ok(at - t0 <= 60_000, `Retry-After ${asked}: waited ${at - t0} ms`);
    }
  });

  it('keeps one cap for two processes on one home: the relay sees one user', async () => {
    const clock = new TestClock();
    // The moments each process was given a slot (what the relay sees), as each one's book granted them.
    const starts: number[] = [];
    const recording = (book: RateBook): RateBook => ({
      take: async (now, capacity, windowMs) => {
        let at = 0;
        const wait = await book.take(() => (at = now()), capacity, windowMs);
        if (wait <= 0) starts.push(at);
        return wait;
      },
      blockUntil: (until) => book.blockUntil(until),
    });
    const a = new RateLimiter(clock, 2, { book: recording(new FileRateBook(home)) });
    const b = new RateLimiter(clock, 2, { book: recording(new FileRateBook(home)) });
    let done = 0;
    const all = Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).acquire().then(() => done++)));
    await clock.runUntil(() => done === 16);
    await all;
    assert.equal(starts.length, 16);
    assert.ok(maxInWindow(starts, 1000) <= 2, `at most 2 in any second across both; saw ${maxInWindow(starts, 1000)}`);
  });

  it('a 429 seen by one process holds the other back too', async () => {
    const clock = new TestClock();
    const a = new RateLimiter(clock, 10, { book: new FileRateBook(home) });
    const b = new RateLimiter(clock, 10, { book: new FileRateBook(home) });
    a.penalize(5000);
    await clock.settle(); // the hold reaches the shared file
    const t0 = clock.now();
    let at = 0;
    const p = b.acquire().then(() => (at = clock.now()));
    await clock.runUntil(() => at > 0);
    await p;
    assert.ok(at - t0 >= 5000, `the other process waited ${at - t0} ms`);
  });

  it('survives a damaged shared counter, and a counter it cannot write (then it counts alone)', async () => {
    const clock = new TestClock();
    mkdirSync(path.join(home, 'rate'), { recursive: true });
    writeFileSync(path.join(home, 'rate', 'requests.json'), '{"sent": "nonsense", "blockedUntil": 9e99}');
    const limiter = new RateLimiter(clock, 5, { book: new FileRateBook(home) });
    let done = false;
    const p = limiter.acquire().then(() => (done = true));
    await clock.runUntil(() => done);
    await p;
    const blocked = new RateLimiter(clock, 5, { book: new FileRateBook(path.join(home, 'rate', 'requests.json', 'not-a-folder')) });
    done = false;
    const q = blocked.acquire().then(() => (done = true));
    await clock.runUntil(() => done);
    await q;
  });
});

describe('util/clock: sleeping longer than a timer can hold', () => {
  it('takes a wait longer than 2^31 ms in pieces instead of firing at once in a loop', async () => {
    const delays: number[] = [];
    const real = globalThis.setTimeout;
    let fire: (() => void) | undefined;
    (globalThis as { setTimeout: unknown }).setTimeout = ((fn: () => void, ms: number) => {
      delays.push(ms);
      fire = fn;
      return real(() => undefined, 0);
    }) as unknown as typeof setTimeout;
    try {
      let woke = false;
      const p = systemClock.sleep(3_000_000_000).then(() => (woke = true));
      assert.deepEqual(delays, [MAX_TIMER_MS]);
      fire!();
      await Promise.resolve();
      assert.equal(woke, false, 'the first piece does not end the sleep');
      assert.deepEqual(delays, [MAX_TIMER_MS, 3_000_000_000 - MAX_TIMER_MS]);
      fire!();
      await p;
      assert.equal(woke, true);
      const abort = new AbortController();
      const q = systemClock.sleep(Number.POSITIVE_INFINITY, abort.signal);
      assert.equal(delays.at(-1), MAX_TIMER_MS);
      abort.abort();
      await assert.rejects(q);
    } finally {
      globalThis.setTimeout = real;
    }
  });
});
