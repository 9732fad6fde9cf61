import * as vscode from 'vscode';

/** Every listener, watcher and panel is registered at the line that creates it; `dispose()` ends them all. */
export abstract class Disposable implements vscode.Disposable {
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  protected _register<T extends vscode.Disposable>(value: T): T {
    if (this.disposed) value.dispose();
    else this.disposables.push(value);
    return value;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    while (this.disposables.length) {
      try {
        this.disposables.pop()!.dispose();
      } catch {
        // one failing disposable must not keep the rest alive
      }
    }
  }
}

export function toDisposable(fn: () => void): vscode.Disposable {
  return { dispose: fn };
}
