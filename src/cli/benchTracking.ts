// Section 1 of `npm run bench`: the tracker on every relay profile, on simulated time. The engine's own
// parts do the work (TaskTracker and its PollPlanner, every request through a RateLimiter on a
// FileRateBook in a temporary home); the relay is the simulator's job timelines and answer shapes, read
// by the client's normaliser, in-process. Time is virtual: it moves to the next wake-up only once every
// actor waits on the clock and no file operation is under way, so the figures are the same on any machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileRateBook, RateLimiter, type RateBook } from '../core/rateLimiter';
import { isRunning, TaskTracker, type TrackedRecords } from '../core/tracker';
import { validateGenerationParams } from '../core/params';
import type { TaskRecord } from '../core/types';
import { normalizeQueryResponse } from '../juxin/normalize';
import type { GenerationParams, JuxinApi, NormalizedTask } from '../juxin/types';
import { createJob, jobState, type JobCounters, type Timing } from '../simulator/jobs';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../simulator/profiles';
import { renderCreated, renderTask, type ShapeOptions } from '../simulator/shapes';
import { decideWire, newWireCounters, storageFileOf, type RelayTask } from '../simulator/wire';
import type { Clock } from '../util/clock';
import { silentLogger } from '../util/log';
import { seededRandom } from '../util/random';
import { busiest, fixedPoller, summarize, type PollingFigures, type TaskFigures } from './pollingFigures';

export const P90_TARGET_S = 12;
export const QUERY_SHARE_TARGET = 0.4;
/** The engine's defaults: no task asked about more often than every 5 s, at most 2 requests a second on one key. */
const MIN_POLL_MS = 5000;
const CAP_PER_SECOND = 2;
const MAX_TASK_AGE_MS = 2 * 3600_000;
const T0 = 1_700_000_000_000;
/** How long an answer takes to come back, ms: drawn evenly from this range. */
const LATENCY_MS = [200, 1000] as const;

/**
 * What a user makes: mostly Veo 3.1 fast (8 s), some 15 s Grok videos, some Veo 3.1 pro (longer to
 * generate). Models the relay lists since Sora 2 was retired (2026-09-24); the mix had been 10 s sora-2,
 * some 15 s, some sora-2-pro.
 */
export function userParams(random: () => number, i: number): GenerationParams {
  const r = random();
  if (r < 0.7) return validateGenerationParams({ prompt: `bench ${i}`, model: 'veo3.1-fast' });
  if (r < 0.85) return validateGenerationParams({ prompt: `bench ${i}`, model: 'grok-video-3', duration: 15 });
  return validateGenerationParams({ prompt: `bench ${i}`, model: 'veo3.1-pro' });
}

/**
 * A clock whose time moves only when nothing can happen before the next wake-up: every actor sleeps
 * on it and no counted operation (real file I/O) is under way. Then it jumps to the earliest deadline.
 */
class VirtualTime implements Clock {
  private time = T0;
  private sleepers: { until: number; wake: () => void }[] = [];
  private busy = 0;
  private idle: (() => void)[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal!.reason);
      };
      const sleeper = {
        until: this.time + (Number.isFinite(ms) ? Math.max(0, ms) : 0),
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Real work (file I/O) the simulated world must wait for: time stands still until it is done. */
  async counted<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await work();
    } finally {
      if (--this.busy === 0) for (const wake of this.idle.splice(0)) wake();
    }
  }

  /** Runs the world until `done`: settle, move to the earliest deadline, wake who waits for it, again. */
  async run(done: () => boolean): Promise<void> {
    for (;;) {
      await this.settle();
      if (done()) return;
      if (!this.sleepers.length) throw new Error('the simulated world is stuck: nobody waits on the clock, yet it is not done');
      this.time = Math.max(this.time, Math.min(...this.sleepers.map((s) => s.until)));
      const due = this.sleepers.filter((s) => s.until <= this.time);
      this.sleepers = this.sleepers.filter((s) => s.until > this.time);
      for (const s of due) s.wake();
    }
  }

  /** Until no counted work runs and every promise chain has gone as far as it can. */
  private async settle(): Promise<void> {
    for (;;) {
      if (this.busy > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      if (this.busy === 0) return;
    }
  }
}

/** The relay in-process: the simulator's job timelines and answer shapes on the virtual clock; every query's time kept. */
class BenchRelay implements JuxinApi {
  readonly jobs = new Map<string, RelayTask>();
  readonly queries = new Map<string, number[]>();
  private readonly random: () => number;
  /** Its own stream, so the jobs are the same whatever the answers' timing. */
  private readonly latency: () => number;
  private readonly counters: JobCounters = { serial: 0, failures: 0 };
  /** Each job dressed as the real relay's default mix dresses it (the wire's id kinds and query shapes). */
  private readonly wires = newWireCounters();

  constructor(
    private readonly clock: Clock,
    private readonly timing: Timing,
    seed: number,
  ) {
    this.random = seededRandom(seed);
    const random = seededRandom(seed + 2);
    this.latency = () => LATENCY_MS[0] + (LATENCY_MS[1] - LATENCY_MS[0]) * random();
  }

  /** The answer arrives a round trip after the request reached the relay (where its time was taken). */
  private async answer(body: Record<string, unknown>): Promise<NormalizedTask> {
    await this.clock.sleep(this.latency());
    return normalizeQueryResponse(body);
  }

  async createVideo(params: GenerationParams): Promise<NormalizedTask> {
    const now = this.clock.now();
    const n = this.counters.serial;
    const dress = decideWire({}, { brochure: false }, this.wires);
    const id = `bench-${n}`;
    const style = dress.id === 'video' ? ('video' as const) : ('task' as const);
    const input = { id, style, prompt: params.prompt, orientation: params.orientation, images: [], private: false, createdAt: now };
    const planned = createJob({ ...input, model: params.model, duration: params.duration, size: params.size }, this.timing, this.random, this.counters);
    const job: RelayTask = Object.assign(planned, { wire: { ...dress, file: storageFileOf(id) } });
    this.jobs.set(job.id, job);
    this.queries.set(job.id, []);
    return this.answer(renderCreated(job, jobState(job, now), shape(now)));
  }

  async queryVideo(id: string): Promise<NormalizedTask> {
    const now = this.clock.now();
    const job = this.jobs.get(id);
    if (!job) throw new Error(`the bench relay does not know ${id}`);
    this.queries.get(id)!.push(now);
    return this.answer(renderTask(job, jobState(job, now), shape(now)));
  }

  remixVideo(): Promise<NormalizedTask> {
    throw new Error('not part of the tracking bench');
  }

  listModels(): never {
    throw new Error('not part of the tracking bench');
  }

  downloadHeaders(): Record<string, string> {
    return {};
  }

  createCharacter(): never {
    throw new Error('not part of the tracking bench');
  }

  /** Queries and detection delay of one finished job, beside a fixed 10 s poller. */
  figures(id: string): TaskFigures {
    const job = this.jobs.get(id)!;
    const times = this.queries.get(id)!;
    const seen = times.find((t) => t >= job.completesAt);
    if (seen === undefined) throw new Error(`${id} was never seen done`);
    const fixed = fixedPoller(job.completesAt - job.createdAt);
    return { queries: times.length, delayMs: seen - job.completesAt, fixedQueries: fixed.queries, fixedDelayMs: fixed.delayMs };
  }
}

const shape = (now: number): ShapeOptions => ({
  upperCaseStatus: false,
  omitTopLevelVideoUrl: false,
  now,
  fileUrl: (task, name) => `https://files.bench.test/${encodeURIComponent(task.id)}/${name}`,
});

export interface TrackingLoad {
  profile: ProfileName;
  tasks: number;
  /** Creations are up to this far apart (drawn evenly); 0: one after another, as fast as the cap lets (a storyboard). */
  maxGapMs: number;
  seed: number;
  /** What an earlier run learned about this relay (`pollStats`); default: nothing (a fresh engine). */
  pollStats?: unknown;
}

export interface TrackingFigures extends PollingFigures {
  /** Every request (creates and queries), and the most in any 1 s of simulated time. */
  requests: number;
  busiestSecond: number;
  pollStats: unknown;
}

/** One relay profile, one load: tasks created as the load says, tracked until each is done; the figures from what the relay saw. */
export async function runTracking(load: TrackingLoad): Promise<TrackingFigures> {
  const time = new VirtualTime();
  const clock: Clock = time;
  const home = mkdtempSync(path.join(tmpdir(), 'juxin-sora-bench-tracking-'));
  const file = new FileRateBook(home);
  const sent: number[] = [];
  const book: RateBook = {
    take: (now, capacity, windowMs) =>
      time.counted(async () => {
        const wait = await file.take(now, capacity, windowMs);
        if (wait <= 0) sent.push(clock.now());
        return wait;
      }),
    blockUntil: (until) => time.counted(() => file.blockUntil(until)),
  };
  const limiter = new RateLimiter(clock, CAP_PER_SECOND, { book });
  const relay = new BenchRelay(clock, PROFILES[load.profile], load.seed);
  const records = new Map<string, TaskRecord>();
  const history: TrackedRecords = {
    get: (id) => records.get(id),
    mutate: async (id, change) => {
      const task = records.get(id);
      if (!task) throw new Error(`no record of ${id}`);
      change(task);
      return task;
    },
  };
  const lifetime = new AbortController();
  const tracker = new TaskTracker({
    records: history,
    api: () => relay,
    limiter,
    clock,
    logger: silentLogger,
    minPollIntervalMs: MIN_POLL_MS,
    maxTaskAgeMs: MAX_TASK_AGE_MS,
    lifetime: lifetime.signal,
    pollStats: load.pollStats,
  });
  let created = 0;
  // The user (or a storyboard's batch): creates through the cap, then the task is followed (engine.generate).
  const creator = (async () => {
    const random = seededRandom(load.seed + 1);
    for (let i = 0; i < load.tasks; i++) {
      await clock.sleep(random() * load.maxGapMs);
      await limiter.acquire();
      const params = userParams(random, i);
      const answer = await relay.createVideo(params);
      const now = clock.now();
      const record: TaskRecord = {
        id: answer.id,
        source: 'cli',
        createdAt: now,
        updatedAt: now,
        params,
        status: answer.status,
        progress: answer.progress,
        download: { state: 'none' },
      };
      records.set(record.id, record);
      tracker.created(record, answer);
      tracker.follow(record.id);
      created++;
    }
  })();
  try {
    await time.run(() => created === load.tasks && [...records.values()].every((r) => !isRunning(r)));
    await creator;
    const failed = [...records.values()].filter((r) => r.status !== 'completed');
    if (failed.length) throw new Error(`${failed.length} tasks did not complete: ${failed[0].failureReason}`);
    return {
      ...summarize([...records.keys()].map((id) => relay.figures(id))),
      requests: sent.length,
      busiestSecond: busiest(sent),
      pollStats: tracker.pollStats(),
    };
  } finally {
    tracker.dispose();
    lifetime.abort();
    rmSync(home, { recursive: true, force: true });
  }
}

const USER_TASKS = 40;
const USER_GAP_MS = 60_000;
const STORYBOARD_TASKS = 20;

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const pad = (text: string, n: number) => text.padEnd(n);

/** The table of one load over every profile, and whether it meets the targets. */
function report(figures: TrackingFigures[]): boolean {
  console.log(`   ${pad('profile', 12)} ${pad('queries/task (fixed)', 22)} ${pad('share', 6)} ${pad('detection p50 / p90 / max', 28)} fixed p90`);
  for (const [i, f] of figures.entries()) {
    const perTask = `${fmt(f.queries / f.tasks)} (${fmt(f.fixedQueries / f.tasks)})`;
    const delays = `${fmt(f.p50)} / ${fmt(f.p90)} / ${fmt(f.max)} s`;
    console.log(
      `   ${pad(PROFILE_NAMES[i], 12)} ${pad(perTask, 22)} ${pad(`${fmt((100 * f.queries) / f.fixedQueries, 0)}%`, 6)} ${pad(delays, 28)} ${fmt(f.fixedP90)} s`,
    );
  }
  const queries = figures.reduce((a, f) => a + f.queries, 0);
  const fixed = figures.reduce((a, f) => a + f.fixedQueries, 0);
  const tasks = figures.reduce((a, f) => a + f.tasks, 0);
  const share = queries / fixed;
  const worst = Math.max(...figures.map((f) => f.p90));
  const busiestSecond = Math.max(...figures.map((f) => f.busiestSecond));
  console.log(`   ${pad('overall', 12)} ${pad(`${fmt(queries / tasks)} (${fmt(fixed / tasks)})`, 22)} ${fmt(100 * share, 0)}%`);
  const p90Pass = worst <= P90_TARGET_S;
  const sharePass = share <= QUERY_SHARE_TARGET;
  console.log(
    `   → p90 detection ≤ ${P90_TARGET_S} s on every profile (worst ${fmt(worst)} s): ${p90Pass ? 'PASS' : 'FAIL'}; ` +
      `all queries ${fmt(100 * share, 0)}% of the fixed poller's (target ≤ ${100 * QUERY_SHARE_TARGET}%): ${sharePass ? 'PASS' : 'FAIL'}; ` +
      `at most ${busiestSecond} requests in any second (cap ${CAP_PER_SECOND}): ${busiestSecond <= CAP_PER_SECOND ? 'PASS' : 'FAIL'}`,
  );
  return p90Pass && sharePass && busiestSecond <= CAP_PER_SECOND;
}

export async function trackingSection(): Promise<void> {
  console.log(
    `1. Tracking on simulated time: the engine's TaskTracker and PollPlanner, every request through its RateLimiter (${CAP_PER_SECOND}/s on a FileRateBook),`,
  );
  console.log(
    `   poll interval at least ${MIN_POLL_MS / 1000} s; jobs and answers from the simulator's profiles, each answer ${LATENCY_MS[0] / 1000}–${LATENCY_MS[1] / 1000} s on its way;`,
  );
  console.log(`   detection delay: from a job's completion to the first query that reaches the relay after it; beside a fixed 10 s poller on the same jobs`);
  console.log(
    `   a) one user: ${USER_TASKS} tasks per profile, created 0–${USER_GAP_MS / 1000} s apart (mostly 8 s veo3.1-fast, some 15 s grok-video-3 and veo3.1-pro), a fresh engine`,
  );
  const user = await Promise.all(PROFILE_NAMES.map((profile) => runTracking({ profile, tasks: USER_TASKS, maxGapMs: USER_GAP_MS, seed: 7 })));
  report(user);
  console.log(
    `   b) a storyboard: ${STORYBOARD_TASKS} clips created at once on one key, all in flight together, a fresh engine that knows nothing of the relay`,
  );
  report(await Promise.all(PROFILE_NAMES.map((profile) => runTracking({ profile, tasks: STORYBOARD_TASKS, maxGapMs: 0, seed: 11 }))));
  console.log(
    `   c) the same storyboard on an engine that already followed the user's ${USER_TASKS} tasks on this relay (what it learned, passed as pollStats)`,
  );
  report(
    await Promise.all(
      PROFILE_NAMES.map((profile, i) => runTracking({ profile, tasks: STORYBOARD_TASKS, maxGapMs: 0, seed: 11, pollStats: user[i].pollStats })),
    ),
  );
  console.log();
}
