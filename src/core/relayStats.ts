/**
 * What the tracker has learned about one relay from the tasks it followed there: how long jobs
 * queued, how long they generated (per unit of work: a 10 s sora-2 video is 1), how far ahead of
 * its own queue estimate (ETA) a job started, and whether the relay reports progress at all. Only
 * recent tasks count, so a relay that changes is followed. Plain numbers, so it can be saved as JSON.
 */
export interface RelayStatsJson {
  version: 1;
  /** Queue durations, ms, most recent last. */
  queues: number[];
  /** Generation durations per unit of work, ms, most recent last. */
  generations: number[];
  /** How much earlier than its ETA promised each job started, ms (negative: later). */
  etaEarliness: number[];
  /** Whether each finished job showed any progress while it ran. */
  progress: boolean[];
}

/** How many recent tasks are remembered per figure. */
const RECENT = 20;

/** Before anything is known: generation may be as quick as 20 s (fast relays) or take 4 minutes. */
const PRIOR_GENERATION_MS = { low: 20_000, high: 240_000 };

export class RelayStats {
  private queues: number[] = [];
  private generations: number[] = [];
  private etaEarliness: number[] = [];
  private progress: boolean[] = [];

  addQueue(ms: number): void {
    push(this.queues, ms);
  }

  addGeneration(msPerUnit: number): void {
    push(this.generations, msPerUnit);
  }

  addEtaEarliness(ms: number): void {
    push(this.etaEarliness, ms);
  }

  addProgressReport(reported: boolean): void {
    push(this.progress, reported);
  }

  /**
   * The range generation plausibly takes per unit of work: the recent extremes, widened while few
   * tasks are known (by a quarter for one, less as more are seen); a wide prior before the first.
   */
  generationRange(): { low: number; high: number } {
    const n = this.generations.length;
    if (!n) return PRIOR_GENERATION_MS;
    const widen = 0.25 / Math.sqrt(n);
    return { low: Math.min(...this.generations) * (1 - widen), high: Math.max(...this.generations) * (1 + widen) };
  }

  /** How many generations are known (the range above is only a prior before the first). */
  get generationCount(): number {
    return this.generations.length;
  }

  /** The shortest queue to expect, ms: 70% of the shortest recent one, once two are known. */
  shortestQueue(): number {
    return this.queues.length >= 2 ? 0.7 * Math.min(...this.queues) : 0;
  }

  /** How much earlier than its ETA a job may start, ms; undefined until two jobs with an ETA have started. */
  etaSlack(): number | undefined {
    if (this.etaEarliness.length < 2) return undefined;
    return Math.max(0, ...this.etaEarliness) * 1.25 + 5000;
  }

  /** Whether jobs here show progress: as the last two did when they agree (a relay that changes is followed at once), else as most did. */
  reportsProgress(): boolean | undefined {
    const [before, last] = this.progress.slice(-2);
    if (last === undefined) return before;
    if (before === last) return last;
    return this.progress.filter(Boolean).length * 2 >= this.progress.length;
  }

  toJSON(): RelayStatsJson {
    return { version: 1, queues: [...this.queues], generations: [...this.generations], etaEarliness: [...this.etaEarliness], progress: [...this.progress] };
  }

  /** Reads what `toJSON` wrote; anything damaged or from another version is left out rather than trusted. */
  static fromJSON(json: unknown): RelayStats {
    const stats = new RelayStats();
    if (!json || typeof json !== 'object' || (json as { version?: unknown }).version !== 1) return stats;
    const data = json as Record<string, unknown>;
    const numbers = (value: unknown, min: number) =>
      Array.isArray(value) ? value.filter((n): n is number => typeof n === 'number' && Number.isFinite(n) && n >= min && n < DAY_MS).slice(-RECENT) : [];
    stats.queues = numbers(data.queues, 0);
    stats.generations = numbers(data.generations, 1);
    stats.etaEarliness = numbers(data.etaEarliness, -DAY_MS);
    stats.progress = Array.isArray(data.progress) ? data.progress.filter((b): b is boolean => typeof b === 'boolean').slice(-RECENT) : [];
    return stats;
  }
}

const DAY_MS = 24 * 3600 * 1000;

function push<T>(list: T[], value: T): void {
  list.push(value);
  if (list.length > RECENT) list.shift();
}
