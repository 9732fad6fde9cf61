import { mkdir, mkdtemp, rmdir } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { silentLogger, type Logger } from '../util/log';
import { recordFileName } from './store';

/** The home's lease folder cannot be used, so a new task could not be followed: nothing is sent. */
export class LeaseFolderError extends Error {
  override readonly name = 'LeaseFolderError';
  constructor(
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
  }
}

export interface LeaseOptions {
  /**
   * A lease whose holder stopped refreshing it is free after this long (real time; the holder refreshes
   * it every quarter of that). Default 20 s, so a killed process's tasks move on within ~25 s.
   */
  staleMs?: number;
  logger?: Logger;
}

/**
 * Exactly one process at a time tracks and downloads a given task: the one holding its lease, a lock
 * directory under `<home>/leases/` (proper-lockfile) whose time stamp the holder refreshes while it lives.
 * A holder that exits releases its leases at once; one that is killed leaves them to go stale, and the
 * next live process that asks takes the task over. Processes without the lease still show the task and
 * wait on it: they follow the store.
 */
export class TaskLeases {
  readonly dir: string;
  readonly staleMs: number;
  private readonly logger: Logger;
  private readonly held = new Map<string, () => Promise<void>>();
  private readonly pending = new Map<string, Promise<boolean>>();
  private readonly lostListeners = new Set<(id: string) => void>();
  private disposed = false;

  constructor(home: string, options: LeaseOptions = {}) {
    this.dir = path.join(home, 'leases');
    this.staleMs = Math.max(2000, options.staleMs ?? 20_000);
    this.logger = options.logger ?? silentLogger;
  }

  owns(id: string): boolean {
    return this.held.has(id);
  }

  /** Ids of the tasks this process holds. */
  get owned(): string[] {
    return [...this.held.keys()];
  }

  /** True if this process holds the task's lease now (it may already have held it). Never throws. */
  tryAcquire(id: string): Promise<boolean> {
    if (this.held.has(id)) return Promise.resolve(true);
    if (this.disposed) return Promise.resolve(false);
    const running = this.pending.get(id);
    if (running) return running;
    const attempt = this.acquire(id).finally(() => this.pending.delete(id));
    this.pending.set(id, attempt);
    return attempt;
  }

  private async acquire(id: string): Promise<boolean> {
    try {
      await mkdir(this.dir, { recursive: true });
      const release = await lockfile.lock(this.leaseFile(id), {
        realpath: false,
        stale: this.staleMs,
        update: this.staleMs / 4,
        retries: 0,
        onCompromised: (error) => {
          // Our refresh came too late (a frozen process, a sleeping laptop): someone may have it now.
          this.held.delete(id);
          this.logger.warn(`lost the lease of task ${id}: ${error.message}`);
          for (const listener of this.lostListeners) listener(id);
        },
      });
      if (this.disposed) {
        await release().catch(() => undefined);
        return false;
      }
      this.held.set(id, release);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') this.logger.warn(`cannot take the lease of task ${id}: ${(error as Error).message}`);
      return false;
    }
  }

  async release(id: string): Promise<void> {
    const release = this.held.get(id);
    if (!release) return;
    this.held.delete(id);
    await release().catch(() => undefined);
  }

  /**
   * Throws LeaseFolderError unless a lease could be taken here now (the folder exists or can be made,
   * and is writable). Asked before a paid request: a task whose lease nobody can take would be created,
   * paid for, and then followed by no process at all.
   */
  async ensureUsable(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      await rmdir(await mkdtemp(path.join(this.dir, '.probe-')));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new LeaseFolderError(
        `The folder ${JSON.stringify(this.dir)} cannot be used (${code}), and without it no process could follow a new video, so nothing was sent. ` +
          'It must be a folder this program can write: remove or fix what is in its place (or set JUXIN_SORA_HOME to another folder), then try again.',
        `无法使用文件夹 ${JSON.stringify(this.dir)}（${code}），没有它就没有进程能跟进新视频，因此没有发送任何请求。` +
          '它必须是本程序可写的文件夹：请删除或修复占用该位置的内容（或把 JUXIN_SORA_HOME 设为其他文件夹）后重试。',
      );
    }
  }

  onLost(listener: (id: string) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.allSettled([...this.pending.values()]);
    await Promise.allSettled(this.owned.map((id) => this.release(id)));
    this.lostListeners.clear();
  }

  private leaseFile(id: string): string {
    return path.join(this.dir, recordFileName(id).replace(/\.json$/, ''));
  }
}
