import * as vscode from 'vscode';
import type { TaskRecord } from '../../core/types';
import { countTasks } from '../../core/query';
import { MAX_PAGE, type SidebarInit, type ToSidebar, type ViewQuery } from '../../webview/protocol';
import { VIDEOS_VIEW_ID } from '../commands/ids';
import type { Services } from '../services';
import { SECTION, affectsSpend, readSettings } from '../settings';
import { Disposable, toDisposable } from '../util/dispose';
import { runTaskAction, SIDEBAR_COMMANDS } from './actions';
import { MENU_TOKEN } from './taskMenu';
import { firstPage, ResultsFeed, type FeedSource } from './feed';
import { getNonce, renderPage } from './html';
import { hoverMedia } from './previewMedia';
import { validateSidebarMessage } from './messages';
import { codiconStyle, pageFiles, pageRoots, pageSettings, snapshotContext } from './page';
import { toSnapshot } from './snapshot';
import { webviewStrings } from './strings';
import { originOf } from './urls';

/**
 * The "Videos" view: every task of the history (the palette's, Copilot's, other apps'), live. The
 * page holds only what it shows: it asks for pages of its query, and the feed pushes small changes
 * (one task, one insertion, new counts). The HTML carries labels and counts, never the history.
 */
const LAST_QUERY = 'juxinSora.videos.lastQuery';
/** The first page a view about to show carries in its HTML. */
const FIRST_PAGE = 50;

export class VideosViewProvider extends Disposable implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  /** Listeners of the current view; a view moved to another container is resolved again. */
  private viewScope: vscode.Disposable | undefined;
  /** Made once the history can be shown (activation does not wait for it), from all of it; events keep it in step. */
  private feedOnceLoaded: ResultsFeed | undefined;
  private readonly source: FeedSource;
  /** What the page showed last (kept across reloads), so its next HTML can paint at once. */
  private lastQuery: { query: ViewQuery; timeZone: string } | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** The ledger the page has (JSON), so a `spend` message goes only when it changed. */
  private spendSent = '';
  /** While the view shows: looks at the ledger once a minute (a new day starts at midnight). */
  private spendTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly services: Services) {
    super();
    const engine = services.host.engine;
    this.source = { list: () => engine.list({}), get: (id) => engine.get(id) };
    this.lastQuery = services.context.workspaceState.get(LAST_QUERY);
    this._register(toDisposable(() => clearTimeout(this.refreshTimer)));
    this._register(toDisposable(() => clearInterval(this.spendTimer)));
    this._register(toDisposable(engine.onDidChange((task) => this.onTaskChanged(task))));
    this._register(toDisposable(engine.onDidRemove((id) => this.onTaskRemoved(id))));
    this._register(services.keys.onDidChange(() => this.postState()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        // The base URL decides which thumbnails may load (the CSP); the download folder which videos may play on hover.
        if ((e.affectsConfiguration(`${SECTION}.baseUrl`) || e.affectsConfiguration(`${SECTION}.downloadFolder`)) && this.view) this.load(this.view);
        if (affectsSpend(e)) this.postSpend();
      }),
    );
    this._register(toDisposable(() => this.viewScope?.dispose()));
    // The counts of a long history take tens of milliseconds: made as soon as it can be shown, before
    // the view is opened, so its first page is all a first opening computes.
    void services.host.whenViewable().then(() => void this.feed);
    // The page may have been drawn before the key was read (it does not wait for it with videos to show).
    void services.host.ready.then(
      () => this.postState(),
      () => undefined,
    );
  }

  /** The feed, once the history can be shown; before, nothing to feed (the page waits for its first answer). */
  private get feed(): ResultsFeed | undefined {
    if (!this.feedOnceLoaded && this.services.host.isViewable) {
      this.feedOnceLoaded = new ResultsFeed(
        this.source,
        (task) => toSnapshot(task, snapshotContext()),
        () => Date.now(),
      );
    }
    return this.feedOnceLoaded;
  }

  /** The page as last rendered (for the in-VS-Code tests). */
  get html(): string | undefined {
    return this.view?.webview.html;
  }

  /** Shows the view without taking the keyboard focus (a generation started from the palette). */
  async reveal(): Promise<void> {
    if (this.view) this.view.show(true);
    else await vscode.commands.executeCommand(`${VIDEOS_VIEW_ID}.focus`);
  }

  /**
   * The page is set at once, even while the history is still being read (right after VS Code starts):
   * it loads beside it, and its first answer comes when the history is there. Meanwhile VS Code shows
   * the view's progress bar (the promise).
   */
  resolveWebviewView(view: vscode.WebviewView): Promise<void> | void {
    this.viewScope?.dispose();
    this.view = view;
    this.load(view);
    this.watchSpend(view.visible);
    this.viewScope = vscode.Disposable.from(
      view.webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      // Hidden, the page is discarded; its HTML is brought up to date for the next time it shows.
      view.onDidChangeVisibility(() => {
        this.watchSpend(view.visible);
        if (!view.visible) this.refreshHidden();
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    );
    if (this.feed) return this.updateBadge();
    return this.services.host.whenViewable().then(() => this.updateBadge());
  }

  private load(view: vscode.WebviewView): void {
    const extensionUri = this.services.context.extensionUri;
    view.webview.options = { enableScripts: true, localResourceRoots: [...pageRoots(extensionUri), vscode.Uri.file(this.services.host.videosDir())] };
    view.webview.html = this.render(view.webview);
  }

  private render(webview: vscode.Webview): string {
    const baseOrigin = originOf(readSettings().baseUrl);
    const ctx = snapshotContext();
    const last = this.lastQuery ?? { query: { text: '', phases: [], sources: [] }, timeZone: '' };
    const spend = this.services.host.engine.spend();
    this.spendSent = JSON.stringify(spend);
    const feed = this.feed;
    const init: SidebarInit = feed
      ? {
          hasKey: this.services.host.hasKey,
          counts: feed.taskCounts,
          spend,
          first: firstPage(this.source, (t) => toSnapshot(t, ctx), Date.now(), last.query, last.timeZone || undefined, Math.min(FIRST_PAGE, MAX_PAGE)),
        }
      : { hasKey: this.services.host.hasKey, counts: countTasks([]), spend, loading: true };
    return renderPage({
      webview,
      nonce: getNonce(),
      title: vscode.l10n.t('AI videos'),
      ...pageFiles(webview, this.services.context.extensionUri, 'sidebar'),
      extraStyles: [codiconStyle(webview, this.services.context.extensionUri)],
      // Thumbnails come from the vendor's https CDNs, or from the configured API (the simulator).
      imgSources: ['https:', ...(baseOrigin ? [baseOrigin] : [])],
      // A card plays its downloaded video, muted, while the pointer rests on it.
      mediaSources: [],
      data: { strings: webviewStrings(), settings: { ...pageSettings(), menuToken: MENU_TOKEN }, state: init },
      body: '<main id="app" data-testid="videos"></main>',
      lang: vscode.env.language,
    });
  }

  private async onMessage(raw: unknown): Promise<void> {
    // A page loaded beside the history asks before it is read: answered, in order, once it is.
    if (!this.services.host.isViewable) await this.services.host.whenViewable();
    const engine = this.services.host.engine;
    const feed = this.feed!;
    const message = validateSidebarMessage(raw, (id) => engine.get(id) !== undefined);
    if (!message) return this.services.logger.warn('ignored a message from the Videos view that is not of the protocol or names an unknown task');
    try {
      switch (message.type) {
        case 'ready':
          return this.postState();
        case 'query':
          this.lastQuery = { query: message.query, timeZone: message.timeZone };
          void this.services.context.workspaceState.update(LAST_QUERY, this.lastQuery);
          return this.post(feed.setQuery(message));
        case 'page': {
          const page = feed.page(message);
          return page && this.post(page);
        }
        case 'hover':
          return this.postMedia(message.id);
        case 'command':
          await vscode.commands.executeCommand(SIDEBAR_COMMANDS[message.command]);
          return;
        case 'action':
          await runTaskAction(this.services, message.action, message.id);
          return;
      }
    } catch (error) {
      this.services.logger.error(`a Videos view action failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** What a hover plays (hoverMedia): the downloaded file as a webview URI, or the relay's preview GIF. */
  private postMedia(id: string): void {
    const task = this.services.host.engine.get(id);
    const media = task && this.view ? hoverMedia(task, this.services.host.videosDir(), readSettings().baseUrl) : undefined;
    if (!media || !this.view) return;
    const src = media.kind === 'video' ? this.view.webview.asWebviewUri(vscode.Uri.file(media.file)).toString() : media.url;
    this.post({ type: 'media', id, src, kind: media.kind });
  }

  private onTaskChanged(task: TaskRecord): void {
    if (!this.feed) return; // made from the whole history when it is read
    const { messages, countsChanged } = this.feed.changed(task);
    for (const message of messages) this.post(message);
    if (countsChanged) this.postState();
    this.refreshHidden();
  }

  private onTaskRemoved(id: string): void {
    if (!this.feed) return;
    const { messages, countsChanged } = this.feed.removed(id);
    for (const message of messages) this.post(message);
    if (countsChanged) this.postState();
    this.refreshHidden();
  }

  /** A hidden view's HTML (its first page) follows the history, at most once a second. */
  private refreshHidden(): void {
    if (!this.view || this.view.visible || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (this.view && !this.view.visible) this.view.webview.html = this.render(this.view.webview);
    }, 1000);
  }

  private postState(): void {
    if (!this.feed) return;
    this.post({ type: 'state', hasKey: this.services.host.hasKey, counts: this.feed.taskCounts });
    // The ledger moves with the counts (a new task, a failed one, a removed one).
    this.postSpend();
    this.updateBadge();
  }

  /** The ledger, when it is not what the page shows. */
  private postSpend(): void {
    if (!this.view?.visible) return;
    const spend = this.services.host.engine.spend();
    const json = JSON.stringify(spend);
    if (json === this.spendSent) return;
    this.spendSent = json;
    this.post({ type: 'spend', spend });
  }

  private watchSpend(visible: boolean): void {
    clearInterval(this.spendTimer);
    this.spendTimer = visible ? setInterval(() => this.postSpend(), 60_000) : undefined;
  }

  private post(message: ToSidebar): void {
    // A hidden view has no page; it asks again for what it shows when it is shown.
    if (this.view?.visible) void this.view.webview.postMessage(message);
  }

  /** The count of running videos on the activity-bar icon, even while the view is closed. */
  private updateBadge(): void {
    if (!this.view || !this.feed) return;
    const running = this.feed.running;
    this.view.badge = running ? { value: running, tooltip: vscode.l10n.t('{0} video(s) generating', running) } : undefined;
  }
}

export interface VideosViewRegistration extends vscode.Disposable {
  /** The view's page as last rendered, once VS Code has resolved the view. */
  readonly html: string | undefined;
  /** Shows the view, keeping the focus where it is. */
  reveal(): Promise<void>;
}

export function registerVideosView(services: Services): VideosViewRegistration {
  const provider = new VideosViewProvider(services);
  const registration = vscode.window.registerWebviewViewProvider(VIDEOS_VIEW_ID, provider, { webviewOptions: { retainContextWhenHidden: false } });
  return {
    get html() {
      return provider.html;
    },
    reveal: () => provider.reveal(),
    dispose: () => {
      registration.dispose();
      provider.dispose();
    },
  };
}
