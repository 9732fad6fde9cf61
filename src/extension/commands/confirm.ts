import * as vscode from 'vscode';
import { shapeLine, videoShape } from '../../catalog';
import type { GenerationParams } from '../../juxin/types';
import { isHttpUrl } from '../../juxin/images';

const short = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * The question before a paid generation that someone other than the user asked for: another
 * extension, or a `command:` link (a markdown preview, a hover, a chat answer). It names what will
 * happen and what it costs; only the modal's button goes ahead.
 */
export async function confirmPaidGeneration(params: GenerationParams, remixOf?: { prompt: string }): Promise<boolean> {
  const go = vscode.l10n.t('Generate (paid)');
  const files = params.images.filter((image) => !isHttpUrl(image));
  const lines = [
    vscode.l10n.t('Another extension or a link asked for this, not you in the Videos view or the palette.'),
    vscode.l10n.t(
      '1 video: {0}.',
      shapeLine(videoShape(params), (n) => vscode.l10n.t('{0} s', n)),
    ),
    remixOf
      ? vscode.l10n.t('Remix of "{0}": "{1}"', short(remixOf.prompt), short(params.prompt, 200))
      : vscode.l10n.t('Prompt: "{0}"', short(params.prompt, 200)),
  ];
  if (files.length) lines.push(vscode.l10n.t('It uploads {0} local image(s): {1}', files.length, files.join(', ')));
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Start a paid video generation?'), { modal: true, detail: lines.join('\n') }, go);
  return choice === go;
}

/** A command called with an argument it cannot use: say which and do nothing. */
export function refuseArgument(command: string, problem: string): undefined {
  void vscode.window.showErrorMessage(vscode.l10n.t('{0} was called with an argument it does not accept ({1}); nothing was done.', command, problem));
  return undefined;
}
