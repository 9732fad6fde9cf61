import * as vscode from 'vscode';

const SECRET_ID = 'juxinSora.apiKey';

/** A key pasted by a person: trimmed, one line, no spaces, the shape Juxin keys have. */
export function checkKeyShape(value: string): string | undefined {
  const key = value.trim();
  if (!key) return vscode.l10n.t('Paste your Juxin API key (it starts with sk-).');
  if (/\s/.test(key)) return vscode.l10n.t('The key must not contain spaces or line breaks.');
  if (!/^sk-[A-Za-z0-9_-]{8,}$/.test(key)) return vscode.l10n.t('That does not look like a Juxin key: it starts with sk- followed by letters and digits.');
  return undefined;
}

/** The API key, kept only in SecretStorage (and in memory while the extension runs). */
export class ApiKeyStore implements vscode.Disposable {
  private cached: string | undefined;
  private loaded = false;
  /** Bumped by every write and every change event: a read that finishes after a newer one is dropped. */
  private generation = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange(async (e) => {
      if (e.key !== SECRET_ID) return;
      // Our own writes fire this too; only a change made elsewhere (another window) needs the re-read.
      const generation = ++this.generation;
      const value = await secrets.get(SECRET_ID);
      if (generation !== this.generation || value === this.cached) return;
      this.cached = value;
      this.changed.fire();
    });
  }

  async get(): Promise<string | undefined> {
    if (!this.loaded) {
      this.cached = await this.secrets.get(SECRET_ID);
      this.loaded = true;
    }
    return this.cached;
  }

  /** The key as last read (for synchronous checks); `get()` must have run once. */
  get current(): string | undefined {
    return this.cached;
  }

  async set(key: string): Promise<void> {
    this.generation++;
    this.cached = key.trim();
    this.loaded = true;
    await this.secrets.store(SECRET_ID, this.cached);
    this.changed.fire();
  }

  async delete(): Promise<void> {
    this.generation++;
    this.cached = undefined;
    this.loaded = true;
    await this.secrets.delete(SECRET_ID);
    this.changed.fire();
  }

  /** Asks for the key in a password box. Returns undefined if the person cancels. */
  async prompt(): Promise<string | undefined> {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Juxin API key'),
      prompt: vscode.l10n.t("Paste the key from the Juxin console (api.jxincm.cn). It is stored in VS Code's secret storage, never in settings."),
      placeHolder: 'sk-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: checkKeyShape,
    });
    if (key === undefined) return undefined;
    await this.set(key);
    return key.trim();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
