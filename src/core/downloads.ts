import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { JuxinApi } from '../juxin/types';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/log';
import { DownloadError, downloadVideo, isMp4File } from './downloader';
import { videoFileName } from './naming';
import type { RateLimiter } from './rateLimiter';
import type { TaskRecords } from './records';
import { describe, foldResult } from './tracker';
import type { TaskRecord } from './types';

export interface DownloadsOptions {
  records: TaskRecords;
  api: () => JuxinApi;
  limiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  /** This process's videos folder, for tasks that do not say where they go. */
  videosDir: () => string;
  lifetime: AbortSignal;
  download?: typeof downloadVideo;
}

/**
 * Saves finished videos (signed URLs expire, so at once), one download per task at a time. Whatever
 * goes wrong ends as a record whose download failed with the reason and the next step: a download never
 * throws at its caller, and never takes the process down with it.
 */
export class TaskDownloads {
  private readonly running = new Map<string, Promise<TaskRecord | undefined>>();

  constructor(private readonly o: DownloadsOptions) {}

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** Downloads the task's video (again, with `again`); resolves with the record, never rejects. */
  start(id: string, again = false): Promise<TaskRecord | undefined> {
    const running = this.running.get(id);
    if (running) return running;
    const work = this.run(id, again)
      .catch((error: unknown) => this.fail(id, error))
      .finally(() => this.running.delete(id));
    this.running.set(id, work);
    return work;
  }

  async settle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private async run(id: string, again: boolean): Promise<TaskRecord | undefined> {
    let task = this.o.records.get(id);
    if (!task) return undefined;
    if (!task.videoUrl || again) task = await this.refreshUrl(id, task, again);
    if (!task.videoUrl) {
      return this.o.records.mutate(id, (t) => {
        t.download = { state: 'failed', error: 'Juxin gave no video URL for this task. Try Download again later; if it persists, check the Juxin console.' };
      });
    }
    task = await this.o.records.mutate(id, (t) => {
      t.download = { state: 'downloading', attempts: (t.download.attempts ?? 0) + 1 };
    });
    const folder = task.saveDir ?? this.o.videosDir();
    await mkdir(folder, { recursive: true }).catch((error: unknown) => {
      throw new Error(folderProblem(folder, error));
    });
    const fileName = videoFileName(task);
    // This process holds the task's lease, so no one else writes its video now: what a previous owner
    // left is either finished (the final name is only ever given to a whole, checked MP4: keep it, never
    // a second copy) or a temporary file of an attempt that died with it (removed).
    await removeLeftovers(folder, fileName);
    const finished = await finishedVideo(path.join(folder, fileName));
    if (finished !== undefined) {
      this.o.logger.info(`task ${id}: ${fileName} was already saved by an earlier attempt; keeping it`);
      return this.o.records.mutate(id, (t) => {
        t.download = { state: 'done', localPath: path.join(folder, fileName), bytes: finished, attempts: t.download.attempts };
      });
    }
    const download = this.o.download ?? downloadVideo;
    let lastEmit = 0;
    const attempt = (url: string) =>
      download({
        url,
        headers: this.headersFor(url),
        destDir: folder,
        fileName,
        signal: this.o.lifetime,
        clock: this.o.clock,
        onProgress: (bytes) => {
          // Byte counts are shown live but not written to disk on every chunk.
          const now = this.o.clock.now();
          if (now - lastEmit < 500) return;
          lastEmit = now;
          const current = this.o.records.get(id);
          if (current) this.o.records.announce({ ...current, download: { ...current.download, bytes } });
        },
      });
    let result;
    try {
      result = await attempt(task.videoUrl!);
    } catch (error) {
      if (!(error instanceof DownloadError && error.expired)) throw error;
      // The signed URL expired: ask Juxin for a fresh one, once.
      task = await this.refreshUrl(id, task, true);
      result = await attempt(task.videoUrl!);
    }
    this.o.logger.info(`task ${id} downloaded to ${result.path}`);
    const { path: localPath, bytes } = result;
    return this.o.records.mutate(id, (t) => {
      t.download = { state: 'done', localPath, bytes, attempts: t.download.attempts };
    });
  }

  /** The key goes only to the relay's own routes (the client decides); a storage host gets no header at all. */
  private headersFor(url: string): Record<string, string> {
    try {
      return this.o.api().downloadHeaders(url);
    } catch {
      return {}; // no key set: a public URL still downloads
    }
  }

  /** The end of a failed download: recorded with the reason and what to do, or (if even that fails) logged. */
  private async fail(id: string, error: unknown): Promise<TaskRecord | undefined> {
    if (this.o.lifetime.aborted) return this.o.records.get(id);
    const expired = error instanceof DownloadError && error.expired;
    this.o.logger.warn(`download of ${id} failed: ${describe(error)}`);
    try {
      return await this.o.records.mutate(id, (t) => {
        t.download = { state: expired ? 'expired' : 'failed', error: describe(error), attempts: t.download.attempts };
      });
    } catch (again) {
      this.o.logger.error(`could not record the failed download of ${id}: ${describe(again)}`);
      return this.o.records.get(id);
    }
  }

  private async refreshUrl(id: string, task: TaskRecord, force: boolean): Promise<TaskRecord> {
    if (task.videoUrl && !force) return task;
    try {
      await this.o.limiter.acquire(this.o.lifetime);
      const result = await this.o.api().queryVideo(id, { signal: this.o.lifetime });
      return await this.o.records.mutate(id, (t) => {
        foldResult(t, result, this.o.clock.now());
        if (result.videoUrl) {
          t.videoUrl = result.videoUrl;
          t.videoUrlReceivedAt = this.o.clock.now();
        }
      });
    } catch (error) {
      this.o.logger.warn(`could not refresh the video URL of ${id}: ${describe(error)}`);
      return this.o.records.get(id) ?? task;
    }
  }
}

/** The size of a whole MP4 already saved under the final name, or undefined. */
async function finishedVideo(file: string): Promise<number | undefined> {
  try {
    const s = await stat(file);
    return s.isFile() && s.size > 0 && (await isMp4File(file)) ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/** Temporary files of earlier attempts at this video (`<name>.part`, `<name>.<random>.part`). */
async function removeLeftovers(folder: string, fileName: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const mine = names.filter((n) => n.startsWith(`${fileName}.`) && n.endsWith('.part'));
  await Promise.all(mine.map((n) => rm(path.join(folder, n), { force: true }).catch(() => undefined)));
}

/** Why the videos folder cannot be used, and what to do: in words a person can act on. */
function folderProblem(folder: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ENOTDIR')
    return `cannot save into ${folder}: a file is in the way of that folder. Move the file, or choose another download folder, then Download again.`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return `cannot save into ${folder}: no permission to write there. Choose another download folder, then Download again.`;
  if (code === 'ENOSPC') return `cannot save into ${folder}: the disk is full. Free some space, then Download again.`;
  return `cannot save into ${folder}: ${describe(error)}. Choose another download folder, then Download again.`;
}
