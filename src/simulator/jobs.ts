import { randomBytes, randomUUID } from 'node:crypto';
import { readMarkers, type PromptMarkers } from './faults';

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
  /** Rotates where a failure reason appears, as different relays do. */
  failureStyle: number;
  remixedFrom?: string;
  /** Download attempts so far (for #sim:cut: the first one is cut). */
  downloads: number;
}

export interface Timing {
  queueSeconds: number;
  generateSeconds: number;
  /** Relative spread of both times, e.g. 0.2 for ±20%. */
  jitter?: number;
}

const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';

export function newTaskId(style: IdStyle): string {
  if (style === 'video') return `video_${randomUUID()}`;
  const bytes = randomBytes(26);
  return `sora-2:task_${Array.from(bytes, (b) => BASE32[b % 32]).join('')}`;
}

let failureCounter = 0;

export function createJob(
  input: Omit<SimTask, 'startsAt' | 'completesAt' | 'markers' | 'failureStyle' | 'downloads'>,
  timing: Timing,
  random: () => number = Math.random,
): SimTask {
  const markers = readMarkers(input.prompt);
  const pro = input.model === 'sora-2-pro';
  // Longer and better videos take longer, roughly as users report; no two jobs take exactly as long.
  const vary = (jitter: number) => 1 + (random() * 2 - 1) * jitter;
  const queue = timing.queueSeconds * (markers.slowQueue ? 4 : 1) * (pro ? 1.3 : 1) * vary(timing.jitter ?? 0);
  const generate = timing.generateSeconds * (pro ? 1.6 : 1) * (input.duration / 10) ** 0.5 * (input.size === 'large' ? 1.2 : 1) * vary(timing.jitter ?? 0);
  const startsAt = input.createdAt + queue * 1000;
  const failsEarly = markers.moderation || markers.failNoReason;
  const completesAt = markers.never ? Infinity : failsEarly ? startsAt + generate * 300 : startsAt + generate * 1000;
  return { ...input, startsAt, completesAt, markers, failureStyle: failureCounter++ % 5, downloads: 0 };
}

export interface JobState {
  status: SimStatus;
  /** 0..1 */
  fraction: number;
  queuePosition?: number;
}

/** Where a job stands at simulated time `now`. */
export function jobState(task: SimTask, now: number): JobState {
  if (now < task.startsAt) {
    const left = (task.startsAt - now) / (task.startsAt - task.createdAt || 1);
    return { status: 'queued', fraction: 0, queuePosition: Math.max(1, Math.ceil(left * 8)) };
  }
  if (now >= task.completesAt) {
    return task.markers.moderation || task.markers.failNoReason ? { status: 'failed', fraction: 0.3 } : { status: 'completed', fraction: 1 };
  }
  if (task.completesAt === Infinity) {
    // Creeps towards 95% and stays there: a task that never finishes.
    const t = (now - task.startsAt) / 60_000;
    return { status: 'processing', fraction: 0.95 * (1 - Math.exp(-t)) };
  }
  const linear = (now - task.startsAt) / (task.completesAt - task.startsAt);
  // Smooth, a little slow at the start like the real service.
  return { status: 'processing', fraction: Math.min(0.99, linear ** 1.15) };
}
