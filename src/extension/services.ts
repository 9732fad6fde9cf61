import type * as vscode from 'vscode';
import type { Logger } from '../util/log';
import type { ApiKeyStore } from './apiKey';
import type { EngineHost } from './engineHost';

/** What features get: one engine, the key store (never the key itself for display), a logger. */
export interface Services {
  context: vscode.ExtensionContext;
  host: EngineHost;
  keys: ApiKeyStore;
  logger: Logger;
  /** Opens (or reveals) the preview panel of a task. */
  openPreview(taskId: string): void;
  /** Shows the Videos view without taking the focus. */
  revealVideos(): Promise<void>;
}
