import * as vscode from 'vscode';
import type { PreviewAction, SidebarCommand, TaskAction } from '../../webview/protocol';
import { Commands } from '../commands/ids';
import { remixTask, removeTask, retryTask } from '../commands/taskActions';
import type { Services } from '../services';

// The pages never run anything themselves: every button is one of the extension's commands, called
// with the task id, except the paid and destructive ones (retry, remix, remove): those run the
// internal functions (runTaskAction), which ask what they always asked. The public commands treat
// their arguments as somebody else's request and confirm it.
export const TASK_ACTION_COMMANDS: Record<TaskAction, string> = {
  play: Commands.openVideo,
  openFile: Commands.openFile,
  reveal: Commands.revealInOS,
  copyUrl: Commands.copyVideoUrl,
  download: Commands.downloadVideo,
  remix: Commands.remixVideo,
  retry: Commands.retry,
  remove: Commands.removeFromHistory,
};

export const SIDEBAR_COMMANDS: Record<SidebarCommand, string> = {
  setKey: Commands.setApiKey,
  generate: Commands.generate,
  gettingStarted: Commands.openGettingStarted,
  spendSettings: Commands.openSpendSettings,
};

export const PREVIEW_ACTION_COMMANDS: Record<PreviewAction, string> = {
  openFile: Commands.openFile,
  reveal: Commands.revealInOS,
  copyUrl: Commands.copyVideoUrl,
  download: Commands.downloadVideo,
  playExternal: Commands.playInSystemPlayer,
};

/** Runs a task button of our own pages. */
export async function runTaskAction(services: Services, action: TaskAction, id: string): Promise<unknown> {
  // A card can be shown before every file of the history is checked: its action waits until it is.
  await services.host.ready;
  switch (action) {
    case 'retry':
      return retryTask(services, id);
    case 'remix':
      return remixTask(services, id);
    case 'remove':
      return removeTask(services, id);
    default:
      return vscode.commands.executeCommand(TASK_ACTION_COMMANDS[action], id);
  }
}
