import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import type { Character, CharacterSource } from '../juxin/types';
import { silentLogger, type Logger } from '../util/log';

/** A character (cameo) as the history keeps it: what Juxin returned, where it came from, and when. */
export interface CharacterRecord extends Character {
  /** The task or the video URL it was taken from. */
  source: CharacterSource;
  timestamps: string;
  createdAt: number;
}

const characterSchema = z.looseObject({
  id: z.string().min(1),
  username: z.string().min(1),
  permalink: z.string().optional(),
  profilePictureUrl: z.string().optional(),
  source: z.union([z.object({ url: z.string() }), z.object({ fromTask: z.string() })]),
  timestamps: z.string(),
  createdAt: z.number(),
});

/**
 * Every character created on this machine, in `<home>/characters.json` (shared by every window and
 * server like the tasks): so a storyboard's cast and the `@` completion can offer them later. Written
 * under a lock, read-modify-write; a damaged file reads as the characters that still parse.
 */
export class CharacterStore {
  readonly file: string;

  constructor(
    home: string,
    private readonly logger: Logger = silentLogger,
  ) {
    this.file = path.join(home, 'characters.json');
  }

  /** Newest first. */
  async list(): Promise<CharacterRecord[]> {
    return (await this.read()).sort((a, b) => b.createdAt - a.createdAt);
  }

  async add(character: CharacterRecord): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const release = await lockfile.lock(this.file, {
      realpath: false,
      stale: 5_000,
      retries: { retries: 50, factor: 1.2, minTimeout: 5, maxTimeout: 200 },
      onCompromised: () => undefined,
    });
    try {
      const all = (await this.read()).filter((c) => c.id !== character.id);
      all.push(character);
      await writeFileAtomic(this.file, `${JSON.stringify(all, null, 2)}\n`);
    } finally {
      await release().catch(() => undefined);
    }
  }

  private async read(): Promise<CharacterRecord[]> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.logger.warn(`cannot read ${this.file}: ${(error as Error).message}`);
      return [];
    }
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((c) => {
      const r = characterSchema.safeParse(c);
      return r.success ? [r.data as CharacterRecord] : [];
    });
  }
}
