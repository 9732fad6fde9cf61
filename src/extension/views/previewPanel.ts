import path from 'node:path';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../core/types';
import { Commands, PREVIEW_VIEW_TYPE } from '../commands/ids';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { Disposable, toDisposable } from '../util/dispose';
import { getNonce, renderPage } from './html';
import { parsePreviewMessage } from './messages';
import { webviewStrings } from './strings';
import { toTaskView } from './taskView';
import { isAllowedRemoteUrl, originOf } from './urls';

/** One preview panel per task: plays the downloaded MP4 (or the URL before download). */
class PreviewPanel extends Disposable {
  private renderedSource: string | undefined;

  constructor(
    private readonly services: Services,
    readonly taskId: string,
    readonly panel: vscode.WebviewPanel,
    onDispose: () => void,
  ) {
    super();
    this._register(panel);
    this._register(panel.onDidDispose(() => {
      onDispose();
      this.dispose();
    }));
    this._register(panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw)));
    this._register(toDisposable(services.host.engine.onDidChange((task) => task.id === taskId && this.update(task))));
    const task = services.host.engine.get(taskId);
    if (task) this.render(task);
    else panel.webview.html = `<!DOCTYPE html><html><body><p>${vscode.l10n.t('This video is no longer in the history.')}</p></body></html>`;
  }

  /** Where the video comes from: the local file, or an allowed remote URL before download. */
  private source(task: TaskRecord): { uri?: vscode.Uri; remote?: string } {
    if (task.download.state === 'done' && task.download.localPath) return { uri: vscode.Uri.file(task.download.localPath) };
    if (task.videoUrl && isAllowedRemoteUrl(task.videoUrl, readSettings().baseUrl)) return { remote: task.videoUrl };
    return {};
  }

  private render(task: TaskRecord): void {
    const extensionUri = this.services.context.extensionUri;
    const { uri, remote } = this.source(task);
    const webview = this.panel.webview;
    // Only the folder holding this video (and our own scripts) is readable by the page.
    webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media'), ...(uri ? [vscode.Uri.file(path.dirname(uri.fsPath))] : [])],
    };
    const src = uri ? webview.asWebviewUri(uri).toString() : remote;
    this.renderedSource = src;
    this.panel.title = `Sora: ${task.params.prompt.slice(0, 30)}`;
    webview.html = renderPage({
      webview,
      nonce: getNonce(),
      title: 'Sora preview',
      script: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'preview.js')),
      style: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview', 'preview.css')),
      mediaSources: remote ? [originOf(remote)] : [],
      imgSources: [],
      data: { strings: webviewStrings(), task: toTaskView(task), src: src ?? null, local: Boolean(uri) },
      body: '<main id="app" data-testid="preview"></main>',
      lang: vscode.env.language,
    });
  }

  private update(task: TaskRecord): void {
    const { uri, remote } = this.source(task);
    const next = uri ? this.panel.webview.asWebviewUri(uri).toString() : remote;
    // A new source (e.g. the download finished) needs new resource roots and CSP: render again.
    if (next !== this.renderedSource) return this.render(task);
    void this.panel.webview.postMessage({ type: 'update', task: toTaskView(task), src: next });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parsePreviewMessage(raw);
    if (!message || (message.type !== 'ready' && message.id !== this.taskId)) return this.services.logger.warn('ignored a malformed message from a preview');
    if (message.type === 'mediaError') return this.services.logger.warn(`the preview could not play task ${this.taskId}`);
    if (message.type === 'ready') return;
    const command = { openFile: Commands.openFile, reveal: Commands.revealInOS, copyUrl: Commands.copyVideoUrl, download: Commands.downloadVideo }[message.action];
    await vscode.commands.executeCommand(command, this.taskId);
  }
}

/** Opens previews and brings them back after a window reload. */
export class PreviewManager extends Disposable implements vscode.WebviewPanelSerializer {
  private readonly panels = new Map<string, PreviewPanel>();

  constructor(private readonly services: Services) {
    super();
    this._register(vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, this));
    this._register(toDisposable(() => this.panels.forEach((p) => p.dispose())));
  }

  open(taskId: string): void {
    const existing = this.panels.get(taskId);
    if (existing) return existing.panel.reveal();
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'Sora', vscode.ViewColumn.Active, { enableScripts: true, retainContextWhenHidden: false });
    this.adopt(taskId, panel);
  }

  /** The webview state holds only the task id. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const taskId = typeof state === 'object' && state !== null && typeof (state as { taskId?: unknown }).taskId === 'string' ? (state as { taskId: string }).taskId : undefined;
    if (!taskId) return panel.dispose();
    this.adopt(taskId, panel);
  }

  get openTaskIds(): string[] {
    return [...this.panels.keys()];
  }

  private adopt(taskId: string, panel: vscode.WebviewPanel): void {
    this.panels.set(taskId, new PreviewPanel(this.services, taskId, panel, () => this.panels.delete(taskId)));
  }
}
