import type { TaskStatus, VideoModel } from '../juxin/types';

export interface ProgressSample {
  at: number;
  progress: number;
}

export interface PollInput {
  status: TaskStatus;
  progress: number;
  /** Progress samples of this task (oldest first), taken at each query while processing. */
  history: ProgressSample[];
  createdAt: number;
  now: number;
  minIntervalMs: number;
  model: VideoModel;
  duration: number;
}

export const MAX_INTERVAL_MS = 60_000;

/**
 * When to ask about a task next. The rule:
 * - Queued: the queue typically takes 2–3 minutes (sora-2; pro and long videos more). Ask rarely: sleep
 *   through most of the expected queue time that is left (up to 90 s at a time), then every 15 s once
 *   it should be over.
 * - Processing with a usable rate (a least-squares line through the recent progress samples): while
 *   the estimated end is far, sleep 60% of the time left (each query refines the estimate); once it is
 *   within 20 s, aim just past it. A wrong guess costs one more query at `minIntervalMs`.
 * - Processing without a rate yet: the same, with the typical generation time for the model and length.
 * A 429 anywhere makes the shared rate limiter hold every task back; this schedule only spaces one task.
 */
export function nextPollDelay(input: PollInput): number {
  const clamp = (ms: number, max = MAX_INTERVAL_MS) => Math.round(Math.min(max, Math.max(input.minIntervalMs, ms)));
  const typical = typicalTimings(input.model, input.duration);
  const age = input.now - input.createdAt;

  if (input.status === 'queued') {
    const queueLeft = typical.queueMs - age;
    return clamp(Math.max(15_000, queueLeft - 20_000), MAX_QUEUED_INTERVAL_MS);
  }

  const remaining = estimateRemainingMs(input.history, input.now) ?? typical.generateMs * (1 - input.progress / 100);
  return clamp(remaining > NEAR_END_MS ? remaining * 0.6 : remaining + END_MARGIN_MS);
}

const MAX_QUEUED_INTERVAL_MS = 90_000;
const NEAR_END_MS = 20_000;
const END_MARGIN_MS = 1_500;

/** Milliseconds until 100%, from a least-squares line through the recent progress samples. */
export function estimateRemainingMs(history: ProgressSample[], now: number): number | undefined {
  const recent = history.filter((s) => s.progress > 0 && s.progress < 100).slice(-5);
  if (recent.length < 2) return undefined;
  const n = recent.length;
  const mx = recent.reduce((a, s) => a + s.at, 0) / n;
  const my = recent.reduce((a, s) => a + s.progress, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of recent) {
    num += (s.at - mx) * (s.progress - my);
    den += (s.at - mx) ** 2;
  }
  const rate = den > 0 ? num / den : 0; // percent per ms
  if (!(rate > 0)) return undefined;
  const last = recent[n - 1];
  const finishAt = last.at + (100 - last.progress) / rate;
  return Math.max(0, finishAt - now);
}

/** Typical timings users logged: queue ~2–3 min, ~1.5 min of generation for 10 s sora-2; pro and long videos slower. */
export function typicalTimings(model: VideoModel, duration: number): { queueMs: number; generateMs: number } {
  const pro = model === 'sora-2-pro' ? 1.5 : 1;
  return { queueMs: 150_000 * pro, generateMs: 90_000 * pro * Math.sqrt(duration / 10) };
}
