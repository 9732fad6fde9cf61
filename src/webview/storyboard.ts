// The storyboard view: the clips of one storyboard as a filmstrip, a player that plays one clip, the
// film, or every clip in order as one film before anything is joined. Browser code only: every text
// and source comes from the extension in data- attributes and messages; text is set with textContent.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { el, readData, setText, vscodeApi } from './dom';
import { createClickGuard } from './model/clickGuard';
import { PlayQueue, toClipCard, toHeader, type ClipCardModel } from './model/filmstrip';
import { fill } from './model/format';
import { ButtonGroup } from './parts/buttonGroup';
import { ProgressView } from './parts/progressView';
import type {
  ClipAction,
  ClipCardData,
  FromStoryboardPage,
  PersistedStoryboard,
  StoryboardAction,
  StoryboardPageState,
  StoryboardStrings,
  ToStoryboardPage,
} from './storyboardProtocol';

const strings = readData<StoryboardStrings>('strings');
const persisted = readData<PersistedStoryboard>('persist');
let state = readData<StoryboardPageState>('state');

const vscode = vscodeApi();
const send = (message: FromStoryboardPage) => vscode.postMessage(message);
vscode.setState(persisted);
const firstClick = createClickGuard(() => Date.now());

// ── Header ───────────────────────────────────────────────────────────────────────────────────────
type HeaderAction = StoryboardAction | 'playAll' | 'playFilm';
const title = el('h1', { className: 'title', attrs: { 'data-testid': 'title' } });
const summary = el('p', { className: 'summary', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'summary' } });
const problems = el('p', { className: 'problems', attrs: { 'data-testid': 'problems' } });
const headerButtons = new ButtonGroup<HeaderAction>((action) => {
  if (!firstClick(action)) return;
  if (action === 'playAll') playAll();
  else if (action === 'playFilm') playFilm();
  else send({ type: 'storyboard', action });
});

// ── Player: two <video>s, the one shown and the next clip loading behind it ──────────────────────
const nowPlaying = el('p', { className: 'now-playing', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'now-playing' } });
let active = video('player');
let standby = video('preload');
standby.hidden = true;
const stage = el('div', { className: 'stage' }, active, standby);
let queue: PlayQueue | undefined;

function video(testId: string): HTMLVideoElement {
  const v = el('video', { attrs: { controls: '', playsinline: '', preload: 'auto', 'data-testid': testId } });
  v.setAttribute('aria-label', strings.player);
  v.addEventListener('ended', () => v === active && onEnded());
  v.addEventListener('error', () => {
    if (v !== active || !v.getAttribute('src')) return;
    nowPlaying.textContent = strings.mediaError;
    send({ type: 'mediaError', clipId: v.dataset.clipId });
  });
  return v;
}

function load(v: HTMLVideoElement, src: string | undefined, clipId?: string, again = false): void {
  if (!src) {
    v.removeAttribute('src');
    delete v.dataset.clipId;
    v.load();
    return;
  }
  if (again || v.getAttribute('src') !== src) {
    v.setAttribute('src', src);
    v.load();
  }
  if (clipId) v.dataset.clipId = clipId;
  else delete v.dataset.clipId;
}

function start(v: HTMLVideoElement): void {
  // Without a click on the page (a command started it) the browser may refuse sound: the controls remain.
  void v.play().catch(() => undefined);
}

function playAll(from?: string): void {
  queue = PlayQueue.from(state, from);
  const current = queue.current;
  if (!current) {
    nowPlaying.textContent = strings.nothingToPlay;
    return;
  }
  load(active, current.src, current.clipId);
  load(standby, queue.upcoming?.src, queue.upcoming?.clipId);
  nowPlaying.textContent = queue.label(strings);
  start(active);
}

/** The next clip is already loaded in the standby player: swap the two and play on. */
function onEnded(): void {
  if (!queue) return;
  const next = queue.next();
  if (!next) {
    queue = undefined;
    return;
  }
  if (standby.getAttribute('src') !== next.src) load(standby, next.src, next.clipId);
  [active, standby] = [standby, active];
  active.hidden = false;
  standby.hidden = true;
  active.setAttribute('data-testid', 'player');
  standby.setAttribute('data-testid', 'preload');
  standby.pause();
  load(standby, queue.upcoming?.src, queue.upcoming?.clipId);
  nowPlaying.textContent = queue.label(strings);
  start(active);
}

function playOne(src: string, clipId: string | undefined, label: string, again = false): void {
  queue = undefined;
  load(active, src, clipId, again);
  load(standby, undefined);
  nowPlaying.textContent = label;
  start(active);
}

function playFilm(): void {
  // Loaded again each time: assembling again replaces the film under the same name.
  if (state.film) playOne(state.film.src, undefined, strings.nowPlayingFilm, true);
}

function playClip(clipId: string): void {
  const clip = state.clips.find((c) => c.id === clipId);
  if (clip?.video) playOne(clip.video, clip.id, `${clip.number}. ${clip.title || fill(strings.clip, clip.number)}`);
}

// ── Filmstrip ────────────────────────────────────────────────────────────────────────────────────
const strip = el('ol', { className: 'filmstrip', attrs: { 'data-testid': 'filmstrip', 'aria-label': strings.clips } });
const empty = el('p', { className: 'empty', attrs: { 'data-testid': 'empty' } });

class ClipCard {
  readonly element: HTMLLIElement;
  private readonly poster = el('div', { className: 'poster', attrs: { 'aria-hidden': 'true' } });
  private readonly heading = el('h2', { className: 'clip-title' });
  private readonly duration = el('span', { className: 'duration' });
  private readonly caption = el('p', { className: 'caption' });
  private readonly status = el('p', { className: 'status', attrs: { 'data-testid': 'clip-status' } });
  private readonly progress = new ProgressView();
  private readonly buttons: ButtonGroup<ClipAction>;
  private posterKey = '';

  constructor(readonly id: string) {
    this.buttons = new ButtonGroup<ClipAction>((action) => {
      if (!firstClick(`${action}:${this.id}`)) return;
      if (action === 'play') playClip(this.id);
      else send({ type: 'clip', action, clipId: this.id });
    });
    this.element = el(
      'li',
      { className: 'clip', attrs: { 'data-clip-id': id, 'data-testid': 'clip' } },
      this.poster,
      el('div', { className: 'clip-head' }, this.heading, this.duration),
      this.caption,
      this.status,
      this.progress.element,
      this.buttons.element,
    );
  }

  update(model: ClipCardModel, number: number): void {
    this.heading.textContent = model.heading;
    this.duration.textContent = model.duration;
    setText(this.caption, model.caption);
    this.status.textContent = model.statusText;
    this.status.className = `status tone-${model.tone}`;
    this.element.dataset.status = model.tone;
    this.progress.update(model.progress && { value: model.progress.value, label: model.statusText });
    this.buttons.update(
      fill(strings.actionsFor, number),
      model.actions.map((action) => ({ action, label: strings[action], primary: action === model.primary })),
    );
    this.updatePoster(model.poster, number);
  }

  private updatePoster(poster: ClipCardModel['poster'], number: number): void {
    const key = poster.kind === 'none' ? `none:${number}` : `${poster.kind}:${poster.src}`;
    if (key === this.posterKey) return;
    this.posterKey = key;
    if (poster.kind === 'video') {
      // A frame one second in: the clip's own picture, without a separate thumbnail file.
      const frame = el('video', { attrs: { muted: '', preload: 'metadata', playsinline: '', tabindex: '-1' } });
      frame.muted = true;
      frame.src = `${poster.src}#t=1`;
      // A file that was still being moved into place, or a folder the page was not yet allowed to read,
      // fails once and would stay blank: it is asked again a few times, a second apart.
      let retries = 0;
      frame.addEventListener('error', () => {
        if (retries++ >= 3 || this.posterKey !== key) return;
        setTimeout(() => {
          if (this.posterKey === key) frame.load();
        }, 1000);
      });
      this.poster.replaceChildren(frame);
    } else if (poster.kind === 'image') {
      this.poster.replaceChildren(el('img', { attrs: { src: poster.src, alt: '' } }));
    } else {
      this.poster.replaceChildren(el('span', { className: 'number', text: String(number) }));
    }
  }
}

const cards = new Map<string, ClipCard>();

function renderClips(clips: readonly ClipCardData[]): void {
  const next: HTMLElement[] = [];
  for (const clip of clips) {
    let card = cards.get(clip.id);
    if (!card) cards.set(clip.id, (card = new ClipCard(clip.id)));
    card.update(toClipCard(clip, strings), clip.number);
    next.push(card.element);
  }
  for (const [id, card] of cards) {
    if (clips.some((c) => c.id === id)) continue;
    cards.delete(id);
    card.element.remove();
  }
  // Only reorder when the order changed: moving a focused button would lose the focus.
  const same = next.length === strip.children.length && next.every((n, i) => strip.children[i] === n);
  if (!same) strip.replaceChildren(...next);
}

function render(next: StoryboardPageState): void {
  state = next;
  const header = toHeader(state, strings);
  title.textContent = header.title;
  summary.textContent = header.summary;
  setText(problems, header.problems);
  setText(empty, header.empty);
  const buttons: { action: HeaderAction; label: string; primary?: boolean }[] = [];
  if (header.generateAll.enabled) buttons.push({ action: 'generateAll', label: header.generateAll.label, primary: true });
  if (header.playAllEnabled) buttons.push({ action: 'playAll', label: strings.playAll });
  if (header.assembleEnabled) buttons.push({ action: 'assemble', label: strings.assemble, primary: !header.generateAll.enabled });
  if (header.film) buttons.push({ action: 'playFilm', label: strings.playFilm }, { action: 'revealFilm', label: strings.revealFilm });
  headerButtons.update(header.title, buttons);
  renderClips(state.clips);
}

document.getElementById('app')!.append(el('header', { className: 'header' }, title, summary, problems, headerButtons.element), stage, nowPlaying, empty, strip);
render(state);

window.addEventListener('message', (event: MessageEvent<ToStoryboardPage>) => {
  const message = event.data;
  if (message?.type === 'state') render(message.state);
  else if (message?.type === 'play') {
    if (message.what === 'all') playAll();
    else if (message.what === 'film') playFilm();
    else playClip(message.what.clipId);
  }
});
send({ type: 'ready' });
