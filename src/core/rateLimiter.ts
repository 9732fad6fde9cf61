import type { Clock } from '../util/clock';

/**
 * One request-rate cap shared by every task: at most `perSecond` requests start in any window of one
 * second (a sliding log of the last sends). Callers are
 * served in order. A 429 holds everyone back: by the server's Retry-After, or by a cool-down that
 * doubles while 429s keep coming and halves after successes.
 */
export class RateLimiter {
  private readonly sent: number[] = [];
  private readonly capacity: number;
  private readonly windowMs: number;
  private blockedUntil = 0;
  private cooldownMs = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    perSecond: number,
    private readonly maxCooldownMs = 60_000,
  ) {
    if (!(perSecond > 0)) throw new Error('perSecond must be positive');
    // Below one request a second, spread them out: one request per 1/perSecond seconds.
    this.capacity = Math.max(1, Math.floor(perSecond));
    // 5% longer than a second: requests arrive with a few ms of jitter, and the cap is what the relay sees.
    this.windowMs = ((1000 * this.capacity) / perSecond) * 1.05;
  }

  /** Waits for this caller's turn. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForRoom(signal));
    // A caller that gives up (abort) must not block the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForRoom(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.sent.length && this.sent[0] <= now - this.windowMs) this.sent.shift();
      const wait = Math.max(this.blockedUntil - now, this.sent.length >= this.capacity ? this.sent[0] + this.windowMs - now : 0);
      if (wait <= 0) {
        this.sent.push(now);
        return;
      }
      await this.clock.sleep(wait, signal);
    }
  }

  /** After a 429: everyone waits. */
  penalize(retryAfterMs?: number): void {
    this.cooldownMs = Math.min(this.maxCooldownMs, this.cooldownMs ? this.cooldownMs * 2 : 1000);
    this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + (retryAfterMs ?? this.cooldownMs));
  }

  /** After a success: the cool-down relaxes. */
  reward(): void {
    this.cooldownMs = this.cooldownMs <= 1000 ? 0 : this.cooldownMs / 2;
  }

  get currentCooldownMs(): number {
    return this.cooldownMs;
  }
}
