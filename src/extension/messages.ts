import * as vscode from 'vscode';
import { JuxinError } from '../juxin/errors';
import { ParamError } from '../core/params';
import { SpendLimitError } from '../core/spend';

export function isChinese(): boolean {
  return vscode.env.language.toLowerCase().startsWith('zh');
}

/** A failure as the user should read it: what happened and what to do, in their language. */
export function describeError(error: unknown): string {
  const zh = isChinese();
  if (error instanceof ParamError || error instanceof SpendLimitError) return zh ? error.messageZh : error.message;
  if (error instanceof JuxinError) {
    if (zh) return `${error.messageZh ?? error.vendorMessageZh ?? error.message} ${error.nextStepZh}`;
    return `${error.message} ${error.nextStep}`;
  }
  // Our own refusals carry their Chinese (a lease folder that cannot be used, a file in the way…).
  const messageZh = error instanceof Error ? (error as { messageZh?: unknown }).messageZh : undefined;
  if (zh && typeof messageZh === 'string') return messageZh;
  return error instanceof Error ? error.message : String(error);
}
