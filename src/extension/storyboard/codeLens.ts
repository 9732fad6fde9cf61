import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import { isStoryboardDocument, type StoryboardDocuments } from './documents';
import { storyboardLenses, type LensWords } from './editorModel';
import { clipStatusWords } from './words';

function lensWords(): LensWords {
  return {
    status: clipStatusWords(),
    generateAll: vscode.l10n.t('Generate All ({0})', '{0}'),
    assemble: vscode.l10n.t('Assemble Film'),
    openView: vscode.l10n.t('Open Storyboard View'),
    writeShots: vscode.l10n.t('Write the Shots with Copilot'),
    play: vscode.l10n.t('Play'),
    generate: vscode.l10n.t('Generate'),
    regenerate: vscode.l10n.t('Regenerate'),
    retry: vscode.l10n.t('Retry'),
    download: vscode.l10n.t('Download'),
    summary: vscode.l10n.t('{0} of {1} clips ready', '{0}', '{1}'),
  };
}

/** CodeLens in `*.storyboard.md`, live: it changes whenever the file or a clip's task does. */
export class StoryboardCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  private waiting = false;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly documents: StoryboardDocuments) {
    super();
    this._register(documents.onDidChange(() => this.signal()));
    this._register({ dispose: () => clearTimeout(this.timer) });
  }

  /**
   * VS Code restarts its own CodeLens delay on every change event, so events as frequent as progress
   * (three clips, several answers a second) would keep the lenses from ever being drawn again. One
   * event, then none until VS Code has asked for the lenses (or 10 s passed, the editor being hidden).
   */
  private signal(): void {
    if (this.waiting) {
      this.dirty = true;
      return;
    }
    this.waiting = true;
    this.dirty = false;
    this.changed.fire();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.asked(), 10_000);
  }

  private asked(): void {
    this.waiting = false;
    clearTimeout(this.timer);
    if (this.dirty && !this.isDisposed) this.timer = setTimeout(() => this.signal(), 300);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (this.waiting) this.asked();
    if (!isStoryboardDocument(doc)) return [];
    return storyboardLenses(this.documents.stateOf(doc), doc.uri, lensWords()).map((spec) => {
      const range = new vscode.Range(spec.line, 0, spec.line, 0);
      return new vscode.CodeLens(range, { title: spec.title, command: spec.command, arguments: spec.args, tooltip: spec.tooltip });
    });
  }
}
