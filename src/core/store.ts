import { copyFile, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { silentLogger, type Logger } from '../util/log';
import type { TaskRecord } from './types';

const recordSchema = z.looseObject({
  id: z.string().min(1),
  source: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  params: z.looseObject({ prompt: z.string(), model: z.string(), duration: z.number(), images: z.array(z.string()) }),
  status: z.enum(['queued', 'processing', 'completed', 'failed']),
  progress: z.number(),
  download: z.looseObject({ state: z.enum(['none', 'downloading', 'done', 'failed', 'expired']) }),
});

/** File name for a task id: ids contain ':' (not allowed on Windows), so anything unusual is hex-escaped. */
export function fileNameForId(id: string): string {
  return `${id.replace(/[^A-Za-z0-9_-]/g, (c) => `~${Buffer.from(c).toString('hex')}`)}.json`;
}

function parseRecord(text: string): TaskRecord | undefined {
  try {
    const parsed = recordSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as unknown as TaskRecord) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Task history on disk: `<home>/tasks/<id>.json`, one file per task so a damaged file costs only itself.
 * Writes are atomic (temp file + rename) and keep the previous good version as `.bak`; read-modify-write
 * holds a lock file, so two processes (the extension and a standalone server) can share the folder.
 */
export class TaskStore {
  readonly dir: string;

  constructor(
    home: string,
    private readonly logger: Logger = silentLogger,
  ) {
    this.dir = path.join(home, 'tasks');
  }

  private file(id: string): string {
    return path.join(this.dir, fileNameForId(id));
  }

  /** Every readable record, newest first. Damaged files are recovered from their backup or set aside. */
  async load(): Promise<TaskRecord[]> {
    await mkdir(this.dir, { recursive: true });
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    const records: TaskRecord[] = [];
    for (const name of names) {
      const record = await this.readFile(path.join(this.dir, name));
      if (record) records.push(record);
    }
    return records.sort((a, b) => b.createdAt - a.createdAt);
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    return this.readFile(this.file(id));
  }

  async put(record: TaskRecord): Promise<TaskRecord> {
    return this.update(record.id, () => record) as Promise<TaskRecord>;
  }

  /**
   * Reads the newest version on disk, applies `change`, writes the result — all under the task's
   * lock. `change` returning undefined leaves the file alone.
   */
  async update(id: string, change: (current: TaskRecord | undefined) => TaskRecord | undefined): Promise<TaskRecord | undefined> {
    await mkdir(this.dir, { recursive: true });
    const file = this.file(id);
    const release = await lockfile.lock(file, { realpath: false, stale: 10_000, retries: { retries: 50, minTimeout: 5, maxTimeout: 100 } });
    try {
      const current = await this.readFile(file);
      const next = change(current);
      if (!next) return current;
      if (next.id !== id) throw new Error(`record id ${next.id} does not match ${id}`);
      if (current) await copyFile(file, `${file}.bak`).catch(() => undefined);
      await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
      return next;
    } finally {
      await release();
    }
  }

  async remove(id: string): Promise<void> {
    const file = this.file(id);
    const release = await lockfile.lock(file, { realpath: false, stale: 10_000, retries: { retries: 50, minTimeout: 5, maxTimeout: 100 } });
    try {
      await rm(file, { force: true });
      await rm(`${file}.bak`, { force: true });
    } finally {
      await release();
    }
  }

  /** Reads one record; a damaged one comes back from its backup, or is moved aside so it stops failing. */
  private async readFile(file: string): Promise<TaskRecord | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const record = parseRecord(text);
    if (record) return record;
    const backup = await readFile(`${file}.bak`, 'utf8').then(parseRecord, () => undefined);
    const aside = `${file}.corrupt-${Date.now()}`;
    await rename(file, aside).catch(() => undefined);
    if (backup) {
      await writeFileAtomic(file, `${JSON.stringify(backup, null, 2)}\n`);
      this.logger.warn(`task file ${path.basename(file)} was damaged; restored the previous version (damaged copy kept as ${path.basename(aside)})`);
      return backup;
    }
    this.logger.error(`task file ${path.basename(file)} was damaged and had no usable backup; moved to ${path.basename(aside)}`);
    return undefined;
  }
}
