// The player card: an MCP App that chat hosts (VS Code, and others that speak MCP Apps) show inline
// for generate_video, wait_for_video and get_video_status. Browser code only. Everything from a
// prompt or the API is rendered with textContent; the page's own CSP allows only its hashed script.
import './card/jitless';
import { App, applyDocumentTheme, applyHostStyleVariables, type McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { toCardView, type CallArguments, type CardButton, type CardView } from './card/cardModel';
import { CardFollower } from './card/follow';
import { CardPlayer } from './card/player';
import { CARD_ACTION_TOOL, type CardActionResult, type CardState } from './card/protocol';
import { cardStrings, langOf, type CardStrings, type Lang } from './card/strings';
import { browserPlaysAudio, el, setText } from './dom';
import { createClickGuard } from './model/clickGuard';
import { fill, shorten } from './model/format';

const app = new App({ name: 'Juxin Sora player card', version: '1.0.0' }, {}, { autoResize: true });
let lang: Lang = langOf(navigator.language);
let s: CardStrings = cardStrings(lang);
let call: CallArguments = {};
let state: CardState | undefined;
let loadFailed = false;
let noAnswer = false;
const firstClick = createClickGuard(() => Date.now());

const player = new CardPlayer(
  async (uri) => {
    const result = await app.readServerResource({ uri });
    const content = result.contents[0];
    if (!content || !('blob' in content)) throw new Error('no video bytes');
    return content.blob;
  },
  () => {
    loadFailed = true;
    render();
  },
);
const notice = el('p', { className: 'notice', attrs: { role: 'status', 'data-testid': 'notice' } });
const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'status' } });
const bar = el('div', { className: 'bar', attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'data-testid': 'progress' } });
const fillEl = bar.appendChild(el('div', { className: 'fill' }));
const prompt = el('p', { className: 'prompt', attrs: { 'data-testid': 'prompt' } });
const params = el('p', { className: 'params', attrs: { 'data-testid': 'params' } });
const failure = el('p', { className: 'failure', attrs: { 'data-testid': 'failure' } });
const advice = el('p', { className: 'advice', attrs: { 'data-testid': 'advice' } });
const problem = el('p', { className: 'problem' });
const actions = el('div', { className: 'actions', attrs: { role: 'group', 'data-testid': 'actions' } });
const feedback = el('p', { className: 'feedback', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'feedback' } });
const remixInput = el('input', { attrs: { type: 'text', maxlength: '2000', 'data-testid': 'remix-input' } });
const remixCost = el('p', { className: 'cost' });
const remixGo = el('button', { className: 'primary', attrs: { type: 'submit', 'data-testid': 'remix-confirm' } });
const remixCancel = el('button', { attrs: { type: 'button', 'data-testid': 'remix-cancel' } });
const remixForm = el(
  'form',
  { className: 'remix', attrs: { 'data-testid': 'remix-form' } },
  remixInput,
  remixCost,
  el('div', { className: 'actions' }, remixGo, remixCancel),
);
remixForm.hidden = true;
const card = el(
  'article',
  { className: 'card', attrs: { 'data-testid': 'sora-card' } },
  player.element,
  notice,
  el('div', { className: 'head' }, status, bar),
  prompt,
  params,
  failure,
  advice,
  problem,
  actions,
  remixForm,
  feedback,
);
document.getElementById('card')!.append(card);

const follower = new CardFollower({
  callTool: (name, args) => callTool(name, args),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  onState: (next) => {
    if (next.task?.id !== state?.task?.id) loadFailed = false;
    state = next;
    render();
  },
  onNoAnswer: () => {
    noAnswer = true;
    render();
  },
  get lang() {
    return lang;
  },
});

/** A server tool through the host: its structured content, or an Error with the tool's own message. */
async function callTool(name: string, args: Record<string, unknown>): Promise<unknown> {
  const result = await app.callServerTool({ name, arguments: args });
  if (result.isError) throw new Error(textOf(result));
  return result.structuredContent;
}

function textOf(result: CallToolResult): string {
  return result.content
    .map((c) => (c.type === 'text' ? c.text : ''))
    .join('\n')
    .trim();
}

let buttonsKey = '';
function render(): void {
  const view: CardView = toCardView(state, call, s, browserPlaysAudio);
  const task = state?.task;
  card.setAttribute('aria-label', `${s.card}: ${shorten(view.prompt, 80)}`);
  card.className = `card tone-${view.tone}`;
  player.update(state?.media, task?.thumbnail, `${s.player}: ${shorten(view.prompt, 80)}`, task?.params.orientation === 'portrait');
  setText(notice, loadFailed ? s.loadFailed : noAnswer && !task ? s.noAnswer : view.notice);
  status.textContent = view.statusText;
  bar.hidden = !view.progress;
  if (view.progress) {
    bar.setAttribute('aria-label', view.progress.label);
    bar.classList.toggle('indeterminate', view.progress.value === undefined);
    if (view.progress.value === undefined) bar.removeAttribute('aria-valuenow');
    else bar.setAttribute('aria-valuenow', String(view.progress.value));
    fillEl.style.width = view.progress.value === undefined ? '' : `${view.progress.value}%`;
  }
  prompt.textContent = view.prompt;
  setText(params, view.params);
  setText(failure, view.failure);
  setText(advice, view.advice);
  setText(problem, view.problem);
  renderButtons(view);
  remixInput.placeholder = s.remixPlaceholder;
  remixInput.setAttribute('aria-label', s.remixPlaceholder);
  remixCost.textContent = s.remixCost;
  remixGo.textContent = s.remixConfirm;
  remixCancel.textContent = s.cancel;
  if (!state?.canRemix) remixForm.hidden = true;
}

/** Rebuilt only when the set of buttons changes; the focus stays on the same action. */
function renderButtons(view: CardView): void {
  actions.setAttribute('aria-label', fill(s.actionsFor, shorten(view.prompt, 60)));
  const key = view.buttons.map((b) => `${b.action}:${b.label}:${b.primary}`).join('|');
  if (key === buttonsKey) return;
  buttonsKey = key;
  const focused = document.activeElement?.getAttribute('data-action');
  actions.replaceChildren(
    ...view.buttons.map((b) =>
      el('button', {
        text: b.label,
        className: b.primary ? 'primary' : '',
        attrs: { type: 'button', 'data-action': b.action, 'data-testid': `action-${b.action}` },
      }),
    ),
  );
  if (focused) actions.querySelector<HTMLElement>(`[data-action="${CSS.escape(focused)}"]`)?.focus();
}

actions.addEventListener('click', (event) => {
  const button = (event.target as Element | null)?.closest?.('[data-action]');
  const id = state?.task?.id;
  if (!button || !id) return;
  const action = button.getAttribute('data-action') as CardButton;
  if (!firstClick(`${action}:${id}`)) return;
  if (action === 'remix') {
    remixForm.hidden = false;
    remixInput.focus();
    return;
  }
  void runAction(id, action);
});

async function runAction(taskId: string, action: Exclude<CardButton, 'remix'>): Promise<void> {
  try {
    const result = (await callTool(CARD_ACTION_TOOL, { task_id: taskId, action })) as CardActionResult;
    // Outside VS Code the server hands the URL over and the card copies it itself.
    if (action === 'copyUrl' && result.url) await navigator.clipboard.writeText(result.url);
    if (action === 'copyUrl') feedback.textContent = s.copied;
    follower.refresh();
  } catch (error) {
    feedback.textContent = fill(s.actionFailed, error instanceof Error ? error.message : String(error));
  }
}

remixForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const id = state?.task?.id;
  const change = remixInput.value.trim();
  if (!id || !change || !firstClick(`remix-confirm:${id}`)) return;
  remixGo.disabled = true;
  callTool('remix_video', { task_id: id, prompt: change })
    .then((output) => {
      const next = (output as { task_id?: string } | undefined)?.task_id;
      if (!next) throw new Error('no task id');
      remixForm.hidden = true;
      remixInput.value = '';
      feedback.textContent = s.remixFollowing;
      call = { prompt: change };
      follower.followTask(next);
    })
    .catch((error: unknown) => (feedback.textContent = fill(s.actionFailed, error instanceof Error ? error.message : String(error))))
    .finally(() => (remixGo.disabled = false));
});
remixCancel.addEventListener('click', () => {
  remixForm.hidden = true;
});

function applyHostContext(context: McpUiHostContext | undefined): void {
  if (!context) return;
  if (context.theme) applyDocumentTheme(context.theme);
  if (context.styles?.variables) applyHostStyleVariables(context.styles.variables);
  if (context.locale) {
    lang = langOf(context.locale);
    s = cardStrings(lang);
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    buttonsKey = '';
    render();
  }
}

// Handlers first: the host sends the call's arguments right after the handshake.
app.ontoolinput = ({ arguments: args }) => {
  call = (args ?? {}) as CallArguments;
  render();
  if (typeof call.task_id === 'string') follower.followTask(call.task_id);
  else if (typeof call.prompt === 'string') follower.followCall(call.prompt);
};
app.ontoolresult = (result) => {
  const taskId = (result.structuredContent as { task_id?: unknown } | undefined)?.task_id;
  if (typeof taskId === 'string') return follower.followTask(taskId);
  // A call that failed before any task existed: its message is the whole story.
  if (result.isError && !state?.task) {
    follower.stop();
    state = { startError: textOf(result), actions: [], canRemix: false };
    render();
  }
};
app.onhostcontextchanged = (context) => applyHostContext(context);
app.onteardown = async () => {
  follower.stop();
  return {};
};

render();
app
  .connect()
  .then(() => applyHostContext(app.getHostContext()))
  .catch(() => undefined);
