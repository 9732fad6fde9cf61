import { failsByMarker, readMarkers, type PromptMarkers } from './markers';
import { PROFILES, profileMarker } from './profiles';
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
  createdAt: number;
  /** When it leaves the queue. */
  startsAt: number;
  /** When it is done (completed or failed); Infinity for a task that never finishes. */
  completesAt: number;
  /** When the relay expects it to leave the queue: its typical queue time, not this job's (the ETA it gives). */
  expectedStartAt: number;
  /** false: progress stays 0 until done. */
  reportsProgress: boolean;
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
>;

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
  /** false: progress stays 0 until done (default true). */
  reportsProgress?: boolean;
  /** false: no queue position and no ETA (default true). */
  reportsQueue?: boolean;
}

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
  const pro = input.model === 'sora-2-pro';
  // Longer and better videos take longer, roughly as users report; no two jobs take exactly as long.
  const vary = (jitter = timing.jitter ?? 0) => 1 + (random() * 2 - 1) * jitter;
  const typicalQueue = timing.queueSeconds * (markers.slowQueue ? 4 : 1) * (pro ? 1.3 : 1);
  const queue = typicalQueue * vary(timing.queueJitter ?? timing.jitter);
  const generate = timing.generateSeconds * (pro ? 1.6 : 1) * (input.duration / 10) ** 0.5 * (input.size === 'large' ? 1.2 : 1) * vary();
  const startsAt = input.createdAt + queue * 1000;
  const fails = failsByMarker(markers);
  // A rejected job fails about a third of the way through, as moderation does after some frames.
  const completesAt = markers.never ? Infinity : startsAt + generate * (fails ? 300 : 1000);
  return {
    ...input,
    startsAt,
    completesAt,
    expectedStartAt: input.createdAt + typicalQueue * 1000,
    reportsProgress: timing.reportsProgress ?? true,
    reportsQueue: timing.reportsQueue ?? true,
    markers,
    serial: counters.serial++,
    failureStyle: fails ? counters.failures++ : 0,
    downloads: 0,
  };
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
  if (!task.reportsProgress) return { status: 'processing', fraction: 0 };
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
