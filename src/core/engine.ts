import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import { JuxinError } from '../juxin/errors';
import type { Character, CharacterSource, GenerationParams, JuxinApi, NormalizedTask, TaskStatus } from '../juxin/types';
import { systemClock, type Clock } from '../util/clock';
import { silentLogger, type Logger } from '../util/log';
import type { downloadVideo } from './downloader';
import { CallCancelledError, CancelledCalls } from './cancelledCalls';
import { CharacterStore, type CharacterRecord } from './characters';
import { TaskDownloads } from './downloads';
import { HistoryWatcher } from './historyWatcher';
import { TaskLeases } from './leases';
import { legacySource, originOf, type TaskOrigin } from './origin';
import { type GenerationInput, prepareGeneration, validateGenerationParams } from './params';
import { ModelsCache, type ModelsAnswer } from './modelsCache';
import { describeModel } from '../catalog';
import { createRequestOf } from '../juxin/body';
import { compareNewestFirst, queryTasks, type QueryResult, type TaskQuery } from './query';
import { FileRateBook, RateLimiter } from './rateLimiter';
import type { RelayStatsJson } from './relayStats';
import { TaskRecords } from './records';
import { checkSpend, DEFAULT_LIMITS, SpendLimitError, spendLedger, type SpendCheck, type SpendLedger, type SpendLimits } from './spend';
import { type Reservation, SpendGate, type SpendTicket } from './spendGate';
import type { TaskStore } from './store';
import { foldResult, isRunning, TaskTracker } from './tracker';
import { isSettled, type StoryboardLink, type TaskRecord } from './types';

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
  /** The cap on Juxin requests per second, shared by every process on the same home folder. */
  maxRequestsPerSecond?: number;
  /** Give up on a task the provider never finishes after this long (default 2 h). */
  maxTaskAgeMs?: number;
  /** How long a killed process's task lease lasts before another process takes the task over (real ms, default 20 s). */
  leaseMs?: number;
  /** What an earlier engine learned about the relay's timings (`pollStats()`), to start from. */
  pollStats?: unknown;
  /** Daily limits and prices (settings, environment); default DEFAULT_LIMITS. Read at every request. */
  spendLimits?: () => SpendLimits;
  /** How to raise a limit where this engine runs, said when a request is refused. */
  spendHelp?: { en: string; zh: string };
  /** The user's time zone (the days of the limits); default this process's. */
  timeZone?: string;
  /** Defaults for parameters the caller leaves out (VS Code settings). */
  defaults?: () => Partial<Omit<GenerationParams, 'prompt'>>;
  /** Overrides the downloader (tests). */
  download?: typeof downloadVideo;
}

export interface GenerateExtra {
  /** The storyboard clip this task is made for. */
  storyboard?: StoryboardLink;
  /** Asked when the request passes a daily limit: the user's yes lets it through. */
  approveSpend?: (check: SpendCheck) => Promise<boolean>;
  /**
   * The caller's own cancellation (an MCP call's signal). Once it aborts nothing is sent
   * (CallCancelledError); a create already on its way is kept and lands in the history, marked
   * `cancelledAt` (see `cancelledTwin`).
   */
  signal?: AbortSignal;
  /**
   * Asked inside the spend gate, under its lock, with the history just re-read and the requests on their
   * way in every process: false = made or being made already (NoLongerNeededError, nothing sent).
   */
  stillNeeded?: (view: OrderView) => boolean;
}

/** The shared history as it is under the spend lock, and the storyboard clips being ordered right now in any process. */
export interface OrderView {
  tasks: Iterable<TaskRecord>;
  onTheirWay: readonly StoryboardLink[];
}

const DEFAULT_SPEND_HELP = {
  en: 'To allow more, raise the daily limits (JUXIN_DAILY_VIDEO_LIMIT, JUXIN_DAILY_SECONDS_LIMIT; 0 = no limit).',
  zh: '如需更多，请提高每日上限（JUXIN_DAILY_VIDEO_LIMIT、JUXIN_DAILY_SECONDS_LIMIT；0 表示不限）。',
};

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

/** Something still has to happen to this task without the user: tracking, or saving the video. */
function needsWork(task: TaskRecord): boolean {
  return isRunning(task) || (task.status === 'completed' && (task.download.state === 'none' || task.download.state === 'downloading'));
}

/**
 * The generation engine, the one façade the MCP server and the VS Code extension use. It creates tasks
 * and keeps the shared history (`TaskRecords`, in step with other processes through `HistoryWatcher`);
 * of the unfinished tasks it follows those whose lease it holds (`TaskLeases`): tracking (`TaskTracker`)
 * and downloading (`TaskDownloads`), every request under one rate cap shared by every process.
 */
export class VideoEngine {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly limiter: RateLimiter;
  /** The key's turn at the shared rate cap, for the requests the engine does not send itself (the models list, the client's look-up after a refusal). */
  private readonly turn = (): Promise<void> => this.limiter.acquire(this.lifetime.signal);
  private readonly records: TaskRecords;
  private readonly leases: TaskLeases;
  private readonly tracker: TaskTracker;
  private readonly downloads: TaskDownloads;
  private readonly watcher: HistoryWatcher;
  private readonly characterStore: CharacterStore;
  private readonly spendGate: SpendGate;
  private readonly modelsCache: ModelsCache;
  private readonly cancelledCalls = new CancelledCalls();
  private readonly lifetime = new AbortController();
  private readonly refreshing = new Map<string, Promise<TaskRecord>>();
  private readonly seen = new Set<string>();
  private loading: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  private readonly ready: Promise<void>;
  private markReady!: (error?: unknown) => void;
  private readonly availability: Promise<void>;
  private markAvailable!: (error?: unknown) => void;
  private isAvailable = false;
  /** From `load` to `start`: unfinished tasks nobody follows wait for `start` to take them over. */
  private holdTakeOver = false;
  private claimTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: EngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    const { store } = options;
    this.limiter = new RateLimiter(this.clock, options.maxRequestsPerSecond ?? 2, { book: new FileRateBook(store.home, this.logger) });
    this.records = new TaskRecords(store, this.clock, this.logger);
    this.characterStore = new CharacterStore(store.home, this.logger);
    this.spendGate = new SpendGate(store.home, { clock: this.clock, logger: this.logger, staleMs: options.leaseMs });
    this.modelsCache = new ModelsCache(store.home, options.api, this.clock, this.logger, undefined, this.turn);
    this.leases = new TaskLeases(store.home, { staleMs: options.leaseMs, logger: this.logger });
    const shared = { records: this.records, api: options.api, limiter: this.limiter, clock: this.clock, logger: this.logger, lifetime: this.lifetime.signal };
    this.tracker = new TaskTracker({
      ...shared,
      minPollIntervalMs: options.minPollIntervalMs ?? 5000,
      maxTaskAgeMs: options.maxTaskAgeMs ?? 2 * 60 * 60 * 1000,
      pollStats: options.pollStats,
    });
    this.downloads = new TaskDownloads({ ...shared, videosDir: () => this.videosDir(), download: options.download });
    this.watcher = new HistoryWatcher(store, { onChanged: (r) => this.records.accept(r), onRemoved: (id) => this.records.drop(id), logger: this.logger });
    this.records.onDidChange((task) => this.advance(task));
    this.records.onDidRemove((id) => this.forget(id));
    this.leases.onLost((id) => this.tracker.stop(id));
    this.ready = new Promise<void>((resolve, reject) => (this.markReady = (error) => (error ? reject(error) : resolve())));
    this.availability = new Promise<void>((resolve, reject) => (this.markAvailable = (error) => (error ? reject(error) : resolve())));
    // Tools await readiness; a history that cannot be read must not also be an unhandled rejection.
    this.ready.catch(() => undefined);
    this.availability.catch(() => undefined);
    // Every request in flight listens to the engine's lifetime signal.
    setMaxListeners(0, this.lifetime.signal);
  }

  /**
   * Reads the history into memory, and nothing else: no watching, no taking over (that is `start`). A
   * host that has more to do before tasks are taken over (read the key) starts this first, beside it.
   * Safe to call more than once.
   */
  load(): Promise<void> {
    if (!this.loading) this.holdTakeOver = true;
    this.loading ??= this.records
      .load(() => {
        for (const task of this.records.values()) this.seen.add(task.id);
        this.isAvailable = true;
        this.markAvailable();
      })
      .catch((error: unknown) => {
        this.markAvailable(error);
        throw error;
      });
    return this.loading;
  }

  /**
   * Resolves as soon as the history can be shown: from the index as last saved, before every file is
   * checked (what the files say differently then arrives through `onDidChange` / `onDidRemove`), or
   * once read in full when there is no index. A view paints from it; tools wait for `whenReady`.
   */
  whenAvailable(): Promise<void> {
    return this.availability;
  }

  /** `whenAvailable` has resolved. */
  get available(): boolean {
    return this.isAvailable;
  }

  /** How many tasks the history holds. */
  get size(): number {
    return this.records.size;
  }

  /**
   * Loads the history and picks up everything unfinished that no other live process follows: nothing a
   * user paid for is forgotten. Safe to call more than once.
   */
  start(): Promise<void> {
    this.starting ??= (async () => {
      try {
        await this.load();
        this.watcher.start();
        for (const task of this.records.values()) this.seen.add(task.id);
        this.holdTakeOver = false;
        this.claimTimer = setInterval(() => this.claimOrphans(), this.leases.staleMs / 4);
        this.claimTimer.unref?.();
        this.claimOrphans();
        this.markReady();
      } catch (error) {
        this.markReady(error);
        throw error;
      }
    })();
    return this.starting;
  }

  /** Resolves once the history is loaded (tools wait for it rather than answer from half a history). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Entries of the history folder that could not be read (skipped, never fatal), for display. */
  get historyProblems(): { name: string; reason: string }[] {
    return this.options.store.problems;
  }

  /** Looks at the whole history folder now (the watcher does it by itself; tests and "refresh" buttons use this). */
  reload(): Promise<void> {
    return this.watcher.rescan();
  }

  /**
   * Creates a task: everything checked first (parameters, images, the key, today's spend), then one paid
   * request, then the task is in the history before anything else can fail. Over a daily limit, `approve`
   * is asked (the user's yes); without it, or on a no, nothing is sent (SpendLimitError).
   */
  async generate(input: GenerationInput, origin: string | TaskOrigin, extra: GenerateExtra = {}): Promise<TaskRecord> {
    // Validated once, with the user's defaults, against what the key can use; each local image read once and handed to the client.
    const { usable } = await this.modelsCache.models();
    const { params, images } = await prepareGeneration(input, this.options.defaults?.(), usable);
    const api = this.options.api();
    try {
      return await this.order(params, origin, extra, (signal, stopRetries) => api.createVideo(params, { signal, images, stopRetries, turn: this.turn }), {
        storyboard: extra.storyboard,
      });
    } catch (error) {
      // The relay refused the model: what the key can use changed, so every process asks again.
      if (error instanceof JuxinError && error.kind === 'model_unavailable') await this.modelsCache.invalidate();
      throw error;
    }
  }

  /** The models this key can use (`GET /v1/models`, shared by every process through the home folder; undefined usable: not known). */
  models(): Promise<ModelsAnswer> {
    return this.modelsCache.models();
  }

  /** A new video from a finished one of the history. Everything is checked before the (paid) request. */
  async remix(taskId: string, prompt: string, origin: string | TaskOrigin, extra: Pick<GenerateExtra, 'approveSpend' | 'signal'> = {}): Promise<TaskRecord> {
    const original = this.records.get(taskId);
    if (!original) {
      throw new JuxinError('not_found', `Task ${taskId} is not in the history: only a video made here can be remixed. Call list_videos to find one.`, {
        messageZh: `历史记录中没有任务 ${taskId}：只能二次创作（remix）这里生成的视频。请调用 list_videos 查找。`,
      });
    }
    if (original.status !== 'completed') {
      throw new JuxinError('bad_request', `Task ${taskId} is ${original.status}: only a finished video can be remixed.`, {
        messageZh: `任务 ${taskId} 尚未完成，只有已完成的视频才能二次创作。`,
      });
    }
    if (describeModel(original.params.model)?.family !== 'sora') {
      throw new JuxinError(
        'bad_request',
        `Task ${taskId} was made with ${original.params.model}: only Sora videos can be remixed. Generate a new video instead.`,
        {
          messageZh: `任务 ${taskId} 由 ${original.params.model} 生成：只有 Sora 视频可以二次创作（remix），请重新生成。`,
        },
      );
    }
    if (original.params.private) {
      throw new JuxinError(
        'bad_request',
        `Task ${taskId} was generated with private=true, and Juxin cannot remix private videos. Generate it again with private=false to remix it.`,
        {
          messageZh: '私有视频无法二次创作（remix），请用 private=false 重新生成。',
        },
      );
    }
    const params = validateGenerationParams({ ...original.params, prompt, images: original.params.images });
    const api = this.options.api();
    return this.order(params, origin, extra, (signal, stopRetries) => api.remixVideo(taskId, params.prompt, { signal, stopRetries, turn: this.turn }), {
      remixOf: taskId,
    });
  }

  /**
   * One paid request: reserved at the spend gate, then sent without any lock held. Never sent for a call
   * already cancelled; one on its way when the call is cancelled is kept (the engine's lifetime carries
   * it) and recorded as its call's.
   */
  private async order(
    params: GenerationParams,
    from: string | TaskOrigin,
    extra: GenerateExtra,
    send: (signal: AbortSignal, stopRetries?: AbortSignal) => Promise<NormalizedTask>,
    link: { remixOf?: string; storyboard?: StoryboardLink },
  ): Promise<TaskRecord> {
    const origin = typeof from === 'string' ? originOf({ source: from }) : from;
    const { signal } = extra;
    // A task no process could follow would be paid for and lost: the lease folder is checked first.
    await this.leases.ensureUsable();
    const ticket = await this.cancellable(signal, () => this.enterSpend(params, extra));
    try {
      await this.cancellable(signal, () => this.limiter.acquire(signal ? AbortSignal.any([this.lifetime.signal, signal]) : this.lifetime.signal));
      if (signal?.aborted) throw new CallCancelledError();
      const made = (async () => {
        const created = await send(this.lifetime.signal, signal);
        await ticket.made(created.id);
        return this.adopt(created, params, origin, { ...link, cancelledAt: signal?.aborted ? this.clock.now() : undefined });
      })();
      if (signal) this.cancelledCalls.watch(signal, params, origin, made);
      return await made;
    } finally {
      await ticket.release();
    }
  }

  /** Runs `work`; if the caller's signal ended it, says so as a cancellation (nothing was sent). */
  private async cancellable<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    if (signal?.aborted) throw new CallCancelledError();
    try {
      return await work();
    } catch (error) {
      if (signal?.aborted && !this.lifetime.signal.aborted) throw new CallCancelledError();
      throw error;
    }
  }

  /**
   * The task of an identical request from the same caller whose call was cancelled within the last two
   * minutes (`CANCELLED_CALL_WINDOW_MS`): waited for if its create is still on its way in this process.
   * Undefined when there is none (or the input is invalid: `generate` then says why).
   */
  async cancelledTwin(input: GenerationInput, origin: TaskOrigin): Promise<TaskRecord | undefined> {
    let params: GenerationParams;
    try {
      params = validateGenerationParams(input, this.options.defaults?.(), this.modelsCache.current()?.usable);
    } catch {
      return undefined;
    }
    return this.cancelledCalls.find(this.records.values(), params, origin, this.clock.now());
  }

  /** The call waiting for this task was cancelled: its client never got the answer (see `cancelledTwin`). */
  async markCallCancelled(id: string): Promise<void> {
    if (!this.records.get(id) || this.records.get(id)!.cancelledAt !== undefined) return;
    const now = this.clock.now();
    await this.records
      .mutate(id, (task) => {
        task.cancelledAt ??= now;
      })
      .catch((error: unknown) => this.logger.warn(`task ${id}: its cancelled call was not noted (${(error as Error).message})`));
  }

  /** Today's and this month's spend from the shared history, with the limits. */
  spend(now = this.clock.now()): SpendLedger {
    return spendLedger(this.records.values(), this.limits(), now, this.options.timeZone);
  }

  /** What these requests would do to today's limits (a storyboard asks once for its whole batch). */
  checkSpend(requests: readonly { model: string; size: string; duration: number }[]): SpendCheck {
    return checkSpend(this.spend(), requests);
  }

  /**
   * A batch (a storyboard's clips) asks once for all of it, before any clip is sent: resolves with the
   * `approveSpend` each of its generations gets. Within the limits, `approve` is kept for a clip that
   * another window pushes past one; over them, the whole batch is asked about (`check.count` clips) and
   * a yes lets through every clip within what was allowed. Throws SpendLimitError on a no (nothing sent).
   */
  async approveBatch(
    requests: readonly { model: string; size: string; duration: number }[],
    approve: GenerateExtra['approveSpend'],
  ): Promise<GenerateExtra['approveSpend']> {
    const check = this.checkSpend(requests);
    if (!check.over.length) return approve;
    if (!approve || !(await approve(check))) throw new SpendLimitError(check, this.options.spendHelp ?? DEFAULT_SPEND_HELP);
    return (clip) => (clip.videos <= check.videos && clip.seconds <= check.seconds ? Promise.resolve(true) : approve(clip));
  }

  private limits(): SpendLimits {
    return this.options.spendLimits?.() ?? DEFAULT_LIMITS;
  }

  /**
   * The spend gate: within the limits or approved, and still needed; decided under the spend lock with the
   * history re-read and every request on its way in any process counted (one whose process died may have
   * been billed: it counts like a failed video of its day).
   */
  private enterSpend(params: GenerationParams, extra: GenerateExtra): Promise<SpendTicket> {
    const recorded = (r: Reservation) => r.taskId !== undefined && this.records.get(r.taskId) !== undefined;
    const asTasks = (pending: readonly Reservation[]) =>
      pending.filter((r) => !recorded(r)).map((r) => ({ createdAt: r.at, status: r.live ? 'queued' : 'failed', params: r.params }));
    const { stillNeeded } = extra;
    return this.spendGate.reserve({
      params: { model: params.model, size: params.size, duration: params.duration },
      storyboard: extra.storyboard,
      check: (pending) =>
        checkSpend(spendLedger([...this.records.values(), ...asTasks(pending)], this.limits(), this.clock.now(), this.options.timeZone), [params]),
      refresh: () => this.watcher.rescan(),
      approve: extra.approveSpend,
      howToRaise: this.options.spendHelp ?? DEFAULT_SPEND_HELP,
      stillNeeded:
        stillNeeded &&
        ((pending) =>
          stillNeeded({ tasks: this.records.values(), onTheirWay: pending.filter((r) => r.live && !recorded(r) && r.storyboard).map((r) => r.storyboard!) })),
      signal: extra.signal,
    });
  }

  /**
   * Makes a finished video of the history a clip of a storyboard ("Add to Storyboard"). A video is
   * one clip of one storyboard: one already linked elsewhere is refused (the other film would lose it).
   */
  async linkToStoryboard(id: string, link: StoryboardLink): Promise<TaskRecord> {
    const current = this.records.get(id);
    if (!current) throw new JuxinError('not_found', `Task ${id} is not in the history.`, { messageZh: `历史记录中没有任务 ${id}。` });
    const taken = (task: TaskRecord) => task.storyboard && (task.storyboard.file !== link.file || task.storyboard.clipId !== link.clipId);
    const refusal = (task: TaskRecord) =>
      new JuxinError('bad_request', `This video is already clip ${task.storyboard!.clipId} of ${task.storyboard!.file}.`, {
        messageZh: `这个视频已经是 ${task.storyboard!.file} 的片段 ${task.storyboard!.clipId}。`,
      });
    if (taken(current)) throw refusal(current);
    let conflict: TaskRecord | undefined;
    const saved = await this.records.mutate(id, (task) => {
      if (taken(task)) conflict = structuredClone(task);
      else task.storyboard = link;
    });
    if (conflict) throw refusal(conflict);
    return saved;
  }

  /**
   * Rewrites the storyboard links `rewrite` names a new file for (VS Code moves old workspace-relative
   * links to the real path, so processes without that workspace find them). Resolves with how many changed.
   */
  async relinkStoryboards(rewrite: (link: StoryboardLink) => string | undefined): Promise<number> {
    await this.whenReady();
    let changed = 0;
    for (const task of [...this.records.values()]) {
      const link = task.storyboard;
      const file = link && rewrite(link);
      if (!link || !file || file === link.file) continue;
      await this.records
        .mutate(task.id, (t) => {
          if (t.storyboard?.file === link.file) t.storyboard = { ...t.storyboard, file };
        })
        .then(
          () => changed++,
          (error: unknown) => this.logger.warn(`task ${task.id}: its storyboard link was not updated (${(error as Error).message})`),
        );
    }
    return changed;
  }

  /** Creates a character and keeps it in the history (a failure to keep it is logged: the character exists anyway). */
  async createCharacter(source: CharacterSource, timestamps: string): Promise<Character> {
    const api = this.options.api();
    await this.limiter.acquire(this.lifetime.signal);
    const character = await api.createCharacter(source, timestamps, { signal: this.lifetime.signal });
    await this.characterStore
      .add({ ...character, source, timestamps, createdAt: this.clock.now() })
      .catch((error: unknown) => this.logger.warn(`character @${character.username} was created but not kept in the history: ${(error as Error).message}`));
    return character;
  }

  /** Every character created on this machine, newest first. */
  characters(): Promise<CharacterRecord[]> {
    return this.characterStore.list();
  }

  /** A task the relay accepted: recorded before anything else can fail, then followed. */
  private adopt(
    created: NormalizedTask,
    params: GenerationParams,
    from: string | TaskOrigin,
    extra: { remixOf?: string; storyboard?: StoryboardLink; cancelledAt?: number } = {},
  ): Promise<TaskRecord> {
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
      saveDir: this.videosDir(),
      // What was sent (local images by their path), for a generation; a remix sends only its prompt.
      ...(extra.remixOf ? {} : { request: createRequestOf(params) }),
      download: { state: 'none' },
    };
    if (extra.remixOf) record.remixOf = extra.remixOf;
    if (extra.storyboard) record.storyboard = extra.storyboard;
    if (extra.cancelledAt !== undefined) record.cancelledAt = extra.cancelledAt;
    foldResult(record, created, now);
    this.tracker.created(record, created);
    this.logger.info(`task ${record.id} created (${params.model}, ${params.duration}s, ${params.orientation}) from ${origin.client ?? origin.kind}`);
    return this.records.add(record);
  }

  get(id: string): TaskRecord | undefined {
    return this.records.get(id);
  }

  /** Every task (or the newest `limit`), newest first, optionally of one status. */
  list(filter: { limit?: number; status?: TaskStatus } = {}): TaskRecord[] {
    const all = [...this.records.values()].filter((t) => !filter.status || t.status === filter.status).sort(compareNewestFirst);
    return filter.limit ? all.slice(0, filter.limit) : all;
  }

  /** One page of the tasks matching a query (text, phases, sources), newest first, and how many match in all. */
  query(q: TaskQuery): QueryResult<TaskRecord> {
    return queryTasks(this.records.values(), q);
  }

  /** Asks Juxin about a task now (through the shared rate cap); calls at the same time share one request. */
  refresh(id: string): Promise<TaskRecord> {
    const task = this.records.get(id);
    if (!task) return Promise.reject(new JuxinError('not_found', `Task ${id} is not in the history.`));
    if (!isRunning(task) && task.videoUrl) return Promise.resolve(task);
    const running = this.refreshing.get(id);
    if (running) return running;
    const work = this.tracker.query(id).finally(() => this.refreshing.delete(id));
    this.refreshing.set(id, work);
    return work;
  }

  onDidChange(listener: (task: TaskRecord) => void): () => void {
    return this.records.onDidChange(listener);
  }

  onDidRemove(listener: (id: string) => void): () => void {
    return this.records.onDidRemove(listener);
  }

  /**
   * Resolves when the task is settled (failed, or completed and its download finished one way or the
   * other), when `timeoutMs` passes (`timedOut`), or when the signal aborts (`aborted`; the task goes on).
   * Works for tasks another process follows: their changes arrive through the store.
   */
  waitFor(id: string, options: WaitOptions): Promise<WaitResult> {
    const initial = this.records.get(id);
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
      const off = this.records.onDidChange((task) => {
        if (task.id !== id) return;
        options.onUpdate?.(task);
        if (isSettled(task)) finish({ task, timedOut: false });
      });
      const offRemove = this.records.onDidRemove((removedId) => removedId === id && finish({ task: initial, timedOut: false, removed: true }));
      const onAbort = () => finish({ task: this.records.get(id) ?? initial, timedOut: false, aborted: true });
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.clock.sleep(options.timeoutMs, timer.signal).then(
        () => finish({ task: this.records.get(id) ?? initial, timedOut: true }),
        () => undefined,
      );
    });
  }

  /**
   * Saves a finished video (again) into its videos folder. A copy into another folder is `exportCopy`
   * (src/core/exportCopy.ts), which refuses what must not be written and never overwrites.
   */
  async download(id: string): Promise<TaskRecord> {
    let task = this.records.get(id);
    if (!task) throw new JuxinError('not_found', `Task ${id} is not in the history.`);
    if (task.status !== 'completed') throw new JuxinError('bad_request', `Task ${id} is ${task.status}: only a completed video can be downloaded.`);
    if (task.download.state !== 'done' || !(await exists(task.download.localPath))) task = await this.downloadAgain(id);
    return task;
  }

  /** A user's "download again": with the task's lease, so two processes never write the same video. */
  private async downloadAgain(id: string): Promise<TaskRecord> {
    if (!(await this.leases.tryAcquire(id))) {
      // Another process is saving it right now: wait for that instead of racing it.
      const { task } = await this.waitFor(id, { timeoutMs: 10 * 60_000, signal: this.lifetime.signal });
      return task;
    }
    try {
      return (await this.downloads.start(id, true)) ?? this.records.get(id)!;
    } finally {
      const now = this.records.get(id);
      if (!now || !needsWork(now)) await this.leases.release(id);
    }
  }

  async remove(id: string): Promise<void> {
    this.forget(id);
    await this.records.remove(id);
  }

  /** What tracking learned about the relay's timings, as plain JSON: pass it back as `pollStats` to start from it. */
  pollStats(): RelayStatsJson {
    return this.tracker.pollStats();
  }

  /** Lets paused tracking go on (call after the API key changed). */
  resumeTracking(): void {
    this.tracker.resume();
  }

  async dispose(): Promise<void> {
    this.lifetime.abort();
    clearInterval(this.claimTimer);
    this.watcher.dispose();
    this.tracker.dispose();
    await this.downloads.settle();
    await this.leases.dispose();
    await this.options.store.saveIndex();
    this.records.dispose();
  }

  // ---- ownership -----------------------------------------------------------------------------------

  /** What happens next to a task after any change, here or in another process. */
  private advance(task: TaskRecord): void {
    const firstSight = !this.seen.has(task.id);
    this.seen.add(task.id);
    if (this.lifetime.signal.aborted) return;
    if (!this.leases.owns(task.id)) {
      // Loaded but not started: start's claimOrphans looks at it, with everything else unfinished.
      if (firstSight && needsWork(task) && !this.holdTakeOver) void this.take(task.id);
      return;
    }
    if (!needsWork(task)) {
      this.tracker.stop(task.id);
      if (!this.downloads.isRunning(task.id)) void this.leases.release(task.id);
    } else if (isRunning(task)) this.tracker.follow(task.id);
    else void this.startDownload(task.id);
  }

  /** Downloads an owned task; the lease goes once the download has settled it. */
  private async startDownload(id: string): Promise<void> {
    await this.downloads.start(id);
    const task = this.records.get(id);
    if (!task || !needsWork(task)) await this.leases.release(id);
  }

  /** Takes the task's lease if it is free, then follows it. */
  private async take(id: string): Promise<void> {
    const task = this.records.get(id);
    if (!task || !needsWork(task) || this.lifetime.signal.aborted) return;
    if (!(await this.leases.tryAcquire(id))) return;
    // The last holder may have finished it a moment ago, before this process heard: with the lease, the
    // record on disk is the truth (a holder writes before it lets go), so a finished task is not asked about again.
    const onDisk = await this.options.store.get(id).catch(() => undefined);
    if (onDisk) this.records.accept(onDisk);
    const now = this.records.get(id);
    if (now && needsWork(now)) this.logger.debug(`following task ${id} (process ${process.pid} holds its lease)`);
    if (now) this.advance(now);
    else await this.leases.release(id);
  }

  /** Unfinished tasks nobody follows (their process exited or was killed) are taken over. */
  private claimOrphans(): void {
    for (const task of this.records.values()) {
      if (needsWork(task) && !this.leases.owns(task.id)) void this.take(task.id);
    }
  }

  private forget(id: string): void {
    this.tracker.stop(id);
    void this.leases.release(id);
  }

  private videosDir(): string {
    const dir = this.options.videosDir;
    return typeof dir === 'function' ? dir() : dir;
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
