import path from 'node:path';
import * as vscode from 'vscode';
import type { CharacterRecord } from '../../core/characters';
import type { VideoEngine } from '../../core/engine';
import { setCastMemberEdits } from '../../storyboard';
import { Commands } from '../commands/ids';
import { Disposable } from '../util/dispose';
import { type StoryboardDocuments } from './documents';
import { applyLineEdits, resolveStoryboard } from './target';

/** A cast name people can type after `@`: one word from the username's first part (`@mikacafe.rainy` → `Mikacafe`). */
export function suggestedCastName(username: string): string {
  const word = username.replace(/^@/, '').split(/[._-]/)[0] ?? '';
  return word ? word[0].toUpperCase() + word.slice(1) : 'Character';
}

/** Where a character came from, in a few words. */
function sourceText(c: CharacterRecord): string {
  if ('fromTask' in c.source) return vscode.l10n.t('from video {0}', c.source.fromTask.slice(-8));
  try {
    return vscode.l10n.t('from {0}', new URL(c.source.url).host);
  } catch {
    return c.source.url.slice(0, 40);
  }
}

/**
 * "Characters" in the Sora sidebar: every character created on this machine (kept in the shared
 * history by `engine.createCharacter`, so also those made by Copilot or another window), newest
 * first, to copy as `@username` or to add to the open storyboard's cast.
 */
export class CharactersView extends Disposable implements vscode.TreeDataProvider<CharacterRecord> {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly engine: VideoEngine,
    home: string,
  ) {
    super();
    // Another window or server adds characters to the same file.
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(home), 'characters.json')));
    this._register(watcher.onDidChange(() => this.refresh()));
    this._register(watcher.onDidCreate(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire();
  }

  getChildren(element?: CharacterRecord): Promise<CharacterRecord[]> {
    return element ? Promise.resolve([]) : this.engine.characters();
  }

  getTreeItem(c: CharacterRecord): vscode.TreeItem {
    const item = new vscode.TreeItem(`@${c.username}`, vscode.TreeItemCollapsibleState.None);
    item.id = c.id;
    item.description = `${sourceText(c)} · ${new Date(c.createdAt).toLocaleDateString(vscode.env.language)}`;
    item.tooltip = new vscode.MarkdownString(
      [`**@${c.username}**`, sourceText(c), c.permalink && /^https:/.test(c.permalink) ? `[${vscode.l10n.t('Open on Sora')}](${c.permalink})` : '']
        .filter(Boolean)
        .join('\n\n'),
    );
    item.iconPath = c.profilePictureUrl && /^https:\/\//.test(c.profilePictureUrl) ? vscode.Uri.parse(c.profilePictureUrl) : new vscode.ThemeIcon('person');
    item.contextValue = 'juxinSora.character';
    item.command = { title: vscode.l10n.t('Copy @username'), command: Commands.copyCharacter, arguments: [c] };
    return item;
  }
}

function usernameOf(arg: unknown): string | undefined {
  const raw = typeof arg === 'string' ? arg : typeof arg === 'object' && arg && 'username' in arg ? String((arg as { username: unknown }).username) : undefined;
  const username = raw?.trim().replace(/^@/, '');
  return username && /^[A-Za-z0-9_.-]{1,100}$/.test(username) ? username : undefined;
}

async function pickCharacter(engine: VideoEngine): Promise<string | undefined> {
  const all = await engine.characters();
  if (!all.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No characters yet. Run "Sora: Create Character…" to make one from a video.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((c) => ({ label: `@${c.username}`, description: sourceText(c), username: c.username })),
    { placeHolder: vscode.l10n.t('Which character?') },
  );
  return picked?.username;
}

export function registerCharacters(
  engine: VideoEngine,
  home: string,
  documents: StoryboardDocuments,
  activeStoryboardView: () => vscode.Uri | undefined,
): vscode.Disposable {
  const view = new CharactersView(engine, home);
  const tree = vscode.window.createTreeView('juxinSora.characters', { treeDataProvider: view, showCollapseAll: false });
  // The view shows once it has something to do: characters exist, or a storyboard is open.
  const updateShown = async () => {
    const shown = documents.open().length > 0 || (await engine.characters().catch(() => [])).length > 0;
    await vscode.commands.executeCommand('setContext', 'juxinSora.showCharacters', shown);
  };
  void updateShown();
  const disposables: vscode.Disposable[] = [
    view,
    tree,
    view.onDidChangeTreeData(() => void updateShown()),
    documents.onDidChange(() => void updateShown()),
    vscode.workspace.onDidCloseTextDocument(() => void updateShown()),
    tree.onDidChangeVisibility((e) => e.visible && view.refresh()),
    vscode.commands.registerCommand(Commands.refreshCharacters, () => view.refresh()),
    vscode.commands.registerCommand(Commands.copyCharacter, async (arg?: unknown) => {
      const username = usernameOf(arg) ?? (await pickCharacter(engine));
      if (!username) return undefined;
      await vscode.env.clipboard.writeText(`@${username}`);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied @{0}', username), 3000);
      return `@${username}`;
    }),
    vscode.commands.registerCommand(Commands.addCharacterToCast, async (arg?: unknown, target?: unknown, name?: unknown) => {
      const username = usernameOf(arg) ?? (await pickCharacter(engine));
      if (!username) return undefined;
      const uri = await resolveStoryboard(target, activeStoryboardView);
      if (!uri) return undefined;
      const chosen =
        typeof name === 'string'
          ? name
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Add @{0} to the cast of {1}', username, path.basename(uri.fsPath)),
              prompt: vscode.l10n.t('The name you will write in prompts as @name (one word)'),
              value: suggestedCastName(username),
              validateInput: (v) => (/^[^\s@:#]+$/.test(v.trim()) ? undefined : vscode.l10n.t('One word, without spaces, "@", ":" or "#".')),
            });
      if (!chosen?.trim()) return undefined;
      const doc = await documents.document(uri);
      try {
        await applyLineEdits(doc, setCastMemberEdits(doc.getText(), { name: chosen.trim(), username: `@${username}` }));
      } catch (error) {
        void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
        return undefined;
      }
      void vscode.window.setStatusBarMessage(vscode.l10n.t('@{0} is in the cast as @{1}', username, chosen.trim()), 4000);
      return chosen.trim();
    }),
  ];
  return vscode.Disposable.from(...disposables);
}
