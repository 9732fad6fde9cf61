import * as vscode from 'vscode';
import { isActive } from '../../core/phase';
import type { TaskRecord } from '../../core/types';
import type { SidebarState, ToSidebar } from '../../webview/protocol';
import { VIDEOS_VIEW_ID } from '../commands/ids';
import type { Services } from '../services';
import { SECTION, readSettings } from '../settings';
import { Disposable, toDisposable } from '../util/dispose';
import { runTaskAction, SIDEBAR_COMMANDS } from './actions';
import { getNonce, renderPage } from './html';
import { validateSidebarMessage } from './messages';
import { pageFiles, pageRoots, pageSettings, snapshotContext } from './page';
import { toSnapshot } from './snapshot';
import { webviewStrings } from './strings';
import { originOf } from './urls';

/**
 * The "Videos" view: every task of the window's one engine (the palette's and Copilot's alike), live.
 * Each engine change is sent as one `task` message (the page patches that item in place); a full
 * `tasks` snapshot goes out when the page loads and whenever the view becomes visible again.
 */
export class VideosViewProvider extends Disposable implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  /** Listeners of the current view; a view moved to another container is resolved again. */
  private viewScope: vscode.Disposable | undefined;

  constructor(private readonly services: Services) {
    super();
    const engine = services.host.engine;
    this._register(toDisposable(engine.onDidChange((task) => this.onTaskChanged(task))));
    this._register(toDisposable(engine.onDidRemove((id) => this.onTaskRemoved(id))));
    this._register(services.keys.onDidChange(() => this.postAll()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        // The base URL decides which thumbnails may load, so the CSP changes with it.
        if (e.affectsConfiguration(`${SECTION}.baseUrl`) && this.view) this.view.webview.html = this.render(this.view.webview);
      }),
    );
    this._register(toDisposable(() => this.viewScope?.dispose()));
  }

  /** The page as last rendered (for the in-VS-Code tests). */
  get html(): string | undefined {
    return this.view?.webview.html;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewScope?.dispose();
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: pageRoots(this.services.context.extensionUri) };
    view.webview.html = this.render(view.webview);
    this.updateBadge();
    this.viewScope = vscode.Disposable.from(
      view.webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      view.onDidChangeVisibility(() => view.visible && this.postAll()),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    );
  }

  private render(webview: vscode.Webview): string {
    const baseOrigin = originOf(readSettings().baseUrl);
    return renderPage({
      webview,
      nonce: getNonce(),
      title: vscode.l10n.t('Sora videos'),
      ...pageFiles(webview, this.services.context.extensionUri, 'sidebar'),
      // Thumbnails come from the vendor's https CDNs, or from the configured API (the simulator).
      imgSources: ['https:', ...(baseOrigin ? [baseOrigin] : [])],
      data: { strings: webviewStrings(), settings: pageSettings(), state: this.state() },
      body: '<main id="app" data-testid="videos"></main>',
      lang: vscode.env.language,
    });
  }

  private state(): SidebarState {
    const ctx = snapshotContext();
    return { tasks: this.services.host.engine.list({}).map((t) => toSnapshot(t, ctx)), hasKey: this.services.host.hasKey };
  }

  private async onMessage(raw: unknown): Promise<void> {
    const engine = this.services.host.engine;
    const message = validateSidebarMessage(raw, (id) => engine.get(id) !== undefined);
    if (!message) return this.services.logger.warn('ignored a message from the Videos view that is not of the protocol or names an unknown task');
    try {
      if (message.type === 'ready') this.postAll();
      else if (message.type === 'command') await vscode.commands.executeCommand(SIDEBAR_COMMANDS[message.command]);
      else await runTaskAction(this.services, message.action, message.id);
    } catch (error) {
      this.services.logger.error(`a Videos view action failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private onTaskChanged(task: TaskRecord): void {
    this.post({ type: 'task', task: toSnapshot(task, snapshotContext()) });
    this.updateBadge();
  }

  private onTaskRemoved(id: string): void {
    this.post({ type: 'removed', id });
    this.updateBadge();
  }

  private postAll(): void {
    this.post({ type: 'tasks', ...this.state() });
    this.updateBadge();
  }

  private post(message: ToSidebar): void {
    // A hidden view has no page; it gets a full snapshot when it shows again.
    if (this.view?.visible) void this.view.webview.postMessage(message);
  }

  /** The count of running videos on the activity-bar icon, even while the view is closed. */
  private updateBadge(): void {
    if (!this.view) return;
    const running = this.services.host.engine.list({}).filter(isActive).length;
    this.view.badge = running ? { value: running, tooltip: vscode.l10n.t('{0} video(s) generating', running) } : undefined;
  }
}

export interface VideosViewRegistration extends vscode.Disposable {
  /** The view's page as last rendered, once VS Code has resolved the view. */
  readonly html: string | undefined;
}

export function registerVideosView(services: Services): VideosViewRegistration {
  const provider = new VideosViewProvider(services);
  const registration = vscode.window.registerWebviewViewProvider(VIDEOS_VIEW_ID, provider, { webviewOptions: { retainContextWhenHidden: false } });
  return {
    get html() {
      return provider.html;
    },
    dispose: () => {
      registration.dispose();
      provider.dispose();
    },
  };
}
