// Drives a PollPlanner against simulated job timelines in simulated time: each job is planned by the
// simulator's pure createJob, answered by its jobState and answer shapes, read by the client's
// normalizer, exactly as over HTTP but without a clock or a network. Deterministic for a seed.
import { fixedPoller, summarize, type PollingFigures, type TaskFigures } from '../../../src/cli/pollingFigures';
import { observationOf, PollPlanner } from '../../../src/core/schedule';
import { normalizeQueryResponse } from '../../../src/juxin/normalize';
import type { GenerationParams, NormalizedTask } from '../../../src/juxin/types';
import { createJob, jobState, type SimTask, type Timing } from '../../../src/simulator/jobs';
import { PROFILES, type ProfileName } from '../../../src/simulator/profiles';
import { renderCreated, renderTask, type ShapeOptions } from '../../../src/simulator/shapes';
import { seededRandom } from '../../../src/util/random';

type Params = Pick<GenerationParams, 'model' | 'duration' | 'size'>;

export interface RunOptions {
  profile: ProfileName;
  /** Instead of the profile's timing. */
  timing?: Timing;
  jobs: number;
  seed: number;
  /** Creations are this far apart at most (uniformly drawn); 0: all at once. */
  maxGapMs: number;
  minIntervalMs?: number;
  maxIntervalMs?: number;
  /** A planner that already learned something (default: a fresh one). */
  planner?: PollPlanner;
  /** What each job makes (default: mostly 10 s sora-2, some 15 s, some pro). */
  params?: (random: () => number, index: number) => Params;
  /** Changes what the relay answers: the edge cases (stale ETA, progress that stops…). */
  answer?: (task: NormalizedTask, job: SimTask, now: number) => NormalizedTask;
  /** Stop asking about a job after this long (default 3 h): it counts as never detected. */
  giveUpAfterMs?: number;
}

export interface RunResult extends PollingFigures {
  planner: PollPlanner;
  perTask: (TaskFigures & { job: SimTask; delays: number[] })[];
  /** Every delay the planner asked for, ms. */
  delays: number[];
}

export function mixedParams(random: () => number): Params {
  const r = random();
  if (r < 0.7) return { model: 'sora-2', duration: 10, size: 'small' };
  if (r < 0.85) return { model: 'sora-2', duration: 15, size: 'small' };
  return { model: 'sora-2-pro', duration: [10, 15, 25][Math.floor(random() * 3)], size: random() < 0.5 ? 'large' : 'small' };
}

const shape = (now: number): ShapeOptions => ({
  upperCaseStatus: false,
  omitTopLevelVideoUrl: false,
  now,
  fileUrl: (t, name) => `https://files.test/${t.id}/${name}`,
});

/** Creates the jobs at their times and asks about each when the planner says, until every one completed. */
export function runJobs(options: RunOptions): RunResult {
  const random = seededRandom(options.seed);
  const counters = { serial: 0, failures: 0 };
  const planner = options.planner ?? new PollPlanner({ minIntervalMs: options.minIntervalMs ?? 5000, maxIntervalMs: options.maxIntervalMs });
  const timing = options.timing ?? PROFILES[options.profile];
  const giveUp = options.giveUpAfterMs ?? 3 * 3600_000;
  let createdAt = 1_700_000_000_000;
  const runs = Array.from({ length: options.jobs }, (_, i) => {
    createdAt += random() * options.maxGapMs;
    const params = (options.params ?? mixedParams)(random, i);
    const style = i % 2 ? ('video' as const) : ('task' as const); // shapes C and A/B alternate, as the simulator does
    const input = { id: `job-${i}`, style, prompt: 'a cat', orientation: 'landscape', images: [], private: false, createdAt, ...params };
    const job = createJob(input, timing, random, counters);
    return {
      job,
      record: { createdAt, params },
      next: createdAt,
      created: false,
      queries: 0,
      detectedAt: undefined as number | undefined,
      delays: [] as number[],
    };
  });
  const delays: number[] = [];
  const answer = (job: SimTask, now: number, body: Record<string, unknown>) => {
    const task = normalizeQueryResponse(body);
    return options.answer ? options.answer(task, job, now) : task;
  };
  for (;;) {
    let run: (typeof runs)[number] | undefined;
    for (const r of runs) if (r.detectedAt === undefined && (!run || r.next < run.next)) run = r;
    if (!run) break;
    const now = run.next;
    const { job } = run;
    if (!run.created) {
      run.created = true;
      planner.observe(job.id, observationOf(run.record, answer(job, now, renderCreated(job, jobState(job, now), shape(now))), now));
    } else {
      run.queries++;
      const task = answer(job, now, renderTask(job, jobState(job, now), shape(now)));
      planner.observe(job.id, observationOf(run.record, task, now));
      if (task.status === 'completed' || task.status === 'failed' || now - job.createdAt > giveUp) {
        run.detectedAt = now;
        continue;
      }
    }
    const delay = planner.nextDelay(job.id, now);
    delays.push(delay);
    run.delays.push(delay);
    run.next = now + delay;
  }
  const perTask = runs.map((r) => {
    const fixed = fixedPoller(r.job.completesAt - r.job.createdAt);
    return {
      job: r.job,
      delays: r.delays,
      queries: r.queries,
      delayMs: r.detectedAt! - r.job.completesAt,
      fixedQueries: fixed.queries,
      fixedDelayMs: fixed.delayMs,
    };
  });
  return { ...summarize(perTask), planner, perTask, delays };
}
