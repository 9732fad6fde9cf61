import '@vscode-elements/elements/dist/vscode-button/index.js';
import { el, readData, vscodeApi } from './dom';
import type { FromPreview, PreviewAction, Strings, TaskView, ToPreview } from './protocol';

const strings = readData<Strings>('strings');
let task = readData<TaskView>('task');
const initialSrc = readData<string | null>('src');
const local = readData<boolean>('local');
const vscode = vscodeApi();
const app = document.getElementById('app')!;
const send = (message: FromPreview) => vscode.postMessage(message);

// Survive a window reload: the serializer gets the task id back.
vscode.setState({ taskId: task.id });

const player = el('video', { attrs: { id: 'player', controls: '', preload: 'metadata', 'aria-label': task.prompt.slice(0, 100) } });
if (initialSrc) player.src = initialSrc;
player.addEventListener('error', () => {
  notice.textContent = strings.mediaError;
  send({ type: 'mediaError', id: task.id });
});

const notice = el('p', { className: 'notice', attrs: { 'aria-live': 'polite', 'data-testid': 'notice' } });
const prompt = el('p', { className: 'prompt' });
const params = el('p', { className: 'params' });
const status = el('p', { className: 'status', attrs: { 'aria-live': 'polite' } });
const bar = el('div', { className: 'actions' });

function action(label: string, name: PreviewAction): HTMLElement {
  const b = el('vscode-button', { text: label, attrs: { secondary: '', 'data-testid': `preview-${name}` } });
  b.addEventListener('click', () => send({ type: 'action', action: name, id: task.id }));
  return b;
}

function render(): void {
  prompt.textContent = task.prompt;
  params.textContent = task.params;
  status.textContent = task.statusText;
  if (!initialSrc) notice.textContent = strings.noVideo;
  else if (!local) notice.textContent = strings.notDownloaded;
  else notice.textContent = '';
  bar.replaceChildren(
    ...(task.downloaded ? [action(strings.openFile, 'openFile'), action(strings.reveal, 'reveal')] : []),
    ...(task.hasUrl ? [action(strings.copyUrl, 'copyUrl')] : []),
    ...(task.status === 'completed' && !task.downloaded ? [action(strings.download, 'download')] : []),
  );
}

app.append(initialSrc ? player : el('div', { className: 'placeholder', attrs: { 'aria-hidden': 'true' } }), notice, prompt, params, status, bar);
render();

window.addEventListener('message', (event: MessageEvent<ToPreview>) => {
  if (event.data.type !== 'update') return;
  task = event.data.task;
  render();
});
send({ type: 'ready' });
