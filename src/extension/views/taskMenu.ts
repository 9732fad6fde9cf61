import * as vscode from 'vscode';
import type { TaskAction } from '../../webview/protocol';
import type { Services } from '../services';
import { TASK_ACTION_COMMANDS } from './actions';
import { TASK_ACTIONS, taskFromMenuContext } from './messages';

/** The context menu (and the "…" menu) of a card: `webview/context` items, one command per action. */
export const taskMenuCommand = (action: TaskAction) => `juxinSora.videos.${action}`;

/**
 * VS Code calls a `webview/context` command with the card's `data-vscode-context` and the view's id.
 * Each one checks that argument, then runs the same command as the card's button.
 */
export function registerTaskMenu(services: Services): vscode.Disposable[] {
  const engine = services.host.engine;
  return TASK_ACTIONS.map((action) =>
    vscode.commands.registerCommand(taskMenuCommand(action), async (context: unknown) => {
      const id = taskFromMenuContext(context, (taskId) => engine.get(taskId) !== undefined);
      if (!id) return services.logger.warn(`ignored ${taskMenuCommand(action)}: not called from a card of the Videos view`);
      return vscode.commands.executeCommand(TASK_ACTION_COMMANDS[action], id);
    }),
  );
}
