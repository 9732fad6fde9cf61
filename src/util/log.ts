import { scrubSecrets } from './secrets';

/** Minimal logger interface: the standalone server logs to stderr, the extension to a LogOutputChannel. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Logs to stderr (stdout belongs to the MCP stdio transport), scrubbed of keys and URL credentials. */
export function stderrLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  const order = ['debug', 'info', 'warn', 'error'];
  const min = order.indexOf(level);
  const write = (lvl: string) => (message: string) => {
    if (order.indexOf(lvl) >= min) process.stderr.write(`[juxin-sora] ${lvl}: ${scrubSecrets(message)}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
