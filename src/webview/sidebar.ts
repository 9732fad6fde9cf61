import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { el, readData, vscodeApi } from './dom';
import type { FromSidebar, SidebarAction, Strings, TaskView, ToSidebar } from './protocol';

const strings = readData<Strings>('strings');
const app = document.getElementById('app')!;
const vscode = vscodeApi();
const tasks = new Map<string, TaskView>();
let hasKey = false;

const send = (message: FromSidebar) => vscode.postMessage(message);

function button(label: string, onClick: () => void, secondary = true, testId?: string): HTMLElement {
  const b = el('vscode-button', { text: label, attrs: { ...(secondary ? { secondary: '' } : {}), ...(testId ? { 'data-testid': testId } : {}) } });
  b.addEventListener('click', onClick);
  return b;
}

function actions(task: TaskView): HTMLElement {
  const bar = el('div', { className: 'actions', attrs: { role: 'group', 'aria-label': task.prompt.slice(0, 60) } });
  const add = (action: SidebarAction, show: boolean, primary = false) => {
    if (show) bar.appendChild(button(strings[action], () => send({ type: 'action', action, id: task.id }), !primary, `action-${action}`));
  };
  add('play', task.downloaded || task.hasUrl, true);
  add('openFile', task.downloaded);
  add('copyUrl', task.hasUrl);
  add('download', task.status === 'completed' && !task.downloaded);
  add('remix', task.canRemix);
  add('retry', task.status === 'failed' || task.status === 'completed');
  add('remove', true);
  return bar;
}

function item(task: TaskView): HTMLElement {
  const running = task.status === 'queued' || task.status === 'processing' || (task.status === 'completed' && !task.downloaded && !task.failureReason);
  const poster = task.thumbnail ? el('img', { className: 'poster', attrs: { src: task.thumbnail, alt: '' } }) : el('div', { className: `poster placeholder ${task.status}`, attrs: { 'aria-hidden': 'true' } });
  const status = el('div', { className: `status ${task.status}`, text: task.statusText, attrs: { 'aria-live': 'polite', 'data-testid': 'status' } });
  const progress = running
    ? el('vscode-progress-bar', {
        // Queued: no percentage to show yet, so the bar moves without one.
        attrs: { ...(task.status === 'queued' ? { indeterminate: '' } : { value: String(task.progress) }), max: '100', 'aria-label': `${strings.progress} ${task.progress}%`, 'data-testid': 'progress' },
      })
    : undefined;
  const failure = task.failureReason ? el('div', { className: 'failure', text: task.failureReason }) : undefined;
  const hint = task.hint ? el('div', { className: 'hint', text: task.hint }) : undefined;
  return el(
    'li',
    { className: 'task', attrs: { 'data-task-id': task.id, tabindex: '-1' } },
    poster,
    el(
      'div',
      { className: 'body' },
      el('div', { className: 'prompt', text: task.prompt, attrs: { title: task.prompt } }),
      el('div', { className: 'params', text: `${task.params} · ${task.source}` }),
      status,
      progress,
      failure,
      hint,
      actions(task),
    ),
  );
}

function emptyState(): HTMLElement {
  return el(
    'section',
    { className: 'empty', attrs: { 'data-testid': 'empty' } },
    el('h2', { text: strings.emptyTitle }),
    el('p', { text: hasKey ? strings.stepKeyDone : strings.stepKey }),
    hasKey ? undefined : button(strings.setKey, () => send({ type: 'command', command: 'setKey' }), false, 'empty-set-key'),
    el('p', { text: strings.stepGenerate }),
    button(strings.generate, () => send({ type: 'command', command: 'generate' }), !hasKey ? true : false, 'empty-generate'),
    el('p', { className: 'hint', text: strings.copilotHint }),
    button(strings.gettingStarted, () => send({ type: 'command', command: 'gettingStarted' }), true),
  );
}

function render(): void {
  const focused = (document.activeElement as HTMLElement | null)?.closest?.('[data-task-id]')?.getAttribute('data-task-id');
  app.replaceChildren();
  if (!tasks.size) {
    app.appendChild(emptyState());
    return;
  }
  const list = el('ul', { className: 'tasks', attrs: { role: 'list', 'aria-label': strings.videos, 'data-testid': 'task-list' } });
  for (const task of [...tasks.values()]) list.appendChild(item(task));
  app.appendChild(list);
  if (focused) (list.querySelector(`[data-task-id="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus();
}

window.addEventListener('message', (event: MessageEvent<ToSidebar>) => {
  const message = event.data;
  switch (message.type) {
    case 'tasks':
      tasks.clear();
      hasKey = message.hasKey;
      for (const t of message.tasks) tasks.set(t.id, t);
      break;
    case 'task': {
      // New tasks go first (the list is newest first).
      if (!tasks.has(message.task.id)) {
        const rest = [...tasks.entries()];
        tasks.clear();
        tasks.set(message.task.id, message.task);
        for (const [k, v] of rest) tasks.set(k, v);
      } else tasks.set(message.task.id, message.task);
      break;
    }
    case 'removed':
      tasks.delete(message.id);
      break;
  }
  render();
});

render();
send({ type: 'ready' });
