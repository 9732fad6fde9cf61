// The "Videos" view: a search, filters and a virtualized list (or grid) of the history. Browser code
// only: it talks to the extension through postMessage, holds only the tasks near the screen, and
// renders every string from a prompt or the API with textContent.
import { el, readData, vscodeApi } from './dom';
import { TaskCard } from './gallery/card';
import { openContextMenu, suppressKeyboardContextMenu } from './gallery/menu';
import { Toolbar, type ViewMode } from './gallery/toolbar';
import { VirtualList, type VisibleRow } from './gallery/virtualList';
import { createClickGuard } from './model/clickGuard';
import { dayLabel, fill, shorten, timeLabel } from './model/format';
import { PAGE_SIZE, ResultsModel } from './model/results';
import { navigate, type NavigationKey, type RowLayout } from './model/rows';
import { toTaskModel } from './model/taskModel';
import { isAllowedRemoteUrl } from './model/urls';
import type { FromSidebar, PageSettings, SidebarInit, Strings, TaskAction, TaskCounts, ToSidebar, ViewQuery } from './protocol';
import { emptyState } from './sidebar/emptyState';
import { SpendHeader } from './sidebar/spendHeader';

interface Persisted {
  query: ViewQuery;
  mode: ViewMode;
}

const strings = readData<Strings>('strings');
const settings = readData<PageSettings>('settings');
const init = readData<SidebarInit>('state');
const locale = document.documentElement.lang || navigator.language;
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const vscode = vscodeApi();
const send = (message: FromSidebar) => vscode.postMessage(message);
const firstClick = createClickGuard(() => Date.now());
const saved = (vscode.getState() ?? {}) as Partial<Persisted>;

let query: ViewQuery = saved.query ?? { text: '', phases: [], sources: [] };
let mode: ViewMode = saved.mode === 'grid' ? 'grid' : 'list';
let hasKey = init.hasKey;
let counts: TaskCounts = init.counts;
/** Until the first `state`: the extension is still reading the history, and the counts are not known. */
let loading = init.loading === true;
// Each page starts its numbers anew; a random start keeps them apart from an earlier page's.
let seq = Math.floor(Math.random() * 1e9);
/** The item the Tab key reaches and the arrow keys move from (roving tabindex). */
let active = 0;
const results = new ResultsModel();
const phases = new Map<string, string>();

const app = document.getElementById('app')!;
const toolbar = new Toolbar(
  strings,
  query,
  mode,
  (q) => setQuery(q),
  (m) => setMode(m),
);
const summary = el('p', { className: 'summary', attrs: { 'data-testid': 'summary' } });
const spend = new SpendHeader(strings, () => send({ type: 'command', command: 'spendSettings' }));
const scroller = el('div', { className: `scroller ${mode}`, attrs: { 'data-testid': 'task-list' } });
const onboarding = el('div', { className: 'onboarding' });
const noMatches = el(
  'div',
  { className: 'no-matches', attrs: { 'data-testid': 'no-matches' } },
  el('p', { text: strings.noMatches }),
  el('vscode-button', { text: strings.clearFilters, attrs: { secondary: '', 'data-testid': 'clear-filters' } }),
);
noMatches.querySelector('vscode-button')!.addEventListener('click', () => toolbar.clear());
// One polite live region: it speaks when a task changes state (not at every percent) and after a search.
const announcer = el('div', { className: 'visually-hidden', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'announcer' } });
app.replaceChildren(toolbar.element, spend.element, summary, scroller, noMatches, onboarding, announcer);

const handlers = { mayLoadImage: (url: string) => isAllowedRemoteUrl(url, settings.apiBaseUrl), menuToken: settings.menuToken };
/** Cards on screen by what they show (`t:<task id>`, or `p:<index>` while the task is on its way). */
const cards = new Map<string, TaskCard>();
const spareCards: TaskCard[] = [];
const headers = new Map<number, HTMLElement>();
const spareHeaders: HTMLElement[] = [];
const PAD = 8;
const GAP = 8;
// Two tiles side by side in a sidebar of the default width.
const MIN_TILE = 120;

const list = new VirtualList({
  scroller,
  columnsFor: (width) => (mode === 'grid' ? Math.max(1, Math.floor((width - 2 * PAD + GAP) / (MIN_TILE + GAP))) : 1),
  measure: (columns, width) => measureRows(columns, width),
  render: (visible, layout) => draw(visible, layout),
});
list.canvas.setAttribute('aria-label', strings.videos);

function tileWidth(columns: number, width: number): number {
  return mode === 'grid' ? Math.floor((width - 2 * PAD - GAP * (columns - 1)) / columns) : width;
}

/** Row heights from the stylesheet: a hidden card and header of the current mode, measured once per layout. */
function measureRows(columns: number, width: number): { header: number; items: number } {
  const probe = new TaskCard(strings, handlers);
  probe.bindPlaceholder(0, 1);
  const header = el('div', { className: 'day', text: strings.today });
  // Measured in a hidden copy of the scroll area: the real one may be hidden (display: none) right now.
  const box = el(
    'div',
    { className: `scroller ${mode} measuring`, attrs: { 'aria-hidden': 'true' } },
    el('div', { className: 'canvas' }, probe.element, header),
  );
  if (mode === 'grid') probe.element.style.width = `${tileWidth(columns, width)}px`;
  app.appendChild(box);
  const sizes = { header: header.offsetHeight || 24, items: (probe.element.offsetHeight || 80) + (mode === 'grid' ? GAP : 0) };
  box.remove();
  return sizes;
}

function draw(visible: VisibleRow[], layout: RowLayout): void {
  const width = scroller.clientWidth;
  const tile = tileWidth(layout.columns, width);
  // First what goes where; then cards no longer needed become spares, and only then are spares bound,
  // so a screen of new cards reuses the previous screen's (the DOM never grows while scrolling).
  const wanted: { key: string; index: number; x: number; top: number }[] = [];
  const usedHeaders = new Set<number>();
  // The screen's items, apart from the focused card kept drawn off screen.
  let first = Number.POSITIVE_INFINITY;
  let last = -1;
  const today = results.shape.today;
  for (const { row, top, offscreen } of visible) {
    if (row.kind === 'header') {
      usedHeaders.add(row.day);
      continue;
    }
    for (let k = 0; k < row.count; k++) {
      const index = row.start + k;
      if (!offscreen) {
        first = Math.min(first, index);
        last = Math.max(last, index);
      }
      const task = results.at(index);
      wanted.push({ key: task ? `t:${task.id}` : `p:${index}`, index, x: mode === 'grid' ? PAD + k * (tile + GAP) : 0, top });
    }
  }
  const keys = new Set(wanted.map((w) => w.key));
  for (const [key, card] of cards) {
    if (keys.has(key)) continue;
    cards.delete(key);
    stopHover(card);
    // A spare card stays in the DOM, hidden, ready for the next row (no DOM is built while scrolling).
    card.release();
    spareCards.push(card);
  }
  for (const [day, header] of headers) {
    if (usedHeaders.has(day)) continue;
    headers.delete(day);
    header.hidden = true;
    spareHeaders.push(header);
  }
  for (const { row, top } of visible) {
    if (row.kind !== 'header') continue;
    let header = headers.get(row.day);
    if (!header) {
      header = spareHeaders.pop() ?? list.canvas.appendChild(el('div', { className: 'day', attrs: { 'aria-hidden': 'true', 'data-testid': 'day' } }));
      headers.set(row.day, header);
      header.hidden = false;
    }
    header.textContent = `${dayLabel(row.day, today, strings, locale)} · ${row.count}`;
    header.style.transform = `translateY(${top}px)`;
  }
  for (const { key, index, x, top } of wanted) {
    let card = cards.get(key);
    if (!card) {
      card = spareCards.pop() ?? new TaskCard(strings, handlers);
      cards.set(key, card);
      if (!card.element.isConnected) list.canvas.appendChild(card.element);
      card.element.hidden = false;
    }
    const task = results.at(index);
    // Unchanged cards are left alone: scrolling moves them, it does not redraw them.
    if (task) card.show(task, index, results.total, index === active, (t) => [toTaskModel(t, strings), timeLabel(t.createdAt, locale)]);
    else card.bindPlaceholder(index, results.total);
    card.element.style.transform = `translate(${x}px, ${top}px)`;
    card.element.style.width = mode === 'grid' ? `${tile}px` : '';
  }
  // Until the answer to its own query arrives, the page shows the first page from its HTML and asks for nothing.
  if (last >= 0 && results.seq === seq) {
    for (const page of results.missingPages(first, last)) send({ type: 'page', seq, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
    if (!results.at(active)) for (const page of results.missingPages(active, active)) send({ type: 'page', seq, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
    results.retain(first, last, active);
  }
  ensureTabStop();
  if (!firstCardMarked && results.at(0) && cards.size) {
    firstCardMarked = true;
    // For the measurements (time to first card); harmless elsewhere.
    performance.mark('juxin-sora:first-card');
  }
}
let firstCardMarked = false;

/** Exactly one card is reachable with Tab: the active one, else the first one drawn. */
function ensureTabStop(): void {
  const activeTask = results.at(active);
  const activeCard = activeTask && cards.get(`t:${activeTask.id}`);
  for (const card of cards.values()) card.setActive(card === activeCard);
  if (!activeCard) {
    const firstDrawn = [...cards.values()].filter((c) => c.model).sort((a, b) => Number(a.element.dataset.index) - Number(b.element.dataset.index))[0];
    firstDrawn?.setActive(true);
  }
}

function cardAt(index: number): TaskCard | undefined {
  const task = results.at(index);
  return task && cards.get(`t:${task.id}`);
}

function setActive(index: number, focus: boolean): void {
  active = Math.max(0, Math.min(index, results.total - 1));
  list.pin(active);
  list.scrollToItem(active);
  list.draw();
  if (focus) {
    const card = cardAt(active);
    if (card) card.element.focus({ preventScroll: true });
    // Not loaded yet: the focus follows when the page arrives (see focusPending).
    else pendingFocus = active;
  }
}
let pendingFocus: number | undefined;

// ── Messages ────────────────────────────────────────────────────────────────────────────────────

function setQuery(next: ViewQuery): void {
  query = next;
  save();
  requestResults(0);
}

function setMode(next: ViewMode): void {
  if (next === mode) return;
  const keep = list.firstVisibleItem() ?? 0;
  mode = next;
  save();
  scroller.className = `scroller ${mode}`;
  list.remeasure();
  // At the top, stay at the top (with the day's header); else keep the first card on screen.
  if (keep === 0) scroller.scrollTop = 0;
  else list.scrollToItem(keep, 'start');
}

function requestResults(offset: number): void {
  seq++;
  send({ type: 'query', seq, query, timeZone, offset, limit: PAGE_SIZE });
}

function save(): void {
  vscode.setState({ query, mode } satisfies Persisted);
}

function showState(): void {
  toolbar.setCounts(counts);
  const empty = counts.total === 0;
  onboarding.hidden = !empty || loading;
  toolbar.element.hidden = empty;
  summary.hidden = empty;
  spend.element.hidden = empty;
  if (empty && !loading) onboarding.replaceChildren(emptyState(strings, hasKey, (command) => send({ type: 'command', command })));
  showSummary();
}

function showSummary(): void {
  const filtered = query.text || query.phases.length || query.sources.length;
  summary.textContent = filtered ? fill(strings.resultCountFiltered, results.total, counts.total) : fill(strings.resultCount, results.total);
  noMatches.hidden = counts.total === 0 || results.total > 0 || results.shape.version < 0;
  scroller.hidden = results.total === 0;
}

/** Keeps the first card on screen where it is when tasks are added or removed above it; at the very top, new tasks show. */
function keepPlace(change: () => void, index: number, delta: number): void {
  const anchor = scroller.scrollTop > 0 ? list.firstVisibleItem() : undefined;
  const top = anchor === undefined ? 0 : list.itemTop(anchor);
  change();
  list.setDays(results.shape.days);
  if (anchor !== undefined) list.keepItemAt(anchor >= index ? Math.max(0, anchor + delta) : anchor, top);
  if (active >= index) active = Math.max(0, active + delta);
  list.pin(active);
  list.draw();
  showSummary();
}

window.addEventListener('message', (event: MessageEvent<ToSidebar>) => {
  const message = event.data;
  switch (message?.type) {
    case 'state':
      hasKey = message.hasKey;
      counts = message.counts;
      loading = false;
      showState();
      return;
    case 'results':
      if (message.seq !== seq) return;
      results.reset(message.seq, message.shape, message.offset, message.tasks);
      if (active >= results.total) active = 0;
      list.setDays(message.shape.days);
      list.pin(active);
      showSummary();
      if (query.text || query.phases.length || query.sources.length) announcer.textContent = summary.textContent;
      list.draw();
      return;
    case 'page':
      if (!results.applyPage(message.seq, message.version, message.offset, message.tasks)) return;
      list.draw();
      if (pendingFocus !== undefined && cardAt(pendingFocus)) {
        cardAt(pendingFocus)!.element.focus({ preventScroll: true });
        pendingFocus = undefined;
      }
      return;
    case 'task':
      announce(message.task);
      if (results.applyTask(message.task)) list.draw();
      return;
    case 'inserted':
      if (message.seq !== seq) return;
      announce(message.task);
      keepPlace(() => results.applyInserted(message.seq, message.shape, message.index, message.task), message.index, +1);
      return;
    case 'removed':
      if (message.seq !== seq) return;
      phases.delete(message.id);
      keepPlace(() => results.applyRemoved(message.seq, message.shape, message.index, message.id), message.index, -1);
      return;
    case 'media':
      playHover(message.id, message.src, message.kind);
      return;
    case 'spend':
      showSpend(message.spend);
      return;
  }
});

function showSpend(ledger: SidebarInit['spend']): void {
  const news = spend.show(ledger);
  if (news) announcer.textContent = news;
}

/** Speaks a change of state (queued → generating → ready / failed) of a task that changes live. */
function announce(task: import('./protocol').TaskSnapshot): void {
  const phase = `${task.status}/${task.download.state}`;
  const before = phases.get(task.id);
  phases.set(task.id, phase);
  if (before !== undefined && before !== phase) announcer.textContent = `${toTaskModel(task, strings).statusText}: ${shorten(task.prompt, 60)}`;
}

// ── Pointer and keyboard ────────────────────────────────────────────────────────────────────────

function act(action: TaskAction, id: string): void {
  if (firstClick(`${action}:${id}`)) send({ type: 'action', action, id });
}

function cardOf(node: EventTarget | null): TaskCard | undefined {
  const element = (node as Element | null)?.closest?.('.card');
  if (!element) return undefined;
  const key = element.getAttribute('data-task-id');
  return key ? cards.get(`t:${key}`) : undefined;
}

list.canvas.addEventListener('click', (event) => {
  const button = (event.target as Element).closest?.('button[data-action]');
  const card = cardOf(event.target);
  if (!card?.model) return;
  if (!button) return card.element.focus();
  const action = button.getAttribute('data-action')!;
  if (action === 'more') {
    const r = button.getBoundingClientRect();
    openContextMenu(button as HTMLElement, r.left, r.bottom);
  } else if (action === 'setKey') send({ type: 'command', command: 'setKey' });
  else act(action as TaskAction, card.model.id);
});

list.canvas.addEventListener('dblclick', (event) => {
  const card = cardOf(event.target);
  if (card?.model?.actions.includes('play') && !(event.target as Element).closest('button')) act('play', card.model.id);
});

list.canvas.addEventListener('focusin', (event) => {
  const card = cardOf(event.target);
  if (!card?.model) return;
  const index = Number(card.element.dataset.index);
  if (index !== active) {
    active = index;
    list.pin(active);
    ensureTabStop();
  }
});

const NAVIGATION = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']);

list.canvas.addEventListener('keydown', (event) => {
  const card = cardOf(event.target);
  if (!card?.model) return;
  const onCard = event.target === card.element;
  if ((event.key === 'F10' && event.shiftKey) || event.key === 'ContextMenu') {
    event.preventDefault();
    suppressKeyboardContextMenu();
    const r = (event.target as HTMLElement).getBoundingClientRect();
    openContextMenu(event.target as HTMLElement, r.left + 16, r.top + Math.min(r.height, 24));
    return;
  }
  if (!onCard) return;
  if (NAVIGATION.has(event.key)) {
    event.preventDefault();
    setActive(navigate(list.rowLayout, results.total, active, event.key as NavigationKey, list.rowsPerPage), true);
  } else if (event.key === 'Enter' && card.model.actions.includes('play')) {
    event.preventDefault();
    act('play', card.model.id);
  }
});

// ── Grid: a preview plays while the pointer rests on a card ─────────────────────────────────────

const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
let hovered: TaskCard | undefined;
let hoverTimer: ReturnType<typeof setTimeout> | undefined;

list.canvas.addEventListener('mouseover', (event) => {
  const card = cardOf(event.target);
  if (card === hovered) return;
  if (hovered) stopHover(hovered);
  hovered = card;
  if (!card?.model || mode !== 'grid' || reducedMotion.matches || !card.model.canHoverPlay) return;
  const id = card.model.id;
  hoverTimer = setTimeout(() => send({ type: 'hover', id }), 300);
});
list.canvas.addEventListener('mouseleave', () => hovered && stopHover(hovered));

function playHover(id: string, src: string, kind: 'video' | 'image'): void {
  if (!hovered || hovered.model?.id !== id || mode !== 'grid') return;
  // The relay's animated preview (the video is not saved yet): checked again here, the CSP is the third check.
  if (kind === 'image') {
    if (!isAllowedRemoteUrl(src, settings.apiBaseUrl)) return;
    const preview = el('img', {
      className: 'hover-video',
      attrs: { alt: '', referrerpolicy: 'no-referrer', 'aria-hidden': 'true', 'data-testid': 'hover-preview' },
    });
    preview.addEventListener('error', () => preview.remove(), { once: true });
    preview.src = src;
    hovered.posterElement.appendChild(preview);
    return;
  }
  const video = el('video', {
    className: 'hover-video',
    attrs: { muted: '', loop: '', playsinline: '', autoplay: '', 'aria-hidden': 'true', 'data-testid': 'hover-video' },
  });
  video.muted = true;
  video.src = src;
  hovered.posterElement.appendChild(video);
  void video.play().catch(() => video.remove());
}

function stopHover(card: TaskCard): void {
  clearTimeout(hoverTimer);
  card.posterElement.querySelector('.hover-video')?.remove();
  if (hovered === card) hovered = undefined;
}

// ── Start ───────────────────────────────────────────────────────────────────────────────────────

list.start();
spend.show(init.spend);
showState();
send({ type: 'ready' });
requestResults(0);
// The HTML's first page paints at once if it is this page's query; the answer to the query replaces it.
const first = init.first;
if (first && first.timeZone === timeZone && JSON.stringify(first.query) === JSON.stringify(query)) {
  results.reset(-1, first.shape, 0, first.tasks);
  list.setDays(first.shape.days);
  list.pin(active);
  showSummary();
  list.draw();
}
