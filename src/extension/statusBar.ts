import * as vscode from 'vscode';
import type { VideoEngine } from '../core/engine';
import { isActive } from '../core/phase';
import { Commands } from './commands/ids';
import { Disposable, toDisposable } from './util/dispose';

/** "$(loading~spin) Sora 1 · 42%" while anything runs; click to show the videos. */
export class SoraStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('juxinSora.status', vscode.StatusBarAlignment.Left, 50));

  constructor(private readonly engine: VideoEngine) {
    super();
    this.item.name = 'Juxin Sora';
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
    const running = this.engine.list({}).filter(isActive);
    if (!running.length) return this.item.hide();
    const avg = Math.round(running.reduce((a, t) => a + (t.status === 'completed' ? 100 : t.progress), 0) / running.length);
    this.item.text = `$(loading~spin) Sora ${running.length} · ${avg}%`;
    this.item.tooltip = vscode.l10n.t('{0} video(s) generating — click to show the Sora videos', running.length);
    this.item.show();
  }
}
