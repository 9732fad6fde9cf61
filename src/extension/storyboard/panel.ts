import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { clipStatus, filmPath, type ClipPlan, type StoryboardState } from '../../storyboard';
import { isAllowedRemoteUrl, originOf } from '../../webview/model/urls';
import type { ClipCardData, StoryboardPageState, ToStoryboardPage } from '../../webview/storyboardProtocol';
import { Commands, STORYBOARD_VIEW_TYPE } from '../commands/ids';
import { readSettings } from '../settings';
import { Disposable, toDisposable } from '../util/dispose';
import { getNonce, renderPage } from '../views/html';
import { pageRoots } from '../views/page';
import { isStoryboardUri, type StoryboardDocuments } from './documents';
import { validateStoryboardMessage } from './messages';
import { clipRef } from './refs';
import { storyboardStrings } from './words';

/** The page's data for one storyboard: every video as a webview URI, thumbnails only from allowed origins. */
export function pageState(state: StoryboardState, file: string, webview: Pick<vscode.Webview, 'asWebviewUri'>, baseUrl: string): StoryboardPageState {
  const { storyboard, problems } = state.parsed;
  const clips = state.plan.clips.map((plan): ClipCardData => {
    const card: ClipCardData = {
      id: clipRef(plan),
      number: plan.index + 1,
      title: plan.clip.title,
      duration: plan.params?.duration ?? plan.clip.duration ?? storyboard.defaults.duration,
      status: clipStatus(plan),
    };
    const local = plan.video?.localFile;
    if (local && existsSync(local)) card.video = webview.asWebviewUri(vscode.Uri.file(local)).toString();
    const thumbnail = (plan.running ?? plan.video ?? plan.failed)?.thumbnailUrl;
    if (!card.video && isAllowedRemoteUrl(thumbnail, baseUrl)) card.thumbnail = thumbnail;
    const caption = plan.clip.subtitles[0]?.text.split('\n')[0];
    if (caption) card.caption = caption;
    return card;
  });
  const page: StoryboardPageState = {
    title: storyboard.title,
    fileName: path.basename(file),
    clips,
    toGenerate: state.plan.toGenerate.length,
    errors: problems.filter((p) => p.severity === 'error').length,
  };
  const film = filmPath(file);
  if (existsSync(film)) page.film = { src: webview.asWebviewUri(vscode.Uri.file(film)).toString(), name: path.basename(film) };
  return page;
}

/**
 * What the page may read: its own files and the folders of the clips' videos and the film, as the
 * preview panel does (each file as its own root was tried: in code-server the videos did not load).
 */
function resourceRoots(extensionUri: vscode.Uri, files: readonly string[]): vscode.Uri[] {
  const folders = [...new Set(files.map((f) => path.dirname(f)))].sort();
  return [...pageRoots(extensionUri), ...folders.map((f) => vscode.Uri.file(f))];
}

/** The local files a page shows: the clips' videos on disk and the film. */
function pageFiles(state: StoryboardState, file: string): string[] {
  const files = state.plan.clips.flatMap((c) => (c.video?.localFile && existsSync(c.video.localFile) ? [c.video.localFile] : []));
  const film = filmPath(file);
  if (existsSync(film)) files.push(film);
  return files;
}

function imageOrigins(page: StoryboardPageState): string[] {
  return [...new Set(page.clips.flatMap((c) => (c.thumbnail ? [originOf(c.thumbnail)!] : [])))].sort();
}

/**
 * The storyboard view of one storyboard file: a filmstrip of its clips with their status and
 * progress, a player for one clip, every clip in order, or the film. Follows the file (unsaved edits
 * too) and the clips' tasks live; every button runs one of the extension's commands.
 */
export class StoryboardPanel extends Disposable {
  private renderedKey = '';
  private ready = false;
  private pendingPlay: ToStoryboardPage | undefined;
  /** The newest state: sent again on every "ready" (a page that was loading may have missed any message). */
  private newest: StoryboardPageState | undefined;
  /** Updates read the document asynchronously: only the last one started may post its state. */
  private updates = 0;

  constructor(
    private readonly documents: StoryboardDocuments,
    private readonly extensionUri: vscode.Uri,
    readonly uri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
    private readonly logger: { warn(m: string): void; error(m: string): void },
  ) {
    super();
    this._register(panel);
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((raw) => void this.onMessage(raw)));
    this._register(documents.onDidChange((changed) => changed.toString() === uri.toString() && void this.update()));
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'sora.svg');
    void this.update();
  }

  get html(): string {
    return this.panel.webview.html;
  }

  /** Plays in the page: every clip in order, the film, or one clip (once the page is there). */
  play(what: 'all' | 'film' | { clipId: string }): void {
    const message: ToStoryboardPage = { type: 'play', what };
    if (this.ready) void this.panel.webview.postMessage(message);
    else this.pendingPlay = message;
  }

  async update(): Promise<void> {
    const mine = ++this.updates;
    let doc: vscode.TextDocument;
    try {
      doc = await this.documents.document(this.uri);
    } catch (error) {
      this.logger.warn(`the storyboard ${this.uri.fsPath} cannot be read: ${error instanceof Error ? error.message : error}`);
      return;
    }
    // A newer update started meanwhile: it posts the newer state (this one must not overwrite it).
    if (this.isDisposed || mine !== this.updates) return;
    const state = this.documents.stateOf(doc);
    const { webview } = this.panel;
    const page = pageState(state, this.uri.fsPath, webview, readSettings().baseUrl);
    this.newest = page;
    this.panel.title = `${vscode.l10n.t('Storyboard')}: ${page.title || page.fileName}`;
    const roots = resourceRoots(this.extensionUri, pageFiles(state, this.uri.fsPath));
    const images = imageOrigins(page);
    // New folders or image origins need new resource roots and CSP: a new page. Anything else is a message.
    const key = JSON.stringify([roots.map((r) => r.toString()), images]);
    if (key === this.renderedKey) {
      // A page still loading may not listen yet, and a message it misses is lost (it would show the state
      // it was made with until the next change): its "ready" brings it the newest state.
      if (this.ready) void webview.postMessage({ type: 'state', state: page } satisfies ToStoryboardPage);
      return;
    }
    this.renderedKey = key;
    this.ready = false;
    webview.options = { enableScripts: true, localResourceRoots: roots };
    webview.html = renderPage({
      webview,
      nonce: getNonce(),
      title: this.panel.title,
      script: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'storyboard.js')),
      style: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'webview', 'storyboard.css')),
      mediaSources: [],
      imgSources: images,
      data: { strings: storyboardStrings(), state: page, persist: { file: this.uri.fsPath } },
      body: '<main id="app" data-testid="storyboard"></main>',
      lang: vscode.env.language,
    });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const doc = await this.documents.document(this.uri);
    const state = this.documents.stateOf(doc);
    const message = validateStoryboardMessage(raw, (id) => state.plan.clips.some((c) => clipRef(c) === id));
    if (!message) return this.logger.warn('ignored a message from the storyboard view that is not of its protocol or names no clip of it');
    try {
      switch (message.type) {
        case 'ready':
          // Every "ready" gets the newest state: it may come from a page replaced since (its successor,
          // still loading, then misses what is posted until its own "ready", which resends it all).
          this.ready = true;
          if (this.newest) void this.panel.webview.postMessage({ type: 'state', state: this.newest } satisfies ToStoryboardPage);
          if (this.pendingPlay) void this.panel.webview.postMessage(this.pendingPlay);
          this.pendingPlay = undefined;
          return;
        case 'mediaError':
          return this.logger.warn(`the storyboard view could not play ${message.clipId ? `clip ${message.clipId}` : 'the film'} of ${this.uri.fsPath}`);
        case 'storyboard':
          if (message.action === 'generateAll') await vscode.commands.executeCommand(Commands.generateStoryboard, this.uri);
          else if (message.action === 'assemble') await vscode.commands.executeCommand(Commands.assembleStoryboard, this.uri);
          else await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(filmPath(this.uri.fsPath)));
          return;
        case 'clip':
          return await this.onClip(
            message.action,
            message.clipId,
            state.plan.clips.find((c) => clipRef(c) === message.clipId)!,
          );
      }
    } catch (error) {
      this.logger.error(`a storyboard view action failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async onClip(action: string, ref: string, plan: ClipPlan): Promise<void> {
    switch (action) {
      case 'generate':
      case 'retry':
        await vscode.commands.executeCommand(Commands.generateClip, this.uri, ref);
        return;
      case 'regenerate':
        await vscode.commands.executeCommand(Commands.generateClip, this.uri, ref, { regenerate: true });
        return;
      case 'download':
        if (plan.failed) await vscode.commands.executeCommand(Commands.downloadVideo, plan.failed.taskId);
        return;
      case 'reveal': {
        const editor = await vscode.window.showTextDocument(this.uri, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
        const line = new vscode.Range(plan.clip.lines.heading, 0, plan.clip.lines.heading, 0);
        editor.selection = new vscode.Selection(line.start, line.start);
        editor.revealRange(line, vscode.TextEditorRevealType.AtTop);
        return;
      }
      default:
        return;
    }
  }
}

// The page persists only { file }; anything else is not ours to restore.
const persisted = z.object({ file: z.string().min(1).max(4096) });

/**
 * One storyboard view per storyboard file (opening it again reveals it); views come back after a
 * window reload through the serializer.
 */
export class StoryboardPanels extends Disposable implements vscode.WebviewPanelSerializer {
  private readonly panels = new Map<string, StoryboardPanel>();

  constructor(
    private readonly documents: StoryboardDocuments,
    private readonly extensionUri: vscode.Uri,
    private readonly logger: { warn(m: string): void; error(m: string): void },
  ) {
    super();
    this._register(vscode.window.registerWebviewPanelSerializer(STORYBOARD_VIEW_TYPE, this));
    this._register(toDisposable(() => [...this.panels.values()].forEach((p) => p.dispose())));
  }

  /** Opens (or reveals) the view of a storyboard file, beside the editor. */
  open(uri: vscode.Uri, preserveFocus = false): StoryboardPanel {
    const existing = this.panels.get(uri.toString());
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      STORYBOARD_VIEW_TYPE,
      vscode.l10n.t('Storyboard'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: false },
    );
    return this.adopt(uri, panel);
  }

  get(uri: vscode.Uri): StoryboardPanel | undefined {
    return this.panels.get(uri.toString());
  }

  /** The storyboard of the view that has the focus, if one does. */
  activeUri(): vscode.Uri | undefined {
    return [...this.panels.values()].find((p) => p.panel.active)?.uri;
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = persisted.safeParse(state);
    const uri = parsed.success ? vscode.Uri.file(parsed.data.file) : undefined;
    if (!uri || !isStoryboardUri(uri) || !existsSync(uri.fsPath) || this.panels.has(uri.toString())) return panel.dispose();
    this.adopt(uri, panel);
  }

  private adopt(uri: vscode.Uri, panel: vscode.WebviewPanel): StoryboardPanel {
    const view = new StoryboardPanel(this.documents, this.extensionUri, uri, panel, this.logger);
    this.panels.set(uri.toString(), view);
    panel.onDidDispose(() => {
      if (this.panels.get(uri.toString()) === view) this.panels.delete(uri.toString());
    });
    return view;
  }
}
