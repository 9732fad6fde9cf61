import * as vscode from 'vscode';
import { taskPhase } from '../core/phase';
import type { TaskRecord } from '../core/types';
import { Commands } from './commands/ids';
import { retryTask } from './commands/taskActions';
import { isChinese } from './messages';
import type { Services } from './services';

/** The status line of a task, in the UI's language. */
export function statusText(task: TaskRecord): string {
  switch (taskPhase(task)) {
    case 'queued':
      return task.queuePosition ? vscode.l10n.t('queued, position {0}', task.queuePosition) : vscode.l10n.t('queued');
    case 'generating':
      return vscode.l10n.t('generating {0}%', Math.round(task.progress));
    case 'failed':
      return vscode.l10n.t('failed: {0}', task.failureReason || vscode.l10n.t('no reason given'));
    case 'ready':
      return vscode.l10n.t('ready');
    case 'notSaved':
      return vscode.l10n.t('ready, but the download failed');
    case 'downloading':
      return vscode.l10n.t('downloading');
  }
}

function shorten(prompt: string): string {
  return prompt.length > 40 ? `${prompt.slice(0, 40)}…` : prompt;
}

function shortPrompt(task: TaskRecord): string {
  return shorten(task.params.prompt);
}

type Progress = vscode.Progress<{ message?: string; increment?: number }>;

/** Follows a task in an open notification until it settles, the user cancels, or it is removed. */
async function follow(services: Services, taskId: string, progress: Progress, token: vscode.CancellationToken) {
  const engine = services.host.engine;
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort());
  let shown = 0;
  const report = (task: TaskRecord) => {
    const value = task.status === 'completed' ? 100 : task.progress;
    progress.report({ message: statusText(task), increment: Math.max(0, value - shown) });
    shown = Math.max(shown, value);
  };
  report(engine.get(taskId)!);
  return engine.waitFor(taskId, { timeoutMs: 3 * 60 * 60 * 1000, signal: abort.signal, onUpdate: report });
}

async function finish(services: Services, result: { task: TaskRecord; aborted?: boolean; removed?: boolean }): Promise<void> {
  if (result.removed) return;
  if (result.aborted) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Stopped watching. The video keeps generating and will appear in the AI Video sidebar.'));
    return;
  }
  await announce(services, result.task);
}

/**
 * A cancellable progress notification for one task. Cancelling stops watching; the paid task goes on
 * and stays in the sidebar.
 */
export async function followWithProgress(services: Services, taskId: string): Promise<void> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `AI Video: ${shortPrompt(services.host.engine.get(taskId)!)}`, cancellable: true },
    (progress, token) => follow(services, taskId, progress, token),
  );
  await finish(services, result);
}

/**
 * One notification from create to finish: it says "creating the task" while Juxin is asked, then
 * follows the task in the same place. Resolves with the task as soon as Juxin has accepted it (or
 * rejects with the create error); the notification goes on by itself. Cancelling never cancels the
 * paid task, only the watching.
 */
export function createAndFollow(services: Services, prompt: string, create: () => Promise<TaskRecord>): Promise<TaskRecord> {
  return new Promise((resolve, reject) => {
    const watching = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `AI Video: ${shorten(prompt)}`, cancellable: true },
      async (progress, token) => {
        progress.report({ message: vscode.l10n.t('creating the task…') });
        let task: TaskRecord;
        try {
          task = await create();
        } catch (error) {
          reject(error);
          return undefined;
        }
        resolve(task);
        return follow(services, task.id, progress, token);
      },
    );
    void watching.then((result) => result && finish(services, result));
  });
}

/** The end of a task: Play / Reveal / Copy URL, or what went wrong and what to do. */
export async function announce(services: Services, task: TaskRecord): Promise<void> {
  if (task.status === 'failed') {
    const retry = vscode.l10n.t('Edit and Retry');
    const hint = isChinese()
      ? '请修改提示词（不要出现真人或受版权保护的角色）后重试。'
      : 'Change the prompt (no real people, no copyrighted characters) and try again.';
    const choice = await vscode.window.showErrorMessage(
      vscode.l10n.t('Video failed: {0}', task.failureReason || vscode.l10n.t('no reason given')) + ` ${hint}`,
      retry,
    );
    // Our own notification: the internal retry, not the public command (which confirms callers' requests).
    if (choice === retry) await retryTask(services, task.id);
    return;
  }
  if (task.download.state !== 'done') {
    const again = vscode.l10n.t('Download Again');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('The video is ready but could not be saved: {0}', task.download.error ?? ''), again);
    if (choice === again) await vscode.commands.executeCommand(Commands.downloadVideo, task.id);
    return;
  }
  const play = vscode.l10n.t('Play');
  const reveal = vscode.l10n.t('Reveal');
  const copy = vscode.l10n.t('Copy URL');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Your video is ready: {0}', shortPrompt(task)), play, reveal, copy);
  if (choice === play) services.openPreview(task.id);
  else if (choice === reveal) await vscode.commands.executeCommand(Commands.revealInOS, task.id);
  else if (choice === copy) await vscode.commands.executeCommand(Commands.copyVideoUrl, task.id);
}
