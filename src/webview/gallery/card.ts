import { el } from '../dom';
import { ProgressView } from '../parts/progressView';
import { fill, shorten } from '../model/format';
import { ACTION_ICONS, type TaskModel } from '../model/taskModel';
import type { Strings, TaskAction, TaskSnapshot } from '../protocol';

export interface CardHandlers {
  /** Second check of a thumbnail URL (the extension checked it first; the CSP is the third). */
  mayLoadImage(url: string): boolean;
  /** Put in each card's context-menu context (PageSettings.menuToken). */
  menuToken?: string;
}

let nextId = 0;

/**
 * One card of the list or the grid. The virtual list keeps a few of them and binds each to whichever
 * task scrolls into its place, so scrolling builds no DOM and progress moves in place. Every text is
 * set with textContent; the card carries its task id and actions for the context menu
 * (`data-vscode-context`), which VS Code reads on a right click.
 */
export class TaskCard {
  readonly element: HTMLElement;
  private readonly poster = el('div', { className: 'poster', attrs: { 'aria-hidden': 'true' } });
  private readonly prompt = el('p', { className: 'prompt' });
  private readonly meta = el('p', { className: 'meta' });
  private readonly status = el('span', { className: 'status', attrs: { 'data-testid': 'status' } });
  private readonly actions = el('div', { className: 'actions', attrs: { role: 'toolbar' } });
  private readonly progress = new ProgressView();
  private actionsKey = '';
  private shownThumbnail: string | undefined | null = null;
  model: TaskModel | undefined;

  constructor(
    private readonly strings: Strings,
    private readonly handlers: CardHandlers,
  ) {
    const id = `card-${nextId++}`;
    this.prompt.id = `${id}-prompt`;
    this.status.id = `${id}-status`;
    this.meta.id = `${id}-meta`;
    this.element = el(
      'div',
      {
        className: 'card',
        attrs: {
          role: 'listitem',
          tabindex: '-1',
          'data-testid': 'task',
          'aria-labelledby': this.prompt.id,
          'aria-describedby': `${this.status.id} ${this.meta.id}`,
        },
      },
      this.poster,
      el('div', { className: 'text' }, this.prompt, this.meta, el('div', { className: 'line' }, this.status, this.actions)),
      this.progress.element,
    );
  }

  private shown: { task: TaskSnapshot; index: number; total: number; active: boolean } | undefined;

  /** Shows a task unless it shows it already (same snapshot, place and tab stop): scrolling only moves cards. */
  show(task: TaskSnapshot, index: number, total: number, active: boolean, describe: (task: TaskSnapshot) => [TaskModel, string]): void {
    const s = this.shown;
    if (s && s.task === task && s.index === index && s.total === total && s.active === active) return;
    const [model, time] = describe(task);
    this.bind(model, index, total, time, active);
    this.shown = { task, index, total, active };
  }

  /** Back to the spare pool: hidden, and no longer naming a task. */
  release(): void {
    this.shown = undefined;
    this.element.hidden = true;
    this.element.tabIndex = -1;
    delete this.element.dataset.taskId;
    delete this.element.dataset.index;
  }

  /** Shows a task at `index` of `total`; `active` is the one card the Tab key reaches. */
  bind(model: TaskModel, index: number, total: number, time: string, active: boolean): void {
    this.model = model;
    const e = this.element;
    e.dataset.taskId = model.id;
    e.dataset.index = String(index);
    e.dataset.tone = model.tone;
    e.tabIndex = active ? 0 : -1;
    e.setAttribute('aria-posinset', String(index + 1));
    e.setAttribute('aria-setsize', String(total));
    e.dataset.vscodeContext = JSON.stringify({
      webviewSection: 'task',
      taskId: model.id,
      juxinSoraActions: ` ${model.actions.join(' ')} `,
      menuToken: this.handlers.menuToken,
      preventDefaultContextMenuItems: true,
    });
    e.classList.remove('placeholder-card');
    this.prompt.textContent = model.prompt;
    this.prompt.title = model.prompt;
    // A failure or a tracking problem says what to do where the parameters were; they stay in the tooltip.
    const note = model.problem ?? model.advice;
    this.meta.textContent = note ?? `${model.summary} · ${time}`;
    this.meta.title = [model.failure, model.advice, model.problem, `${model.params} · ${model.source} · ${time}`].filter(Boolean).join('\n');
    this.meta.classList.toggle('note', note !== undefined);
    this.status.textContent = model.failure ? `${model.statusText} · ${model.failure}` : model.statusText;
    this.status.title = this.status.textContent;
    this.status.className = `status tone-${model.tone}`;
    this.updateActions(model, active);
    this.progress.update(model.progress);
    this.updatePoster(model.thumbnail);
  }

  /** A card whose task has not arrived yet: the right height, no content. */
  bindPlaceholder(index: number, total: number): void {
    this.model = undefined;
    this.shown = undefined;
    const e = this.element;
    delete e.dataset.taskId;
    delete e.dataset.vscodeContext;
    e.dataset.index = String(index);
    e.tabIndex = -1;
    e.setAttribute('aria-posinset', String(index + 1));
    e.setAttribute('aria-setsize', String(total));
    e.classList.add('placeholder-card');
    this.prompt.textContent = this.strings.loading;
    this.prompt.removeAttribute('title');
    this.meta.textContent = '';
    this.status.textContent = '';
    this.actions.replaceChildren();
    this.actionsKey = '';
    this.progress.update(undefined);
    this.updatePoster(undefined);
  }

  setActive(active: boolean): void {
    if (this.shown) this.shown.active = active;
    this.element.tabIndex = active ? 0 : -1;
    for (const button of this.actions.querySelectorAll<HTMLElement>('button')) button.tabIndex = active ? 0 : -1;
  }

  /** The poster element (the grid plays a preview over it). */
  get posterElement(): HTMLElement {
    return this.poster;
  }

  private updateActions(model: TaskModel, active: boolean): void {
    const inline: (TaskAction | 'setKey')[] = model.needsKey ? ['setKey', ...model.inline.slice(0, 1)] : model.inline;
    const key = `${inline.join()}|${model.actions.length}|${model.prompt}`;
    if (key !== this.actionsKey) {
      this.actionsKey = key;
      const label = fill(this.strings.actionsFor, shorten(model.prompt, 60));
      this.actions.setAttribute('aria-label', label);
      const focused = this.actions.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.action : undefined;
      this.actions.replaceChildren(
        ...inline.map((action) => this.button(action, this.strings[action])),
        // The "…" button opens the same menu as a right click: every action of the task.
        this.button('more', this.strings.moreActions),
      );
      if (focused) (this.actions.querySelector<HTMLElement>(`[data-action="${focused}"]`) ?? this.actions.querySelector<HTMLElement>('button'))?.focus();
    }
    for (const button of this.actions.querySelectorAll<HTMLElement>('button')) button.tabIndex = active ? 0 : -1;
  }

  private button(action: TaskAction | 'setKey' | 'more', label: string): HTMLButtonElement {
    return el(
      'button',
      {
        className: 'icon-button',
        attrs: { type: 'button', 'aria-label': label, title: label, 'data-action': action, 'data-testid': `action-${action}`, tabindex: '-1' },
      },
      el('span', { className: `codicon codicon-${ACTION_ICONS[action]}`, attrs: { 'aria-hidden': 'true' } }),
    );
  }

  private updatePoster(thumbnail: string | undefined): void {
    const url = thumbnail && this.handlers.mayLoadImage(thumbnail) ? thumbnail : undefined;
    if (url === this.shownThumbnail) return;
    this.shownThumbnail = url;
    if (!url) {
      this.poster.replaceChildren(el('span', { className: 'placeholder' }));
      return;
    }
    const img = el('img', { attrs: { alt: '', decoding: 'async', referrerpolicy: 'no-referrer', 'data-testid': 'thumbnail' } });
    // A broken or refused thumbnail falls back to the neutral placeholder.
    img.addEventListener('error', () => this.shownThumbnail === url && this.poster.replaceChildren(el('span', { className: 'placeholder' })), { once: true });
    img.src = url;
    this.poster.replaceChildren(img);
  }
}
