import * as vscode from 'vscode';
import type { VideoEngine } from '../core/engine';
import { isActive } from '../core/phase';
import { Commands } from './commands/ids';
import { statusBarWords } from './statusWords';
import { Disposable, toDisposable } from './util/dispose';

/** "$(loading~spin) Veo 3.1 Fast · 16:9 · 8 s · 42%" while anything runs (statusWords.ts); click to show the videos. */
export class SoraStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('juxinSora.status', vscode.StatusBarAlignment.Left, 50));

  constructor(private readonly engine: VideoEngine) {
    super();
    this.item.name = vscode.l10n.t('Juxin AI Video');
    this.item.command = Commands.showVideos;
    this._register(toDisposable(engine.onDidChange(() => this.update())));
    this._register(toDisposable(engine.onDidRemove(() => this.update())));
    this.update();
    // Made before the history is read: what runs in it shows once it can be (changes follow as events).
    void engine.whenAvailable().then(
      () => !this.isDisposed && this.update(),
      () => undefined,
    );
  }

  private update(): void {
    const words = statusBarWords(this.engine.list({}).filter(isActive), vscode.l10n);
    if (!words) return this.item.hide();
    this.item.text = words.text;
    this.item.tooltip = words.tooltip;
    this.item.show();
  }
}
