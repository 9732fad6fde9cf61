import * as vscode from 'vscode';
import type { CharacterRecord } from '../../core/characters';
import type { StoryboardDocuments } from './documents';
import { castSuggestions } from './editorModel';

/** Typing `@` in a storyboard suggests the cast (front matter) and every character created on this machine. */
export class CastCompletionProvider implements vscode.CompletionItemProvider {
  constructor(
    private readonly documents: StoryboardDocuments,
    private readonly characters: () => Promise<CharacterRecord[]>,
  ) {}

  async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
    const before = doc.lineAt(position.line).text.slice(0, position.character);
    const typed = /@([^\s@]*)$/.exec(before);
    if (!typed) return [];
    const state = this.documents.stateOf(doc);
    const inFrontMatter = position.line > 0 && position.line < frontMatterEnd(doc);
    const characters = await this.characters().catch(() => []);
    const range = new vscode.Range(position.line, position.character - typed[1].length, position.line, position.character);
    return castSuggestions(state.parsed.storyboard.cast, characters, inFrontMatter, {
      cast: vscode.l10n.t('in the cast'),
      character: vscode.l10n.t('a character created on this machine'),
    }).map((s, i) => {
      const item = new vscode.CompletionItem(s.label, s.kind === 'cast' ? vscode.CompletionItemKind.User : vscode.CompletionItemKind.Reference);
      item.insertText = s.insert;
      item.filterText = s.insert;
      item.range = range;
      item.detail = s.detail;
      item.sortText = String(i).padStart(4, '0');
      return item;
    });
  }
}

/** The line of the front matter's closing `---` (0 when there is none). */
function frontMatterEnd(doc: vscode.TextDocument): number {
  if (!/^(\uFEFF)?---\s*$/.test(doc.lineAt(0).text)) return 0;
  for (let i = 1; i < Math.min(doc.lineCount, 500); i++) if (/^(---|\.\.\.)\s*$/.test(doc.lineAt(i).text)) return i;
  return 0;
}
