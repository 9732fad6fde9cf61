import { watch, type FSWatcher } from 'node:fs';
import { silentLogger, type Logger } from '../util/log';
import type { TaskStore } from './store';
import type { TaskRecord } from './types';

export interface HistoryWatcherOptions {
  onChanged(record: TaskRecord): void;
  onRemoved(id: string): void;
  logger?: Logger;
  /** The safety net: a full look at the folder this often (fs.watch can miss events on some file systems). Default 15 s. */
  rescanMs?: number;
  /** Events for one file closer together than this are read once. Default 25 ms. */
  debounceMs?: number;
}

/**
 * Follows the tasks folder, so what any other process (another VS Code window, a standalone server)
 * writes shows up here within a second: `fs.watch` names the file that changed and only that record is
 * read again; a periodic scan catches anything the watcher missed (and takes over, more often, where
 * the file system cannot be watched at all).
 */
export class HistoryWatcher {
  private watcher: FSWatcher | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly logger: Logger;
  private busy: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: TaskStore,
    private readonly options: HistoryWatcherOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  start(): void {
    let rescanMs = this.options.rescanMs ?? 15_000;
    try {
      this.watcher = watch(this.store.dir, { persistent: false }, (_event, name) => {
        if (typeof name === 'string' && name.endsWith('.json')) this.schedule(name);
      });
      this.watcher.on('error', (error) => {
        this.logger.warn(`watching the task history stopped (${error.message}); scanning it every 2 s instead`);
        this.watcher?.close();
        this.watcher = undefined;
        this.restartRescan(2000);
      });
    } catch (error) {
      this.logger.warn(`cannot watch the task history (${(error as Error).message}); scanning it every 2 s instead`);
      rescanMs = Math.min(rescanMs, 2000);
    }
    this.restartRescan(rescanMs);
  }

  /** Looks at the whole folder now (also what the timer does). */
  rescan(): Promise<void> {
    return this.serial(async () => {
      const { changed, removed } = await this.store.scan();
      for (const record of changed) this.options.onChanged(record);
      for (const id of removed) this.options.onRemoved(id);
    });
  }

  dispose(): void {
    this.stopped = true;
    this.watcher?.close();
    clearInterval(this.rescanTimer);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private restartRescan(ms: number): void {
    clearInterval(this.rescanTimer);
    this.rescanTimer = setInterval(() => void this.rescan(), ms);
    this.rescanTimer.unref?.();
  }

  private schedule(name: string): void {
    clearTimeout(this.timers.get(name));
    const timer = setTimeout(() => {
      this.timers.delete(name);
      void this.serial(async () => {
        const { record, removed } = await this.store.readChanged(name);
        if (record) this.options.onChanged(record);
        if (removed) this.options.onRemoved(removed);
      });
    }, this.options.debounceMs ?? 25);
    timer.unref?.();
    this.timers.set(name, timer);
  }

  /** One read at a time, so a scan and a single-file read never interleave; a failure is logged, never thrown. */
  private serial(work: () => Promise<void>): Promise<void> {
    const next = this.busy.then(async () => {
      if (this.stopped) return;
      try {
        await work();
      } catch (error) {
        this.logger.warn(`reading the task history failed: ${(error as Error).message}`);
      }
    });
    this.busy = next;
    return next;
  }
}
