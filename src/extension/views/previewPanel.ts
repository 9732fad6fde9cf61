import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { MediaInfoCache } from '../../core/mediaInfo';
import type { TaskRecord } from '../../core/types';
import type { PreviewState, ToPreview } from '../../webview/protocol';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { canUseSystemPlayer } from '../systemPlayer';
import { Disposable, toDisposable } from '../util/dispose';
import { PREVIEW_ACTION_COMMANDS } from './actions';
import { escapeAttribute, getNonce, renderPage, contentSecurityPolicy } from './html';
import { validatePreviewMessage } from './messages';
import { pageFiles, pageRoots, pageSettings, snapshotContext } from './page';
import { PreviewFile } from './previewFile';
import { chooseMedia, sameMedia, type MediaSource } from './previewMedia';
import { toSnapshot } from './snapshot';
import { webviewStrings } from './strings';
import { originOf } from './urls';

/** Which saved files have sound (read once per file for every preview of this window). */
const mediaInfo = new MediaInfoCache();

/**
 * The preview of one task: plays the downloaded MP4 through `asWebviewUri` (the page may read only
 * the folder holding it), or the video URL before the download finishes (the CSP then allows exactly
 * that origin). Shows the prompt and parameters and follows the task live.
 */
export class PreviewPanel extends Disposable {
  private media: MediaSource | undefined;
  /** The page reads the video from a folder of its own that holds nothing else (previewFile.ts). */
  private readonly file: PreviewFile;
  private renders = 0;

  constructor(
    private readonly services: Services,
    readonly taskId: string,
    readonly panel: vscode.WebviewPanel,
  ) {
    super();
    this.file = new PreviewFile(services.context.globalStorageUri.fsPath, taskId);
    this._register(toDisposable(() => this.file.release()));
    this._register(panel);
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw)));
    const engine = services.host.engine;
    this._register(toDisposable(engine.onDidChange((task) => task.id === taskId && this.update(task))));
    this._register(toDisposable(engine.onDidRemove((id) => id === taskId && this.showGone())));
    panel.iconPath = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'sora.svg');
    const task = engine.get(taskId);
    if (task) void this.render(task);
    else this.showGone();
  }

  get html(): string {
    return this.panel.webview.html;
  }

  private async render(task: TaskRecord): Promise<void> {
    const { webview } = this.panel;
    const extensionUri = this.services.context.extensionUri;
    const media = chooseMedia(task, readSettings().baseUrl, existsSync);
    this.media = media;
    // Whether the saved file has sound decides the AAC note: read its header first (milliseconds),
    // then draw only if nothing newer was drawn meanwhile and the panel is still open.
    const ticket = ++this.renders;
    const audio = media?.kind === 'local' ? (await mediaInfo.get(media.file)).audio : undefined;
    if (ticket !== this.renders || this.isDisposed) return;
    const snapshot = toSnapshot(task, snapshotContext());
    const posterOrigin = snapshot.thumbnail ? originOf(snapshot.thumbnail) : undefined;
    const served = media?.kind === 'local' ? this.serve(media.file) : undefined;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [...pageRoots(extensionUri), ...(served ? [vscode.Uri.file(this.file.root)] : [])],
    };
    const state: PreviewState = {
      task: snapshot,
      media:
        media?.kind === 'remote'
          ? { src: media.url, local: false }
          : served
            ? { src: webview.asWebviewUri(vscode.Uri.file(served)).toString(), local: true }
            : undefined,
      audio,
      systemPlayer: canUseSystemPlayer(),
    };
    this.panel.title = previewTitle(task);
    webview.html = renderPage({
      webview,
      nonce: getNonce(),
      title: this.panel.title,
      ...pageFiles(webview, extensionUri, 'preview'),
      mediaSources: media?.kind === 'remote' ? [media.origin] : [],
      imgSources: posterOrigin ? [posterOrigin] : [],
      data: { strings: webviewStrings(), settings: pageSettings(), state },
      body: '<main id="app" data-testid="preview"></main>',
      lang: vscode.env.language,
    });
  }

  private serve(video: string): string | undefined {
    try {
      return this.file.expose(video);
    } catch (error) {
      this.services.logger.warn(`the preview of ${this.taskId} cannot serve its video: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private update(task: TaskRecord): void {
    // A new source (the download finished, or the file went away) needs new resource roots and CSP.
    if (!sameMedia(chooseMedia(task, readSettings().baseUrl, existsSync), this.media)) return void this.render(task);
    const message: ToPreview = { type: 'task', task: toSnapshot(task, snapshotContext()) };
    void this.panel.webview.postMessage(message);
  }

  /** The task left the history (or never came back after a reload): say so, with no script at all. */
  private showGone(): void {
    const { webview } = this.panel;
    this.media = undefined;
    this.renders++; // a render still reading its file's header must not draw over this
    const { style } = pageFiles(webview, this.services.context.extensionUri, 'preview');
    const csp = contentSecurityPolicy({ cspSource: webview.cspSource, nonce: getNonce() });
    const text = escapeAttribute(vscode.l10n.t('This video is no longer in the history.'));
    webview.options = { enableScripts: false, localResourceRoots: pageRoots(this.services.context.extensionUri) };
    webview.html = `<!DOCTYPE html><html lang="${escapeAttribute(vscode.env.language)}"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}"><link rel="stylesheet" href="${escapeAttribute(style.toString())}"></head><body><p class="notice" data-testid="gone">${text}</p></body></html>`;
  }

  private async onMessage(raw: unknown): Promise<void> {
    const engine = this.services.host.engine;
    const message = validatePreviewMessage(raw, this.taskId, (id) => engine.get(id) !== undefined);
    if (!message) return this.services.logger.warn('ignored a message from a preview that is not of the protocol or not about its task');
    if (message.type === 'ready') return;
    if (message.type === 'mediaError') return this.services.logger.warn(`the preview could not play task ${this.taskId}`);
    try {
      await vscode.commands.executeCommand(PREVIEW_ACTION_COMMANDS[message.action], this.taskId);
    } catch (error) {
      this.services.logger.error(`a preview action failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** "AI Video: <start of the prompt>" — the tab title. */
export function previewTitle(task: TaskRecord): string {
  const prompt = task.params.prompt.replace(/\s+/g, ' ').trim();
  return `AI Video: ${prompt.length > 30 ? `${prompt.slice(0, 30)}…` : prompt}`;
}
