import * as vscode from 'vscode';
import { describeModel } from '../../catalog';
import type { TaskRecord } from '../../core/types';
import { followWithProgress } from '../progress';
import type { Services } from '../services';
import { askingApproval } from '../spendPrompt';
import { generateVideo } from './generate';

// What the user's own UI does with a task (the Videos view's buttons, our notifications): called
// directly, never through a public command with arguments, so these ask exactly what they always
// asked. The public commands (taskCommands.ts) confirm first whatever they were not asked by the user.

/** The same generation again, with the same parameters (paid: the user clicked Retry on that video). */
export async function retryTask(services: Services, taskId: string): Promise<TaskRecord | undefined> {
  const task = known(services, taskId);
  return task && generateVideo(services, { ...task.params });
}

/** Asks (modal) and removes a task from the history; the video file stays. */
export async function removeTask(services: Services, taskId: string): Promise<string | undefined> {
  const task = known(services, taskId);
  if (!task) return undefined;
  const remove = vscode.l10n.t('Remove');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Remove this video from the history? The downloaded file stays on disk.'),
    { modal: true },
    remove,
  );
  if (choice !== remove) return undefined;
  await services.host.engine.remove(task.id);
  return task.id;
}

/** Only Sora remixes (the engine refuses the rest): said before the user types a change that could not be used. */
export function remixable(task: TaskRecord): boolean {
  return describeModel(task.params.model)?.family === 'sora';
}

/** A remix of a public Sora video; without `prompt` the user types the change. */
export async function remixTask(services: Services, taskId: string, prompt?: string): Promise<string | undefined> {
  const task = known(services, taskId);
  if (!task) return undefined;
  if (!remixable(task)) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('This video was made with {0}: only Sora videos can be remixed. Generate a new video instead.', task.params.model),
    );
    return undefined;
  }
  if (task.params.private) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('This video was generated as private, and Juxin cannot remix private videos. Generate it again with "private" off to remix it.'),
    );
    return undefined;
  }
  const change =
    prompt ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Remix'),
      prompt: vscode.l10n.t('Describe the change, e.g. "make the background purple"'),
      ignoreFocusOut: true,
    }));
  if (!change?.trim()) return undefined;
  const approval = askingApproval();
  let remix: TaskRecord;
  try {
    remix = await services.host.engine.remix(task.id, change.trim(), 'vscode', { approveSpend: approval.approveSpend });
  } catch (error) {
    // Past a daily limit the user was asked: their "no" needs no error message.
    if (approval.answeredNo(error)) return undefined;
    throw error;
  }
  void followWithProgress(services, remix.id);
  return remix.id;
}

function known(services: Services, taskId: string): TaskRecord | undefined {
  const task = services.host.engine.get(taskId);
  if (!task) void vscode.window.showErrorMessage(vscode.l10n.t('No video task with id {0}.', taskId));
  return task;
}
