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

/** How spread generation times are (of their logarithm) before a few are known: the simulator's profiles vary by about ±20%. */
const PRIOR_LOG_SPREAD = 0.15;
/** The share of recent jobs the high end covers. */
const HIGH_QUANTILE = 0.95;
/** Quicker than this many spreads below the fit's middle (its 0.6th percentile) counts as implausible. */
const QUICKEST_Z = 2.5;

/** Before anything is known: generation may be as quick as 30 s (the quickest relay known: the simulator's fast profile, about 28 s) or take 4 minutes. */
const PRIOR_GENERATION_MS = { low: 30_000, high: 240_000 };

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
   * The range generation plausibly takes per unit of work: the recent quickest and (but one) slowest,
   * widened while few tasks are known (by a quarter for one, less as more are seen); a wide prior
   * before the first. The quick end is also no later than where a log-normal fit of the recent times
   * puts the quickest jobs (0.6%): a few samples from a wide spread (a real relay's) say little about
   * how quick the next can be.
   */
  generationRange(): { low: number; high: number } {
    const n = this.generations.length;
    if (!n) return PRIOR_GENERATION_MS;
    const widen = 0.25 / Math.sqrt(n);
    const logs = this.generations.map(Math.log);
    const mean = logs.reduce((a, b) => a + b, 0) / n;
    const squares = logs.reduce((a, b) => a + (b - mean) ** 2, 0);
    // The spread, drawn towards a narrow prior while few are known.
    const spread = Math.sqrt((squares + PRIOR_LOG_SPREAD ** 2 * 2) / (n - 1 + 2));
    const fitted = Math.exp(mean - QUICKEST_Z * spread * Math.sqrt(1 + 1 / n));
    // Nearest rank: the longest until 20 are known, then the second longest (a heavy tail's longest is
    // rare: past the others, a job is overdue and asked about less and less often).
    const sorted = [...this.generations].sort((a, b) => a - b);
    const high = sorted[Math.ceil(HIGH_QUANTILE * n) - 1] * (1 + widen);
    return { low: Math.min(Math.min(...this.generations) * (1 - widen), fitted), high };
  }

  /** The generations known, ms per unit of work, most recent last. */
  get generationSamples(): readonly number[] {
    return this.generations;
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

/**
 * The p-quantile (0..1) of durations of which some are still running, known only to last longer than
 * they have so far (Kaplan–Meier); Infinity while the running ones leave it open (more than 1 − p of
 * the jobs may still end later than every finished one).
 */
export function quantileWithRunning(finished: readonly number[], running: readonly number[], p: number): number {
  const all = [...finished.map((value) => ({ value, done: true })), ...running.map((value) => ({ value, done: false }))];
  // At equal values an end counts before a job still running (it ran at least that long too).
  all.sort((a, b) => a.value - b.value || Number(b.done) - Number(a.done));
  let atRisk = all.length;
  let survival = 1;
  for (const o of all) {
    if (o.done) {
      survival *= 1 - 1 / atRisk;
      if (survival <= 1 - p + 1e-9) return o.value;
    }
    atRisk--;
  }
  return Infinity;
}

const DAY_MS = 24 * 3600 * 1000;

function push<T>(list: T[], value: T): void {
  list.push(value);
  if (list.length > RECENT) list.shift();
}
