import '@vscode-elements/elements/dist/vscode-button/index.js';
import { el, setText } from '../dom';
import { fill, shorten } from '../model/format';
import type { TaskModel } from '../model/taskModel';
import { ButtonGroup } from '../parts/buttonGroup';
import { ProgressView } from '../parts/progressView';
import type { Strings, TaskAction } from '../protocol';

export interface TaskItemHandlers {
  action(action: TaskAction, id: string): void;
  setKey(): void;
  /** Second check of a thumbnail URL (the extension checked it first; the CSP is the third). */
  mayLoadImage(url: string): boolean;
}

/**
 * One task in the list. Built once, then patched in place on every update, so progress moves without
 * the item being rebuilt and the keyboard focus stays on the button it was on.
 */
export class TaskItem {
  readonly element: HTMLLIElement;
  private readonly poster = el('div', { className: 'poster', attrs: { 'aria-hidden': 'true' } });
  private readonly prompt = el('p', { className: 'prompt' });
  private readonly params = el('p', { className: 'params' });
  private readonly status = el('p', { className: 'status', attrs: { 'data-testid': 'status' } });
  private readonly progress = new ProgressView();
  private readonly failure = el('p', { className: 'failure', attrs: { 'data-testid': 'failure' } });
  private readonly advice = el('p', { className: 'advice', attrs: { 'data-testid': 'advice' } });
  private readonly problem = el('p', { className: 'problem', attrs: { 'data-testid': 'problem' } });
  private readonly keyButton: HTMLElement;
  private readonly actions: ButtonGroup<TaskAction>;
  // null: nothing shown yet (undefined means "the placeholder").
  private shownThumbnail: string | undefined | null = null;
  private model: TaskModel;

  constructor(
    model: TaskModel,
    private readonly strings: Strings,
    private readonly handlers: TaskItemHandlers,
  ) {
    this.model = model;
    const promptId = `prompt-${Math.random().toString(36).slice(2)}`;
    this.prompt.id = promptId;
    this.keyButton = el('vscode-button', { text: strings.setKey, attrs: { 'data-testid': 'task-set-key' } });
    this.keyButton.addEventListener('click', () => this.handlers.setKey());
    this.actions = new ButtonGroup<TaskAction>((action) => this.handlers.action(action, this.model.id));
    this.element = el(
      'li',
      { className: 'task', attrs: { role: 'listitem', 'data-testid': 'task', 'aria-labelledby': promptId } },
      this.poster,
      el(
        'div',
        { className: 'body' },
        this.prompt,
        this.params,
        this.status,
        this.progress.element,
        this.failure,
        this.advice,
        this.problem,
        this.keyButton,
        this.actions.element,
      ),
    );
    this.update(model);
  }

  update(model: TaskModel): void {
    this.model = model;
    this.element.dataset.taskId = model.id;
    this.element.dataset.tone = model.tone;
    this.prompt.textContent = model.prompt;
    this.prompt.title = model.prompt;
    this.params.textContent = `${model.params} · ${model.source}`;
    this.status.textContent = model.statusText;
    this.status.className = `status tone-${model.tone}`;
    setText(this.failure, model.failure);
    setText(this.advice, model.advice);
    setText(this.problem, model.problem);
    this.keyButton.hidden = !model.needsKey;
    this.progress.update(model.progress);
    this.updatePoster(model.thumbnail);
    this.actions.update(
      fill(this.strings.actionsFor, shorten(model.prompt, 60)),
      model.actions.map((action) => ({ action, label: this.strings[action], primary: action === model.primary })),
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
    const img = el('img', { attrs: { alt: '', loading: 'lazy', referrerpolicy: 'no-referrer', 'data-testid': 'thumbnail' } });
    // A broken or refused thumbnail falls back to the neutral placeholder.
    img.addEventListener('error', () => this.poster.replaceChildren(el('span', { className: 'placeholder' })), { once: true });
    img.src = url;
    this.poster.replaceChildren(img);
  }
}
