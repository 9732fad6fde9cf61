import type { Clock } from '../util/clock';

/**
 * One request-rate cap shared by every task. Requests get evenly spaced slots (never more than
 * `perSecond` in any one-second window). A 429 pushes every next slot back: by the server's
 * Retry-After, or by a cool-down that doubles while 429s keep coming and halves after successes.
 */
export class RateLimiter {
  private nextSlot = 0;
  private cooldownMs = 0;
  private readonly spacingMs: number;

  constructor(
    private readonly clock: Clock,
    perSecond: number,
    private readonly maxCooldownMs = 60_000,
  ) {
    if (!(perSecond > 0)) throw new Error('perSecond must be positive');
    this.spacingMs = 1000 / perSecond;
  }

  /** Waits for this caller's slot. Slots are reserved in call order, so nobody starves. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.spacingMs;
    if (slot > now) await this.clock.sleep(slot - now, signal);
  }

  /** After a 429: everyone waits. */
  penalize(retryAfterMs?: number): void {
    this.cooldownMs = Math.min(this.maxCooldownMs, this.cooldownMs ? this.cooldownMs * 2 : 1000);
    const wait = retryAfterMs ?? this.cooldownMs;
    this.nextSlot = Math.max(this.nextSlot, this.clock.now() + wait);
  }

  /** After a success: the cool-down relaxes. */
  reward(): void {
    this.cooldownMs = this.cooldownMs <= 1000 ? 0 : this.cooldownMs / 2;
  }

  /** Current cool-down (for the poll schedule: back off everything while the relay is unhappy). */
  get currentCooldownMs(): number {
    return this.cooldownMs;
  }
}
