import { isVsCodeClient, originOf, type TaskOrigin } from './origin';
import { taskPhase, type PhaseInput, type TaskPhase } from './phase';

/**
 * Finding tasks in the history: the Videos view and the MCP tool `list_videos` both ask this one
 * module. Pure (no I/O, time injected), so it runs in the extension, the stdio server and the tests.
 */

/** Where a task came from, as a filter: the palette, Copilot (VS Code's MCP client), another AI app, a storyboard, the command line. */
export type SourceKind = 'palette' | 'copilot' | 'agent' | 'storyboard' | 'cli';
export const SOURCE_KINDS: readonly SourceKind[] = ['palette', 'copilot', 'agent', 'storyboard', 'cli'];
export const TASK_PHASES: readonly TaskPhase[] = ['queued', 'generating', 'downloading', 'ready', 'notSaved', 'failed'];

/** What `queryTasks` reads of a record (a `TaskRecord` fits). */
export interface QueryableTask extends PhaseInput {
  id: string;
  source: string;
  origin?: TaskOrigin;
  createdAt: number;
  params: { prompt: string };
}

export interface TaskQuery {
  /** Words to find in the prompt (or the task id), in any language; every word must match. */
  text?: string;
  /** Any of these phases; empty or absent: all. */
  phases?: readonly TaskPhase[];
  /** Any of these sources; empty or absent: all. */
  sources?: readonly SourceKind[];
  offset?: number;
  limit?: number;
}

export interface QueryResult<T> {
  /** The requested page, newest first. */
  tasks: T[];
  /** How many tasks match, over all pages. */
  total: number;
}

/** The filter kind of an origin. Older records without a client name that came over MCP were Copilot's (the only client then). */
export function sourceKind(origin: TaskOrigin): SourceKind {
  switch (origin.kind) {
    case 'palette':
    case 'storyboard':
    case 'cli':
      return origin.kind;
    case 'mcp':
      if (origin.client) return isVsCodeClient(origin.client) ? 'copilot' : 'agent';
      return origin.host === 'stdio' ? 'agent' : 'copilot';
  }
}

/** Newest first; the id breaks ties so every page of a query is stable. */
export function compareNewestFirst(a: QueryableTask, b: QueryableTask): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** NFKC folds full-width letters and digits, compatibility forms of CJK; then case is ignored. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The words of a search: split on any white space (also the ideographic space U+3000, which NFKC turns into a space). */
export function searchTerms(text: string | undefined): string[] {
  return text ? normalizeText(text).split(/\s+/).filter(Boolean) : [];
}

// Records are replaced (never mutated) when they change, so a record's normalized prompt is computed once.
const normalized = new WeakMap<object, string>();
function haystack(task: QueryableTask): string {
  let text = normalized.get(task);
  if (text === undefined) {
    text = `${normalizeText(task.params.prompt)}\n${task.id.toLowerCase()}`;
    normalized.set(task, text);
  }
  return text;
}

/** The test a task must pass for the query (paging aside). */
export function taskMatcher(q: Omit<TaskQuery, 'offset' | 'limit'>): (task: QueryableTask) => boolean {
  const terms = searchTerms(q.text);
  const phases = q.phases?.length ? new Set(q.phases) : undefined;
  const sources = q.sources?.length ? new Set(q.sources) : undefined;
  return (task) => {
    if (phases && !phases.has(taskPhase(task))) return false;
    if (sources && !sources.has(sourceKind(originOf(task)))) return false;
    if (!terms.length) return true;
    const text = haystack(task);
    return terms.every((term) => text.includes(term));
  };
}

/** Every match, newest first (the view keeps this list and pages through it). */
export function matchTasks<T extends QueryableTask>(records: Iterable<T>, q: Omit<TaskQuery, 'offset' | 'limit'>): T[] {
  const matches = taskMatcher(q);
  const found: T[] = [];
  for (const record of records) if (matches(record)) found.push(record);
  return found.sort(compareNewestFirst);
}

/** One page of the tasks that match, newest first, and how many match in all. */
export function queryTasks<T extends QueryableTask>(records: Iterable<T>, q: TaskQuery): QueryResult<T> {
  const all = matchTasks(records, q);
  const offset = Math.max(0, Math.floor(q.offset ?? 0));
  const limit = q.limit === undefined ? all.length : Math.max(0, Math.floor(q.limit));
  return { tasks: all.slice(offset, offset + limit), total: all.length };
}

export interface TaskCounts {
  total: number;
  phases: Record<TaskPhase, number>;
  sources: Record<SourceKind, number>;
}

/** How many tasks there are of each phase and source (the filter menus show them). */
export function countTasks(records: Iterable<QueryableTask>): TaskCounts {
  const counts: TaskCounts = {
    total: 0,
    phases: { queued: 0, generating: 0, downloading: 0, ready: 0, notSaved: 0, failed: 0 },
    sources: { palette: 0, copilot: 0, agent: 0, storyboard: 0, cli: 0 },
  };
  for (const task of records) {
    counts.total++;
    counts.phases[taskPhase(task)]++;
    counts.sources[sourceKind(originOf(task))]++;
  }
  return counts;
}

// ── Days ──────────────────────────────────────────────────────────────────────────────────────────

/** A calendar day in a time zone, as whole days since 1970-01-01 (that zone's). */
export type DayNumber = number;

export type DayKind = 'today' | 'yesterday' | 'earlier';

export interface DayGroup {
  day: DayNumber;
  kind: DayKind;
  /** Index of the group's first task in the sorted list. */
  start: number;
  count: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** An IANA zone Intl knows, else the process's own (a webview may name a zone the host lacks). */
export function validTimeZone(zone: string | undefined): string {
  const fallback = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return fallback;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return fallback;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC at `t`, in ms (UTC+8 → 8 h). */
function offsetAt(t: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(t)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  return wall - (t - (((t % 60_000) + 60_000) % 60_000));
}

/** The calendar day of `t` in the zone. */
export function dayNumber(t: number, zone: string): DayNumber {
  return Math.floor((t + offsetAt(t, zone)) / DAY_MS);
}

// When each day began, by zone: a day's start never changes, and finding it takes several time-zone
// look-ups, so every grouping of the same history (the Videos view's, at each change) looks it up once.
const dayStarts = new Map<string, Map<DayNumber, number>>();
const DAY_STARTS_KEPT = 50_000;

/** When a day begins in the zone (its local midnight, or the first minute after it on a day that skips midnight). */
export function dayStart(day: DayNumber, zone: string): number {
  let starts = dayStarts.get(zone);
  if (!starts || starts.size > DAY_STARTS_KEPT) dayStarts.set(zone, (starts = new Map()));
  let t = starts.get(day);
  if (t !== undefined) return t;
  // The offset at the local midnight may differ from the day's other hours (a change to or from summer time).
  t = day * DAY_MS - offsetAt(day * DAY_MS, zone);
  t = day * DAY_MS - offsetAt(t, zone);
  while (dayNumber(t, zone) < day) t += 15 * 60_000;
  while (dayNumber(t - 60_000, zone) >= day) t -= 15 * 60_000;
  starts.set(day, t);
  return t;
}

/**
 * Groups a newest-first list by calendar day in the user's zone: today, yesterday, then each earlier
 * day. A few time-zone look-ups per day, not per task, so 10,000 tasks group in about a millisecond.
 */
export function groupByDay(sorted: readonly { createdAt: number }[], now: number, timeZone?: string): DayGroup[] {
  const zone = validTimeZone(timeZone);
  const today = dayNumber(now, zone);
  const groups: DayGroup[] = [];
  let i = 0;
  let previous: DayNumber | undefined;
  while (i < sorted.length) {
    const at = sorted[i].createdAt;
    // Usually the day before the last group's (dozens of videos a day): known without a look-up.
    const day = previous !== undefined && at < dayStart(previous, zone) && at >= dayStart(previous - 1, zone) ? previous - 1 : dayNumber(at, zone);
    previous = day;
    const begins = dayStart(day, zone);
    let end = i + 1;
    while (end < sorted.length && sorted[end].createdAt >= begins) end++;
    const kind: DayKind = day >= today ? 'today' : day === today - 1 ? 'yesterday' : 'earlier';
    const last = groups.at(-1);
    // Tasks dated in the future (another machine's clock) join today.
    if (last && kind === 'today' && last.kind === 'today') last.count += end - i;
    else groups.push({ day: kind === 'today' ? today : day, kind, start: i, count: end - i });
    i = end;
  }
  return groups;
}
