import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import type { Clock } from '../util/clock';
import { silentLogger, type Logger } from '../util/log';

/**
 * Where the recent sends are counted. In memory for one process; in the home folder when several
 * processes (VS Code windows, standalone servers) share one key, so the relay sees one user whatever
 * the count of windows.
 */
export interface RateBook {
  /**
   * Takes a slot if fewer than `capacity` sends fall in the last `windowMs` and nothing blocks (returns 0);
   * else how long to wait. `now` is read once the book is this caller's (after any lock), so a caller that
   * waited for another process is not stamped with the time it started waiting.
   */
  take(now: () => number, capacity: number, windowMs: number): Promise<number>;
  /** Nobody sends before `until` (after a 429). */
  blockUntil(until: number): Promise<void>;
}

interface Ledger {
  sent: number[];
  blockedUntil: number;
}

function takeFrom(ledger: Ledger, now: number, capacity: number, windowMs: number): number {
  ledger.sent.sort((a, b) => a - b);
  // A clock that went backwards (or another process's) must not leave sends "in the future" for ever.
  ledger.sent = ledger.sent.filter((t) => t > now - windowMs && t <= now + windowMs);
  if (ledger.blockedUntil > now + 10 * 60_000) ledger.blockedUntil = 0;
  const wait = Math.max(ledger.blockedUntil - now, ledger.sent.length >= capacity ? ledger.sent[0] + windowMs - now : 0);
  if (wait > 0) return wait;
  ledger.sent.push(now);
  return 0;
}

export class MemoryRateBook implements RateBook {
  private readonly ledger: Ledger = { sent: [], blockedUntil: 0 };

  async take(now: () => number, capacity: number, windowMs: number): Promise<number> {
    return takeFrom(this.ledger, now(), capacity, windowMs);
  }

  async blockUntil(until: number): Promise<void> {
    this.ledger.blockedUntil = Math.max(this.ledger.blockedUntil, until);
  }
}

/**
 * The ledger as a small JSON file in the home folder, read and written under a lock for every send
 * (at most a few a second, so the lock is cheap). If the file cannot be used, this process falls back
 * to counting alone rather than stopping.
 */
export class FileRateBook implements RateBook {
  private readonly file: string;
  private readonly fallback = new MemoryRateBook();
  private warned = false;

  constructor(
    home: string,
    private readonly logger: Logger = silentLogger,
  ) {
    this.file = path.join(home, 'rate', 'requests.json');
  }

  take(now: () => number, capacity: number, windowMs: number): Promise<number> {
    return this.withLedger(
      (ledger) => takeFrom(ledger, now(), capacity, windowMs),
      () => this.fallback.take(now, capacity, windowMs),
    );
  }

  blockUntil(until: number): Promise<void> {
    return this.withLedger(
      (ledger) => {
        ledger.blockedUntil = Math.max(ledger.blockedUntil, until);
      },
      () => this.fallback.blockUntil(until),
    );
  }

  private async withLedger<T>(change: (ledger: Ledger) => T, fallback: () => Promise<T>): Promise<T> {
    let release: (() => Promise<void>) | undefined;
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      release = await lockfile.lock(this.file, {
        realpath: false,
        stale: 5_000,
        retries: { retries: 40, factor: 1.3, minTimeout: 2, maxTimeout: 100 },
        onCompromised: () => undefined,
      });
      const ledger = await this.read();
      const result = change(ledger);
      await writeFileAtomic(this.file, JSON.stringify(ledger));
      return result;
    } catch (error) {
      if (!this.warned) {
        this.warned = true;
        this.logger.warn(`the shared request counter (${this.file}) cannot be used, so this process counts alone: ${(error as Error).message}`);
      }
      return fallback();
    } finally {
      await release?.().catch(() => undefined);
    }
  }

  private async read(): Promise<Ledger> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as Partial<Ledger>;
      const sent = Array.isArray(parsed.sent) ? parsed.sent.filter((t): t is number => typeof t === 'number' && Number.isFinite(t)) : [];
      const blockedUntil = typeof parsed.blockedUntil === 'number' && Number.isFinite(parsed.blockedUntil) ? parsed.blockedUntil : 0;
      return { sent: sent.sort((a, b) => a - b), blockedUntil };
    } catch {
      return { sent: [], blockedUntil: 0 };
    }
  }
}

export interface RateLimiterOptions {
  /** Longest a 429 can hold everyone back, Retry-After included (default 60 s). */
  maxCooldownMs?: number;
  /** Shared with other processes (FileRateBook), or this process's own (default). */
  book?: RateBook;
}

/**
 * One request-rate cap shared by every task (and, with a FileRateBook, every process): at most
 * `perSecond` requests start in any window of one second. Callers in this process are served in order.
 * A 429 holds everyone back: by the server's Retry-After (bounded), or by a cool-down that doubles while
 * 429s keep coming and halves after successes.
 */
export class RateLimiter {
  private readonly capacity: number;
  private readonly windowMs: number;
  private readonly maxCooldownMs: number;
  private readonly book: RateBook;
  private cooldownMs = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    perSecond: number,
    options: RateLimiterOptions = {},
  ) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new Error('perSecond must be a positive number');
    // Below one request a second, spread them out: one request per 1/perSecond seconds.
    this.capacity = Math.max(1, Math.floor(perSecond));
    // 5% longer than a second: requests arrive with a few ms of jitter, and the cap is what the relay sees.
    this.windowMs = ((1000 * this.capacity) / perSecond) * 1.05;
    this.maxCooldownMs = options.maxCooldownMs ?? 60_000;
    this.book = options.book ?? new MemoryRateBook();
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
      signal?.throwIfAborted();
      const wait = await this.book.take(() => this.clock.now(), this.capacity, this.windowMs);
      if (wait <= 0) return;
      // Never longer than the longest hold a 429 can ask for: another process's odd clock cannot freeze us.
      await this.clock.sleep(Math.min(wait, this.maxCooldownMs), signal);
    }
  }

  /** After a 429: everyone waits, at most `maxCooldownMs` whatever Retry-After says. */
  penalize(retryAfterMs?: number): void {
    this.cooldownMs = Math.min(this.maxCooldownMs, this.cooldownMs ? this.cooldownMs * 2 : 1000);
    const asked = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0 ? retryAfterMs : this.cooldownMs;
    const hold = Math.min(asked, this.maxCooldownMs);
    void this.book.blockUntil(this.clock.now() + hold);
  }

  /** After a success: the cool-down relaxes. */
  reward(): void {
    this.cooldownMs = this.cooldownMs <= 1000 ? 0 : this.cooldownMs / 2;
  }

  get currentCooldownMs(): number {
    return this.cooldownMs;
  }
}
