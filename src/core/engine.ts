import { EventEmitter, setMaxListeners } from 'node:events';
import { mkdir, stat } from 'node:fs/promises';
import { JuxinError } from '../juxin/errors';
import type { Character, CharacterSource, GenerationParams, JuxinApi, NormalizedTask, TaskStatus } from '../juxin/types';
import { systemClock, type Clock } from '../util/clock';
import { silentLogger, type Logger } from '../util/log';
import { DownloadError, downloadVideo } from './downloader';
import { videoFileName } from './naming';
import { legacySource, originOf, type TaskOrigin } from './origin';
import { type GenerationInput, prepareGeneration, validateGenerationParams } from './params';
import { nextPollDelay, type ProgressSample } from './pollSchedule';
import { RateLimiter } from './rateLimiter';
import type { TaskStore } from './store';
import { isSettled, type TaskRecord } from './types';

export { defaultHomeDir } from './home';

export interface EngineOptions {
  /** The API client; throws JuxinError('config') when no key is set. Called for every request, so a new key takes effect at once. */
  api: () => JuxinApi;
  store: TaskStore;
  /** Where videos are saved; a function when a setting can change it. */
  videosDir: string | (() => string);
  clock?: Clock;
  logger?: Logger;
  minPollIntervalMs?: number;
  maxRequestsPerSecond?: number;
  /** Give up on a task the provider never finishes after this long (default 2 h). */
  maxTaskAgeMs?: number;
  /** Defaults for parameters the caller leaves out (VS Code settings). */
  defaults?: () => Partial<Omit<GenerationParams, 'prompt'>>;
  /** Overrides the downloader (tests). */
  download?: typeof downloadVideo;
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  onUpdate?: (task: TaskRecord) => void;
}

export interface WaitResult {
  task: TaskRecord;
  timedOut: boolean;
  /** The caller's signal ended the wait (the task itself goes on). */
  aborted?: boolean;
  /** The task was removed from the history while waiting. */
  removed?: boolean;
}

const RUNNING: TaskStatus[] = ['queued', 'processing'];

/**
 * The generation engine: creates tasks, tracks every unfinished one (adaptive polling under one shared
 * rate cap), downloads each video as soon as it is ready, and keeps it all in the task store. The MCP
 * server and the VS Code extension both drive this one object.
 */
export class VideoEngine {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly events = new EventEmitter();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly limiter: RateLimiter;
  private readonly minPollIntervalMs: number;
  private readonly maxTaskAgeMs: number;
  private readonly tracking = new Map<string, AbortController>();
  private readonly downloads = new Map<string, Promise<TaskRecord>>();
  private readonly history = new Map<string, ProgressSample[]>();
  private readonly lifetime = new AbortController();
  private paused: Promise<void> | undefined;
  private unpause: (() => void) | undefined;

  constructor(private readonly options: EngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.minPollIntervalMs = options.minPollIntervalMs ?? 5000;
    this.maxTaskAgeMs = options.maxTaskAgeMs ?? 2 * 60 * 60 * 1000;
    this.limiter = new RateLimiter(this.clock, options.maxRequestsPerSecond ?? 2);
    this.events.setMaxListeners(0);
    // Every request in flight listens to the engine's lifetime signal.
    setMaxListeners(0, this.lifetime.signal);
  }

  /** Loads the history and picks up everything unfinished: nothing a user paid for is forgotten. */
  async start(): Promise<void> {
    for (const task of await this.options.store.load()) {
      this.tasks.set(task.id, task);
      this.resume(task);
    }
  }

  /** Re-reads the store (another process may have added or changed tasks) and follows what is new. */
  async reload(): Promise<void> {
    for (const task of await this.options.store.load()) {
      const known = this.tasks.get(task.id);
      if (known && known.updatedAt >= task.updatedAt) continue;
      this.tasks.set(task.id, task);
      this.emit(task);
      this.resume(task);
    }
  }

  private resume(task: TaskRecord): void {
    if (RUNNING.includes(task.status)) this.track(task.id);
    else if (task.status === 'completed' && (task.download.state === 'none' || task.download.state === 'downloading')) void this.startDownload(task.id);
  }

  async generate(input: GenerationInput, source: string | TaskOrigin): Promise<TaskRecord> {
    // harden #14: validated once, with the user's defaults; each local image read once and handed to the client.
    const { params, images } = await prepareGeneration(input, this.options.defaults?.());
    const api = this.options.api();
    await this.limiter.acquire(this.lifetime.signal);
    const created = await api.createVideo(params, { signal: this.lifetime.signal, images });
    return this.adopt(created, params, source);
  }

  async remix(taskId: string, prompt: string, source: string | TaskOrigin): Promise<TaskRecord> {
    const original = this.tasks.get(taskId);
    // harden #11: only a task of the history is remixed (an id from nowhere may be a path trick).
    if (!original) {
      throw new JuxinError('not_found', `Task ${taskId} is not in the history: only a video listed by list_videos can be remixed.`, {
        messageZh: `任务 ${taskId} 不在历史记录中：只能对 list_videos 列出的视频进行二次创作（remix）。`,
      });
    }
    const api = this.options.api();
    await this.limiter.acquire(this.lifetime.signal);
    const created = await api.remixVideo(taskId, prompt, { signal: this.lifetime.signal });
    const params = validateGenerationParams({ ...original.params, prompt, images: original.params.images });
    return this.adopt(created, params, source, taskId);
  }

  async createCharacter(source: CharacterSource, timestamps: string): Promise<Character> {
    const api = this.options.api();
    await this.limiter.acquire(this.lifetime.signal);
    return api.createCharacter(source, timestamps, { signal: this.lifetime.signal });
  }

  private async adopt(created: NormalizedTask, params: GenerationParams, from: string | TaskOrigin, remixOf?: string): Promise<TaskRecord> {
    const now = this.clock.now();
    const origin = typeof from === 'string' ? originOf({ source: from }) : from;
    const record: TaskRecord = {
      id: created.id,
      source: legacySource(origin),
      origin,
      createdAt: now,
      updatedAt: now,
      params,
      status: created.status,
      progress: created.progress,
      download: { state: 'none' },
    };
    if (remixOf) record.remixOf = remixOf;
    this.apply(record, created);
    const saved = await this.options.store.put(record);
    this.tasks.set(saved.id, saved);
    this.emit(saved);
    this.logger.info(`task ${saved.id} created (${params.model}, ${params.duration}s, ${params.orientation}) from ${origin.client ?? origin.kind}`);
    this.resume(saved);
    return saved;
  }

  get(id: string): TaskRecord | undefined {
    return this.tasks.get(id);
  }

  list(filter: { limit?: number; status?: TaskStatus } = {}): TaskRecord[] {
    const all = [...this.tasks.values()].filter((t) => !filter.status || t.status === filter.status).sort((a, b) => b.createdAt - a.createdAt);
    return filter.limit ? all.slice(0, filter.limit) : all;
  }

  /** Asks Juxin about a task now (through the shared rate cap) and returns the updated record. */
  async refresh(id: string): Promise<TaskRecord> {
    const task = this.tasks.get(id);
    if (!task) throw new JuxinError('not_found', `Task ${id} is not in the history.`);
    if (!RUNNING.includes(task.status) && task.videoUrl) return task;
    await this.limiter.acquire(this.lifetime.signal);
    const result = await this.options.api().queryVideo(id, { signal: this.lifetime.signal });
    return this.record(id, result);
  }

  onDidChange(listener: (task: TaskRecord) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  onDidRemove(listener: (id: string) => void): () => void {
    this.events.on('remove', listener);
    return () => this.events.off('remove', listener);
  }

  /**
   * Resolves when the task is settled (failed, or completed and its download finished one way or the
   * other), when `timeoutMs` passes (`timedOut`), or when the signal aborts (`aborted`; the task goes on).
   */
  waitFor(id: string, options: WaitOptions): Promise<WaitResult> {
    const initial = this.tasks.get(id);
    if (!initial) return Promise.reject(new JuxinError('not_found', `Task ${id} is not in the history.`));
    if (isSettled(initial)) return Promise.resolve({ task: initial, timedOut: false });
    return new Promise<WaitResult>((resolve) => {
      const timer = new AbortController();
      const finish = (result: WaitResult) => {
        off();
        offRemove();
        timer.abort();
        options.signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const off = this.onDidChange((task) => {
        if (task.id !== id) return;
        options.onUpdate?.(task);
        if (isSettled(task)) finish({ task, timedOut: false });
      });
      const offRemove = this.onDidRemove((removedId) => removedId === id && finish({ task: initial, timedOut: false, removed: true }));
      const onAbort = () => finish({ task: this.tasks.get(id) ?? initial, timedOut: false, aborted: true });
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.clock.sleep(options.timeoutMs, timer.signal).then(
        () => finish({ task: this.tasks.get(id) ?? initial, timedOut: true }),
        () => undefined,
      );
    });
  }

  /**
   * Saves a finished video (again) into the videos folder. harden #7: a copy into another folder is
   * `exportCopy` (src/core/exportCopy.ts), called by the tool after its confirmation.
   */
  async download(id: string): Promise<TaskRecord> {
    let task = this.tasks.get(id);
    if (!task) throw new JuxinError('not_found', `Task ${id} is not in the history.`);
    if (task.status !== 'completed') throw new JuxinError('bad_request', `Task ${id} is ${task.status}: only a completed video can be downloaded.`);
    if (task.download.state !== 'done' || !(await exists(task.download.localPath))) {
      task = await this.startDownload(id, true);
    }
    return task;
  }

  async remove(id: string): Promise<void> {
    this.tracking.get(id)?.abort();
    this.tracking.delete(id);
    this.tasks.delete(id);
    this.history.delete(id);
    await this.options.store.remove(id);
    this.events.emit('remove', id);
  }

  /** Lets paused tracking go on (call after the API key changed). */
  resumeTracking(): void {
    this.unpause?.();
    this.paused = undefined;
    this.unpause = undefined;
  }

  async dispose(): Promise<void> {
    this.lifetime.abort();
    for (const controller of this.tracking.values()) controller.abort();
    this.tracking.clear();
    this.resumeTracking();
    await Promise.allSettled([...this.downloads.values()]);
    this.events.removeAllListeners();
  }

  // ---- tracking ---------------------------------------------------------------------------------

  private track(id: string): void {
    if (this.tracking.has(id) || this.lifetime.signal.aborted) return;
    const controller = new AbortController();
    this.tracking.set(id, controller);
    this.trackLoop(id, controller.signal)
      .catch((error: unknown) => {
        if (!controller.signal.aborted) this.logger.error(`tracking ${id} stopped: ${describe(error)}`);
      })
      .finally(() => {
        if (this.tracking.get(id) === controller) this.tracking.delete(id);
      });
  }

  private async trackLoop(id: string, signal: AbortSignal): Promise<void> {
    let failures = 0;
    let notFound = 0;
    for (;;) {
      const task = this.tasks.get(id);
      if (!task || !RUNNING.includes(task.status)) return;
      const now = this.clock.now();
      if (now - task.createdAt > this.maxTaskAgeMs) {
        await this.giveUp(id, `timed out: Juxin did not finish the task within ${Math.round(this.maxTaskAgeMs / 60000)} minutes; check the Juxin console`);
        return;
      }
      const delay = nextPollDelay({
        status: task.status,
        progress: task.progress,
        history: this.history.get(id) ?? [],
        createdAt: task.createdAt,
        now,
        minIntervalMs: this.minPollIntervalMs,
        model: task.params.model,
        duration: task.params.duration,
      });
      const backoff = failures ? Math.min(120_000, 2000 * 2 ** (failures - 1)) : 0;
      await this.clock.sleep(delay + backoff, signal);
      await this.paused;
      if (signal.aborted) return;
      await this.limiter.acquire(signal);
      try {
        const result = await this.options.api().queryVideo(id, { signal });
        this.limiter.reward();
        failures = 0;
        notFound = 0;
        await this.record(id, result);
      } catch (error) {
        if (signal.aborted) return;
        failures++;
        if (!(error instanceof JuxinError)) {
          this.logger.error(`query of ${id} failed: ${describe(error)}`);
          continue;
        }
        if (error.kind === 'rate_limit') this.limiter.penalize(error.retryAfterMs);
        if (error.kind === 'auth' || error.kind === 'config' || error.kind === 'quota') this.pause(error);
        if (error.kind === 'not_found' && ++notFound >= 5) {
          await this.giveUp(id, 'Juxin no longer knows this task (404); check the Juxin console');
          return;
        }
        this.logger.warn(`query of ${id} failed (${error.kind}): ${error.message}`);
        await this.mutate(id, (t) => {
          t.lastError = { kind: error.kind, message: error.message, at: this.clock.now() };
        });
      }
    }
  }

  /** Stops following a task for good: failed with `reason`, and no stale tracking problem beside it. */
  private giveUp(id: string, reason: string): Promise<TaskRecord> {
    return this.mutate(id, (t) => {
      t.status = 'failed';
      t.failureReason = reason;
      delete t.lastError;
    });
  }

  /** Auth and config problems stop all polling until the key changes: no point hammering with a bad key. */
  private pause(error: JuxinError): void {
    if (this.paused) return;
    this.logger.warn(`tracking paused: ${error.message} — set a valid API key to resume`);
    this.paused = new Promise<void>((resolve) => (this.unpause = resolve));
  }

  private async record(id: string, result: NormalizedTask): Promise<TaskRecord> {
    if (result.status === 'processing') {
      const samples = this.history.get(id) ?? [];
      samples.push({ at: this.clock.now(), progress: result.progress });
      this.history.set(id, samples.slice(-10));
    }
    const task = await this.mutate(id, (t) => this.apply(t, result));
    if (task.status === 'completed' && task.download.state === 'none') void this.startDownload(id);
    return task;
  }

  /** Folds one normalized response into a record. Progress never goes backwards while a task runs. */
  private apply(t: TaskRecord, r: NormalizedTask): void {
    const wasRunning = RUNNING.includes(t.status);
    t.status = r.status;
    t.progress = r.status === 'completed' ? 100 : wasRunning ? Math.max(t.progress, r.progress) : r.progress;
    t.queuePosition = r.status === 'queued' ? r.queuePosition : undefined;
    if (r.videoUrl && r.videoUrl !== t.videoUrl) {
      t.videoUrl = r.videoUrl;
      t.videoUrlReceivedAt = this.clock.now();
    }
    if (r.thumbnailUrl) t.thumbnailUrl = r.thumbnailUrl;
    if (r.status === 'failed') t.failureReason = r.failureReason ?? 'no reason given';
    if (r.status === 'completed' && !t.completedAt) t.completedAt = this.clock.now();
    delete t.lastError;
  }

  // ---- downloads --------------------------------------------------------------------------------

  private startDownload(id: string, again = false): Promise<TaskRecord> {
    const running = this.downloads.get(id);
    if (running) return running;
    const work = this.runDownload(id, again).finally(() => this.downloads.delete(id));
    this.downloads.set(id, work);
    return work;
  }

  private async runDownload(id: string, again: boolean): Promise<TaskRecord> {
    let task = this.tasks.get(id)!;
    if (!task.videoUrl || again) task = await this.refreshUrl(id, task);
    if (!task.videoUrl) {
      return this.mutate(id, (t) => {
        t.download = { state: 'failed', error: 'Juxin gave no video URL for this task' };
      });
    }
    task = await this.mutate(id, (t) => {
      t.download = { state: 'downloading', attempts: (t.download.attempts ?? 0) + 1 };
    });
    const download = this.options.download ?? downloadVideo;
    const videosDir = this.videosDir();
    await mkdir(videosDir, { recursive: true });
    let lastEmit = 0;
    const attempt = (url: string) =>
      download({
        url,
        destDir: videosDir,
        fileName: videoFileName(task),
        signal: this.lifetime.signal,
        clock: this.clock,
        onProgress: (bytes) => {
          // Byte counts are shown live but not written to disk on every chunk.
          const now = this.clock.now();
          if (now - lastEmit < 500) return;
          lastEmit = now;
          const current = this.tasks.get(id);
          if (current) this.emit({ ...current, download: { ...current.download, bytes } });
        },
      });
    try {
      let result;
      try {
        result = await attempt(task.videoUrl!);
      } catch (error) {
        if (!(error instanceof DownloadError && error.expired)) throw error;
        // The signed URL expired: ask Juxin for a fresh one, once.
        task = await this.refreshUrl(id, task, true);
        result = await attempt(task.videoUrl!);
      }
      this.logger.info(`task ${id} downloaded to ${result.path}`);
      return await this.mutate(id, (t) => {
        t.download = { state: 'done', localPath: result.path, bytes: result.bytes, attempts: t.download.attempts };
      });
    } catch (error) {
      if (this.lifetime.signal.aborted) return this.tasks.get(id)!;
      const expired = error instanceof DownloadError && error.expired;
      this.logger.warn(`download of ${id} failed: ${describe(error)}`);
      return this.mutate(id, (t) => {
        t.download = { state: expired ? 'expired' : 'failed', error: describe(error), attempts: t.download.attempts };
      });
    }
  }

  private async refreshUrl(id: string, task: TaskRecord, force = false): Promise<TaskRecord> {
    if (task.videoUrl && !force) return task;
    try {
      await this.limiter.acquire(this.lifetime.signal);
      const result = await this.options.api().queryVideo(id, { signal: this.lifetime.signal });
      return await this.mutate(id, (t) => {
        this.apply(t, result);
        if (result.videoUrl) {
          t.videoUrl = result.videoUrl;
          t.videoUrlReceivedAt = this.clock.now();
        }
      });
    } catch (error) {
      this.logger.warn(`could not refresh the video URL of ${id}: ${describe(error)}`);
      return this.tasks.get(id) ?? task;
    }
  }

  private videosDir(): string {
    const dir = this.options.videosDir;
    return typeof dir === 'function' ? dir() : dir;
  }

  // ---- records ----------------------------------------------------------------------------------

  /** Read-modify-write through the store (another process may have written since), then tell listeners. */
  private async mutate(id: string, change: (task: TaskRecord) => void): Promise<TaskRecord> {
    const memory = this.tasks.get(id);
    if (!memory) throw new JuxinError('not_found', `Task ${id} is not in the history.`);
    const saved = await this.options.store.update(id, (disk) => {
      const base = disk ?? memory;
      const next = structuredClone(base);
      change(next);
      next.updatedAt = this.clock.now();
      return next;
    });
    if (!saved) throw new JuxinError('not_found', `Task ${id} is not in the history.`);
    if (!this.tasks.has(id)) return saved; // removed while this was being written
    this.tasks.set(id, saved);
    this.emit(saved);
    return saved;
  }

  private emit(task: TaskRecord): void {
    this.events.emit('change', task);
  }
}

async function exists(file: string | undefined): Promise<boolean> {
  return file
    ? stat(file).then(
        () => true,
        () => false,
      )
    : false;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
