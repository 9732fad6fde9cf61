import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { TaskAction } from '../../webview/protocol';
import type { Services } from '../services';
import { runTaskAction } from './actions';
import { TASK_ACTIONS, taskFromMenuContext } from './messages';

/** The context menu (and the "…" menu) of a card: `webview/context` items, one command per action. */
export const taskMenuCommand = (action: TaskAction) => `juxinSora.videos.${action}`;

/**
 * These commands are public like every command, so anyone could call `juxinSora.videos.retry` with a
 * look-alike argument. The Videos view's cards carry this token in their menu context (the page gets it
 * in its settings); no other extension can read it, so a call without it is not from our view.
 */
export const MENU_TOKEN = randomBytes(16).toString('hex');

/**
 * VS Code calls a `webview/context` command with the card's `data-vscode-context` and the view's id.
 * Each one checks that argument (the token included), then does what the card's button does.
 */
export function registerTaskMenu(services: Services): vscode.Disposable[] {
  const engine = services.host.engine;
  return TASK_ACTIONS.map((action) =>
    vscode.commands.registerCommand(taskMenuCommand(action), async (context: unknown) => {
      await services.host.ready;
      const id = taskFromMenuContext(context, (taskId) => engine.get(taskId) !== undefined, MENU_TOKEN);
      if (!id) return services.logger.warn(`ignored ${taskMenuCommand(action)}: not called from a card of the Videos view`);
      return runTaskAction(services, action, id);
    }),
  );
}
