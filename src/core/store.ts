import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import pMap from 'p-map';
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
  rev: z.number().optional(),
  params: z.looseObject({ prompt: z.string(), model: z.string(), duration: z.number(), images: z.array(z.string()) }),
  status: z.enum(['queued', 'processing', 'completed', 'failed']),
  progress: z.number(),
  download: z.looseObject({ state: z.enum(['none', 'downloading', 'done', 'failed', 'expired']) }),
});

/**
 * The file a task is kept in: a readable prefix of the id, then a hash of the whole id. Juxin's ids are
 * opaque: 300 characters, CJK, ':' (not allowed on Windows) or a device name like `CON` all give a short
 * name that is safe on every OS, and the id itself is kept inside the record.
 */
export function recordFileName(id: string): string {
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 16);
  const readable = id
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '')
    .slice(0, 48);
  return `${readable || 'task'}-${hash}.json`;
}

/** The name earlier versions used (the id with unusual characters hex-escaped): read once, then moved. */
export function legacyFileName(id: string): string {
  return `${id.replace(/[^A-Za-z0-9_-]/g, (c) => `~${Buffer.from(c).toString('hex')}`)}.json`;
}

/** An entry of the tasks folder that could not be read; it is skipped, never fatal. */
export interface StoreProblem {
  name: string;
  reason: string;
}

interface FileStamp {
  mtimeMs: number;
  size: number;
}

interface Seen {
  stamp: FileStamp;
  record: TaskRecord;
}

/** What a scan of the folder found changed since this process last looked. */
export interface StoreChanges {
  changed: TaskRecord[];
  removed: string[];
}

const INDEX_VERSION = 1;
// On a file system with coarse time stamps (whole seconds: FAT, HFS+, ext3), a file changed within this
// long before the index was written may hold a change its stamp cannot show: it is read again.
const STAMP_SLACK_MS = 2000;
const trustStamp = (stamp: FileStamp, trustedBefore: number) => stamp.mtimeMs % 1000 !== 0 || stamp.mtimeMs < trustedBefore - STAMP_SLACK_MS;
/** Files stat'ed between two turns of the event loop while the folder is looked at. */
const STAT_SLICE = 250;
/** Records whose file name is checked between two turns of the event loop. */
const NAME_SLICE = 1000;
/** write-file-atomic's temporary file of a record: `<id>.json.<32-bit number>`. */
const LEFTOVER = /^(.+\.json)\.\d+$/;
const LOCK_OPTIONS = { realpath: false, stale: 5_000, retries: { retries: 100, factor: 1.2, minTimeout: 5, maxTimeout: 200 } };

function parseRecord(text: string): TaskRecord | undefined {
  try {
    const parsed = recordSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as unknown as TaskRecord) : undefined;
  } catch {
    return undefined;
  }
}

const newestFirst = (records: TaskRecord[]) => records.sort((a, b) => b.createdAt - a.createdAt);

/** The index file as read: every record it holds, by file name, and when it was written. */
interface SavedIndex {
  writtenAt: number;
  files: Map<string, Seen>;
}

const sameStamp = (a: FileStamp | undefined, b: FileStamp) => a !== undefined && a.mtimeMs === b.mtimeMs && a.size === b.size;
const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * Task history on disk: `<home>/tasks/<name>.json`, one file per task so a damaged or unreadable file
 * costs only itself. Writes are atomic (temp file + rename) and keep the previous good version as
 * `.bak`; read-modify-write holds a lock file so several processes (VS Code windows, standalone servers)
 * share the folder, and updates of one task within this process queue up before that lock.
 *
 * Loading 10,000 records stays fast: `<home>/index/tasks.json` caches every record with the size and
 * modification time of its file; only files whose stamp differs are read again (the index is rebuilt
 * from the records whenever it is missing, damaged or stale).
 */
export class TaskStore {
  readonly dir: string;
  private readonly indexFile: string;
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Every record file as this process last read or wrote it. */
  private readonly seen = new Map<string, Seen>();
  private indexDirty = false;
  private indexWrite: Promise<void> = Promise.resolve();
  /** Records already found under their current file name (a name is a hash of the id: worked out once). */
  private readonly named = new WeakSet<TaskRecord>();
  /** The index `loadIndexed` read, for the `load` that follows it (so it is read once). */
  private indexRead: Promise<SavedIndex | undefined> | undefined;
  /** Entries the last load or scan skipped, with why (shown to the user, never fatal). */
  problems: StoreProblem[] = [];

  constructor(
    readonly home: string,
    private readonly logger: Logger = silentLogger,
  ) {
    this.dir = path.join(home, 'tasks');
    this.indexFile = path.join(home, 'index', 'tasks.json');
  }

  fileOf(id: string): string {
    return path.join(this.dir, recordFileName(id));
  }

  /**
   * The records as the index last saved them, newest first, without looking at the folder: what can be
   * shown at once while `load` (which starts from this same read) checks every file. It may be behind
   * the folder (another process wrote since). Undefined when there is no usable index.
   */
  async loadIndexed(): Promise<TaskRecord[] | undefined> {
    this.indexRead ??= this.readIndex();
    const index = await this.indexRead;
    return index && newestFirst([...index.files.values()].map((s) => s.record));
  }

  /** Every readable record, newest first. Damaged files are recovered from their backup or set aside; unreadable entries are skipped and reported. */
  async load(): Promise<TaskRecord[]> {
    const read = this.indexRead ?? this.readIndex();
    this.indexRead = undefined;
    const [index] = await Promise.all([read, mkdir(this.dir, { recursive: true })]);
    await this.sync(index?.files ?? new Map(), index?.writtenAt ?? 0);
    if (!index || this.indexDirty) await this.saveIndex();
    return newestFirst([...this.seen.values()].map((s) => s.record));
  }

  /** Looks at the whole folder again: what other processes added, changed or removed since this one last looked. */
  async scan(): Promise<StoreChanges> {
    const before = new Map([...this.seen].map(([name, s]) => [name, s]));
    await this.sync(before, Number.POSITIVE_INFINITY);
    const changed: TaskRecord[] = [];
    for (const [name, now] of this.seen) {
      const then = before.get(name);
      if (!then || now.record !== then.record) changed.push(now.record);
    }
    const present = new Set([...this.seen.values()].map((s) => s.record.id));
    const removed = [...before.values()].map((s) => s.record.id).filter((id) => !present.has(id));
    if (changed.length || removed.length) this.indexDirty = true;
    return { changed, removed };
  }

  /**
   * One file changed (a watcher said so): its record if it is new or newer than what this process has,
   * `removed` if the file is gone, nothing if it is the same.
   */
  async readChanged(name: string): Promise<{ record?: TaskRecord; removed?: string }> {
    if (!name.endsWith('.json') || name !== path.basename(name)) return {};
    const before = this.seen.get(name);
    const fresh = await this.statAndRead(name);
    if (fresh === 'gone') {
      if (!before) return {};
      this.seen.delete(name);
      this.indexDirty = true;
      return { removed: before.record.id };
    }
    if (!fresh) return {};
    // Our own writes come back through the watcher too: same revision, nothing new.
    if (before && (fresh.record.rev ?? 0) <= (before.record.rev ?? 0)) return {};
    this.seen.set(name, fresh);
    this.indexDirty = true;
    return { record: fresh.record };
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const found = await this.readRecordFile(this.fileOf(id));
    return found === 'unreadable' ? undefined : found;
  }

  async put(record: TaskRecord): Promise<TaskRecord> {
    return this.update(record.id, () => record) as Promise<TaskRecord>;
  }

  /**
   * Reads the newest version on disk, applies `change`, writes the result — all under the task's lock,
   * after any earlier update of the same task from this process. `change` returning undefined leaves
   * the file alone. Every write bumps the record's `rev`, so readers can tell newer from older.
   */
  update(id: string, change: (current: TaskRecord | undefined) => TaskRecord | undefined): Promise<TaskRecord | undefined> {
    return this.serialize(id, async () => {
      await mkdir(this.dir, { recursive: true });
      const file = this.fileOf(id);
      const release = await lockfile.lock(file, {
        ...LOCK_OPTIONS,
        onCompromised: (e) => this.logger.warn(`lock of ${path.basename(file)} lost: ${e.message}`),
      });
      try {
        const current = await this.readRecordFile(file);
        if (current === 'unreadable') throw new Error(`the task file ${path.basename(file)} cannot be read; nothing was changed`);
        const next = change(current);
        if (!next) return current;
        if (next.id !== id) throw new Error(`record id ${next.id} does not match ${id}`);
        const written: TaskRecord = { ...next, rev: (current?.rev ?? 0) + 1 };
        if (current) await copyFile(file, `${file}.bak`).catch(() => undefined);
        await writeFileAtomic(file, `${JSON.stringify(written, null, 2)}\n`);
        const stamp = await stat(file).then(
          (s) => ({ mtimeMs: s.mtimeMs, size: s.size }),
          () => ({ mtimeMs: 0, size: -1 }),
        );
        this.seen.set(path.basename(file), { stamp, record: written });
        this.indexDirty = true;
        return written;
      } finally {
        await release().catch(() => undefined);
      }
    });
  }

  remove(id: string): Promise<void> {
    return this.serialize(id, async () => {
      const file = this.fileOf(id);
      const release = await lockfile.lock(file, { ...LOCK_OPTIONS, onCompromised: () => undefined });
      try {
        await rm(file, { force: true });
        await rm(`${file}.bak`, { force: true });
        this.seen.delete(path.basename(file));
        this.indexDirty = true;
      } finally {
        await release().catch(() => undefined);
      }
    });
  }

  /** Writes the index if anything changed since it was last written (it is a cache: losing it costs only time). */
  saveIndex(): Promise<void> {
    this.indexWrite = this.indexWrite.then(async () => {
      if (!this.indexDirty && this.seen.size) return;
      this.indexDirty = false;
      const files: Record<string, [number, number, TaskRecord]> = {};
      for (const [name, s] of this.seen) files[name] = [s.stamp.mtimeMs, s.stamp.size, s.record];
      try {
        await mkdir(path.dirname(this.indexFile), { recursive: true });
        await writeFileAtomic(this.indexFile, JSON.stringify({ version: INDEX_VERSION, writtenAt: Date.now(), files }));
      } catch (error) {
        this.indexDirty = true;
        this.logger.warn(`could not write the history index (it only speeds up starting): ${(error as Error).message}`);
      }
    });
    return this.indexWrite;
  }

  /**
   * A process killed while it wrote a record leaves write-file-atomic's temporary file beside it
   * (`<id>.json.<number>`). Its writer held the record's lock while writing, so once that lock can be
   * had (at once, or never: a live writer's or a dead one's not yet stale lock), the file is nobody's and goes.
   */
  private async clearLeftovers(names: readonly string[]): Promise<void> {
    for (const name of names) {
      const record = LEFTOVER.exec(name)?.[1];
      if (!record) continue;
      const release = await lockfile.lock(path.join(this.dir, record), { ...LOCK_OPTIONS, retries: 0 }).catch(() => undefined);
      if (!release) continue;
      try {
        await rm(path.join(this.dir, name), { force: true });
        this.logger.info(`removed ${name}, left by a process stopped while it wrote ${record}`);
      } catch {
        // Gone already, or not ours to remove: the next scan tries again.
      } finally {
        await release().catch(() => undefined);
      }
    }
  }

  // ---- reading -------------------------------------------------------------------------------------

  /**
   * Brings `seen` up to date with the folder: every `.json` entry is stat'ed; a record whose stamp matches
   * the baseline (older than `trustedBefore`) is taken from it, anything else is read again. Entries that
   * cannot be read (a folder named x.json, a symlink loop, an antivirus lock) are skipped and reported.
   */
  private async sync(baseline: Map<string, Seen>, trustedBefore: number): Promise<void> {
    const problems: StoreProblem[] = [];
    let names: string[];
    try {
      const all = await readdir(this.dir);
      names = all.filter((n) => n.endsWith('.json'));
      await this.clearLeftovers(all);
    } catch (error) {
      this.logger.error(`cannot list the task history folder ${this.dir}: ${(error as Error).message}`);
      this.problems = [{ name: this.dir, reason: (error as Error).message }];
      return;
    }
    const next = new Map<string, Seen>();
    const toRead: { name: string; stamp: FileStamp }[] = [];
    // Synchronous stats: for 10,000 files they take tens of milliseconds, where as many promises take
    // hundreds; in slices, so the process (VS Code's extension host) goes on answering meanwhile.
    for (const [i, name] of names.entries()) {
      if (i > 0 && i % STAT_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      let stamp: FileStamp;
      try {
        const s = statSync(path.join(this.dir, name));
        if (!s.isFile()) {
          problems.push({ name, reason: 'not a file' });
          continue;
        }
        stamp = { mtimeMs: s.mtimeMs, size: s.size };
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') problems.push({ name, reason: (error as Error).message });
        continue;
      }
      const known = baseline.get(name);
      if (known && sameStamp(known.stamp, stamp) && trustStamp(stamp, trustedBefore)) next.set(name, known);
      else toRead.push({ name, stamp });
    }
    await pMap(
      toRead,
      async ({ name, stamp }) => {
        const found = await this.readRecordFile(path.join(this.dir, name));
        if (found === 'unreadable') problems.push({ name, reason: 'unreadable' });
        else if (found) {
          next.set(name, { stamp, record: found });
          this.indexDirty = true;
        }
      },
      { concurrency: 64 },
    );
    this.seen.clear();
    for (const [name, s] of next) this.seen.set(name, s);
    await this.adoptLegacyNames();
    if (next.size !== baseline.size) this.indexDirty = true;
    for (const p of problems) this.logger.warn(`skipped ${p.name} in the task history: ${p.reason}`);
    this.problems = problems;
  }

  /** Records kept under an earlier version's file name move to their current name (the newer copy wins). */
  private async adoptLegacyNames(): Promise<void> {
    for (const [i, [name, s]] of [...this.seen].entries()) {
      if (this.named.has(s.record)) continue;
      if (i > 0 && i % NAME_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      const wanted = recordFileName(s.record.id);
      if (name === wanted) {
        this.named.add(s.record);
        continue;
      }
      this.seen.delete(name);
      try {
        const current = this.seen.get(wanted);
        if (!current || (current.record.rev ?? 0) < (s.record.rev ?? 0)) await this.update(s.record.id, () => s.record);
        await rm(path.join(this.dir, name), { force: true });
        await rm(path.join(this.dir, `${name}.bak`), { force: true });
        this.logger.info(`moved task ${s.record.id} to ${wanted}`);
      } catch (error) {
        // Left where it is: it is still read from its old name next time.
        this.seen.set(name, s);
        this.logger.warn(`could not move task ${s.record.id} to its new file name: ${(error as Error).message}`);
      }
    }
  }

  private async statAndRead(name: string): Promise<Seen | 'gone' | undefined> {
    const file = path.join(this.dir, name);
    try {
      const s = await stat(file);
      if (!s.isFile()) return undefined;
      const found = await this.readRecordFile(file);
      if (found === undefined) return 'gone';
      return found === 'unreadable' ? undefined : { stamp: { mtimeMs: s.mtimeMs, size: s.size }, record: found };
    } catch (error) {
      return errorCode(error) === 'ENOENT' ? 'gone' : undefined;
    }
  }

  /** Reads one record; a damaged one comes back from its backup, or is moved aside so it stops failing. */
  private async readRecordFile(file: string): Promise<TaskRecord | undefined | 'unreadable'> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      // EISDIR, ELOOP, EPERM, EBUSY, EACCES…: skipped and reported, never fatal.
      this.logger.warn(`cannot read ${path.basename(file)}: ${(error as Error).message}`);
      return 'unreadable';
    }
    const record = parseRecord(text);
    if (record) return record;
    const backup = await readFile(`${file}.bak`, 'utf8').then(parseRecord, () => undefined);
    const aside = `${file}.corrupt-${Date.now()}`;
    await rename(file, aside).catch(() => undefined);
    if (backup) {
      await writeFileAtomic(file, `${JSON.stringify(backup, null, 2)}\n`).catch(() => undefined);
      this.logger.warn(`task file ${path.basename(file)} was damaged; restored the previous version (damaged copy kept as ${path.basename(aside)})`);
      return backup;
    }
    this.logger.error(`task file ${path.basename(file)} was damaged and had no usable backup; moved to ${path.basename(aside)}`);
    return undefined;
  }

  private async readIndex(): Promise<SavedIndex | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.indexFile, 'utf8')) as {
        version?: number;
        writtenAt?: number;
        files?: Record<string, [number, number, TaskRecord]>;
      };
      if (parsed.version !== INDEX_VERSION || typeof parsed.writtenAt !== 'number' || !parsed.files || typeof parsed.files !== 'object') return undefined;
      const files = new Map<string, Seen>();
      for (const [name, entry] of Object.entries(parsed.files)) {
        if (!Array.isArray(entry) || entry.length !== 3) continue;
        const [mtimeMs, size, record] = entry;
        // The index is our own cache of records already checked when they were read: a light check is enough.
        if (typeof mtimeMs !== 'number' || typeof size !== 'number' || typeof record?.id !== 'string' || typeof record.params?.prompt !== 'string') continue;
        files.set(name, { stamp: { mtimeMs, size }, record });
      }
      return { writtenAt: parsed.writtenAt, files };
    } catch {
      return undefined; // missing or damaged: rebuilt from the records
    }
  }

  private serialize<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(id, tail);
    void tail.then(() => {
      if (this.queues.get(id) === tail) this.queues.delete(id);
    });
    return result;
  }
}
