import { EventEmitter } from 'node:events';
import { JuxinError } from '../juxin/errors';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/log';
import type { TaskStore } from './store';
import type { TaskRecord } from './types';

/**
 * The history in memory: every task record of the shared home folder, kept in step with the disk, and
 * the one source of change events. Changes from this process go through the store (read-modify-write
 * under the task's lock); changes made by other processes arrive through `accept`/`drop` (the watcher).
 */
export class TaskRecords {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly events = new EventEmitter();
  /** Tasks whose first write failed, each with the wait before the next try (ended by remove and dispose). */
  private readonly unsaved = new Map<string, AbortController>();
  /**
   * Tasks removed here or by another process. A read of the folder that began before a removal can
   * end after it (the watcher reads a file as it is deleted): what it found must not bring the task back.
   */
  private readonly removed = new Set<string>();

  constructor(
    private readonly store: TaskStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.events.setMaxListeners(0);
  }

  /**
   * Reads the history in two steps. First the index as last saved (a cache of every record), so the
   * history can be shown at once (`onShown`); then every file is checked, and what the folder says
   * differently (a task another process changed, added or removed since the index was written) comes
   * as changes, like any change another process makes. Without an index, everything is read first.
   */
  async load(onShown?: () => void): Promise<void> {
    const indexed = await this.store.loadIndexed();
    if (indexed) {
      for (const task of indexed) this.keepNewer(task);
      onShown?.();
    }
    const loaded = await this.store.load();
    if (!indexed) {
      for (const task of loaded) this.tasks.set(task.id, task);
      return onShown?.();
    }
    // The files win over the index, as they always did when loading (the same object: the index had it
    // right). A record this process changed meanwhile is newer than both and stays.
    const shown = new Set(indexed);
    const untouched = (id: string) => {
      const now = this.tasks.get(id);
      return now === undefined || shown.has(now);
    };
    const onDisk = new Set<string>();
    for (const task of loaded) {
      onDisk.add(task.id);
      if (this.tasks.get(task.id) !== task && untouched(task.id)) this.accepted(task);
    }
    for (const task of indexed) if (!onDisk.has(task.id) && this.tasks.get(task.id) === task) this.drop(task.id);
  }

  /** One of two records with the same id (a file under an earlier version's name beside its current one): the newer. */
  private keepNewer(task: TaskRecord): void {
    const known = this.tasks.get(task.id);
    if (!known || (known.rev ?? 0) < (task.rev ?? 0)) this.tasks.set(task.id, task);
  }

  get(id: string): TaskRecord | undefined {
    return this.tasks.get(id);
  }

  values(): IterableIterator<TaskRecord> {
    return this.tasks.values();
  }

  get size(): number {
    return this.tasks.size;
  }

  /**
   * A task the relay just accepted (and may bill): in memory and announced at once, then on disk. A
   * failing write never loses it: the record stays here, is tracked, and the write is tried again.
   */
  async add(record: TaskRecord): Promise<TaskRecord> {
    this.removed.delete(record.id);
    this.tasks.set(record.id, record);
    this.emit(record);
    try {
      return this.accepted(await this.store.put(record));
    } catch (error) {
      this.logger.error(`task ${record.id} is not saved to disk yet (${(error as Error).message}); it is kept in memory and saved again shortly`);
      this.retrySave(record.id, 1);
      return record;
    }
  }

  private retrySave(id: string, attempt: number): void {
    const waiting = new AbortController();
    this.unsaved.set(id, waiting);
    // On the injected clock, like every other wait of the engine (tests let the time pass).
    this.clock.sleep(Math.min(60_000, 1000 * 2 ** attempt), waiting.signal).then(
      () => {
        this.unsaved.delete(id);
        const memory = this.tasks.get(id);
        if (!memory) return;
        this.store
          .update(id, (disk) => (disk && (disk.rev ?? 0) >= (memory.rev ?? 0) ? undefined : memory))
          .then(
            (saved) => saved && this.accepted(saved),
            (error: unknown) => {
              this.logger.error(`saving task ${id} failed again: ${(error as Error).message}`);
              if (attempt < 20) this.retrySave(id, attempt + 1);
            },
          );
      },
      () => undefined, // removed, or disposed
    );
  }

  /** Read-modify-write through the store (another process may have written since), then tell listeners. */
  async mutate(id: string, change: (task: TaskRecord) => void): Promise<TaskRecord> {
    const memory = this.tasks.get(id);
    if (!memory) throw new JuxinError('not_found', `Task ${id} is not in the history.`);
    const saved = await this.store.update(id, (disk) => {
      // Gone from disk (removed here or by another process while this change was on its way): it stays
      // gone. Only a record whose first write is still pending exists in memory alone.
      if (!disk && !this.unsaved.has(id)) return undefined;
      const base = disk && (disk.rev ?? 0) >= (memory.rev ?? 0) ? disk : memory;
      const next = structuredClone(base);
      change(next);
      next.updatedAt = this.clock.now();
      return next;
    });
    if (!saved) {
      this.drop(id);
      throw new JuxinError('not_found', `Task ${id} is not in the history.`);
    }
    const known = this.tasks.get(id);
    if (!known) return saved; // removed while this was being written
    // The watcher may have read this very write back already, and announced it: once is enough.
    if ((known.rev ?? 0) >= (saved.rev ?? 0)) return known;
    return this.accepted(saved);
  }

  /** A record another process wrote (the watcher read it): taken if it is newer than ours. */
  accept(record: TaskRecord): void {
    if (this.removed.has(record.id)) return;
    const known = this.tasks.get(record.id);
    if (known && (known.rev ?? 0) >= (record.rev ?? 0)) return;
    this.accepted(record);
  }

  /** Another process removed a task. */
  drop(id: string): void {
    this.removed.add(id);
    if (!this.tasks.delete(id)) return;
    this.events.emit('remove', id);
  }

  async remove(id: string): Promise<void> {
    this.unsaved.get(id)?.abort();
    this.unsaved.delete(id);
    this.removed.add(id);
    this.tasks.delete(id);
    await this.store.remove(id);
    this.events.emit('remove', id);
  }

  /** A passing state (bytes downloaded so far) shown live but not written to disk on every chunk. */
  announce(task: TaskRecord): void {
    if (this.tasks.has(task.id)) this.emit(task);
  }

  onDidChange(listener: (task: TaskRecord) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  onDidRemove(listener: (id: string) => void): () => void {
    this.events.on('remove', listener);
    return () => this.events.off('remove', listener);
  }

  dispose(): void {
    for (const waiting of this.unsaved.values()) waiting.abort();
    this.unsaved.clear();
    this.events.removeAllListeners();
  }

  private accepted(record: TaskRecord): TaskRecord {
    this.tasks.set(record.id, record);
    this.emit(record);
    return record;
  }

  private emit(task: TaskRecord): void {
    this.events.emit('change', task);
  }
}
