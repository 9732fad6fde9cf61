import * as vscode from 'vscode';

/**
 * The system's player can open the saved file only when the file is on the user's own machine: a local
 * desktop window. A remote window's file is on another machine, and a browser (code-server, vscode.dev)
 * has no system player to hand it to; those browsers play AAC themselves anyway.
 */
export function canUseSystemPlayer(): boolean {
  return vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined;
}
