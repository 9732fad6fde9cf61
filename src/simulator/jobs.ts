import { failsByMarker, readMarkers, type PromptMarkers } from './markers';
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

export interface Timing {
  /** Queue time of a 10 s sora-2 job, simulated seconds. */
  queueSeconds: number;
  /** Generation time of a 10 s sora-2 job, simulated seconds. */
  generateSeconds: number;
  /** Relative spread of both times, e.g. 0.2 for ±20%. */
  jitter?: number;
}

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
export function createJob(input: JobInput, timing: Timing, random: Random = Math.random, counters: JobCounters = { serial: 0, failures: 0 }): SimTask {
  const markers = readMarkers(input.prompt);
  const pro = input.model === 'sora-2-pro';
  // Longer and better videos take longer, roughly as users report; no two jobs take exactly as long.
  const vary = () => 1 + (random() * 2 - 1) * (timing.jitter ?? 0);
  const queue = timing.queueSeconds * (markers.slowQueue ? 4 : 1) * (pro ? 1.3 : 1) * vary();
  const generate = timing.generateSeconds * (pro ? 1.6 : 1) * (input.duration / 10) ** 0.5 * (input.size === 'large' ? 1.2 : 1) * vary();
  const startsAt = input.createdAt + queue * 1000;
  const fails = failsByMarker(markers);
  // A rejected job fails about a third of the way through, as moderation does after some frames.
  const completesAt = markers.never ? Infinity : startsAt + generate * (fails ? 300 : 1000);
  return { ...input, startsAt, completesAt, markers, serial: counters.serial++, failureStyle: fails ? counters.failures++ : 0, downloads: 0 };
}

export interface JobState {
  status: SimStatus;
  /** Progress, 0..1. */
  fraction: number;
  /** Position in the queue while queued (counts down to 1). */
  queuePosition?: number;
}

/** Where a job stands at simulated time `now`. */
export function jobState(task: SimTask, now: number): JobState {
  if (now < task.startsAt) {
    const left = (task.startsAt - now) / (task.startsAt - task.createdAt || 1);
    return { status: 'queued', fraction: 0, queuePosition: Math.max(1, Math.ceil(left * 8)) };
  }
  if (now >= task.completesAt) {
    return failsByMarker(task.markers) ? { status: 'failed', fraction: 0.3 } : { status: 'completed', fraction: 1 };
  }
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
