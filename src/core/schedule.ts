import type { NormalizedTask, TaskStatus, VideoSize } from '../juxin/types';
import { quantileWithRunning, RelayStats, type RelayStatsJson } from './relayStats';

/** One answer about a task, as the planner needs it. */
export interface PollObservation {
  /** When the answer arrived. */
  at: number;
  status: TaskStatus;
  /** 0..100, as the relay said it (even if lower than before). */
  progress: number;
  /** While queued: the relay's estimate of the wait left, ms. */
  queueEtaMs?: number;
  /** The task: when it was created and what it makes (read at the first observation of a task). */
  createdAt: number;
  model: string;
  duration: number;
  size?: VideoSize;
}

/** A task record's answer as an observation. */
export function observationOf(
  task: { createdAt: number; params: { model: string; duration: number; size?: VideoSize } },
  answer: NormalizedTask,
  at: number,
): PollObservation {
  const { model, duration, size } = task.params;
  return { at, status: answer.status, progress: answer.progress, queueEtaMs: answer.queueEtaMs, createdAt: task.createdAt, model, duration, size };
}

export interface PlannerOptions {
  /** Never ask about one task more often than this (the user's setting). */
  minIntervalMs: number;
  /** Never leave a task unasked longer than this (default 2 minutes; half of it once a task is overdue). */
  maxIntervalMs?: number;
  /** What an earlier planner learned about this relay (`exportStats()`). */
  stats?: unknown;
}

/** Poll interval while completion is plausible: a completion inside the window is seen at most this late. */
export const CLOSE_INTERVAL_MS = 10_000;
/** How far past the expected end to ask, so one query usually finds it done. */
const AIM_PAST_MS = 1500;
/** How far past the opening of a window the planner sleeps: an end right at the opening is seen this late, well within the close interval. */
const OPENING_SLACK_MS = 8000;
/** The first look at a new task comes within this (a fast relay may be done within a minute). */
const FIRST_LOOK_MS = 20_000;
/** After one reading, the next comes within this: two give a rate, worth more than one (which may be stale). */
const SECOND_LOOK_MS = 30_000;
/** How far past the opening of a window the planner may aim. */
const AIM_SLACK_MS = 4000;
/** Poll interval while the start of a job is likely, on relays that report no progress (their windows rest on it). */
const START_PROBE_MS = 20_000;
/** Running this long at 0%: the relay does not report progress. */
const SILENCE_MS = 15_000;
/** Once overdue, the interval grows by this share of the time overdue (up to the maximum). */
const OVERDUE_BACKOFF = 0.15;
/** Before the relay's queue estimates have been checked against when jobs really started, half of one is believed, this much at most. */
const UNCHECKED_ETA_MS = 30_000;
export const DEFAULT_MAX_INTERVAL_MS = 120_000;
/** The longest a job is asked about every 10 s (its window of plausible ends). */
const DENSE_SPAN_MS = 15 * 60_000;
/** Jobs still running past every finished one leave the high end open while they are more than this share of the jobs. */
const OPEN_SHARE = 0.05;
/** Rises within this many points of their line make it steady. */
const STEADY_POINTS = 3;
/** How many jobs must have ended on a relay before its times can overrule a job's own progress. */
const KNOWN_JOBS = 3;
/** A job may still end this much later than the longest-running other job has run so far… */
const RUNNING_MARGIN = 1.1;
/** …but no later than this many times the longest generation known (or the prior's). */
const OPEN_LIMIT = 2;

interface Sample {
  at: number;
  progress: number;
}

/** What one task has shown so far. */
interface TaskTrack {
  createdAt: number;
  /** Units of work: 1 for a 10 s sora-2 video; longer and pro videos take longer. */
  work: number;
  lastSeenAt: number;
  /** Answers seen (the creation's included). */
  answers: number;
  /** The last moment it was seen queued (created queued, so never before createdAt). */
  lastQueuedAt: number;
  firstRunningAt?: number;
  lastRunningAt?: number;
  /** Each new highest progress, when first seen (a value seen again later is not newer news). */
  rises: Sample[];
  /** The last queue estimate: when it was given and when it said the job would start. */
  eta?: { at: number; startAt: number };
  /** The ETA did not count down: not believed for this task any more. */
  etaStale: boolean;
  /** Whether it showed progress while running, once that is clear (told to the relay's stats once). */
  reportsProgress?: boolean;
  /** Its progress went backwards once: not relied on to sleep long any more. */
  erratic: boolean;
}

/** A span of time in which completion is plausible. */
interface Span {
  from: number;
  to: number;
  /** Nothing can end before `from`: the earliest start plus the quickest generation (not an estimate from progress). */
  bound?: boolean;
}

interface Plan {
  /** When completion is plausible, in order; after the last one it is overdue. */
  windows: Span[];
  /** The best guess of the end, when progress gives one. */
  expected?: number;
}

/**
 * Decides when to ask about each running task next, from what every answer showed: per task (status,
 * progress and its rate, the queue estimate, when it was last seen queued) and per relay, across tasks
 * (queue and generation durations, whether the relay reports progress, how good its estimates are).
 *
 * The rule: keep a window of when completion is plausible (no earlier than the job could have started
 * and generated for the shortest time seen here; narrowed by progress and its rate). Before the window,
 * sleep to its start; inside it, ask every 10 s or just past the expected end; past it, back off
 * slowly. When progress and the relay's history disagree, both windows are watched. No timers: the
 * caller passes the time, so tests drive it with any clock. One planner per engine (per relay);
 * `exportStats()` and the `stats` option carry what it learned from one run to the next.
 */
export class PollPlanner {
  private readonly tasks = new Map<string, TaskTrack>();
  private readonly stats: RelayStats;
  private readonly minIntervalMs: number;
  private readonly maxIntervalMs: number;

  constructor(options: PlannerOptions) {
    this.minIntervalMs = Math.max(0, options.minIntervalMs);
    this.maxIntervalMs = Math.max(this.minIntervalMs, options.maxIntervalMs ?? DEFAULT_MAX_INTERVAL_MS);
    this.stats = RelayStats.fromJSON(options.stats);
  }

  observe(taskId: string, o: PollObservation): void {
    if (!Number.isFinite(o.at)) return;
    let t = this.tasks.get(taskId);
    if (!t) {
      // A task first seen finished teaches nothing: when it started and ended is unknown.
      if (o.status === 'completed' || o.status === 'failed') return;
      const createdAt = Number.isFinite(o.createdAt) ? Math.min(o.createdAt, o.at) : o.at;
      t = { createdAt, work: workOf(o), lastSeenAt: o.at, answers: 0, lastQueuedAt: createdAt, rises: [], etaStale: false, erratic: false };
      this.tasks.set(taskId, t);
    }
    if (o.at < t.lastSeenAt) return; // an older answer arriving late
    t.lastSeenAt = o.at;
    t.answers++;
    switch (o.status) {
      case 'queued':
        // A relay that says "queued" again after "processing" is not believed: the job did start.
        if (t.firstRunningAt === undefined) this.sawQueued(t, o);
        break;
      case 'processing':
        this.sawRunning(t, o);
        break;
      case 'completed':
        this.sawCompleted(t, o.at);
        this.tasks.delete(taskId);
        break;
      default:
        this.tasks.delete(taskId); // failed: it ended early, its times say nothing about the others
    }
  }

  /** Milliseconds to wait before asking about the task again. */
  nextDelay(taskId: string, now: number): number {
    const t = this.tasks.get(taskId);
    // Not seen yet (e.g. picked up after a restart): ask soon, it may well be done.
    if (!t || !Number.isFinite(now)) return this.minIntervalMs;
    const { windows, expected } = this.plan(t);
    let wait = Infinity;
    let overdueSince: number | undefined;
    for (const w of windows) {
      if (now < w.from) {
        // Far from it: sleep long, to a little past its opening (an end right at the opening is still seen soon enough).
        wait = w.from + (w.bound ? OPENING_SLACK_MS : 0) - now;
        break;
      }
      if (now <= w.to) {
        wait = CLOSE_INTERVAL_MS; // plausible now: ask often
        break;
      }
      overdueSince = w.to;
    }
    // Past a window, the picture was wrong: back off slowly, to half the longest interval at most.
    if (overdueSince !== undefined) wait = Math.min(wait, CLOSE_INTERVAL_MS + OVERDUE_BACKOFF * (now - overdueSince), this.maxIntervalMs / 2);
    // Progress says when: ask just past that (also when that is a few seconds after the window opens:
    // one query then rather than one at the opening and one after).
    if (expected !== undefined && expected + AIM_PAST_MS > now) {
      const aim = expected + AIM_PAST_MS - now;
      wait = aim <= wait + AIM_SLACK_MS ? aim : Math.min(wait, aim);
    }
    if (t.firstRunningAt === undefined && this.probesStart(t, now)) wait = Math.min(wait, START_PROBE_MS);
    // Only the creation's answer so far, on a relay whose queues may be short: one early look tells a
    // queue from a quick job. (Where queues are long, a relay that became quick is noticed by the answers
    // its jobs give, one reading at a time: see `slowestLeft` in plan.)
    if (t.answers <= 1 && this.stats.shortestQueue() < FIRST_LOOK_MS) wait = Math.min(wait, FIRST_LOOK_MS);
    return Math.round(Math.min(this.maxIntervalMs, Math.max(this.minIntervalMs, wait)));
  }

  forget(taskId: string): void {
    this.tasks.delete(taskId);
  }

  /** What was learned about the relay, as plain JSON (to save and pass back as `stats` later). */
  exportStats(): RelayStatsJson {
    return this.stats.toJSON();
  }

  private sawQueued(t: TaskTrack, o: PollObservation): void {
    t.lastQueuedAt = Math.max(t.lastQueuedAt, o.at);
    if (o.queueEtaMs === undefined || !Number.isFinite(o.queueEtaMs)) return;
    const startAt = o.at + Math.max(0, o.queueEtaMs);
    // A real estimate counts down as time passes; one that stands still (or grows) is stale.
    if (t.eta && startAt - t.eta.startAt > 0.5 * (o.at - t.eta.at) + 1000) t.etaStale = true;
    t.eta = { at: o.at, startAt };
  }

  private sawRunning(t: TaskTrack, o: PollObservation): void {
    if (t.firstRunningAt === undefined) {
      t.firstRunningAt = o.at;
      // It started between the last "queued" and now: learned from only when that is known closely
      // enough to tell (a job already running at its first look tells of a short queue).
      const known = o.at - t.lastQueuedAt <= Math.max(30_000, 0.25 * (o.at - t.createdAt));
      if (known) this.stats.addQueue(Math.max(0, t.lastQueuedAt - t.createdAt));
      this.learnEta(t, o.at, known);
    }
    t.lastRunningAt = o.at;
    const best = t.rises.at(-1)?.progress ?? 0;
    if (o.progress < best - 1) t.erratic = true;
    if (o.progress > best && o.progress < 100) {
      t.rises.push({ at: o.at, progress: o.progress });
      if (t.rises.length > 6) t.rises.shift();
    }
    // A job that reports progress leaves 0% within a second or two of starting: 0% for 15 s means a relay that does not tell.
    if (t.reportsProgress === undefined && (t.rises.length > 0 || t.lastRunningAt - t.firstRunningAt >= SILENCE_MS)) {
      t.reportsProgress = t.rises.length > 0;
      this.stats.addProgressReport(t.reportsProgress);
    }
  }

  /**
   * How much earlier than its queue estimate a job started, once it is seen started at `startedBy`:
   * the middle guess when the start is known closely, and at least what is certain when the estimate
   * was too long (it said later than the job was already running).
   */
  private learnEta(t: TaskTrack, startedBy: number, known: boolean): void {
    if (!t.eta || t.etaStale) return;
    const certain = t.eta.startAt - startedBy;
    if (known) this.stats.addEtaEarliness(Math.max(certain, t.eta.startAt - (t.lastQueuedAt + startedBy) / 2));
    else if (certain > 0) this.stats.addEtaEarliness(certain);
  }

  private sawCompleted(t: TaskTrack, at: number): void {
    if (t.firstRunningAt === undefined || t.lastRunningAt === undefined) {
      // Never seen running: it queued at least until last seen queued (perhaps much less than the
      // queue times learned so far: the relay got faster), and generated at most this long.
      this.stats.addQueue(Math.max(0, t.lastQueuedAt - t.createdAt));
      this.learnEta(t, at, false);
      const most = at - t.lastQueuedAt;
      // The whole generation fell between two looks: it may be quicker here than learned so far (the
      // middle guess makes the next looks closer; a relay that got faster is followed).
      if (most < 2 * this.generationRange().low * t.work) this.stats.addGeneration(most / 2 / t.work);
      return;
    }
    if (t.reportsProgress === undefined) this.stats.addProgressReport(t.rises.length > 0);
    // Started in (lastQueuedAt, firstRunningAt], ended in (lastRunningAt, at].
    const least = t.lastRunningAt - t.firstRunningAt;
    const most = at - t.lastQueuedAt;
    const endedAt = (t.lastRunningAt + at) / 2;
    // Progress pins the start down better than the queue answers (where the line through it meets 0),
    // if it told the truth: its line must have foreseen the end.
    let line = rate(t.rises);
    if (line && (t.erratic || Math.abs(line.endAt - endedAt) > 0.25 * (endedAt - line.zeroAt))) line = undefined;
    const startedAt = line ? clamp(line.zeroAt, t.lastQueuedAt, t.firstRunningAt) : (t.lastQueuedAt + t.firstRunningAt) / 2;
    const estimate = clamp(endedAt - startedAt, least, most);
    // Learn only from a task whose span is known well enough: its end within 30 s, and its start from
    // progress or within 60% of the span (not one picked up after a long pause).
    if (at - t.lastRunningAt <= 30_000 && (line || most - least <= 0.6 * most)) this.stats.addGeneration(estimate / t.work);
  }

  /** When completion is plausible, from everything known. */
  private plan(t: TaskTrack): Plan {
    const gen = this.generationRange(t);
    const low = gen.low * t.work;
    const high = gen.high * t.work;
    const startLow = this.earliestStart(t);
    // Queued: it cannot be done before it starts and then generates for the shortest time seen.
    if (t.firstRunningAt === undefined) return { windows: [{ from: startLow + low, to: Infinity, bound: true }] };
    // Running: from when it started and the generation times of this relay.
    // Asked about every 10 s for 15 minutes at most: a job that long has the relay's slowest times (or is
    // very large), and is asked about less and less often after that, as if overdue.
    const opening = startLow + low;
    const history: Span = { from: opening, to: Math.min(Math.max(opening, t.firstRunningAt + high), opening + DENSE_SPAN_MS), bound: true };
    const last = t.rises.at(-1);
    if (!last) return { windows: [history] };
    // Progress: by its rate when known, else as a share of this relay's generation times. A reading is
    // rounded: one point less is left than it says.
    const left = Math.max(0, 99 - last.progress);
    const line = rate(t.rises);
    const expected = line?.endAt;
    // One reading: it started after it was last seen queued, so it moves at least that fast, and ends
    // no later than this (a relay that got quicker than its history shows it here first).
    const slowestLeft = (100 - last.progress) / (last.progress / Math.max(1000, last.at - t.lastQueuedAt));
    const progress = line
      ? { from: last.at + (0.8 * left) / line.perMs, to: last.at + (1.3 * (100 - last.progress)) / line.perMs }
      : last.at + slowestLeft < startLow + low
        ? { from: last.at, to: last.at + 1.3 * slowestLeft }
        : { from: last.at + Math.min((left / 100) * low * 0.85, SECOND_LOOK_MS), to: last.at + (left / 100) * high * 1.2 };
    // A job slower than those seen so far is no sign that its progress is wrong when the progress rises
    // steadily (a heavy tail), nor before a few jobs have ended here: then the history bounds the end
    // only from below.
    const latest = this.stats.generationCount < KNOWN_JOBS || line?.steady ? Infinity : history.to;
    const from = Math.max(history.from, progress.from);
    const to = Math.min(latest, progress.to);
    // Both agree (they overlap, and progress expects the end where this relay's jobs end): completion is where they overlap.
    const agree = from <= to && (expected === undefined || (expected >= history.from && expected <= latest));
    // Past it, progress was wrong about this job (it stalled, or jumped and sat there): this relay's
    // usual times still hold, so the rest of the history window is watched before backing off.
    if (!t.erratic && agree) {
      const both: Span = { from, to, bound: history.from >= progress.from };
      return { windows: to < history.to ? [both, { from: to, to: history.to }] : [both], expected };
    }
    // They disagree (a job slower or quicker than any before here, or progress that stalled or went
    // backwards): either may be right, so both windows are watched.
    return { windows: union(history, progress), expected };
  }

  /**
   * How long generation takes per unit of work: learned, or before any task finished, at least half as
   * long as one has run so far. The jobs still running count too (all but `own`): while too many of
   * them have run longer than every finished one (a burst whose quick jobs ended first, a heavy tail),
   * the longest of them sets how late a job can still end.
   */
  private generationRange(own?: TaskTrack): { low: number; high: number } {
    const learned = this.stats.generationRange();
    const running: number[] = [];
    for (const t of this.tasks.values()) {
      if (t !== own && t.firstRunningAt !== undefined && t.lastRunningAt !== undefined) running.push((t.lastRunningAt - t.firstRunningAt) / t.work);
    }
    const longest = Math.max(0, ...running);
    // No further than a few times what is known, though: jobs that all run for ever must not keep each other's windows open.
    const stretched = Math.max(learned.high, Math.min(RUNNING_MARGIN * longest, OPEN_LIMIT * learned.high));
    if (!this.stats.generationCount) return { low: Math.max(learned.low, 0.5 * longest), high: stretched };
    const open = quantileWithRunning(this.stats.generationSamples, running, 1 - OPEN_SHARE) === Infinity;
    return { low: learned.low, high: open ? stretched : learned.high };
  }

  /** The earliest the job can have started: after it was last seen queued, the relay's shortest queue, and its estimate. */
  private earliestStart(t: TaskTrack): number {
    let startAt = Math.max(t.lastQueuedAt, t.createdAt + this.stats.shortestQueue());
    if (t.eta && !t.etaStale) {
      const slack = this.stats.etaSlack();
      // Until the relay's estimates have been checked, half of one is believed (30 s at most: it may be far off).
      startAt = Math.max(startAt, slack === undefined ? t.eta.at + Math.min(UNCHECKED_ETA_MS, 0.5 * (t.eta.startAt - t.eta.at)) : t.eta.startAt - slack);
    }
    return t.firstRunningAt === undefined ? startAt : Math.min(startAt, t.firstRunningAt);
  }

  /** Relays that report no progress: ask more often while the start is likely, as their windows rest on knowing it. */
  private probesStart(t: TaskTrack, now: number): boolean {
    if (this.stats.reportsProgress() !== false) return false;
    return now + START_PROBE_MS >= t.createdAt + this.stats.shortestQueue() / 0.7;
  }
}

/** Units of work of a generation: a 10 s sora-2 video is 1; pro, longer and large videos take longer. */
function workOf(o: { model: string; duration: number; size?: VideoSize }): number {
  const duration = Number.isFinite(o.duration) && o.duration > 0 ? o.duration : 10;
  return (o.model === 'sora-2-pro' ? 1.5 : 1) * Math.sqrt(duration / 10) * (o.size === 'large' ? 1.2 : 1);
}

/** Two spans in order, one if they overlap. */
function union(a: Span, b: Span): Span[] {
  const [first, second] = a.from <= b.from ? [a, b] : [b, a];
  return second.from <= first.to ? [{ ...first, to: Math.max(first.to, second.to) }] : [first, second];
}

/**
 * Least-squares line through the recent rises: percent per ms, when it meets 0% and 100%, and whether
 * it is steady (four rises, each within a few points of it).
 */
function rate(rises: Sample[]): { perMs: number; zeroAt: number; endAt: number; steady: boolean } | undefined {
  const recent = rises.slice(-4);
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
  const perMs = den > 0 ? num / den : 0;
  if (!(perMs > 0)) return undefined;
  const last = recent[n - 1];
  const steady = n >= 4 && recent.every((s) => Math.abs(my + (s.at - mx) * perMs - s.progress) <= STEADY_POINTS);
  return { perMs, zeroAt: mx - my / perMs, endAt: last.at + (100 - last.progress) / perMs, steady };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
