import assert from 'node:assert/strict';
import { JuxinError } from '../../../src/juxin/errors';
import {
  DEFAULT_RETRY,
  isRetryable,
  markNotSent,
  mayHaveBeenAccepted,
  type RequestKind,
  retryDelay,
  type RetryOptions,
  withRetry,
} from '../../../src/juxin/retry';
import type { JuxinErrorKind } from '../../../src/juxin/types';
import { silentLogger } from '../../../src/util/log';
import { TestClock } from '../../helpers/clock';
import { captureLogger, VirtualClock } from './helpers';

const OPTIONS: RetryOptions = { maxAttempts: 5, maxTotalMs: 60_000, baseDelayMs: 1000, maxDelayMs: 20_000, maxRetryAfterMs: 30_000 };

const err = (kind: JuxinErrorKind, status?: number, retryAfterMs?: number) => new JuxinError(kind, `${kind} ${status ?? ''}`, { status, retryAfterMs });
const refused = () => markNotSent(err('network'));

/** Runs withRetry against a list of outcomes (the last repeats); returns what happened. */
async function run(outcomes: (Error | 'ok')[], opts: { kind?: RequestKind; options?: Partial<RetryOptions>; random?: () => number } = {}) {
  const clock = new VirtualClock();
  let attempts = 0;
  const started = clock.now();
  const result = await withRetry(
    async () => {
      const outcome = outcomes[Math.min(attempts++, outcomes.length - 1)];
      if (outcome === 'ok') return 'done';
      throw outcome;
    },
    {
      kind: opts.kind ?? 'query',
      clock,
      random: opts.random ?? (() => 1),
      options: { ...OPTIONS, ...opts.options },
      logger: silentLogger,
      label: 'GET /v1/video/query',
    },
  ).catch((error: unknown) => error);
  return { result, attempts, sleeps: clock.sleeps, elapsed: clock.now() - started };
}

describe('retry policy', () => {
  describe('isRetryable', () => {
    it('retries queries on network errors, timeouts, 429, 502/503/504 and malformed bodies', () => {
      for (const error of [
        err('network'),
        refused(),
        err('timeout'),
        err('rate_limit', 429),
        err('upstream', 502),
        err('upstream', 503),
        err('upstream', 504),
        err('malformed_response', 200),
      ]) {
        assert.equal(isRetryable(error, 'query'), true, error.message);
      }
    });

    it('never retries 400/401/403/404, quota, config, a plain 500 or a non-Juxin error', () => {
      for (const error of [
        err('bad_request', 400),
        err('auth', 401),
        err('auth', 403),
        err('quota', 403),
        err('not_found', 404),
        err('config'),
        err('upstream', 500),
        err('upstream'),
      ]) {
        assert.equal(isRetryable(error, 'query'), false, error.message);
        assert.equal(isRetryable(error, 'create'), false, error.message);
      }
      assert.equal(isRetryable(new Error('bug'), 'query'), false);
    });

    it('CREATE RULE: retries a create only when it cannot have been accepted (nothing sent, or 429)', () => {
      assert.equal(isRetryable(refused(), 'create'), true);
      assert.equal(isRetryable(err('rate_limit', 429), 'create'), true);
      for (const error of [err('network'), err('timeout'), err('upstream', 502), err('upstream', 503), err('upstream', 504), err('malformed_response', 200)]) {
        assert.equal(isRetryable(error, 'create'), false, error.message);
        assert.equal(mayHaveBeenAccepted(error), true, error.message);
      }
      for (const error of [refused(), err('rate_limit', 429), err('auth', 401), err('bad_request', 400)]) {
        assert.equal(mayHaveBeenAccepted(error), false, error.message);
      }
    });
  });

  describe('retryDelay', () => {
    it('grows exponentially with full jitter, capped at maxDelayMs', () => {
      const ceilings = [1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, err('network'), { ...OPTIONS, maxDelayMs: 10_000 }, () => 1));
      assert.deepEqual(ceilings, [1000, 2000, 4000, 8000, 10_000, 10_000]);
      assert.equal(
        retryDelay(3, err('network'), OPTIONS, () => 0),
        0,
      );
      assert.equal(
        retryDelay(3, err('network'), OPTIONS, () => 0.25),
        1000,
      );
    });

    it('stays within [0, ceiling] for any random value', () => {
      for (let attempt = 1; attempt <= 8; attempt++) {
        const ceiling = Math.min(OPTIONS.maxDelayMs, OPTIONS.baseDelayMs * 2 ** (attempt - 1));
        for (let i = 0; i <= 20; i++) {
          const delay = retryDelay(attempt, err('timeout'), OPTIONS, () => i / 20.0001);
          assert.ok(delay >= 0 && delay <= ceiling, `attempt ${attempt}: ${delay} > ${ceiling}`);
        }
      }
    });

    it('uses Retry-After instead, capped at maxRetryAfterMs', () => {
      assert.equal(
        retryDelay(1, err('rate_limit', 429, 7000), OPTIONS, () => 0),
        7000,
      );
      assert.equal(
        retryDelay(1, err('rate_limit', 429, 3_600_000), OPTIONS, () => 0),
        OPTIONS.maxRetryAfterMs,
      );
      assert.equal(
        retryDelay(1, err('rate_limit', 429, 0), OPTIONS, () => 1),
        0,
      );
    });
  });

  describe('withRetry', () => {
    it('returns the first success and waits the jittered backoff between attempts', async () => {
      const { result, attempts, sleeps } = await run([err('upstream', 502), err('timeout'), err('network'), 'ok'], { random: () => 0.5 });
      assert.equal(result, 'done');
      assert.equal(attempts, 4);
      assert.deepEqual(sleeps, [500, 1000, 2000]);
    });

    it('stops after maxAttempts and surfaces the last error', async () => {
      const last = err('upstream', 504);
      const { result, attempts, sleeps } = await run([err('upstream', 502), err('upstream', 503), last], { options: { maxAttempts: 3 } });
      assert.equal(result, last);
      assert.equal(attempts, 3);
      assert.deepEqual(sleeps, [1000, 2000]);
    });

    it('stops when the next wait would pass maxTotalMs', async () => {
      const { result, attempts, sleeps, elapsed } = await run([err('upstream', 502)], { options: { maxAttempts: 10, maxTotalMs: 5000 } });
      assert.equal((result as JuxinError).status, 502);
      assert.deepEqual(sleeps, [1000, 2000]); // the next wait (4000) would end at 7000 > 5000
      assert.equal(attempts, 3);
      assert.ok(elapsed <= 5000);
    });

    it('honours Retry-After (capped) instead of the backoff', async () => {
      const { result, sleeps } = await run([err('rate_limit', 429, 12_000), err('rate_limit', 429, 90_000), 'ok'], { random: () => 0 });
      assert.equal(result, 'done');
      assert.deepEqual(sleeps, [12_000, OPTIONS.maxRetryAfterMs]);
    });

    it('gives up at once when Retry-After is beyond the time budget', async () => {
      const { attempts, sleeps } = await run([err('rate_limit', 429, 25_000)], { options: { maxTotalMs: 20_000 } });
      assert.equal(attempts, 1);
      assert.deepEqual(sleeps, []);
    });

    for (const status of [400, 401, 403, 404]) {
      it(`never retries ${status}`, async () => {
        const kind: JuxinErrorKind = status === 400 ? 'bad_request' : status === 404 ? 'not_found' : 'auth';
        const { attempts, sleeps } = await run([err(kind, status), 'ok']);
        assert.equal(attempts, 1);
        assert.deepEqual(sleeps, []);
      });
    }

    it('does not retry a create after a 5xx, a timeout, a reset or a malformed body', async () => {
      for (const error of [err('upstream', 502), err('upstream', 503), err('timeout'), err('network'), err('malformed_response', 200)]) {
        const { result, attempts } = await run([error, 'ok'], { kind: 'create' });
        assert.equal(result, error);
        assert.equal(attempts, 1, error.message);
      }
    });

    it('retries a create after a 429 and after a connection that was refused', async () => {
      const limited = await run([err('rate_limit', 429, 2000), 'ok'], { kind: 'create' });
      assert.equal(limited.result, 'done');
      assert.deepEqual(limited.sleeps, [2000]);
      const unreachable = await run([refused(), refused(), 'ok'], { kind: 'create', random: () => 1 });
      assert.equal(unreachable.result, 'done');
      assert.deepEqual(unreachable.sleeps, [1000, 2000]);
    });

    it('retries a query on a malformed body', async () => {
      const { result, attempts } = await run([err('malformed_response', 200), 'ok']);
      assert.equal(result, 'done');
      assert.equal(attempts, 2);
    });

    it('makes one attempt when maxAttempts is 1', async () => {
      const { attempts } = await run([err('upstream', 502)], { options: { maxAttempts: 1 } });
      assert.equal(attempts, 1);
    });

    it('stops waiting as soon as the signal aborts, with the abort reason', async () => {
      const clock = new TestClock();
      const controller = new AbortController();
      let attempts = 0;
      const pending = withRetry(
        async () => {
          attempts++;
          throw err('upstream', 502);
        },
        { kind: 'query', clock, random: () => 1, options: DEFAULT_RETRY, signal: controller.signal, logger: silentLogger, label: 'GET /x' },
      );
      await clock.settle();
      assert.equal(clock.pendingSleeps, 1, 'waiting before the second attempt');
      controller.abort();
      await assert.rejects(pending, (error: unknown) => error instanceof Error && error.name === 'AbortError');
      assert.equal(attempts, 1);
      assert.equal(clock.pendingSleeps, 0);
    });

    it('starts no new attempt of a create once its caller gave up (stopRetries), and says what the last attempt got', async () => {
      const clock = new TestClock();
      const caller = new AbortController();
      let attempts = 0;
      const pending = withRetry(
        async () => {
          attempts++;
          throw err('rate_limit', 429, 5000);
        },
        { kind: 'create', clock, random: () => 1, options: DEFAULT_RETRY, stopRetries: caller.signal, logger: silentLogger, label: 'POST /v1/video/create' },
      );
      while (clock.pendingSleeps === 0) await new Promise((resolve) => setImmediate(resolve));
      caller.abort();
      await assert.rejects(pending, (error: unknown) => error instanceof JuxinError && error.kind === 'rate_limit');
      await clock.advance(60_000);
      assert.equal(attempts, 1, 'the 429 was not followed by a second, paid attempt');
    });

    it('logs each retry without details of the request', async () => {
      const logger = captureLogger();
      const clock = new VirtualClock();
      let first = true;
      await withRetry(
        async () => {
          if (first) {
            first = false;
            throw err('rate_limit', 429, 5000);
          }
          return 1;
        },
        { kind: 'query', clock, random: () => 1, options: OPTIONS, logger, label: 'GET /v1/video/query' },
      );
      assert.deepEqual(logger.lines, ['debug: GET /v1/video/query: rate_limit on attempt 1, retrying in 5000 ms']);
    });
  });
});
