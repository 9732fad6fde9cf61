import type { ResultsShape, TaskSnapshot } from '../protocol';

/** Tasks per page the view asks for. */
export const PAGE_SIZE = 50;
/** Pages kept around what is on screen; the rest is dropped, so memory follows the screen, not the history. */
const KEEP_PAGES = 3;

/**
 * The page's view of the current query's results: its shape (how many, which days) and only the
 * tasks it has been sent, by index. Knows which pages to ask for, follows insertions and removals by
 * index, and forgets tasks far from the screen. DOM-free.
 */
export class ResultsModel {
  seq = 0;
  shape: ResultsShape = { version: -1, total: 0, days: [], today: 0 };
  private readonly tasks = new Map<number, TaskSnapshot>();
  private readonly indexOf = new Map<string, number>();
  /** Pages asked for in the current version. */
  private readonly requested = new Set<number>();

  get total(): number {
    return this.shape.total;
  }

  get loadedCount(): number {
    return this.tasks.size;
  }

  at(index: number): TaskSnapshot | undefined {
    return this.tasks.get(index);
  }

  find(id: string): { index: number; task: TaskSnapshot } | undefined {
    const index = this.indexOf.get(id);
    return index === undefined ? undefined : { index, task: this.tasks.get(index)! };
  }

  /** A new query's answer: forget everything, keep its first page. */
  reset(seq: number, shape: ResultsShape, offset: number, tasks: TaskSnapshot[]): void {
    this.seq = seq;
    this.shape = shape;
    this.tasks.clear();
    this.indexOf.clear();
    this.requested.clear();
    this.fill(offset, tasks);
  }

  /** A page answer; false when it belongs to another query or version (the page asks again). */
  applyPage(seq: number, version: number, offset: number, tasks: TaskSnapshot[]): boolean {
    if (seq !== this.seq || version !== this.shape.version) return false;
    this.fill(offset, tasks);
    return true;
  }

  /** A task changed in place; false if it is not loaded (nothing to redraw). */
  applyTask(task: TaskSnapshot): boolean {
    const index = this.indexOf.get(task.id);
    if (index === undefined) return false;
    this.tasks.set(index, task);
    return true;
  }

  applyInserted(seq: number, shape: ResultsShape, index: number, task: TaskSnapshot): boolean {
    if (seq !== this.seq) return false;
    this.shift(index, +1);
    this.setShape(shape);
    this.put(index, task);
    return true;
  }

  applyRemoved(seq: number, shape: ResultsShape, index: number, id: string): boolean {
    if (seq !== this.seq) return false;
    const at = this.indexOf.get(id);
    if (at !== undefined) {
      this.tasks.delete(at);
      this.indexOf.delete(id);
    }
    this.shift(index + 1, -1);
    this.setShape(shape);
    return true;
  }

  /** The pages to ask for so that every index in [first, last] is loaded (each page once per version). */
  missingPages(first: number, last: number): number[] {
    const pages: number[] = [];
    const end = Math.min(last, this.total - 1);
    for (let page = Math.floor(Math.max(0, first) / PAGE_SIZE); page * PAGE_SIZE <= end; page++) {
      if (this.requested.has(page)) continue;
      const from = page * PAGE_SIZE;
      const to = Math.min(from + PAGE_SIZE, this.total);
      for (let i = Math.max(from, first); i < to && i <= end; i++) {
        if (!this.tasks.has(i)) {
          pages.push(page);
          this.requested.add(page);
          break;
        }
      }
    }
    return pages;
  }

  /** Forgets tasks more than a few pages away from [first, last] (and from `pinned`, the focused one). */
  retain(first: number, last: number, pinned = -1): void {
    const low = first - KEEP_PAGES * PAGE_SIZE;
    const high = last + KEEP_PAGES * PAGE_SIZE;
    for (const [index, task] of this.tasks) {
      if ((index >= low && index <= high) || index === pinned) continue;
      this.tasks.delete(index);
      this.indexOf.delete(task.id);
      this.requested.delete(Math.floor(index / PAGE_SIZE));
    }
  }

  private setShape(shape: ResultsShape): void {
    // Page numbers mean other tasks in a new version: ask again for what is missing.
    if (shape.version !== this.shape.version) this.requested.clear();
    this.shape = shape;
  }

  private fill(offset: number, tasks: TaskSnapshot[]): void {
    tasks.forEach((task, i) => this.put(offset + i, task));
  }

  private put(index: number, task: TaskSnapshot): void {
    const before = this.tasks.get(index);
    if (before && before.id !== task.id) this.indexOf.delete(before.id);
    const elsewhere = this.indexOf.get(task.id);
    if (elsewhere !== undefined && elsewhere !== index) this.tasks.delete(elsewhere);
    this.tasks.set(index, task);
    this.indexOf.set(task.id, index);
  }

  /** Moves every loaded task at or after `from` by `delta`. */
  private shift(from: number, delta: number): void {
    const moved = [...this.tasks].filter(([index]) => index >= from).sort((a, b) => (delta > 0 ? b[0] - a[0] : a[0] - b[0]));
    for (const [index] of moved) this.tasks.delete(index);
    for (const [index, task] of moved) {
      this.tasks.set(index + delta, task);
      this.indexOf.set(task.id, index + delta);
    }
  }
}
