import * as vscode from 'vscode';
import type { Logger } from '../util/log';
import { scrubSecrets } from '../juxin/errors';

/** The "Juxin Sora" log channel, behind the core's Logger interface. Anything key-like is scrubbed. */
export function createLogger(): { channel: vscode.LogOutputChannel; logger: Logger } {
  const channel = vscode.window.createOutputChannel('Juxin Sora', { log: true });
  const logger: Logger = {
    debug: (m) => channel.debug(scrubSecrets(m)),
    info: (m) => channel.info(scrubSecrets(m)),
    warn: (m) => channel.warn(scrubSecrets(m)),
    error: (m) => channel.error(scrubSecrets(m)),
  };
  return { channel, logger };
}
