import assert from 'node:assert/strict';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { TestClock } from '../../helpers/clock';

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

describe('core/rateLimiter: one cap shared by every task', () => {
  it('never lets more than the cap start in any one-second window, with 50 callers at once', async () => {
    const clock = new TestClock();
    const limiter = new RateLimiter(clock, 2);
    const starts: number[] = [];
    const all = Promise.all(Array.from({ length: 50 }, () => limiter.acquire().then(() => starts.push(clock.now()))));
    await clock.runUntil(() => starts.length === 50);
    await all;
    assert.equal(starts.length, 50);
    assert.ok(maxInWindow(starts, 1000) <= 2, `max ${maxInWindow(starts, 1000)}`);
    assert.ok(starts.at(-1)! - starts[0] < 27_000, 'and it is not much slower than the cap');
  });

  it('serves callers in order, and a cancelled caller does not block the others', async () => {
    const clock = new TestClock();
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
    await clock.runUntil(() => order.length === 3);
    await Promise.all([a, b, c]);
    assert.deepEqual(order, ['a', 'b-cancelled', 'c']);
  });

  it('holds everyone back after a 429, by Retry-After or a growing cool-down that relaxes after successes', async () => {
    const clock = new TestClock();
    const limiter = new RateLimiter(clock, 10);
    await limiter.acquire();
    limiter.penalize(5000);
    const t0 = clock.now();
    let at = 0;
    const p = limiter.acquire().then(() => (at = clock.now()));
    await clock.runUntil(() => at > 0);
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
