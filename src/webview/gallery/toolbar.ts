import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import { el } from '../dom';
import { fill } from '../model/format';
import type { SourceKind, Strings, TaskCounts, TaskPhase, ViewQuery } from '../protocol';

export type ViewMode = 'list' | 'grid';

/** The status filter's choices; "running" is every phase in which something still happens. */
const STATUS_CHOICES: { value: string; phases: TaskPhase[]; label: (s: Strings) => string }[] = [
  { value: '', phases: [], label: (s) => s.allStatuses },
  { value: 'running', phases: ['queued', 'generating', 'downloading'], label: (s) => s.running },
  { value: 'ready', phases: ['ready'], label: (s) => s.statusReady },
  { value: 'notSaved', phases: ['notSaved'], label: (s) => s.statusNotSaved },
  { value: 'failed', phases: ['failed'], label: (s) => s.statusFailed },
];
const SOURCE_CHOICES: { value: '' | SourceKind; label: (s: Strings) => string }[] = [
  { value: '', label: (s) => s.allSources },
  { value: 'palette', label: (s) => s.sourcePalette },
  { value: 'copilot', label: (s) => s.sourceCopilot },
  { value: 'agent', label: (s) => s.sourceAgent },
  { value: 'storyboard', label: (s) => s.sourceStoryboard },
  { value: 'cli', label: (s) => s.sourceCli },
];

interface SelectElement extends HTMLElement {
  value: string;
}

/**
 * Search over prompts, the status and source filters, and the list/grid switch. Typing waits a
 * moment before it asks, so 10,000 tasks are searched once per pause, not per key.
 */
export class Toolbar {
  readonly element: HTMLElement;
  private readonly search: SelectElement;
  private readonly status: SelectElement;
  private readonly source: SelectElement;
  private readonly modeButtons: Record<ViewMode, HTMLButtonElement>;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private countsKey = '';

  constructor(
    private readonly strings: Strings,
    query: ViewQuery,
    mode: ViewMode,
    private readonly onQuery: (query: ViewQuery) => void,
    private readonly onMode: (mode: ViewMode) => void,
  ) {
    const s = strings;
    this.search = el('vscode-textfield', {
      className: 'search',
      attrs: { type: 'search', placeholder: s.searchPlaceholder, label: s.search, 'data-testid': 'search' },
    }) as unknown as SelectElement;
    this.search.appendChild(el('vscode-icon', { attrs: { slot: 'content-before', name: 'search' } }));
    this.search.value = query.text;
    this.search.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.onQuery(this.query), 150);
    });
    this.search.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Enter') {
        clearTimeout(this.timer);
        this.onQuery(this.query);
      }
    });
    this.status = this.select(
      'filter-status',
      s.filterStatus,
      STATUS_CHOICES.map((c) => ({ value: c.value, label: c.label(s) })),
      statusValue(query.phases),
    );
    this.source = this.select(
      'filter-source',
      s.filterSource,
      SOURCE_CHOICES.map((c) => ({ value: c.value, label: c.label(s) })),
      query.sources[0] ?? '',
    );
    this.modeButtons = {
      list: this.modeButton('list', s.showList, 'list-flat'),
      grid: this.modeButton('grid', s.showGrid, 'table'),
    };
    this.setMode(mode);
    this.element = el(
      'div',
      { className: 'toolbar', attrs: { role: 'search' } },
      this.search,
      el(
        'div',
        { className: 'filters' },
        this.status,
        this.source,
        el(
          'div',
          { className: 'modes', attrs: { role: 'group', 'aria-label': `${s.showList} / ${s.showGrid}` } },
          this.modeButtons.list,
          this.modeButtons.grid,
        ),
      ),
    );
  }

  get query(): ViewQuery {
    const status = STATUS_CHOICES.find((c) => c.value === this.status.value) ?? STATUS_CHOICES[0];
    const source = this.source.value as SourceKind | '';
    return { text: this.search.value.trim(), phases: status.phases, sources: source ? [source] : [] };
  }

  clear(): void {
    this.search.value = '';
    this.status.value = '';
    this.source.value = '';
    this.onQuery(this.query);
  }

  setMode(mode: ViewMode): void {
    for (const [m, button] of Object.entries(this.modeButtons)) button.setAttribute('aria-pressed', String(m === mode));
  }

  /** Puts each filter choice's count beside it. */
  setCounts(counts: TaskCounts): void {
    const key = JSON.stringify(counts);
    if (key === this.countsKey) return;
    this.countsKey = key;
    const s = this.strings;
    const phaseCount = (phases: TaskPhase[]) => phases.reduce((n, p) => n + counts.phases[p], 0);
    // "All" needs no count (the line under the toolbar says it), and stays short in a narrow sidebar.
    STATUS_CHOICES.forEach((c, i) => c.value && this.label(this.status, i, fill(s.withCount, c.label(s), phaseCount(c.phases))));
    SOURCE_CHOICES.forEach((c, i) => c.value && this.label(this.source, i, fill(s.withCount, c.label(s), counts.sources[c.value])));
  }

  private label(select: HTMLElement, index: number, text: string): void {
    const option = select.querySelectorAll('vscode-option')[index];
    if (option && option.textContent !== text) option.textContent = text;
  }

  private select(testid: string, label: string, choices: { value: string; label: string }[], value: string): SelectElement {
    const select = el(
      'vscode-single-select',
      { attrs: { label, title: label, 'data-testid': testid } },
      ...choices.map((c) => el('vscode-option', { text: c.label, attrs: { value: c.value } })),
    ) as unknown as SelectElement;
    select.value = value;
    select.addEventListener('change', () => this.onQuery(this.query));
    return select;
  }

  private modeButton(mode: ViewMode, label: string, icon: string): HTMLButtonElement {
    const button = el(
      'button',
      { className: 'icon-button', attrs: { type: 'button', 'aria-label': label, title: label, 'data-testid': `mode-${mode}` } },
      el('span', { className: `codicon codicon-${icon}`, attrs: { 'aria-hidden': 'true' } }),
    );
    button.addEventListener('click', () => {
      this.setMode(mode);
      this.onMode(mode);
    });
    return button;
  }
}

function statusValue(phases: TaskPhase[]): string {
  const key = [...phases].sort().join();
  return STATUS_CHOICES.find((c) => [...c.phases].sort().join() === key)?.value ?? '';
}
