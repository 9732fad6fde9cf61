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

/** At most this many relays and keys are remembered in one home; the oldest answers go first. */
const MAX_SCOPES = 16;

const answerSchema = z.object({
  fetchedAt: z.number(),
  models: z.array(z.object({ id: z.string().min(1), ownedBy: z.string().optional(), endpointTypes: z.array(z.string()) })),
});
// Version 1 (one answer for the whole home, whatever the key) reads as none: asked again once.
const cacheSchema = z.object({ version: z.literal(2), answers: z.record(z.string(), answerSchema) });
type CacheFile = z.infer<typeof cacheSchema>;
type StoredAnswer = z.infer<typeof answerSchema>;

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
 * machine shares one answer per relay and key (written whole with write-file-atomic, as the other shared
 * files; a damaged file reads as none). Answers are filed under the client's `scope` (base URL and a
 * one-way fingerprint of the key, never the key): another key or relay in the same home asks its own.
 * Asked again after `MODELS_MAX_AGE_MS`, and at once after the relay refused a model (`invalidate`). A
 * relay that cannot answer leaves the catalog to decide.
 */
export class ModelsCache {
  readonly file: string;
  private memory: (ModelsAnswer & { scope: string }) | undefined;
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
    return this.memory?.scope === this.scope() ? this.memory : undefined;
  }

  /** The models the key can use, fresh within `maxAgeMs` (this process's, another's through the file, or asked now). */
  async models(): Promise<ModelsAnswer> {
    const known = this.current();
    if (known?.fetchedAt !== undefined && this.fresh(known.fetchedAt)) return known;
    this.asking ??= this.refresh().finally(() => (this.asking = undefined));
    return this.asking;
  }

  /** The relay refused a model: the next question asks it again, in every process (for this key only). */
  async invalidate(): Promise<void> {
    this.memory = undefined;
    const scope = this.scope();
    await this.update((answers) => void delete answers[scope]).catch((error: unknown) =>
      this.logger.warn(`models cache not cleared: ${(error as Error).message}`),
    );
  }

  /** The relay and key the answers are for; one scope for all when the api does not say (or there is no key yet). */
  private scope(): string {
    try {
      return this.api().scope ?? '';
    } catch {
      return '';
    }
  }

  private fresh(fetchedAt: number): boolean {
    const age = this.clock.now() - fetchedAt;
    return age >= 0 && age < this.maxAgeMs;
  }

  private async refresh(): Promise<ModelsAnswer> {
    const scope = this.scope();
    const shared = (await this.readFile())?.answers[scope];
    if (shared && this.fresh(shared.fetchedAt)) return this.remember(answerOf(shared.models, shared.fetchedAt), scope);
    let listed: ListedModel[];
    try {
      await this.turn();
      listed = await this.api().listModels();
    } catch (error) {
      // No key yet, an old relay without /v1/models, a network error: the last answer known, else the catalog;
      // not asked again before `maxAgeMs` (or a refused model), so a relay without the route is not asked at every generation.
      this.logger.debug(`GET /v1/models not read (${error instanceof Error ? error.message : String(error)}): the catalog decides`);
      const known = shared ? answerOf(shared.models, shared.fetchedAt) : { usable: undefined };
      this.memory = { ...known, fetchedAt: this.clock.now(), scope };
      return known;
    }
    const fetchedAt = this.clock.now();
    try {
      await this.update((answers) => void (answers[scope] = { fetchedAt, models: listed }));
    } catch (error) {
      this.logger.warn(`models cache not written: ${(error as Error).message}`);
    }
    return this.remember(answerOf(listed, fetchedAt), scope);
  }

  private remember(answer: ModelsAnswer, scope: string): ModelsAnswer {
    this.memory = { ...answer, scope };
    return answer;
  }

  /** Reads the file, changes its answers and writes it whole, keeping the `MAX_SCOPES` newest. */
  private async update(change: (answers: Record<string, StoredAnswer>) => void): Promise<void> {
    const answers = { ...(await this.readFile())?.answers };
    change(answers);
    const kept = Object.entries(answers)
      .sort(([, a], [, b]) => b.fetchedAt - a.fetchedAt)
      .slice(0, MAX_SCOPES);
    if (!kept.length) return void (await rm(this.file, { force: true }));
    const file: CacheFile = { version: 2, answers: Object.fromEntries(kept) };
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(file)}\n`);
  }

  private async readFile(): Promise<CacheFile | undefined> {
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
