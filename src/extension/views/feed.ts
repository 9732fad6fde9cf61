import { originOf } from '../../core/origin';
import { taskPhase, type TaskPhase } from '../../core/phase';
import {
  compareNewestFirst,
  countTasks,
  groupByDay,
  matchTasks,
  sourceKind,
  taskMatcher,
  validTimeZone,
  dayNumber,
  type SourceKind,
  type TaskCounts,
} from '../../core/query';
import type { TaskRecord } from '../../core/types';
import type { ResultsShape, SidebarInit, TaskSnapshot, ToSidebar, ViewQuery } from '../../webview/protocol';

/** What the feed reads of the engine. */
export interface FeedSource {
  list(): readonly TaskRecord[];
  get(id: string): TaskRecord | undefined;
}

/** The first page of a query, computed apart from the feed (the HTML of a view about to show carries it). */
export function firstPage(
  source: FeedSource,
  snapshot: (task: TaskRecord) => TaskSnapshot,
  now: number,
  query: ViewQuery,
  timeZone: string | undefined,
  limit: number,
): NonNullable<SidebarInit['first']> {
  const zone = validTimeZone(timeZone);
  const found = matchTasks(source.list(), query);
  return {
    query,
    timeZone: zone,
    shape: { version: -1, total: found.length, days: groupByDay(found, now, zone).flatMap((g) => [g.day, g.count]), today: dayNumber(now, zone) },
    tasks: found.slice(0, limit).map(snapshot),
  };
}

type QueryMessage = { seq: number; query: ViewQuery; timeZone: string; offset: number; limit: number };

/**
 * What the Videos view sees of the history, kept on the extension side: the ids the page's current
 * query found (newest first), which it pages through, and the counts for the filters. Engine changes
 * become small messages: a task changed in place, a task joined or left the list at an index (so the
 * page can keep what is on screen where it is), new counts. Pure: no VS Code, time injected.
 */
export class ResultsFeed {
  private seq = -1;
  private matches: (task: TaskRecord) => boolean = () => true;
  private zone = validTimeZone(undefined);
  private ids: string[] = [];
  private positions = new Map<string, number>();
  private version = 0;
  private counts: TaskCounts;
  /** The phase and source each known task was counted under. */
  private counted = new Map<string, { phase: TaskPhase; source: SourceKind }>();

  constructor(
    private readonly source: FeedSource,
    private readonly snapshot: (task: TaskRecord) => TaskSnapshot,
    private readonly now: () => number,
  ) {
    const all = source.list();
    this.counts = countTasks(all);
    for (const task of all) this.counted.set(task.id, classify(task));
  }

  get taskCounts(): TaskCounts {
    return this.counts;
  }

  /** Running now (queued, generating, downloading): the badge. */
  get running(): number {
    const p = this.counts.phases;
    return p.queued + p.generating + p.downloading;
  }

  /** A new query from the page: find every match, answer with the shape and the first page it wants. */
  setQuery(message: QueryMessage): ToSidebar {
    this.seq = message.seq;
    this.zone = validTimeZone(message.timeZone);
    this.matches = taskMatcher(message.query);
    this.ids = matchTasks(this.source.list(), message.query).map((t) => t.id);
    this.reindex(0);
    this.version++;
    return { type: 'results', seq: this.seq, shape: this.shape(), offset: message.offset, tasks: this.slice(message.offset, message.limit) };
  }

  /** A page of the current list; nothing for a query the page has left. */
  page(message: { seq: number; offset: number; limit: number }): ToSidebar | undefined {
    if (message.seq !== this.seq) return undefined;
    return { type: 'page', seq: this.seq, version: this.version, offset: message.offset, tasks: this.slice(message.offset, message.limit) };
  }

  /** What to tell the page about a changed (or new) task; `countsChanged` says whether the filters' counts moved. */
  changed(task: TaskRecord): { messages: ToSidebar[]; countsChanged: boolean } {
    const countsChanged = this.recount(task.id, classify(task));
    if (this.seq < 0) return { messages: [], countsChanged };
    const at = this.positions.get(task.id);
    const fits = this.matches(task);
    if (at !== undefined && fits) return { messages: [{ type: 'task', task: this.snapshot(task) }], countsChanged };
    if (at === undefined && fits) {
      const index = this.insertionPoint(task);
      this.ids.splice(index, 0, task.id);
      this.reindex(index);
      this.version++;
      return { messages: [{ type: 'inserted', seq: this.seq, shape: this.shape(), index, task: this.snapshot(task) }], countsChanged };
    }
    if (at !== undefined) return { messages: [this.drop(task.id, at)], countsChanged };
    return { messages: [], countsChanged };
  }

  removed(id: string): { messages: ToSidebar[]; countsChanged: boolean } {
    const countsChanged = this.recount(id, undefined);
    const at = this.positions.get(id);
    return { messages: at === undefined ? [] : [this.drop(id, at)], countsChanged };
  }

  private drop(id: string, at: number): ToSidebar {
    this.ids.splice(at, 1);
    this.positions.delete(id);
    this.reindex(at);
    this.version++;
    return { type: 'removed', seq: this.seq, shape: this.shape(), index: at, id };
  }

  private slice(offset: number, limit: number): TaskSnapshot[] {
    const tasks: TaskSnapshot[] = [];
    for (const id of this.ids.slice(offset, offset + limit)) {
      const task = this.source.get(id);
      if (task) tasks.push(this.snapshot(task));
    }
    return tasks;
  }

  /** Where a task goes in the newest-first list (binary search; creation times never change). */
  private insertionPoint(task: TaskRecord): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.source.get(this.ids[mid]);
      if (other && compareNewestFirst(other, task) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private reindex(from: number): void {
    for (let i = from; i < this.ids.length; i++) this.positions.set(this.ids[i], i);
  }

  private shape(): ResultsShape {
    const tasks = this.ids.map((id) => this.source.get(id)).filter((t): t is TaskRecord => t !== undefined);
    const now = this.now();
    return {
      version: this.version,
      total: this.ids.length,
      days: groupByDay(tasks, now, this.zone).flatMap((g) => [g.day, g.count]),
      today: dayNumber(now, this.zone),
    };
  }

  private recount(id: string, next: { phase: TaskPhase; source: SourceKind } | undefined): boolean {
    const before = this.counted.get(id);
    if (before && next && before.phase === next.phase && before.source === next.source) return false;
    if (before) {
      this.counts.total--;
      this.counts.phases[before.phase]--;
      this.counts.sources[before.source]--;
      this.counted.delete(id);
    }
    if (next) {
      this.counts.total++;
      this.counts.phases[next.phase]++;
      this.counts.sources[next.source]++;
      this.counted.set(id, next);
    }
    return before !== undefined || next !== undefined;
  }
}

function classify(task: TaskRecord): { phase: TaskPhase; source: SourceKind } {
  return { phase: taskPhase(task), source: sourceKind(originOf(task)) };
}
