import type { Stats } from 'node:fs';
import { lstat, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { silentLogger, type Logger } from '../util/log';
import type { OwnFiles } from '../util/safeWrite';

interface Entry {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  at: number;
}

/** Enough for every film of every storyboard a person keeps; the oldest are forgotten first. */
const MAX_ENTRIES = 2000;

/**
 * The files this program wrote where a person keeps their own files (`<home>/written-files.json`,
 * shared by every process on the home): a file is ours to replace only while it is the very file we
 * wrote (device, inode, size and modification time unchanged). A file of the same name from anywhere
 * else (the person's own `movie.mp4`, one a cloned repository brought) never matches, so it is
 * never replaced.
 */
export class WrittenFiles implements OwnFiles {
  readonly file: string;

  constructor(
    home: string,
    private readonly logger: Logger = silentLogger,
  ) {
    this.file = path.join(home, 'written-files.json');
  }

  async isOurs(file: string, info: Stats): Promise<boolean> {
    const entry = (await this.read())[path.resolve(file)];
    return !!entry && info.isFile() && sameFile(entry, info);
  }

  async record(files: readonly string[]): Promise<void> {
    const now = Date.now();
    const written: [string, Entry][] = [];
    for (const file of files) {
      const info = await lstat(file).catch(() => undefined);
      if (info?.isFile()) written.push([path.resolve(file), { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, at: now }]);
    }
    if (!written.length) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const release = await lockfile.lock(this.file, {
      realpath: false,
      stale: 5_000,
      retries: { retries: 50, factor: 1.2, minTimeout: 5, maxTimeout: 200 },
      onCompromised: () => undefined,
    });
    try {
      const all = await this.read();
      for (const [file, entry] of written) all[file] = entry;
      const kept = Object.entries(all)
        .sort((a, b) => b[1].at - a[1].at)
        .slice(0, MAX_ENTRIES);
      await writeFileAtomic(this.file, `${JSON.stringify(Object.fromEntries(kept))}\n`);
    } finally {
      await release().catch(() => undefined);
    }
  }

  private async read(): Promise<Record<string, Entry>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      const entries: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
      for (const [file, value] of Object.entries(parsed as Record<string, unknown>)) if (isEntry(value)) entries[file] = value;
      return entries;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.logger.warn(`cannot read ${this.file}: ${(error as Error).message}`);
      return {};
    }
  }
}

function sameFile(entry: Entry, info: Stats): boolean {
  return entry.dev === info.dev && entry.ino === info.ino && entry.size === info.size && entry.mtimeMs === info.mtimeMs;
}

function isEntry(value: unknown): value is Entry {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return ['dev', 'ino', 'size', 'mtimeMs', 'at'].every((k) => typeof v[k] === 'number');
}
