import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import type { Clock } from '../util/clock';
import { silentLogger, type Logger } from '../util/log';
import { SpendLimitError, type SpendCheck } from './spend';
import type { StoryboardLink } from './types';

/**
 * One paid request on its way, in some process on this home folder: reserved under the spend lock,
 * kept until its task is in the history (or no task was made). While its process lives, the
 * reservation's own lock (`<id>.json.lock`) is kept fresh; once that goes stale the process has died.
 */
export interface Reservation {
  id: string;
  /** When it was reserved (the reserving engine's clock). */
  at: number;
  params: { model: string; size: string; duration: number };
  /** The storyboard clip it is for. */
  storyboard?: StoryboardLink;
  /** The task the relay made for it, once it answered (the history may already hold it). */
  taskId?: string;
  /**
   * False when its process died on the way: the request may have reached the relay (and been billed)
   * without anyone recording the task. It is counted like a failed video of its day, never waited for.
   */
  live: boolean;
}

const reservationSchema = z.object({
  id: z.string(),
  at: z.number(),
  params: z.object({ model: z.string(), size: z.string(), duration: z.number() }),
  storyboard: z.object({ file: z.string(), clipId: z.string(), fingerprint: z.string() }).optional(),
  taskId: z.string().optional(),
});

/** The spend lock could not be taken: nothing is sent without it. */
export class SpendLockError extends Error {
  override readonly name = 'SpendLockError';
  readonly messageZh: string;

  constructor(
    readonly lockPath: string,
    reason: 'busy' | 'unusable',
    detail?: string,
  ) {
    const why =
      reason === 'busy'
        ? 'another window or server kept it the whole time'
        : `it cannot be used (${detail ?? 'unknown error'}): something that is not our lock may be in its place`;
    const whyZh = reason === 'busy' ? '另一个窗口或服务器一直占用着它' : `它无法使用（${detail ?? '未知错误'}），该位置可能有不属于本程序的文件`;
    super(
      `The spend lock (${lockPath}) that keeps two windows or servers from passing the daily limits together could not be taken: ${why}. ` +
        `Nothing was sent, so nothing was billed. Try again in a minute; if this keeps happening while no other window or server is generating, delete ${lockPath}.`,
    );
    this.messageZh =
      `无法获取防止多个窗口或服务器同时超出每日上限的用量锁（${lockPath}）：${whyZh}。未发送任何请求，不会计费。` +
      `请一分钟后重试；若在没有其他窗口或服务器生成视频时仍反复出现，请删除 ${lockPath}。`;
  }
}

/** Under the spend lock, the request turned out to be made or on its way already (another process's storyboard batch did it). */
export class NoLongerNeededError extends Error {
  override readonly name = 'NoLongerNeededError';
  constructor() {
    super('Another window or server has made this video, or is making it: nothing was sent.');
  }
}

/** A reservation to keep while the request is on its way. */
export interface SpendTicket {
  /** The relay made the task: noted, so no process counts it twice once the history holds it. */
  made(taskId: string): Promise<void>;
  /** The task is in the history, or no task was made: the reservation goes. */
  release(): Promise<void>;
}

export interface GateRequest {
  params: Reservation['params'];
  storyboard?: StoryboardLink;
  /** Today against the limits with these reservations counted (the caller decides which still count). */
  check(pending: readonly Reservation[]): SpendCheck;
  /** Reads the shared history again (called under the lock: another process may just have added a task). */
  refresh(): Promise<void>;
  approve?: (check: SpendCheck) => Promise<boolean>;
  howToRaise: { en: string; zh: string };
  /** Asked with the history and the reservations as they are under the lock: false = made or on its way already. */
  stillNeeded?: (pending: readonly Reservation[]) => boolean;
  /** The caller gave up: stop waiting for the lock (its reason is thrown). */
  signal?: AbortSignal;
}

export interface SpendGateOptions {
  clock: Clock;
  logger?: Logger;
  /** A lock or reservation whose process stopped refreshing it is stale after this long (real ms; default 20 s). */
  staleMs?: number;
  /** Longest wait for the spend lock before refusing (default: twice `staleMs` and 10 s, so a dead holder's lock is always taken over first). */
  lockWaitMs?: number;
}

/** Reservations older than this are gone whatever they say (their day is long over). */
const FORGET_AFTER_MS = 48 * 60 * 60 * 1000;
const LOCK_POLL_MS = 100;

/**
 * The callers of this process waiting for a spend lock, in line, per lock path. proper-lockfile's
 * takeover of a dead holder's lock is not atomic: two callers that both saw it stale can both "take" it
 * (the second removes the lock the first just made). So one process lets one caller at a time try.
 * A caller that gives up leaves the line at once; the one behind it then waits for the one before it.
 */
const lines = new Map<string, Promise<void>>();

async function takeTurn(lockPath: string, signal: AbortSignal | undefined): Promise<() => void> {
  const before = lines.get(lockPath) ?? Promise.resolve();
  let free!: () => void;
  const mine = new Promise<void>((resolve) => (free = resolve));
  const after = before.then(() => mine);
  lines.set(lockPath, after);
  void after.then(() => {
    if (lines.get(lockPath) === after) lines.delete(lockPath);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => reject(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      void before.then(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  } catch (error) {
    free();
    throw error;
  }
  return free;
}

/** Leaves a lock that another process has taken over: forgets it here without removing the other's lock. */
const keepTheirs = { ...fs, rmdir: (_path: fs.PathLike, callback: (error: NodeJS.ErrnoException | null) => void) => callback(null) };

/**
 * Makes "check today's spend and reserve the request" one step across every process on the home folder
 * (two windows at video 19 of 20 must not both pass), without holding any lock across a network wait:
 *
 * 1. outside the lock: check, and ask the person when over a limit (the answer may take minutes);
 * 2. under `<home>/spend.lock` (proper-lockfile; a dead holder's lock goes stale and is taken over):
 *    re-read the history and every reservation, check again, ask `stillNeeded`, write a reservation;
 * 3. without the lock: the rate cap, the create request (429s and all), recording the task;
 * 4. the reservation goes once the task is in the history.
 *
 * A lock that cannot be had within `lockWaitMs` refuses the request (SpendLockError): never unlocked.
 */
export class SpendGate {
  readonly lockPath: string;
  private readonly file: string;
  private readonly dir: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly staleMs: number;
  private readonly lockWaitMs: number;

  constructor(home: string, options: SpendGateOptions) {
    this.file = path.join(home, 'spend');
    this.lockPath = `${this.file}.lock`;
    this.dir = path.join(home, 'spend-reservations');
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
    this.staleMs = Math.max(2000, options.staleMs ?? 20_000);
    this.lockWaitMs = options.lockWaitMs ?? 2 * this.staleMs + 10_000;
  }

  /**
   * Resolves with the request's reservation once it is within the limits (or approved) and still needed;
   * throws SpendLimitError (over, no yes), NoLongerNeededError, SpendLockError, or the signal's reason.
   */
  async reserve(request: GateRequest): Promise<SpendTicket> {
    let approvedUpTo: { videos: number; seconds: number } | undefined;
    // Within what the person allowed: another window may add a video meanwhile (a little slack, not a new question).
    const allowed = (c: SpendCheck) =>
      !c.over.length || (approvedUpTo !== undefined && c.videos <= approvedUpTo.videos + 1 && c.seconds <= approvedUpTo.seconds + 25);
    for (let round = 0; round < 5; round++) {
      const seen = await this.pending();
      if (request.stillNeeded && !request.stillNeeded(seen)) throw new NoLongerNeededError();
      const before = request.check(seen);
      if (!allowed(before)) {
        if (!request.approve || !(await request.approve(before))) throw new SpendLimitError(before, request.howToRaise);
        approvedUpTo = { videos: before.videos, seconds: before.seconds };
      }
      const lock = await this.lock(request.signal);
      try {
        await request.refresh();
        const pending = await this.pending(true);
        if (request.stillNeeded && !request.stillNeeded(pending)) throw new NoLongerNeededError();
        if (!allowed(request.check(pending))) continue;
        const ticket = await this.write(request);
        // Our lock went stale while we held it (a frozen process), or another process took it over at the
        // moment we took it: someone else may have decided without seeing this reservation.
        if (!(await lock.lost())) return ticket;
        await ticket.release();
      } finally {
        await lock.release();
      }
    }
    throw new SpendLimitError(request.check(await this.pending()), request.howToRaise);
  }

  /** Every reservation on the home folder, live or left by a dead process; `prune` (under the lock) deletes what is long over. */
  async pending(prune = false): Promise<Reservation[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const now = this.clock.now();
    const found: Reservation[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (name.endsWith('.json.lock')) {
        // A reservation's lock without its file: its process died between the two, or while releasing.
        if (prune && !names.includes(name.slice(0, -'.lock'.length)) && !(await this.isLive(file.slice(0, -'.lock'.length)))) {
          await rm(file, { recursive: true, force: true }).catch(() => undefined);
        }
        continue;
      }
      if (!name.endsWith('.json')) continue;
      const reservation = await this.read(file);
      if (!reservation) {
        if (prune) await rm(file, { force: true }).catch(() => undefined);
        continue;
      }
      const live = await this.isLive(file);
      if (!live && prune && now - reservation.at > FORGET_AFTER_MS) {
        await rm(file, { force: true }).catch(() => undefined);
        continue;
      }
      found.push({ ...reservation, live });
    }
    return found;
  }

  private async read(file: string): Promise<Omit<Reservation, 'live'> | undefined> {
    try {
      const parsed = reservationSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch (error) {
      // Gone meanwhile (released): not a reservation any more. Anything else unreadable: not ours to count.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.logger.warn(`spend reservation ${file} is unreadable: ${(error as Error).message}`);
      return undefined;
    }
  }

  private isLive(file: string): Promise<boolean> {
    return lockfile.check(file, { realpath: false, stale: this.staleMs }).catch(() => false);
  }

  /** Writes the reservation (its lock first: a reservation file is never seen without a live lock while its process lives). */
  private async write(request: GateRequest): Promise<SpendTicket> {
    const id = randomUUID();
    const file = path.join(this.dir, `${id}.json`);
    await mkdir(this.dir, { recursive: true });
    const unlock = await lockfile.lock(file, {
      realpath: false,
      stale: this.staleMs,
      update: this.staleMs / 4,
      onCompromised: (error) => this.logger.warn(`the spend reservation ${id} went stale while its request was on its way: ${error.message}`),
    });
    const record: Omit<Reservation, 'live'> = {
      id,
      at: this.clock.now(),
      params: request.params,
      ...(request.storyboard ? { storyboard: request.storyboard } : {}),
    };
    try {
      await writeFileAtomic(file, JSON.stringify(record));
    } catch (error) {
      await unlock().catch(() => undefined);
      throw error;
    }
    let released = false;
    return {
      made: async (taskId) => {
        record.taskId = taskId;
        // Only spares other processes a double count for a moment: a failure to note it is harmless.
        await writeFileAtomic(file, JSON.stringify(record)).catch((e: Error) => this.logger.warn(`spend reservation ${id}: ${e.message}`));
      },
      release: async () => {
        if (released) return;
        released = true;
        await rm(file, { force: true }).catch((e: Error) => this.logger.warn(`spend reservation ${id} not removed: ${e.message}`));
        await unlock().catch(() => undefined);
      },
    };
  }

  /** How many callers of this process wait for the spend lock (in line, or on the clock for another process's). */
  get waiting(): number {
    return this.waiters;
  }
  private waiters = 0;

  /**
   * The spend lock, waited for on the clock; refused when it cannot be had (never proceeds unlocked).
   * `lost()` says whether it stopped being ours: it went stale while held, or another process's takeover
   * of a dead holder's lock raced ours (`<home>/spend.owner` names the last taker; it is written before
   * anything is read under the lock, and checked after the reservation is written).
   */
  private async lock(signal?: AbortSignal): Promise<{ release: () => Promise<void>; lost: () => Promise<boolean> }> {
    this.waiters++;
    // Waiting in line counts: the callers behind a holder that never lets go are all refused by the same time.
    const deadline = this.clock.now() + this.lockWaitMs;
    let free: (() => void) | undefined;
    let held: Awaited<ReturnType<SpendGate['acquire']>> | undefined;
    const token = randomUUID();
    const theirs = async () => (await readFile(this.ownerPath, 'utf8').catch(() => '')) !== token;
    const release = async () => {
      try {
        // Taken over by another process: forgotten here, their lock left in place.
        if (await theirs()) await lockfile.unlock(this.file, { realpath: false, fs: keepTheirs }).catch(() => undefined);
        else await held?.release();
      } finally {
        free?.();
      }
    };
    try {
      free = await takeTurn(this.lockPath, signal);
      held = await this.acquire(deadline, signal);
      const compromised = held.compromised;
      await writeFileAtomic(this.ownerPath, token);
      return { release, lost: async () => compromised() || (await theirs()) };
    } catch (error) {
      await held?.release();
      free?.();
      throw error;
    } finally {
      this.waiters--;
    }
  }

  private get ownerPath(): string {
    return `${this.file}.owner`;
  }

  private async acquire(deadline: number, signal?: AbortSignal): Promise<{ release: () => Promise<void>; compromised: () => boolean }> {
    await mkdir(path.dirname(this.file), { recursive: true });
    for (;;) {
      signal?.throwIfAborted();
      let compromised = false;
      try {
        const release = await lockfile.lock(this.file, {
          realpath: false,
          stale: this.staleMs,
          update: this.staleMs / 4,
          retries: 0,
          onCompromised: () => (compromised = true),
        });
        return { release: () => release().catch(() => undefined), compromised: () => compromised };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // ENOENT: another process took over a dead holder's lock at the same moment (it removed what this
        // one was looking at): as passing as ELOCKED, so it is tried again.
        const passing = code === 'ELOCKED' || code === 'ENOENT';
        if (!passing) throw new SpendLockError(this.lockPath, 'unusable', code ?? (error as Error).message);
        if (this.clock.now() >= deadline)
          throw code === 'ELOCKED' ? new SpendLockError(this.lockPath, 'busy') : new SpendLockError(this.lockPath, 'unusable', code);
        await this.clock.sleep(LOCK_POLL_MS, signal);
      }
    }
  }
}
