import * as vscode from 'vscode';
import { SpendLimitError, type SpendCheck } from '../core/spend';
import { Commands } from './commands/ids';
import { isChinese } from './messages';
import { overrunDialog } from './spendWords';

/** The settings the "Change Limits…" buttons open. */
export const SPEND_SETTINGS_QUERY = '@id:juxinSora.dailyVideoLimit,juxinSora.dailySecondsLimit,juxinSora.prices';

/**
 * Asks in a modal before a generation passes a daily limit: "This would be video 21 today, over your
 * limit of 20 (about ¥3.50). Generate anyway?". True lets it through; "Change Limits…" opens the
 * settings and, like Cancel, sends nothing.
 *
 * A batch (a storyboard's "Generate all") asks once for all of it (`engine.approveBatch`: `check.count`
 * is the batch's size).
 */
export async function askToPassLimits(check: SpendCheck): Promise<boolean> {
  const dialog = overrunDialog(check, vscode.l10n, isChinese());
  const choice = await vscode.window.showWarningMessage(dialog.message, { modal: true, detail: dialog.detail }, dialog.generate, dialog.changeLimits);
  if (choice === dialog.changeLimits) void vscode.commands.executeCommand(Commands.openSpendSettings);
  return choice === dialog.generate;
}

/**
 * `approveSpend` for one request from the user's own UI. It remembers that it asked, so the refusal
 * that follows a "no" needs no error message: the user just chose.
 */
export function askingApproval(): { approveSpend: (check: SpendCheck) => Promise<boolean>; answeredNo(error: unknown): boolean } {
  let asked = false;
  return {
    approveSpend: (check) => {
      asked = true;
      return askToPassLimits(check);
    },
    answeredNo: (error) => asked && error instanceof SpendLimitError,
  };
}

/** Opens the settings of the limits and prices. */
export function openSpendSettings(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', SPEND_SETTINGS_QUERY);
}
