import * as vscode from 'vscode';

/** Thrown when the person presses the back button: the flow goes one step back. */
export class Back extends Error {}

export interface Step {
  title: string;
  step: number;
  totalSteps: number;
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

/** One quick pick step with a back button (except on the first step). Resolves undefined on cancel. */
export function pickOne<T>(step: Step, placeholder: string, items: PickItem<T>[], active?: T): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const pick = vscode.window.createQuickPick<PickItem<T>>();
    Object.assign(pick, { title: step.title, step: step.step, totalSteps: step.totalSteps, placeholder, items, ignoreFocusOut: true });
    pick.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    const current = items.find((i) => i.value === active);
    if (current) pick.activeItems = [current];
    runStep(pick, () => pick.selectedItems[0]?.value, resolve, reject);
  });
}

/** One input box step with validation and a back button. Resolves undefined on cancel. */
export function inputText(
  step: Step,
  options: { prompt: string; value?: string; placeholder?: string; validate?: (v: string) => string | undefined },
): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const box = vscode.window.createInputBox();
    Object.assign(box, {
      title: step.title,
      step: step.step,
      totalSteps: step.totalSteps,
      prompt: options.prompt,
      value: options.value ?? '',
      placeholder: options.placeholder,
      ignoreFocusOut: true,
    });
    box.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    let done = false;
    box.onDidChangeValue((v) => (box.validationMessage = options.validate?.(v)));
    box.onDidTriggerButton(() => {
      done = true;
      box.hide();
      reject(new Back());
    });
    box.onDidAccept(() => {
      const problem = options.validate?.(box.value);
      if (problem) {
        box.validationMessage = problem;
        return;
      }
      done = true;
      box.hide();
      resolve(box.value);
    });
    box.onDidHide(() => {
      box.dispose();
      if (!done) resolve(undefined);
    });
    box.show();
  });
}

/**
 * One quick pick step where any of the items may be ticked (a model's switches), with a back button.
 * Resolves the ticked values (maybe none) on accept, undefined on cancel.
 */
export function pickSome<T>(step: Step, placeholder: string, items: PickItem<T>[], ticked: readonly T[]): Promise<T[] | undefined> {
  return new Promise((resolve, reject) => {
    const pick = vscode.window.createQuickPick<PickItem<T>>();
    Object.assign(pick, { title: step.title, step: step.step, totalSteps: step.totalSteps, placeholder, items, canSelectMany: true, ignoreFocusOut: true });
    pick.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    pick.selectedItems = items.filter((i) => ticked.includes(i.value));
    if (items.length) pick.activeItems = [items[0]];
    runStep(pick, () => pick.selectedItems.map((i) => i.value), resolve, reject);
  });
}

/** Shows a quick pick step: Back rejects with `Back`, accept resolves what `chosen` reads, hiding resolves undefined. */
function runStep<T, R>(pick: vscode.QuickPick<PickItem<T>>, chosen: () => R, resolve: (value: R | undefined) => void, reject: (error: Back) => void): void {
  let done = false;
  pick.onDidTriggerButton(() => {
    done = true;
    pick.hide();
    reject(new Back());
  });
  pick.onDidAccept(() => {
    done = true;
    const value = chosen();
    pick.hide();
    resolve(value);
  });
  pick.onDidHide(() => {
    pick.dispose();
    if (!done) resolve(undefined);
  });
  pick.show();
}
