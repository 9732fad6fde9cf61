import assert from 'node:assert/strict';
import { nextPollDelay, estimateRemainingMs, type ProgressSample } from '../../../src/core/pollSchedule';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { ManualClock } from '../../../src/util/clock';

/** The most events in any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Lets every pending continuation run, then moves time on a little; until `until()` holds. */
async function drain(clock: ManualClock, until: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !until(); i++) {
    for (let k = 0; k < 3; k++) await new Promise((r) => setImmediate(r));
    if (!until()) await clock.advance(50);
  }
}

describe('core/rateLimiter: one cap shared by every task', () => {
  it('never lets more than the cap start in any one-second window, with 50 callers at once', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock, 2);
    const starts: number[] = [];
    const all = Promise.all(Array.from({ length: 50 }, () => limiter.acquire().then(() => starts.push(clock.now()))));
    await drain(clock, () => starts.length === 50);
    await all;
    assert.equal(starts.length, 50);
    assert.ok(maxInWindow(starts, 1000) <= 2, `max ${maxInWindow(starts, 1000)}`);
    assert.ok(starts.at(-1)! - starts[0] < 27_000, 'and it is not much slower than the cap');
  });

  it('serves callers in order, and a cancelled caller does not block the others', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock, 1);
    const order: string[] = [];
    const cancelled = new AbortController();
    const a = limiter.acquire().then(() => order.push('a'));
    const b = limiter.acquire(cancelled.signal).then(
      () => order.push('b'),
      () => order.push('b-cancelled'),
    );
    const c = limiter.acquire().then(() => order.push('c'));
    cancelled.abort();
    await drain(clock, () => order.length === 3);
    await Promise.all([a, b, c]);
    assert.deepEqual(order, ['a', 'b-cancelled', 'c']);
  });

  it('holds everyone back after a 429, by Retry-After or a growing cool-down that relaxes after successes', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock, 10);
    await limiter.acquire();
    limiter.penalize(5000);
    const t0 = clock.now();
    let at = 0;
    const p = limiter.acquire().then(() => (at = clock.now()));
    await drain(clock, () => at > 0);
    await p;
    assert.ok(at - t0 >= 5000, `waited ${at - t0} ms`);
    const fresh = new RateLimiter(clock, 10);
    fresh.penalize();
    fresh.penalize();
    fresh.penalize();
    assert.equal(fresh.currentCooldownMs, 4000, 'doubles while 429s keep coming');
    fresh.reward();
    fresh.reward();
    fresh.reward();
    assert.equal(fresh.currentCooldownMs, 0, 'and relaxes after successes');
  });
});

describe('core/pollSchedule: adaptive polling', () => {
  const base = { createdAt: 0, minIntervalMs: 5000, model: 'sora-2' as const, duration: 10 };

  it('polls rarely while queued', () => {
    assert.ok(nextPollDelay({ ...base, status: 'queued', progress: 0, history: [], now: 0 }) >= 60_000);
    assert.equal(nextPollDelay({ ...base, status: 'queued', progress: 0, history: [], now: 200_000 }), 15_000, 'every 15 s once the queue should be over');
  });

  it('estimates the end from the progress rate and aims just past it', () => {
    const history: ProgressSample[] = [
      { at: 160_000, progress: 10 },
      { at: 190_000, progress: 40 },
    ];
    const remaining = estimateRemainingMs(history, 190_000)!;
    assert.ok(Math.abs(remaining - 60_000) < 1, `remaining ${remaining}`);
    assert.equal(nextPollDelay({ ...base, status: 'processing', progress: 40, history, now: 190_000 }), 36_000, '60% of the time left while far');
    const near: ProgressSample[] = [...history, { at: 235_000, progress: 85 }];
    assert.equal(nextPollDelay({ ...base, status: 'processing', progress: 85, history: near, now: 235_000 }), 16_500, 'just past the end when near');
    assert.equal(
      nextPollDelay({ ...base, status: 'processing', progress: 99, history: [...near, { at: 249_000, progress: 99 }], now: 249_000 }),
      5000,
      'never under the minimum',
    );
  });

  it("on simulated 4-minute jobs: at most 40% of a fixed 10 s poller's queries, detection no slower", () => {
    // Jobs of 2–3 minutes in the queue and 75–105 s of generation, progress rising a little faster near the end.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const adaptive = { queries: 0, delays: [] as number[] };
    const fixed = { queries: 0, delays: [] as number[] };
    for (let job = 0; job < 40; job++) {
      const start = 120_000 + rand() * 60_000;
      const end = start + 75_000 + rand() * 30_000;
      const state = (t: number) =>
        t < start
          ? { status: 'queued' as const, progress: 0 }
          : t >= end
            ? { status: 'completed' as const, progress: 100 }
            : { status: 'processing' as const, progress: 100 * ((t - start) / (end - start)) ** 1.15 };
      // Adaptive
      let now = 0;
      const history: ProgressSample[] = [];
      let s: { status: 'queued' | 'processing' | 'completed'; progress: number } = { status: 'queued', progress: 0 };
      while (s.status !== 'completed') {
        now += nextPollDelay({ ...base, status: s.status, progress: s.progress, history, now });
        adaptive.queries++;
        s = state(now);
        if (s.status === 'processing') history.push({ at: now, progress: s.progress });
      }
      adaptive.delays.push(now - end);
      // Fixed 10 s
      let t = 0;
      do {
        t += 10_000;
        fixed.queries++;
      } while (state(t).status !== 'completed');
      fixed.delays.push(t - end);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    assert.ok(adaptive.queries <= 0.4 * fixed.queries, `${adaptive.queries} vs ${fixed.queries} queries`);
    assert.ok(median(adaptive.delays) <= median(fixed.delays), `median delay ${median(adaptive.delays)} vs ${median(fixed.delays)} ms`);
  });
});
