// The "Videos" view. Browser code only: it talks to the extension through postMessage and renders
// every string from a prompt or the API with textContent.
import { el, readData, vscodeApi } from './dom';
import { createClickGuard } from './model/clickGuard';
import { shorten } from './model/format';
import { removeTask, upsertTask } from './model/taskList';
import { toTaskModel } from './model/taskModel';
import { isAllowedRemoteUrl } from './model/urls';
import type { FromSidebar, PageSettings, SidebarState, Strings, TaskAction, TaskSnapshot, ToSidebar } from './protocol';
import { emptyState } from './sidebar/emptyState';
import { TaskItem } from './sidebar/taskItem';

const strings = readData<Strings>('strings');
const settings = readData<PageSettings>('settings');
let state: SidebarState = readData<SidebarState>('state') ?? { tasks: [], hasKey: false };

const vscode = vscodeApi();
const send = (message: FromSidebar) => vscode.postMessage(message);
const firstClick = createClickGuard(() => Date.now());
const handlers = {
  action: (action: TaskAction, id: string) => {
    if (firstClick(`${action}:${id}`)) send({ type: 'action', action, id });
  },
  setKey: () => send({ type: 'command', command: 'setKey' }),
  mayLoadImage: (url: string) => isAllowedRemoteUrl(url, settings.apiBaseUrl),
};

const app = document.getElementById('app')!;
const list = el('ul', { className: 'tasks', attrs: { role: 'list', 'aria-label': strings.videos, 'data-testid': 'task-list' } });
// One polite live region for the whole list: it speaks when a task changes state (queued → generating →
// ready / failed), not at every percent.
const announcer = el('div', { className: 'visually-hidden', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'announcer' } });
const items = new Map<string, TaskItem>();
const phases = new Map<string, string>();
let emptyShownFor: boolean | undefined;

function render(): void {
  if (!state.tasks.length) {
    items.clear();
    if (emptyShownFor !== state.hasKey) {
      emptyShownFor = state.hasKey;
      app.replaceChildren(
        emptyState(strings, state.hasKey, (command) => send({ type: 'command', command })),
        announcer,
      );
    }
    return;
  }
  if (emptyShownFor !== undefined || list.parentElement !== app) {
    emptyShownFor = undefined;
    app.replaceChildren(list, announcer);
  }
  const ids = new Set(state.tasks.map((t) => t.id));
  for (const [id, item] of items) {
    if (ids.has(id)) continue;
    item.element.remove();
    items.delete(id);
  }
  state.tasks.forEach((task, index) => {
    const model = toTaskModel(task, strings);
    let item = items.get(task.id);
    if (item) item.update(model);
    else items.set(task.id, (item = new TaskItem(model, strings, handlers)));
    // Only out-of-place items move: moving a node would take the keyboard focus out of it.
    if (list.children[index] !== item.element) list.insertBefore(item.element, list.children[index] ?? null);
  });
  announceChanges(state.tasks);
}

function announceChanges(tasks: TaskSnapshot[]): void {
  let latest: string | undefined;
  for (const task of tasks) {
    const phase = `${task.status}/${task.download.state}`;
    const before = phases.get(task.id);
    phases.set(task.id, phase);
    if (before !== undefined && before !== phase) latest = `${toTaskModel(task, strings).statusText}: ${shorten(task.prompt, 60)}`;
  }
  if (latest) announcer.textContent = latest;
}

window.addEventListener('message', (event: MessageEvent<ToSidebar>) => {
  const message = event.data;
  switch (message?.type) {
    case 'tasks':
      state = { tasks: message.tasks, hasKey: message.hasKey };
      break;
    case 'task':
      state = { ...state, tasks: upsertTask(state.tasks, message.task) };
      break;
    case 'removed':
      state = { ...state, tasks: removeTask(state.tasks, message.id) };
      phases.delete(message.id);
      break;
    default:
      return;
  }
  render();
});

render();
send({ type: 'ready' });
