import { Virtualizer, defaultRangeExtractor, elementScroll, observeElementOffset, observeElementRect, type Range } from '@tanstack/virtual-core';
import { el } from '../dom';
import { RowLayout, type Row } from '../model/rows';

/** A row to draw; `offscreen` marks the focused card's row, drawn only to keep the focus. */
export interface VisibleRow {
  row: Row;
  index: number;
  top: number;
  offscreen: boolean;
}

/** Heights of the two kinds of rows, measured from the stylesheet (they follow the user's font size). */
export interface RowSizes {
  header: number;
  items: number;
}

export interface VirtualListOptions {
  scroller: HTMLElement;
  /** Draws what is visible: `rows` with their top offsets; `items` the first and last item index on screen. */
  render(visible: VisibleRow[], layout: RowLayout): void;
  /** Measures the row heights for a column count and width (called when the width or mode changes). */
  measure(columns: number, width: number): RowSizes;
  /** How many columns fit a width (1 in the list). */
  columnsFor(width: number): number;
}

/**
 * The scroll area: @tanstack/virtual-core decides which rows are on screen (plus a few beyond), the
 * caller draws only those. Every row of a kind has the same height, so the full height is known
 * before any task has arrived and nothing jumps when tasks do. The row of the focused card always
 * stays drawn, so the keyboard focus survives scrolling.
 */
export class VirtualList {
  readonly canvas = el('div', { className: 'canvas', attrs: { role: 'list' } });
  private layout = new RowLayout([], 1);
  private sizes: RowSizes = { header: 24, items: 80 };
  private width = 0;
  private pinnedRow = -1;
  private readonly virtualizer: Virtualizer<HTMLElement, HTMLElement>;
  private readonly cleanup: () => void;
  private days: readonly number[] = [];

  constructor(private readonly options: VirtualListOptions) {
    options.scroller.appendChild(this.canvas);
    this.virtualizer = new Virtualizer<HTMLElement, HTMLElement>({
      count: 0,
      getScrollElement: () => options.scroller,
      estimateSize: (i) => (this.layout.rows[i]?.kind === 'header' ? this.sizes.header : this.sizes.items),
      getItemKey: (i) => i,
      overscan: 3,
      observeElementRect: (instance, cb) =>
        observeElementRect(instance, (rect) => {
          this.resize(rect.width);
          cb(rect);
        }),
      observeElementOffset,
      scrollToFn: elementScroll,
      rangeExtractor: (range: Range) => {
        const rows = defaultRangeExtractor(range);
        return this.pinnedRow >= 0 && this.pinnedRow < range.count && !rows.includes(this.pinnedRow) ? [...rows, this.pinnedRow].sort((a, b) => a - b) : rows;
      },
      onChange: () => this.draw(),
    });
    this.cleanup = this.virtualizer._didMount();
  }

  /** Starts watching the scroll area (after the caller holds this list: the first draw calls back). */
  start(): void {
    this.virtualizer._willUpdate();
  }

  get rowLayout(): RowLayout {
    return this.layout;
  }

  get rowSizes(): RowSizes {
    return this.sizes;
  }

  /** Rows that fit the screen (for Page Up / Page Down). */
  get rowsPerPage(): number {
    return Math.max(1, Math.floor(this.options.scroller.clientHeight / this.sizes.items) - 1);
  }

  /** New results or a new mode: rebuild the rows from the days ([day, count, …]). */
  setDays(days: readonly number[]): void {
    this.days = days;
    this.relayout();
  }

  /** Re-measures the rows (the mode changed). */
  remeasure(): void {
    this.width = 0;
    this.resize(this.options.scroller.clientWidth);
  }

  /** Keeps the row of item `index` drawn (the focused card); -1 releases it. */
  pin(index: number): void {
    this.pinnedRow = index < 0 ? -1 : this.layout.rowOf(index);
  }

  scrollToItem(index: number, align: 'auto' | 'start' = 'auto'): void {
    this.virtualizer.scrollToIndex(this.layout.rowOf(index), { align });
  }

  /** The top of item `index`'s row, relative to the scroll position (negative: above the screen). */
  itemTop(index: number): number {
    return this.rowTop(this.layout.rowOf(index)) - this.options.scroller.scrollTop;
  }

  /** Scrolls so that item `index` is `top` pixels below the top of the scroll area. */
  keepItemAt(index: number, top: number): void {
    this.options.scroller.scrollTop = this.rowTop(this.layout.rowOf(index)) - top;
  }

  /** The first item at least half on screen. */
  firstVisibleItem(): number | undefined {
    const scrollTop = this.options.scroller.scrollTop;
    for (const item of this.virtualizer.getVirtualItems()) {
      const row = this.layout.rows[item.index];
      if (row?.kind === 'items' && item.start + item.size / 2 >= scrollTop) return row.start;
    }
    return undefined;
  }

  draw(): void {
    const items = this.virtualizer.getVirtualItems();
    this.canvas.style.height = `${this.virtualizer.getTotalSize()}px`;
    const range = this.virtualizer.range;
    const overscan = this.virtualizer.options.overscan;
    const onScreen = (i: number) => range !== null && i >= range.startIndex - overscan && i <= range.endIndex + overscan;
    this.options.render(
      items
        .filter((item) => this.layout.rows[item.index])
        .map((item) => ({
          row: this.layout.rows[item.index],
          index: item.index,
          top: item.start,
          offscreen: item.index === this.pinnedRow && !onScreen(item.index),
        })),
      this.layout,
    );
  }

  dispose(): void {
    this.cleanup();
  }

  private rowTop(row: number): number {
    let headers = 0;
    // Rows before `row`: count the headers among them (few: one a day).
    for (let r = 0; r < row; r++) if (this.layout.rows[r].kind === 'header') headers++;
    return headers * this.sizes.header + (row - headers) * this.sizes.items;
  }

  private resize(width: number): void {
    if (!width || Math.abs(width - this.width) < 1) return;
    this.width = width;
    this.relayout();
  }

  private relayout(): void {
    const columns = this.options.columnsFor(this.width || this.options.scroller.clientWidth);
    this.sizes = this.options.measure(columns, this.width || this.options.scroller.clientWidth);
    this.layout = new RowLayout(this.days, columns);
    this.virtualizer.setOptions({ ...this.virtualizer.options, count: this.layout.rows.length });
    this.virtualizer.measure();
    this.virtualizer._willUpdate();
    this.draw();
  }
}
