// The one place tests get their time from. Unit tests never sleep for real and never read the wall
// clock: the code under test gets a `TestClock`, and the test says when time passes. Real I/O (files,
// HTTP on loopback, a child process) still takes real time, so every step of simulated time first
// waits until the I/O that the last step started has finished: on a fast machine or a busy one, the
// code sees the same simulated times and the test sees the same outcome.
import { subscribe } from 'node:diagnostics_channel';
import { ManualClock, type Clock } from '../../src/util/clock';

/** Requests still in flight over undici (the client, the downloader and `fetch` alike): created, not yet answered in full. */
let httpInFlight = 0;
subscribe('undici:request:create', () => void httpInFlight++);
subscribe('undici:request:trailers', () => void httpInFlight--);
subscribe('undici:request:error', () => void httpInFlight--);

/**
 * libuv requests that mean "real work is under way": file system calls, writes to sockets, connects,
 * a child process. Handles that merely exist (a listening server, an idle socket, timers) do not count.
 */
const BUSY = /^(FSReq|FileHandle|CloseReq|WriteWrap|ShutdownWrap|TCPConnectWrap|PipeConnectWrap|GetAddrInfoReqWrap|ProcessWrap)/;

/** What real I/O is under way right now (empty: none). */
export function pendingIo(): string[] {
  const busy = process.getActiveResourcesInfo().filter((r) => BUSY.test(r));
  return httpInFlight > 0 ? [...busy, `${httpInFlight} HTTP request(s)`] : busy;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Real time a test may wait for real I/O or a real event before it fails, saying what it waited for: generous, for a busy 2-core machine. */
export const REAL_DEADLINE_MS = 120_000;

export interface RunOptions {
  /**
   * Never jump further than this in one step. Beyond it, simulated time stands still while the test
   * waits for real events instead (another process's file change, a lease going stale): use it when
   * those can still come. Default: no limit (with no I/O under way, the next deadline is what happens next).
   */
  maxStepMs?: number;
  /** Real time allowed before the run fails (default REAL_DEADLINE_MS). */
  realTimeoutMs?: number;
  /** Named in the failure. */
  what?: string;
}

/**
 * A ManualClock that knows about real I/O: `advance` moves from one sleeper's deadline to the next,
 * and before each step lets the I/O woken by the previous one finish (`settle`). `run` and `runUntil`
 * let simulated time pass until a promise settles or a condition holds.
 */
export class TestClock extends ManualClock {
  /** Resolves once no real I/O has been under way for a few turns of the event loop. */
  async settle(realTimeoutMs = REAL_DEADLINE_MS): Promise<void> {
    const deadline = Date.now() + realTimeoutMs;
    for (let quiet = 0; quiet < 3;) {
      await turn();
      const busy = pendingIo();
      quiet = busy.length ? 0 : quiet + 1;
      if (busy.length && Date.now() > deadline) throw new Error(`real I/O still under way after ${realTimeoutMs} ms: ${busy.join(', ')}`);
    }
  }

  /** Moves time forward by `ms`, one sleeper's deadline at a time, letting each step's I/O finish first. */
  override async advance(ms: number): Promise<void> {
    const target = this.now() + ms;
    for (;;) {
      await this.settle();
      const next = this.nextDeadline();
      if (next === undefined || next > target) break;
      await super.advance(Math.max(0, next - this.now()));
    }
    await super.advance(target - this.now());
    await this.settle();
  }

  /** Lets simulated time pass until `done()` holds; fails after `realTimeoutMs` of real time, saying where it stood. */
  async runUntil(done: () => boolean | Promise<boolean>, options: RunOptions = {}): Promise<void> {
    const realTimeoutMs = options.realTimeoutMs ?? REAL_DEADLINE_MS;
    const maxStep = options.maxStepMs ?? Number.POSITIVE_INFINITY;
    const started = this.now();
    const deadline = Date.now() + realTimeoutMs;
    for (;;) {
      await this.settle(realTimeoutMs);
      if (await done()) return;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${realTimeoutMs} ms of real time${options.what ? ` waiting for ${options.what}` : ''}: ` +
            `${Math.round((this.now() - started) / 1000)} s simulated, ${this.pendingSleeps} sleeper(s) left, next in ` +
            `${this.nextDeadline() === undefined ? 'never' : `${this.nextDeadline()! - this.now()} ms`}`,
        );
      }
      const next = this.nextDeadline();
      if (next !== undefined && next - this.now() <= maxStep) await super.advance(Math.max(0, next - this.now()));
      // Nothing due on this clock: what comes next is a real event (a file watcher, a timer of another
      // library). Wait a moment of real time for it; this only paces the loop, the deadline above bounds it.
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Lets simulated time pass until `promise` settles, and returns (or throws) what it settled with. */
  async run<T>(promise: Promise<T>, options: RunOptions = {}): Promise<T> {
    let settled = false;
    const watched = promise.then(
      (value) => {
        settled = true;
        return value;
      },
      (error: unknown) => {
        settled = true;
        throw error;
      },
    );
    // Observed at once, so a rejection before the loop ends is not "unhandled".
    watched.catch(() => undefined);
    await this.runUntil(() => settled, options);
    return watched;
  }
}

/** A clock whose sleeps return at once and move time forward, recording every wait: for code that only waits (retries, backoff), one caller at a time. */
export class VirtualClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.time += ms;
  }
}
