/** Time, injected wherever code waits, so tests never sleep for real and the benchmark can run faster than life. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** setTimeout's longest delay (2^31 − 1 ms, about 24.8 days): a longer one fires at once, in a loop. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      // NaN and negative waits are no wait; a wait longer than a timer can hold is taken in pieces.
      let left = Number.isFinite(ms) ? Math.max(0, ms) : ms > 0 ? Number.MAX_SAFE_INTEGER : 0;
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const step = () => {
        const piece = Math.min(left, MAX_TIMER_MS);
        left -= piece;
        timer = setTimeout(() => {
          if (left > 0) return step();
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, piece);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      step();
    }),
};

/**
 * A clock whose time only moves when the test says so. `sleep` resolves once `advance` passes its
 * deadline; `runUntilIdle`-style helpers can be built on `pendingSleeps`.
 */
export class ManualClock implements Clock {
  private time: number;
  private sleepers: { until: number; resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  get pendingSleeps(): number {
    return this.sleepers.length;
  }

  /** Deadline of the earliest pending sleep, if any. */
  nextDeadline(): number | undefined {
    return this.sleepers.length ? Math.min(...this.sleepers.map((s) => s.until)) : undefined;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal!.reason);
      };
      // Woken, it stops listening: a loop that sleeps on one long-lived signal must not pile up listeners.
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const sleeper = { until: this.time + Math.max(0, ms), resolve: wake, reject };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward by `ms`, waking every sleeper whose deadline has passed, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      const next = this.nextDeadline();
      if (next === undefined || next > target) break;
      this.time = Math.max(this.time, next);
      const due = this.sleepers.filter((s) => s.until <= this.time);
      this.sleepers = this.sleepers.filter((s) => s.until > this.time);
      for (const s of due) s.resolve();
      // Let the woken code run (and schedule its next sleep) before looking again.
      for (let i = 0; i < 20; i++) await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.time = target;
  }
}

/** A clock that runs `factor` times faster than real time (the benchmark's simulated minutes). */
export function scaledClock(factor: number, origin = Date.now()): Clock {
  return {
    now: () => origin + (Date.now() - origin) * factor,
    sleep: (ms, signal) => systemClock.sleep(ms / factor, signal),
  };
}
