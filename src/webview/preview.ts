// The preview of one task. Browser code only: the video source and every text come from the
// extension in data- attributes and messages; text is rendered with textContent.
import { browserPlaysAudio, el, readData, setText, vscodeApi } from './dom';
import { createClickGuard } from './model/clickGuard';
import { shorten } from './model/format';
import { previewActions, toTaskModel } from './model/taskModel';
import { isAllowedRemoteUrl } from './model/urls';
import { ButtonGroup } from './parts/buttonGroup';
import { ProgressView } from './parts/progressView';
import type { FromPreview, PageSettings, PersistedPreview, PreviewAction, PreviewMedia, PreviewState, Strings, TaskSnapshot, ToPreview } from './protocol';

const strings = readData<Strings>('strings');
const settings = readData<PageSettings>('settings');
const initial = readData<PreviewState>('state');
let task = initial.task;

const vscode = vscodeApi();
const send = (message: FromPreview) => vscode.postMessage(message);
// Only the task id survives a reload; the extension rebuilds the rest from its history.
vscode.setState({ taskId: task.id } satisfies PersistedPreview);

/** A local file comes as a webview URI the extension made; a remote URL is checked again here. */
function playable(media: PreviewMedia | undefined): string | undefined {
  if (!media) return undefined;
  return media.local || isAllowedRemoteUrl(media.src, settings.apiBaseUrl) ? media.src : undefined;
}

const src = playable(initial.media);
// Sora videos carry AAC, which desktop VS Code's webviews cannot play: say so only where that is true.
const silentHere = Boolean(src && initial.audio && !browserPlaysAudio(initial.audio.codecString ?? 'mp4a.40.2'));
const notice = el('p', { className: 'notice', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'notice' } });
const prompt = el('h1', { className: 'prompt', attrs: { 'data-testid': 'prompt' } });
const params = el('p', { className: 'params' });
const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'status' } });
const progress = new ProgressView();
const failure = el('p', { className: 'failure', attrs: { 'data-testid': 'failure' } });
const advice = el('p', { className: 'advice' });
const sound = el('p', { className: 'notice', attrs: { 'data-testid': 'sound' } });
const firstClick = createClickGuard(() => Date.now());
const actions = new ButtonGroup<PreviewAction>((action) => firstClick(action) && send({ type: 'action', action, id: task.id }));

function player(url: string): HTMLVideoElement {
  const video = el('video', { attrs: { id: 'player', controls: '', preload: 'metadata', playsinline: '', 'data-testid': 'player' } });
  video.setAttribute('aria-label', `${strings.player}: ${shorten(task.prompt, 80)}`);
  if (task.thumbnail && isAllowedRemoteUrl(task.thumbnail, settings.apiBaseUrl)) video.poster = task.thumbnail;
  video.addEventListener('error', () => {
    notice.textContent = strings.mediaError;
    send({ type: 'mediaError', id: task.id });
  });
  video.src = url;
  return video;
}

function render(next: TaskSnapshot): void {
  task = next;
  const model = toTaskModel(task, strings);
  prompt.textContent = task.prompt;
  params.textContent = `${model.params} · ${model.source}`;
  status.textContent = model.statusText;
  status.className = `status tone-${model.tone}`;
  progress.update(model.progress);
  setText(failure, model.failure);
  setText(advice, model.advice);
  if (!src) notice.textContent = strings.noVideo;
  else if (!initial.media?.local) notice.textContent = strings.notDownloaded;
  setText(sound, silentHere ? strings.aacNote : undefined);
  const offered: PreviewAction[] = [
    ...previewActions(task),
    ...(silentHere && initial.systemPlayer && task.download.state === 'done' ? ['playExternal' as const] : []),
  ];
  actions.update(
    shorten(task.prompt, 60),
    offered.map((action) => ({ action, label: strings[action], primary: action === (silentHere && initial.systemPlayer ? 'playExternal' : 'openFile') })),
  );
}

document
  .getElementById('app')!
  .append(
    src ? player(src) : el('div', { className: 'placeholder', attrs: { 'aria-hidden': 'true', 'data-testid': 'placeholder' } }),
    notice,
    sound,
    prompt,
    params,
    status,
    progress.element,
    failure,
    advice,
    actions.element,
  );
render(task);

window.addEventListener('message', (event: MessageEvent<ToPreview>) => {
  if (event.data?.type === 'task' && event.data.task.id === task.id) render(event.data.task);
});
send({ type: 'ready' });
