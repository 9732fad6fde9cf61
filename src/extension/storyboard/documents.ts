import * as vscode from 'vscode';
import type { VideoEngine } from '../../core/engine';
import type { TaskRecord } from '../../core/types';
import { concernsStoryboard, currentStoryboardLink, storyboardState, type StoryboardState } from '../../storyboard';
import { Disposable, toDisposable } from '../util/dispose';

/** A storyboard is a `*.storyboard.md` file on disk (its clips' videos are tied to the file's path). */
export function isStoryboardUri(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && /\.storyboard\.md$/i.test(uri.fsPath);
}

export function isStoryboardDocument(doc: vscode.TextDocument): boolean {
  return isStoryboardUri(doc.uri);
}

/** The workspace folders: older records name a storyboard inside one relative to it. */
export function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/**
 * The one owner of "where does each clip of this storyboard stand" in VS Code: the document's text
 * (unsaved edits included) compared with the shared task history. CodeLens, diagnostics, the
 * storyboard view and the commands all read `stateOf`; `onDidChange` says which storyboard changed,
 * whether its text changed or a task of one of its clips did (in this window or any other process).
 */
export class StoryboardDocuments extends Disposable {
  private readonly cache = new Map<string, { version: number; history: number; state: StoryboardState }>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  /** Fired (at most every 150 ms per file) when a storyboard's text or one of its clips' tasks changed. */
  readonly onDidChange = this.changed.event;
  private history = 0;
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly engine: VideoEngine) {
    super();
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (isStoryboardDocument(e.document) && e.contentChanges.length) this.fire(e.document.uri);
      }),
    );
    this._register(vscode.workspace.onDidOpenTextDocument((doc) => isStoryboardDocument(doc) && this.fire(doc.uri)));
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => this.cache.delete(doc.uri.toString())));
    const onTask = (task: TaskRecord) => {
      if (!task.storyboard) return;
      this.history++;
      for (const doc of this.open()) if (concernsStoryboard(task, doc.uri.fsPath, workspaceRoots())) this.fire(doc.uri);
    };
    this._register(toDisposable(engine.onDidChange(onTask)));
    this._register(
      toDisposable(
        engine.onDidRemove(() => {
          this.history++;
          for (const doc of this.open()) this.fire(doc.uri);
        }),
      ),
    );
    this._register(toDisposable(() => this.pending.forEach((t) => clearTimeout(t))));
    // Registered before the history is read (activation does not wait for it): once it can be shown,
    // every open storyboard is looked at again (what the files then say differently comes as changes).
    // Records of older versions name storyboards relative to this workspace: the standalone server (no
    // workspace) finds them once they name the real path. Done when the history is read, and again when the folders change.
    void engine.whenAvailable().then(
      () => {
        this.history++;
        for (const doc of this.open()) this.fire(doc.uri);
        void this.updateOldLinks();
      },
      () => undefined,
    );
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.updateOldLinks()));
  }

  private async updateOldLinks(): Promise<void> {
    try {
      await this.engine.relinkStoryboards((link) => currentStoryboardLink(link.file, workspaceRoots()));
    } catch {
      // The history could not be read: the old links still match here (against the workspace folders).
    }
  }

  /** The storyboards open in VS Code (editors or not). */
  open(): vscode.TextDocument[] {
    return vscode.workspace.textDocuments.filter(isStoryboardDocument);
  }

  stateOf(doc: vscode.TextDocument): StoryboardState {
    const key = doc.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === doc.version && cached.history === this.history) return cached.state;
    const state = storyboardState(doc.getText(), doc.uri.fsPath, this.engine.list({}), workspaceRoots());
    this.cache.set(key, { version: doc.version, history: this.history, state });
    return state;
  }

  /** Opens (loads, without showing) the storyboard at this file. */
  async document(uri: vscode.Uri): Promise<vscode.TextDocument> {
    return vscode.workspace.openTextDocument(uri);
  }

  private fire(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.pending.has(key)) return;
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        if (!this.isDisposed) this.changed.fire(uri);
      }, 150),
    );
  }
}
