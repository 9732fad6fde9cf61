import * as vscode from 'vscode';
import type { ToSidebar } from '../../webview/protocol';
import { Commands, VIDEOS_VIEW_ID } from '../commands/ids';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { Disposable, toDisposable } from '../util/dispose';
import { getNonce, renderPage } from './html';
import { parseSidebarMessage } from './messages';
import { webviewStrings } from './strings';
import { toTaskView } from './taskView';
import { originOf } from './urls';

/** The "Videos" sidebar: every task of the window's engine (palette and Copilot alike), live. */
export class VideosViewProvider extends Disposable implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;

  constructor(private readonly services: Services) {
    super();
    const engine = services.host.engine;
    this._register(toDisposable(engine.onDidChange((task) => this.post({ type: 'task', task: toTaskView(task) }))));
    this._register(toDisposable(engine.onDidRemove((id) => this.post({ type: 'removed', id }))));
    this._register(services.keys.onDidChange(() => this.sendAll()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const extensionUri = this.services.context.extensionUri;
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')] };
    const { baseUrl } = readSettings();
    const nonce = getNonce();
    view.webview.html = renderPage({
      webview: view.webview,
      nonce,
      title: 'Sora',
      script: view.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'sidebar.js')),
      style: view.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview', 'sidebar.css')),
      imgSources: [safeOrigin(baseUrl)],
      data: { strings: webviewStrings() },
      body: '<main id="app" data-testid="videos"></main>',
      lang: vscode.env.language,
    });
    this._register(view.webview.onDidReceiveMessage((raw) => this.onMessage(raw)));
    this._register(view.onDidChangeVisibility(() => view.visible && this.sendAll()));
    view.onDidDispose(() => (this.view = undefined));
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseSidebarMessage(raw);
    if (!message) return this.services.logger.warn('ignored a malformed message from the Videos view');
    if (message.type === 'ready') return this.sendAll();
    if (message.type === 'command') {
      const command = { setKey: Commands.setApiKey, generate: Commands.generate, gettingStarted: Commands.openGettingStarted }[message.command];
      await vscode.commands.executeCommand(command);
      return;
    }
    if (!this.services.host.engine.get(message.id)) return this.services.logger.warn('ignored an action on an unknown task from the Videos view');
    const command = {
      play: Commands.openVideo,
      openFile: Commands.openFile,
      copyUrl: Commands.copyVideoUrl,
      download: Commands.downloadVideo,
      remix: Commands.remixVideo,
      retry: Commands.retry,
      remove: Commands.removeFromHistory,
    }[message.action];
    await vscode.commands.executeCommand(command, message.id);
  }

  private sendAll(): void {
    const tasks = this.services.host.engine.list({}).map(toTaskView);
    this.post({ type: 'tasks', tasks, hasKey: this.services.host.hasKey });
  }

  private post(message: ToSidebar): void {
    void this.view?.webview.postMessage(message);
  }
}

function safeOrigin(url: string): string {
  try {
    return originOf(url);
  } catch {
    return '';
  }
}

export function registerVideosView(services: Services): vscode.Disposable {
  const provider = new VideosViewProvider(services);
  const registration = vscode.window.registerWebviewViewProvider(VIDEOS_VIEW_ID, provider, { webviewOptions: { retainContextWhenHidden: false } });
  return vscode.Disposable.from(provider, registration);
}
