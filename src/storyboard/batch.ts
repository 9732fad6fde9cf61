import path from 'node:path';

import type { GenerateExtra, OrderView, WaitOptions, WaitResult } from '../core/engine';
import { NoLongerNeededError } from '../core/spendGate';
import type { TaskOrigin } from '../core/origin';
import type { GenerationInput } from '../core/params';
import type { StoryboardLink, TaskRecord } from '../core/types';
import { isHttpUrl } from '../juxin/images';
import { clipLabel, type ClipPlan } from './plan';
import type { ClipParams } from './prompt';

/** What a batch needs of the engine (a `VideoEngine` fits): every clip goes through `generate` like any video. */
export interface ClipEngine {
  generate(
    input: GenerationInput,
    origin: TaskOrigin,
    extra: Pick<GenerateExtra, 'approveSpend' | 'stillNeeded'> & { storyboard: StoryboardLink },
  ): Promise<TaskRecord>;
  waitFor(id: string, options: WaitOptions): Promise<WaitResult>;
}

/** One clip to generate: what to send and the fingerprint its task records. */
export interface ClipJob {
  clipId: string;
  index: number;
  /** "c3 Opening", for messages. */
  label: string;
  params: ClipParams;
  fingerprint: string;
  /** A new take of a clip whose video is ready (otherwise a ready video means it is no longer needed). */
  regenerate?: boolean;
}

/**
 * - waiting: not started yet (at most `maxInFlight` clips are in flight);
 * - skipped: when its turn came it no longer needed a video (another window or server made one or is making it);
 * - starting: the create request is on its way;
 * - started: its task exists and is being waited for (queued, generating, downloading);
 * - settled: its task finished (ready, failed, or not saved: the task says which);
 * - error: it could not be started (the error says why: a parameter, the key, a limit…);
 * - cancelled: the batch was stopped before its turn.
 */
export type ClipRunState = 'waiting' | 'skipped' | 'starting' | 'started' | 'settled' | 'error' | 'cancelled';

export interface ClipRun {
  job: ClipJob;
  state: ClipRunState;
  taskId?: string;
  error?: unknown;
  /** Asked when this clip would pass a daily limit (the request that added it decided how). */
  approveSpend?: GenerateExtra['approveSpend'];
}

export interface BatchOptions {
  engine: ClipEngine;
  /** The storyboard file as the history names it (`storyboardKey`). */
  fileKey: string;
  /** The storyboard's folder: relative image paths are read from there. */
  baseDir: string;
  origin: TaskOrigin;
  /** At most this many clips generating at once (the rest wait their turn). */
  maxInFlight: number;
  /** Asked when a clip would pass a daily limit (`engine.approveBatch`'s answer); without it such a clip is refused. */
  approveSpend?: GenerateExtra['approveSpend'];
  /**
   * Does the clip still need a video? (Another window or server may have started it meanwhile.) Asked
   * just before a clip starts with this process's view, then again by the engine inside the spend gate,
   * under its lock, with every process's history and requests on their way: the answer that counts.
   */
  stillNeeded?: (job: ClipJob, view?: OrderView) => boolean;
  /** Longest wait for one clip before its place goes to the next (default 3 h: the engine gives up on a task after 2 h). */
  clipTimeoutMs?: number;
}

const SETTLED: readonly ClipRunState[] = ['skipped', 'settled', 'error', 'cancelled'];

/** The clip jobs of a plan: its missing and out-of-date clips, or the given ones. */
export function clipJobs(plans: readonly ClipPlan[]): ClipJob[] {
  return plans
    .filter((p) => p.params && p.fingerprint && p.clip.id)
    .map((p) => ({ clipId: p.clip.id!, index: p.index, label: clipLabel(p), params: p.params!, fingerprint: p.fingerprint! }));
}

/** Image paths written relative to the storyboard are sent as absolute paths; URLs as they are. */
/** A clip's images and frames with paths relative to the storyboard made absolute. */
export function clipImagesIn(
  params: Pick<ClipParams, 'images' | 'firstFrame' | 'lastFrame'>,
  baseDir: string,
): Pick<ClipParams, 'images' | 'firstFrame' | 'lastFrame'> {
  const [firstFrame, lastFrame] = resolveClipImages([params.firstFrame ?? '', params.lastFrame ?? ''], baseDir);
  return {
    images: resolveClipImages(params.images, baseDir),
    ...(params.firstFrame ? { firstFrame } : {}),
    ...(params.lastFrame ? { lastFrame } : {}),
  };
}

export function resolveClipImages(images: readonly string[], baseDir: string): string[] {
  return images.map((image) => (isHttpUrl(image) || path.isAbsolute(image) ? image : path.resolve(baseDir, image)));
}

/**
 * Generates clips of one storyboard with at most `maxInFlight` in flight: each clip's task is
 * created, then waited for until it settles (downloaded, failed) before the next clip takes its
 * place. One clip that fails, or cannot be started, never stops the others. Cancelling starts no
 * more clips; tasks already made go on (the engine follows and saves them).
 */
export class ClipBatch {
  readonly runs: ClipRun[] = [];
  readonly done: Promise<ClipRun[]>;
  private resolveDone!: (runs: ClipRun[]) => void;
  private inFlight = 0;
  private cancelled = false;
  private readonly lifetime = new AbortController();
  private readonly listeners = new Set<(run: ClipRun) => void>();

  constructor(
    jobs: readonly ClipJob[],
    private readonly options: BatchOptions,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.add(jobs, options.approveSpend);
  }

  get settled(): boolean {
    return this.runs.every((r) => SETTLED.includes(r.state));
  }

  /** Adds clips not already in the batch (a second "Generate all" while one runs joins it). */
  add(jobs: readonly ClipJob[], approveSpend?: GenerateExtra['approveSpend']): void {
    for (const job of jobs) {
      if (this.cancelled) break;
      const existing = this.runs.find((r) => r.job.clipId === job.clipId);
      // A clip that settled (or was skipped) earlier in this batch may be asked for again: a new version.
      if (existing && !SETTLED.includes(existing.state)) continue;
      if (existing) this.runs.splice(this.runs.indexOf(existing), 1);
      this.runs.push({ job, state: 'waiting', approveSpend });
    }
    this.pump();
  }

  /** Starts no more clips; clips in flight go on without this batch waiting for them. */
  cancel(): void {
    this.cancelled = true;
    for (const run of this.runs) if (run.state === 'waiting') this.set(run, 'cancelled');
    this.lifetime.abort();
    this.finishIfDone();
  }

  onDidChange(listener: (run: ClipRun) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private pump(): void {
    while (!this.cancelled && this.inFlight < Math.max(1, this.options.maxInFlight)) {
      const next = this.runs.find((r) => r.state === 'waiting');
      if (!next) break;
      this.inFlight++;
      void this.generate(next).finally(() => {
        this.inFlight--;
        this.pump();
        this.finishIfDone();
      });
    }
    this.finishIfDone();
  }

  private async generate(run: ClipRun): Promise<void> {
    const { engine, origin, fileKey, baseDir } = this.options;
    const { job } = run;
    const { stillNeeded } = this.options;
    if (stillNeeded && !stillNeeded(job)) return this.set(run, 'skipped');
    this.set(run, 'starting');
    try {
      const input = { ...job.params, ...clipImagesIn(job.params, baseDir) };
      const task = await engine.generate(input, origin, {
        storyboard: { file: fileKey, clipId: job.clipId, fingerprint: job.fingerprint },
        approveSpend: run.approveSpend,
        stillNeeded: stillNeeded && ((view) => stillNeeded(job, view)),
      });
      run.taskId = task.id;
      this.set(run, 'started');
      await engine.waitFor(task.id, { timeoutMs: this.options.clipTimeoutMs ?? 3 * 60 * 60 * 1000, signal: this.lifetime.signal });
      this.set(run, 'settled');
    } catch (error) {
      if (error instanceof NoLongerNeededError) return this.set(run, 'skipped');
      run.error = error;
      this.set(run, 'error');
    }
  }

  private set(run: ClipRun, state: ClipRunState): void {
    run.state = state;
    for (const listener of this.listeners) listener(run);
  }

  private finishIfDone(): void {
    if (this.inFlight === 0 && this.settled) this.resolveDone(this.runs);
  }
}

/**
 * The batches running in this process, one per storyboard file: a second "Generate all" (or
 * `generate_storyboard`) of the same storyboard joins the running batch instead of starting its clips
 * twice.
 */
export class StoryboardBatches {
  private readonly active = new Map<string, ClipBatch>();

  /** Runs the jobs, in the storyboard's running batch if it has one. */
  run(jobs: readonly ClipJob[], options: BatchOptions): ClipBatch {
    const running = this.active.get(options.fileKey);
    if (running && !running.settled) {
      running.add(jobs, options.approveSpend);
      return running;
    }
    const batch = new ClipBatch(jobs, options);
    this.active.set(options.fileKey, batch);
    void batch.done.then(() => {
      if (this.active.get(options.fileKey) === batch) this.active.delete(options.fileKey);
    });
    return batch;
  }

  get(fileKey: string): ClipBatch | undefined {
    const batch = this.active.get(fileKey);
    return batch && !batch.settled ? batch : undefined;
  }

  cancelAll(): void {
    for (const batch of this.active.values()) batch.cancel();
  }
}

const perEngine = new WeakMap<object, StoryboardBatches>();

/** The batches of one engine: every MCP session and the VS Code commands of a window share them. */
export function batchesOf(engine: object): StoryboardBatches {
  let batches = perEngine.get(engine);
  if (!batches) perEngine.set(engine, (batches = new StoryboardBatches()));
  return batches;
}
