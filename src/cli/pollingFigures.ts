// How well tasks were tracked, measured from what the simulator saw: the status queries each task
// got and how late the first one after completion came, beside a fixed-interval poller on exactly the
// same job timelines. Used by `npm run bench` (section 1) and the planner's unit tests.
import { request } from 'undici';
import type { RecordedRequest } from '../simulator';

/** What the figures need from a simulator: an in-process `Simulator`, or `readSimulator(url)` of one in another process. */
export interface SimulatorView {
  requests: readonly RecordedRequest[];
  tasks: ReadonlyMap<string, { createdAt: number; completesAt: number }>;
}

export interface PollingFigures {
  tasks: number;
  /** All status queries of these tasks, and of a fixed poller on the same jobs. */
  queries: number;
  fixedQueries: number;
  /** Completion-detection delay, seconds. */
  p50: number;
  p90: number;
  max: number;
  fixedP50: number;
  fixedP90: number;
}

/** One task: its queries and how late completion was seen (ms); the same for a fixed poller. */
export interface TaskFigures {
  queries: number;
  delayMs: number;
  fixedQueries: number;
  fixedDelayMs: number;
}

export const FIXED_INTERVAL_MS = 10_000;

/** A poller that asks every `intervalMs` from creation, on a job that completes `spanMs` after it was created. */
export function fixedPoller(spanMs: number, intervalMs = FIXED_INTERVAL_MS): { queries: number; delayMs: number } {
  const queries = Math.max(1, Math.ceil(spanMs / intervalMs));
  return { queries, delayMs: queries * intervalMs - spanMs };
}

/** Nearest-rank percentile (p in 0..1) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Figures of completed tasks; a task that did not complete (failed, never) is left out. */
export function summarize(tasks: readonly TaskFigures[]): PollingFigures {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const seconds = (pick: (t: TaskFigures) => number) => tasks.map((t) => pick(t) / 1000);
  return {
    tasks: tasks.length,
    queries: sum(tasks.map((t) => t.queries)),
    fixedQueries: sum(tasks.map((t) => t.fixedQueries)),
    p50: percentile(
      seconds((t) => t.delayMs),
      0.5,
    ),
    p90: percentile(
      seconds((t) => t.delayMs),
      0.9,
    ),
    max: Math.max(...seconds((t) => t.delayMs)),
    fixedP50: percentile(
      seconds((t) => t.fixedDelayMs),
      0.5,
    ),
    fixedP90: percentile(
      seconds((t) => t.fixedDelayMs),
      0.9,
    ),
  };
}

/** Per task: the status queries the simulator received for it, and the first one at or after its completion. */
export function taskFigures(sim: SimulatorView, id: string): TaskFigures {
  const job = sim.tasks.get(id);
  if (!job) throw new Error(`the simulator does not know ${id}`);
  if (!Number.isFinite(job.completesAt)) throw new Error(`${id} never completes`);
  const queries = sim.requests.filter((r) => isStatusQuery(r, id));
  const first = queries.find((r) => r.at >= job.completesAt);
  if (!first) throw new Error(`no query of ${id} after it completed`);
  const fixed = fixedPoller(job.completesAt - job.createdAt);
  return { queries: queries.length, delayMs: first.at - job.completesAt, fixedQueries: fixed.queries, fixedDelayMs: fixed.delayMs };
}

/** The figures of these tasks (all of which completed), from what the simulator saw. */
export function pollingFigures(sim: SimulatorView, ids: readonly string[]): PollingFigures {
  return summarize(ids.map((id) => taskFigures(sim, id)));
}

function isStatusQuery(r: RecordedRequest, id: string): boolean {
  if (r.method !== 'GET') return false;
  return (r.path === '/v1/video/query' && r.query.id === id) || r.path === `/v1/videos/${encodeURIComponent(id)}` || r.path === `/v1/videos/${id}`;
}

/** The view of a simulator running in another process (its `/__sim` endpoints). */
export async function readSimulator(url: string): Promise<SimulatorView> {
  const get = async <T>(path: string) => (await (await request(`${url}${path}`)).body.json()) as T;
  const { requests } = await get<{ requests: RecordedRequest[] }>('/__sim/requests');
  const { tasks } = await get<{ tasks: { id: string; createdAt: number; completesAt: number | null }[] }>('/__sim/tasks');
  return { requests, tasks: new Map(tasks.map((t) => [t.id, { createdAt: t.createdAt, completesAt: t.completesAt ?? Infinity }])) };
}

/** The most of these times in any window of one second. */
export function busiest(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
