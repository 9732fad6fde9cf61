import * as vscode from 'vscode';
import { checkKeyShape } from '../apiKey';
import type { Services } from '../services';
import { parseArg, removeKeyArg, setKeyArg } from './args';
import { refuseArgument } from './confirm';
import { Commands, WALKTHROUGH_ID } from './ids';

export function registerKeyCommands(services: Services): vscode.Disposable[] {
  return [
    // A key may be passed as an argument (the walkthrough and tests); it must look like a key.
    vscode.commands.registerCommand(Commands.setApiKey, async (arg?: unknown) => {
      const parsed = parseArg(setKeyArg, arg);
      if (!parsed.ok) return refuseArgument(Commands.setApiKey, parsed.problem);
      if (typeof arg === 'string') {
        const problem = checkKeyShape(arg);
        if (problem) throw new Error(problem);
        await services.keys.set(arg);
        return true;
      }
      const key = await services.keys.prompt();
      if (key) void vscode.window.showInformationMessage(vscode.l10n.t("Juxin API key saved in VS Code's secret storage."));
      return key !== undefined;
    }),
    // Always asks: `{ confirm: false }` from a caller is read past, never obeyed.
    vscode.commands.registerCommand(Commands.removeApiKey, async (arg?: unknown) => {
      const parsed = parseArg(removeKeyArg, arg);
      if (!parsed.ok) return refuseArgument(Commands.removeApiKey, parsed.problem);
      if (!(await services.keys.get())) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No Juxin API key is stored.'));
        return false;
      }
      const remove = vscode.l10n.t('Remove Key');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Remove the Juxin API key from this machine? Running videos stop being tracked until you set a key again.'),
        { modal: true },
        remove,
      );
      if (choice !== remove) return false;
      await services.keys.delete();
      return true;
    }),
    vscode.commands.registerCommand(Commands.openGettingStarted, () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
    ),
  ];
}

const IMPORTED = 'juxinSora.envKeyOffered';

/** Offers once to import JUXIN_API_KEY from the environment (the standalone server's setting). */
export async function offerEnvironmentKey(services: Services): Promise<void> {
  const fromEnv = process.env.JUXIN_API_KEY?.trim();
  if (!fromEnv || checkKeyShape(fromEnv) || (await services.keys.get()) || services.context.globalState.get(IMPORTED)) return;
  await services.context.globalState.update(IMPORTED, true);
  const use = vscode.l10n.t('Import');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t("JUXIN_API_KEY is set in your environment. Store it in VS Code's secret storage for the Sora extension?"),
    use,
    vscode.l10n.t('Not Now'),
  );
  if (choice === use) await services.keys.set(fromEnv);
}
