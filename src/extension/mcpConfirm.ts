import path from 'node:path';
import * as vscode from 'vscode';
import { isVsCodeClient } from '../core/origin';
import type { Confirm, ConfirmRequest } from '../mcp/context';
import { isInsideAny } from './paths';

/**
 * The questions asked before files outside the person's workspace are used, in VS Code: reading
 * images from a folder outside the workspace (once per folder and window), for the MCP server's
 * `generate_video` and `generate_storyboard` and for a storyboard's own "Generate" commands alike
 * (a storyboard from a cloned repository may name any folder), and saving a copy outside the
 * workspace and the download folder. Inside those, nothing is asked: that is where the person works.
 * One per window (extension.ts), so a folder allowed once is allowed everywhere in it.
 */
export function createMcpConfirm(downloadFolder: () => string): Confirm {
  const imageFolders = new Set<string>();
  const workspace = () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  return async (request: ConfirmRequest) => {
    const who = request.client && !isVsCodeClient(request.client) ? request.client : 'Copilot';
    if (request.kind === 'readImages') {
      const folder = path.resolve(request.folder);
      if (imageFolders.has(folder) || (await isInsideAny(folder, workspace()))) return true;
      const allow = vscode.l10n.t('Allow');
      const question =
        request.storyboard && !request.client
          ? vscode.l10n.t('The storyboard {0} uploads images from {1} to Juxin to make its clips.', request.storyboard, folder)
          : vscode.l10n.t('{0} wants to upload images from {1} to Juxin to make a video.', who, folder);
      const choice = await vscode.window.showWarningMessage(
        question,
        { modal: true, detail: vscode.l10n.t('This folder is outside your workspace. Allowed, it is not asked about again in this window.') },
        allow,
      );
      if (choice !== allow) return false;
      imageFolders.add(folder);
      return true;
    }
    if (await isInsideAny(request.directory, [...workspace(), downloadFolder()])) return true;
    const save = vscode.l10n.t('Save');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} wants to save a copy of a video into {1}.', who, request.directory),
      {
        modal: true,
        detail: vscode.l10n.t('This folder is outside your workspace and the Sora download folder. Nothing there is replaced: the copy takes a free name.'),
      },
      save,
    );
    return choice === save;
  };
}
