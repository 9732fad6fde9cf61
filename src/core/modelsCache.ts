import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { videoModelIds } from '../juxin/models';
import type { JuxinApi, ListedModel } from '../juxin/types';
import type { Clock } from '../util/clock';
import { silentLogger, type Logger } from '../util/log';
import type { UsableModels } from './params';

/** How long an answer of `GET /v1/models` is trusted before it is asked again. */
export const MODELS_MAX_AGE_MS = 5 * 60_000;

const cacheSchema = z.object({
  version: z.literal(1),
  fetchedAt: z.number(),
  models: z.array(z.object({ id: z.string().min(1), ownedBy: z.string().optional(), endpointTypes: z.array(z.string()) })),
});

/** What the key can use, and where that came from. */
export interface ModelsAnswer {
  /** Every model the relay listed (chat, image and video), or undefined when it could not say. */
  listed?: readonly ListedModel[];
  /** The video models among them; undefined: not known (no `/v1/models`, an error, no video model listed), the catalog decides. */
  usable: UsableModels;
  fetchedAt?: number;
}

/**
 * What this key can use, from `GET /v1/models`, kept in `<home>/models.json` so every process on the
 * machine shares one answer (written whole with write-file-atomic, as the other shared files; a damaged
 * file reads as none). Asked again after `MODELS_MAX_AGE_MS`, and at once after the relay refused a
 * model (`invalidate`). A relay that cannot answer leaves the catalog to decide.
 */
export class ModelsCache {
  readonly file: string;
  private memory: ModelsAnswer | undefined;
  private asking: Promise<ModelsAnswer> | undefined;

  constructor(
    home: string,
    private readonly api: () => JuxinApi,
    private readonly clock: Clock,
    private readonly logger: Logger = silentLogger,
    private readonly maxAgeMs = MODELS_MAX_AGE_MS,
    /** Waits for the key's turn (the engine's shared rate cap): `GET /v1/models` is a request on the key like any other. */
    private readonly turn: () => Promise<void> = async () => undefined,
  ) {
    this.file = path.join(home, 'models.json');
  }

  /** The last answer this process knows, without asking (undefined: none yet). */
  current(): ModelsAnswer | undefined {
    return this.memory;
  }

  /** The models the key can use, fresh within `maxAgeMs` (this process's, another's through the file, or asked now). */
  async models(): Promise<ModelsAnswer> {
    if (this.memory?.fetchedAt !== undefined && this.fresh(this.memory.fetchedAt)) return this.memory;
    this.asking ??= this.refresh().finally(() => (this.asking = undefined));
    return this.asking;
  }

  /** The relay refused a model: the next question asks it again, in every process. */
  async invalidate(): Promise<void> {
    this.memory = undefined;
    await rm(this.file, { force: true }).catch((error: unknown) => this.logger.warn(`models cache not cleared: ${(error as Error).message}`));
  }

  private fresh(fetchedAt: number): boolean {
    const age = this.clock.now() - fetchedAt;
    return age >= 0 && age < this.maxAgeMs;
  }

  private async refresh(): Promise<ModelsAnswer> {
    const shared = await this.readFile();
    if (shared && this.fresh(shared.fetchedAt)) return (this.memory = answerOf(shared.models, shared.fetchedAt));
    let listed: ListedModel[];
    try {
      await this.turn();
      listed = await this.api().listModels();
    } catch (error) {
      // No key yet, an old relay without /v1/models, a network error: the last answer known, else the catalog;
      // not asked again before `maxAgeMs` (or a refused model), so a relay without the route is not asked at every generation.
      this.logger.debug(`GET /v1/models not read (${error instanceof Error ? error.message : String(error)}): the catalog decides`);
      const known = shared ? answerOf(shared.models, shared.fetchedAt) : { usable: undefined };
      this.memory = { ...known, fetchedAt: this.clock.now() };
      return known;
    }
    const fetchedAt = this.clock.now();
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, `${JSON.stringify({ version: 1, fetchedAt, models: listed })}\n`);
    } catch (error) {
      this.logger.warn(`models cache not written: ${(error as Error).message}`);
    }
    return (this.memory = answerOf(listed, fetchedAt));
  }

  private async readFile(): Promise<z.infer<typeof cacheSchema> | undefined> {
    try {
      const parsed = cacheSchema.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined; // none yet, or damaged: read as none
    }
  }
}

function answerOf(listed: readonly ListedModel[], fetchedAt: number): ModelsAnswer {
  const video = videoModelIds(listed);
  // A list without a single video model says nothing of video (models without a price are hidden): the catalog decides.
  return { listed, usable: video.length ? video : undefined, fetchedAt };
}
