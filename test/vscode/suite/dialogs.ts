// Modal dialogs in the real workbench: the harness (run.mjs) presses the button the suite names and
// records what each dialog said, through files in JUXIN_TEST_EXCHANGE.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Dialog {
  message: string;
  detail: string;
  buttons: string[];
  pressed: string;
}

const exchange = () => {
  const dir = process.env.JUXIN_TEST_EXCHANGE;
  if (!dir) throw new Error('the harness passes JUXIN_TEST_EXCHANGE');
  return dir;
};

/** Runs `action`; a modal dialog it opens is answered with `button`. Returns its result and the dialogs shown. */
export async function answering<T>(
  button: string,
  action: () => Thenable<T> | Promise<T>,
): Promise<{ result: T; dialogs: Dialog[]; /** Every dialog recorded while it ran (for failure messages). */ seen: string }> {
  const log = path.join(exchange(), 'dialogs.jsonl');
  const answer = path.join(exchange(), 'dialog-answer.json');
  // The log keeps every dialog of the run (for reading after a failure); this call's carry its id.
  const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
  const before = lines().length;
  const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(answer, JSON.stringify({ button, id }));
  try {
    const result = await action();
    const during = lines().slice(before);
    const dialogs = during.map((line) => JSON.parse(line) as Dialog & { id?: string }).filter((dialog) => dialog.id === id);
    return { result, dialogs, seen: during.join('\n') };
  } finally {
    rmSync(answer, { force: true });
  }
}

/** Leaves a fact for the workbench (Playwright) tests that run after the suite. */
export function leaveForWorkbench(name: string, value: unknown): void {
  writeFileSync(path.join(exchange(), `${name}.json`), JSON.stringify(value));
}
