/**
 * The rows the virtual list draws: a header for each day, then the day's tasks, one per row in the
 * list or `columns` per row in the grid. DOM-free: built from the results' shape alone, so the list
 * has its full height before any task has arrived.
 */
export type Row = { kind: 'header'; day: number; count: number } | { kind: 'items'; start: number; count: number };

export type DayKind = 'today' | 'yesterday' | 'earlier';

export function dayKind(day: number, today: number): DayKind {
  return day >= today ? 'today' : day === today - 1 ? 'yesterday' : 'earlier';
}

export class RowLayout {
  readonly rows: Row[] = [];
  /** For each item row, its index in `rows`, by its first item (binary search). */
  private readonly itemRows: number[] = [];

  constructor(
    days: readonly number[],
    readonly columns: number,
  ) {
    let start = 0;
    for (let i = 0; i + 1 < days.length; i += 2) {
      const [day, count] = [days[i], days[i + 1]];
      this.rows.push({ kind: 'header', day, count });
      for (let k = 0; k < count; k += columns) {
        this.itemRows.push(this.rows.length);
        this.rows.push({ kind: 'items', start: start + k, count: Math.min(columns, count - k) });
      }
      start += count;
    }
  }

  /** The row that shows item `index`. */
  rowOf(index: number): number {
    let lo = 0;
    let hi = this.itemRows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const row = this.rows[this.itemRows[mid]] as Extract<Row, { kind: 'items' }>;
      if (row.start <= index) lo = mid;
      else hi = mid - 1;
    }
    return this.itemRows[lo] ?? 0;
  }

  /** The first and last item of a range of rows (for asking for pages), or undefined if it holds none. */
  itemsIn(firstRow: number, lastRow: number): { first: number; last: number } | undefined {
    let first: number | undefined;
    let last: number | undefined;
    for (let r = Math.max(0, firstRow); r <= lastRow && r < this.rows.length; r++) {
      const row = this.rows[r];
      if (row.kind !== 'items') continue;
      first ??= row.start;
      last = row.start + row.count - 1;
    }
    return first === undefined || last === undefined ? undefined : { first, last };
  }
}

export type NavigationKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End' | 'PageUp' | 'PageDown';

/**
 * Where the keyboard focus goes from item `index`: up and down by row (the same column in the grid,
 * or the last item of a shorter row), left and right by item, Home and End, a page of `pageRows`.
 */
export function navigate(layout: RowLayout, total: number, index: number, key: NavigationKey, pageRows: number): number {
  if (total <= 0) return -1;
  const clampIndex = (i: number) => Math.min(total - 1, Math.max(0, i));
  const current = clampIndex(index);
  const byRows = (steps: number) => {
    const rowIndex = layout.rowOf(current);
    const row = layout.rows[rowIndex] as Extract<Row, { kind: 'items' }>;
    const column = current - row.start;
    let r = rowIndex;
    let moved = 0;
    let target = row;
    const step = Math.sign(steps);
    while (moved < Math.abs(steps)) {
      r += step;
      if (r < 0 || r >= layout.rows.length) break;
      const next = layout.rows[r];
      if (next.kind !== 'items') continue;
      target = next;
      moved++;
    }
    return target.start + Math.min(column, target.count - 1);
  };
  switch (key) {
    case 'ArrowLeft':
      return layout.columns > 1 ? clampIndex(current - 1) : current;
    case 'ArrowRight':
      return layout.columns > 1 ? clampIndex(current + 1) : current;
    case 'ArrowUp':
      return byRows(-1);
    case 'ArrowDown':
      return byRows(1);
    case 'PageUp':
      return byRows(-Math.max(1, pageRows));
    case 'PageDown':
      return byRows(Math.max(1, pageRows));
    case 'Home':
      return 0;
    case 'End':
      return total - 1;
  }
}
