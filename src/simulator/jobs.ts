import { failsByMarker, readMarkers, type PromptMarkers } from './markers';
import { PROFILES, profileMarker, progressMarker, type ProgressStyle } from './profiles';
import { randomString, randomUuid, type Random } from './random';

export type SimStatus = 'queued' | 'processing' | 'completed' | 'failed';
export type IdStyle = 'task' | 'video';

/** One simulated generation. Times are simulated milliseconds. */
export interface SimTask {
  id: string;
  style: IdStyle;
  model: string;
  prompt: string;
  orientation: string;
  size: string;
  duration: number;
  private: boolean;
  images: string[];
  /** The aspect ratio asked for (families other than Sora, whose shape is `orientation`). */
  aspectRatio?: string;
  createdAt: number;
  /** When it leaves the queue. */
  startsAt: number;
  /** When it is done (completed or failed); Infinity for a task that never finishes. */
  completesAt: number;
  /** When the relay expects it to leave the queue: its typical queue time, not this job's (the ETA it gives). */
  expectedStartAt: number;
  /** How its progress moves while it generates (profiles.ts). */
  progressStyle: ProgressStyle;
  /** A `jump` job: when its progress leaves 0 for `JUMP_FRACTION`. */
  jumpsAt?: number;
  /** false: no queue position and no ETA while queued. */
  reportsQueue: boolean;
  markers: PromptMarkers;
  /** Order of creation in this simulator; picks between the status words relays use ("pending"/"queued"…). */
  serial: number;
  /** Rotates where a failure reason appears, as different relays do (counts failing tasks only). */
  failureStyle: number;
  remixedFrom?: string;
  /** Download attempts so far (for #sim:cut: the first one is cut). */
  downloads: number;
}

export type JobInput = Pick<
  SimTask,
  'id' | 'style' | 'model' | 'prompt' | 'orientation' | 'size' | 'duration' | 'private' | 'images' | 'createdAt' | 'remixedFrom'
> &
  Partial<Pick<SimTask, 'aspectRatio'>>;

/** How a relay times its jobs, and what it says about them while they run (see profiles.ts). */
export interface Timing {
  /** Queue time of a 10 s sora-2 job, simulated seconds. */
  queueSeconds: number;
  /** Generation time of a 10 s sora-2 job, simulated seconds. */
  generateSeconds: number;
  /** Relative spread of both times, e.g. 0.2 for ±20%. */
  jitter?: number;
  /** Relative spread of the queue time, when it differs from `jitter`. */
  queueJitter?: number;
  /** false: progress stays 0 until done (default true); the same as `progressStyles: { none: 1 }`. */
  reportsProgress?: boolean;
  /** false: no queue position and no ETA (default true). */
  reportsQueue?: boolean;
  /**
   * Heavy-tailed times, as a real log shows them: the whole time of a 10 s sora-2 job (create to done)
   * is drawn from this spread and split into queue and generation. `queueSeconds` is then only the
   * relay's typical queue (its ETA), `generateSeconds` and the jitters are not used.
   */
  spread?: TimeSpread;
  /** How progress moves while jobs generate, as shares of jobs (default: all smooth, or none when `reportsProgress` is false). */
  progressStyles?: Readonly<Partial<Record<ProgressStyle, number>>>;
}

/** A mix of log-normal spreads of a job's whole time (create to done). */
export interface TimeSpread {
  /** Each part: its share of the jobs, their median time (seconds) and the spread of the time's logarithm. */
  mix: readonly { share: number; medianSeconds: number; sigma: number }[];
  /** The share of the whole time a job spends queued, drawn evenly from this range. */
  queueShare: readonly [number, number];
  /** No job takes longer (seconds): the tail of a log-normal never ends, a relay's patience does. */
  maxSeconds: number;
}

/** Where a `jump` job's progress lands (the real log: 0, then 90). */
export const JUMP_FRACTION = 0.9;

/** Seconds of queue per place in the queue: the position counts down by one every 20 s of waiting. */
export const SECONDS_PER_QUEUE_PLACE = 20;

// Crockford base32, lower case: the alphabet of the vendor's ULID-like task ids.
const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';

/** "sora-2:task_<26 chars>" (a ULID: 10 chars of time, 16 random) or "video_<uuid>". */
export function newTaskId(style: IdStyle, random: Random = Math.random, now: number = Date.now()): string {
  if (style === 'video') return `video_${randomUuid(random)}`;
  let time = '';
  for (let t = Math.max(0, Math.floor(now)), i = 0; i < 10; i++, t = Math.floor(t / 32)) time = BASE32[t % 32] + time;
  return `sora-2:task_${time}${randomString(random, BASE32, 16)}`;
}

export interface JobCounters {
  serial: number;
  failures: number;
}

/** Plans a job's whole timeline at creation: where it stands later is a pure function of the clock. */
export function createJob(input: JobInput, runTiming: Timing, random: Random = Math.random, counters: JobCounters = { serial: 0, failures: 0 }): SimTask {
  const markers = readMarkers(input.prompt);
  const own = profileMarker(input.prompt);
  const timing = own ? PROFILES[own] : runTiming;
  // The pro variants (sora-2-pro, veo3.1-pro, veo3.1-pro-4k) take longer, as users report.
  const pro = /-pro(-|$)/.test(input.model);
  // Longer and better videos take longer, roughly as users report; no two jobs take exactly as long.
  const queueFactor = (markers.slowQueue ? 4 : 1) * (pro ? 1.3 : 1);
  const generateFactor = (pro ? 1.6 : 1) * (input.duration / 10) ** 0.5 * (input.size === 'large' ? 1.2 : 1);
  const typicalQueue = timing.queueSeconds * queueFactor;
  const { queue, generate } = timing.spread ? drawFromSpread(timing.spread, random) : drawWithJitter(timing, random);
  const startsAt = input.createdAt + queue * queueFactor * 1000;
  const generateMs = generate * generateFactor * 1000;
  const fails = failsByMarker(markers);
  // A rejected job fails about a third of the way through, as moderation does after some frames.
  const completesAt = markers.never ? Infinity : startsAt + generateMs * (fails ? 0.3 : 1);
  // Drawn whether or not the prompt names a style, so a marker on one job leaves the others' times alone.
  const drawn = drawProgressStyle(timing, random);
  const progressStyle = progressMarker(input.prompt) ?? drawn;
  return {
    ...input,
    startsAt,
    completesAt,
    expectedStartAt: input.createdAt + typicalQueue * 1000,
    progressStyle,
    // Late in the generation: what is left after the jump is a small part of it, as the log shows.
    ...(progressStyle === 'jump' && { jumpsAt: startsAt + generateMs * (0.5 + 0.45 * random()) }),
    reportsQueue: timing.reportsQueue ?? true,
    markers,
    serial: counters.serial++,
    failureStyle: fails ? counters.failures++ : 0,
    downloads: 0,
  };
}

/** Queue and generation seconds of a 10 s sora-2 job: the profile's times, each spread by its jitter. */
function drawWithJitter(timing: Timing, random: Random): { queue: number; generate: number } {
  const vary = (jitter = timing.jitter ?? 0) => 1 + (random() * 2 - 1) * jitter;
  const queue = timing.queueSeconds * vary(timing.queueJitter ?? timing.jitter);
  return { queue, generate: timing.generateSeconds * vary() };
}

/** Queue and generation seconds of a 10 s sora-2 job: its whole time drawn from the spread, then split. */
function drawFromSpread(spread: TimeSpread, random: Random): { queue: number; generate: number } {
  let pick = random() * spread.mix.reduce((a, p) => a + p.share, 0);
  const part = spread.mix.find((p) => (pick -= p.share) < 0) ?? spread.mix[spread.mix.length - 1];
  const total = Math.min(spread.maxSeconds, part.medianSeconds * Math.exp(part.sigma * normal(random)));
  const [low, high] = spread.queueShare;
  const share = low + (high - low) * random();
  return { queue: total * share, generate: total * (1 - share) };
}

/** A standard normal number (Box–Muller). */
function normal(random: Random): number {
  const u = 1 - random(); // in (0, 1]: the logarithm stays finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** The progress style of a new job: by the profile's shares; a profile with one style draws nothing (its jobs' times stay as before). */
function drawProgressStyle(timing: Timing, random: Random): ProgressStyle {
  const shares = timing.progressStyles ?? { [timing.reportsProgress === false ? 'none' : 'smooth']: 1 };
  const styles = Object.entries(shares).filter(([, share]) => (share ?? 0) > 0) as [ProgressStyle, number][];
  if (styles.length <= 1) return styles[0]?.[0] ?? 'smooth';
  let pick = random() * styles.reduce((a, [, share]) => a + share, 0);
  return (styles.find(([, share]) => (pick -= share) < 0) ?? styles[styles.length - 1])[0];
}

export interface JobState {
  status: SimStatus;
  /** Progress, 0..1. */
  fraction: number;
  /** Position in the queue while queued (counts down to 1); not for a relay that gives no queue information. */
  queuePosition?: number;
  /** The relay's estimate of the wait left while queued, seconds: from its typical queue time, so it can be off, and it stays at 0 once overdue. */
  queueEtaSeconds?: number;
}

/** Where a job stands at simulated time `now`. */
export function jobState(task: SimTask, now: number): JobState {
  if (now < task.startsAt) {
    if (!task.reportsQueue) return { status: 'queued', fraction: 0 };
    const queuePosition = Math.max(1, Math.ceil((task.startsAt - now) / 1000 / SECONDS_PER_QUEUE_PLACE));
    return { status: 'queued', fraction: 0, queuePosition, queueEtaSeconds: Math.max(0, Math.round((task.expectedStartAt - now) / 1000)) };
  }
  if (now >= task.completesAt) {
    return failsByMarker(task.markers) ? { status: 'failed', fraction: 0.3 } : { status: 'completed', fraction: 1 };
  }
  if (task.progressStyle === 'none') return { status: 'processing', fraction: 0 };
  if (task.progressStyle === 'jump') return { status: 'processing', fraction: now >= (task.jumpsAt ?? Infinity) ? JUMP_FRACTION : 0 };
  if (task.completesAt === Infinity) {
    // Creeps towards 94% and stays there: a task that never finishes.
    const minutes = (now - task.startsAt) / 60_000;
    return { status: 'processing', fraction: 0.94 * (1 - Math.exp(-minutes)) };
  }
  const linear = (now - task.startsAt) / (task.completesAt - task.startsAt);
  // Smooth, a little slow at the start like the real service; 100% only once completed. A job that
  // will be rejected stops rising at about 30%.
  const reach = failsByMarker(task.markers) ? 0.3 : 1;
  return { status: 'processing', fraction: Math.min(0.99, reach * linear ** 1.15) };
}
