import type { PreviewAction, SidebarCommand, TaskAction } from '../../webview/protocol';
import { Commands } from '../commands/ids';

// The pages never run anything themselves: every button is one of the extension's commands, called
// with the task id (the commands confirm what needs confirming, e.g. removing from the history).
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
};

export const PREVIEW_ACTION_COMMANDS: Record<PreviewAction, string> = {
  openFile: Commands.openFile,
  reveal: Commands.revealInOS,
  copyUrl: Commands.copyVideoUrl,
  download: Commands.downloadVideo,
};
