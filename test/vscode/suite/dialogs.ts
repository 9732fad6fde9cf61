// Modal dialogs and MCP elicitations in the real workbench: the harness (run.mjs) answers them as the
// suite asks and records what each said, through files in JUXIN_TEST_EXCHANGE.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Dialog {
  /** A modal dialog, or an MCP server's question (VS Code shows it as a notification, then a quick pick). */
  kind?: 'dialog' | 'elicitation';
  message: string;
  detail: string;
  buttons: string[];
  pressed: string;
  /** An elicitation: the quick pick's title and its choices (one field). */
  title?: string;
  choices?: string[];
}

const exchange = () => {
  const dir = process.env.JUXIN_TEST_EXCHANGE;
  if (!dir) throw new Error('the harness passes JUXIN_TEST_EXCHANGE');
  return dir;
};

/** Runs `action` with `answer` left for the harness; returns its result and what the harness answered. */
async function withAnswer<T>(
  answer: Record<string, unknown>,
  action: () => Thenable<T> | Promise<T>,
): Promise<{ result: T; dialogs: Dialog[]; /** Every dialog recorded while it ran (for failure messages). */ seen: string }> {
  const log = path.join(exchange(), 'dialogs.jsonl');
  const file = path.join(exchange(), 'dialog-answer.json');
  // The log keeps every dialog of the run (for reading after a failure); this call's carry its id.
  const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
  const before = lines().length;
  const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(file, JSON.stringify({ ...answer, id }));
  try {
    const result = await action();
    const during = lines().slice(before);
    const dialogs = during.map((line) => JSON.parse(line) as Dialog & { id?: string }).filter((dialog) => dialog.id === id);
    return { result, dialogs, seen: during.join('\n') };
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Runs `action`; a modal dialog it opens is answered with `button`. Several buttons answer that many
 * dialogs in turn (a confirmation, then the daily-limit question). Returns its result and the dialogs shown.
 */
export function answering<T>(button: string | string[], action: () => Thenable<T> | Promise<T>) {
  return withAnswer({ buttons: typeof button === 'string' ? [button] : button }, action);
}

/**
 * Runs `action`; an MCP server's question (elicitation) it brings up is answered: `Cancel` closes the
 * notification, or "Respond" and then the quick pick's item with this label (a boolean field: "true"/"false").
 */
export function answeringElicitation<T>(choice: string, action: () => Thenable<T> | Promise<T>) {
  return withAnswer({ elicit: choice }, action);
}

/** Leaves a fact for the workbench (Playwright) tests that run after the suite. */
export function leaveForWorkbench(name: string, value: unknown): void {
  writeFileSync(path.join(exchange(), `${name}.json`), JSON.stringify(value));
}
