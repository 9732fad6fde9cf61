import { JuxinError } from '../juxin/errors';
import type { JuxinApi, NormalizedTask, TaskStatus } from '../juxin/types';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/log';
import type { RelayStatsJson } from './relayStats';
import { observationOf, PollPlanner } from './schedule';
import type { RateLimiter } from './rateLimiter';
import type { TaskRecords } from './records';
import type { TaskRecord } from './types';

export const RUNNING: readonly TaskStatus[] = ['queued', 'processing'];

export function isRunning(task: { status: TaskStatus }): boolean {
  return RUNNING.includes(task.status);
}

/** Folds one normalized answer into a record. Progress never goes backwards while a task runs. */
export function foldResult(t: TaskRecord, r: NormalizedTask, now: number): void {
  const wasRunning = isRunning(t);
  t.status = r.status;
  t.progress = r.status === 'completed' ? 100 : wasRunning ? Math.max(t.progress, r.progress) : r.progress;
  t.queuePosition = r.status === 'queued' ? r.queuePosition : undefined;
  if (r.videoUrl && r.videoUrl !== t.videoUrl) {
    t.videoUrl = r.videoUrl;
    t.videoUrlReceivedAt = now;
  }
  if (r.thumbnailUrl) t.thumbnailUrl = r.thumbnailUrl;
  if (r.gifUrl) t.gifUrl = r.gifUrl;
  if (r.status === 'failed') t.failureReason = r.failureReason ?? 'no reason given';
  if (r.status === 'completed' && !t.completedAt) t.completedAt = now;
  delete t.lastError;
}

/** What tracking needs of the history: a record, and a change to one. */
export type TrackedRecords = Pick<TaskRecords, 'get' | 'mutate'>;

export interface TrackerOptions {
  records: TrackedRecords;
  api: () => JuxinApi;
  limiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  minPollIntervalMs: number;
  /** Give up on a task the provider never finishes after this long. */
  maxTaskAgeMs: number;
  /** Ends every loop and every request when the engine is disposed. */
  lifetime: AbortSignal;
  /** What an earlier run learned about the relay's timings, to start from. */
  pollStats?: unknown;
}

/**
 * Follows running tasks that this process owns: one loop per task, spaced by the adaptive schedule,
 * every request through the shared rate cap. Auth and config problems pause every loop until the key
 * changes; a task Juxin never finishes (or no longer knows) is given up on with a reason.
 */
export class TaskTracker {
  private readonly loops = new Map<string, AbortController>();
  private readonly planner: PollPlanner;
  private paused: Promise<void> | undefined;
  private unpause: (() => void) | undefined;

  constructor(private readonly o: TrackerOptions) {
    this.planner = new PollPlanner({ minIntervalMs: o.minPollIntervalMs, stats: o.pollStats });
  }

  /** The answer that created a task: the planner's first look at it. */
  created(task: TaskRecord, answer: NormalizedTask): void {
    this.planner.observe(task.id, observationOf(task, answer, this.o.clock.now()));
  }

  /** What tracking learned about the relay's timings, as plain JSON (pass it back as `pollStats`). */
  pollStats(): RelayStatsJson {
    return this.planner.exportStats();
  }

  isFollowing(id: string): boolean {
    return this.loops.has(id);
  }

  /** Starts following a running task (once; a second call while it runs does nothing). */
  follow(id: string): void {
    if (this.loops.has(id) || this.o.lifetime.aborted) return;
    const controller = new AbortController();
    this.loops.set(id, controller);
    const signal = AbortSignal.any([controller.signal, this.o.lifetime]);
    this.loop(id, signal)
      .catch((error: unknown) => {
        if (!signal.aborted) this.o.logger.error(`tracking ${id} stopped: ${describe(error)}`);
      })
      .finally(() => {
        if (this.loops.get(id) !== controller) return;
        this.loops.delete(id);
        this.planner.forget(id);
      });
  }

  stop(id: string): void {
    this.loops.get(id)?.abort();
    this.loops.delete(id);
    this.planner.forget(id);
  }

  /** Asks Juxin about a task now (through the shared rate cap) and records the answer. */
  async query(id: string, signal: AbortSignal = this.o.lifetime): Promise<TaskRecord> {
    await this.o.limiter.acquire(signal);
    const result = await this.o.api().queryVideo(id, { signal });
    this.o.limiter.reward();
    return this.record(id, result);
  }

  /** Lets paused tracking go on (call after the API key changed). */
  resume(): void {
    this.unpause?.();
    this.paused = undefined;
    this.unpause = undefined;
  }

  dispose(): void {
    for (const controller of this.loops.values()) controller.abort();
    this.loops.clear();
    this.resume();
  }

  private async loop(id: string, signal: AbortSignal): Promise<void> {
    let failures = 0;
    let notFound = 0;
    for (;;) {
      const task = this.o.records.get(id);
      if (!task || !isRunning(task)) return;
      const now = this.o.clock.now();
      if (now - task.createdAt > this.o.maxTaskAgeMs) {
        await this.giveUp(id, `timed out: Juxin did not finish the task within ${Math.round(this.o.maxTaskAgeMs / 60000)} minutes; check the Juxin console`);
        return;
      }
      const delay = this.planner.nextDelay(id, now);
      const backoff = failures ? Math.min(120_000, 2000 * 2 ** (failures - 1)) : 0;
      await this.o.clock.sleep(delay + backoff, signal);
      await this.paused;
      if (signal.aborted) return;
      try {
        await this.query(id, signal);
        failures = 0;
        notFound = 0;
      } catch (error) {
        if (signal.aborted) return;
        failures++;
        if (!(error instanceof JuxinError)) {
          this.o.logger.error(`query of ${id} failed: ${describe(error)}`);
          continue;
        }
        if (error.kind === 'rate_limit') this.o.limiter.penalize(error.retryAfterMs);
        // A wrong base URL (the relay lacks the route) is a setting too: every task would fail alike.
        if (error.kind === 'auth' || error.kind === 'config' || error.kind === 'quota' || error.kind === 'no_route') this.pause(error);
        if (error.kind === 'not_found' && ++notFound >= 5) {
          await this.giveUp(id, 'Juxin no longer knows this task (404); check the Juxin console');
          return;
        }
        this.o.logger.warn(`query of ${id} failed (${error.kind}): ${error.message}`);
        await this.o.records
          .mutate(id, (t) => {
            t.lastError = { kind: error.kind, message: error.message, at: this.o.clock.now() };
          })
          .catch((e: unknown) => this.o.logger.warn(`could not note the problem on ${id}: ${describe(e)}`));
      }
    }
  }

  private record(id: string, result: NormalizedTask): Promise<TaskRecord> {
    const known = this.o.records.get(id);
    if (known) this.planner.observe(id, observationOf(known, result, this.o.clock.now()));
    return this.o.records.mutate(id, (t) => foldResult(t, result, this.o.clock.now()));
  }

  /** Stops following a task for good: failed with `reason`, and no stale tracking problem beside it. */
  private giveUp(id: string, reason: string): Promise<TaskRecord> {
    return this.o.records.mutate(id, (t) => {
      t.status = 'failed';
      t.failureReason = reason;
      delete t.lastError;
    });
  }

  /** Auth and config problems stop all polling until the key changes: no point hammering with a bad key. */
  private pause(error: JuxinError): void {
    if (this.paused) return;
    this.o.logger.warn(`tracking paused: ${error.message} — set a valid API key (or base URL) to resume`);
    this.paused = new Promise<void>((resolve) => (this.unpause = resolve));
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
