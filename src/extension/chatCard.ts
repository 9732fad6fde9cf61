import * as vscode from 'vscode';
import type { CardHooks } from '../mcp/apps';
import { Commands } from './commands/ids';
import { canUseSystemPlayer } from './systemPlayer';

/**
 * What the chat card's buttons do in VS Code: each runs one of the extension's own commands with the
 * task id, as the pages' buttons do. Revealing the file and the system player need the file on the
 * user's own machine, so a remote or browser window (code-server) does not offer them.
 * "Add to Storyboard" makes the video a clip of a storyboard the person picks (or of a new one).
 */
export function chatCardHooks(): CardHooks {
  const run = (command: string) => (taskId: string) => vscode.commands.executeCommand(command, taskId);
  const local = canUseSystemPlayer();
  return {
    showVideo: run(Commands.openVideo),
    copyUrl: run(Commands.copyVideoUrl),
    addToStoryboard: run(Commands.addVideoToStoryboard),
    ...(local ? { reveal: run(Commands.revealInOS), playExternally: run(Commands.playInSystemPlayer) } : {}),
  };
}
