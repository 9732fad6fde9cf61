import path from 'node:path';
import * as vscode from 'vscode';
import { applyEdits, ensureClipIdsEdits, takenClipIds, type TextEdit } from '../../storyboard';
import { isStoryboardDocument, isStoryboardUri, type StoryboardDocuments } from './documents';

/** A storyboard named by a command's argument (a Uri or a path), or the one the person is looking at. */
export async function resolveStoryboard(arg: unknown, activeView: () => vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const given = arg instanceof vscode.Uri ? arg : typeof arg === 'string' && path.isAbsolute(arg) ? vscode.Uri.file(arg) : undefined;
  if (given) {
    if (isStoryboardUri(given)) return given;
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not a storyboard (a .storyboard.md file).', path.basename(given.fsPath)));
    return undefined;
  }
  const editor = vscode.window.activeTextEditor?.document;
  if (editor && isStoryboardDocument(editor)) return editor.uri;
  const view = activeView();
  if (view) return view;
  const open = vscode.workspace.textDocuments.filter(isStoryboardDocument).map((d) => d.uri);
  const found = open.length ? open : await vscode.workspace.findFiles('**/*.storyboard.md', '**/node_modules/**', 50);
  if (found.length === 1) return found[0];
  if (!found.length) {
    const create = vscode.l10n.t('New Storyboard from Subtitles…');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('No storyboard is open. Make one from a subtitle file (.srt), or start an empty one.'),
      create,
    );
    if (choice === create) await vscode.commands.executeCommand('juxinSora.storyboard.newFromSubtitles');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: vscode.l10n.t('Which storyboard?') },
  );
  return picked?.uri;
}

/** Applies the storyboard modules' line edits to a document as one undoable edit. */
export async function applyLineEdits(doc: vscode.TextDocument, edits: readonly TextEdit[]): Promise<boolean> {
  if (!edits.length) return true;
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) {
    const start = new vscode.Position(e.range.start, 0);
    // Replacing up to the start of line `end` keeps the line break after the last replaced line.
    const end = e.range.end < doc.lineCount ? new vscode.Position(e.range.end, 0) : doc.lineAt(doc.lineCount - 1).range.end;
    const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const atEnd = e.range.end >= doc.lineCount;
    const text = e.lines.length ? e.lines.join(eol) + (atEnd ? '' : eol) : '';
    edit.replace(doc.uri, new vscode.Range(start, end), text);
  }
  return vscode.workspace.applyEdit(edit);
}

/**
 * Gives every clip an id (it ties the clip to its videos in the history) and saves the file, so
 * the link holds whoever reads the file next: another window, the MCP server, git.
 */
export async function prepareForGeneration(documents: StoryboardDocuments, uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await documents.document(uri);
  // A file just written on disk may still be read again by VS Code (its change event comes late on a busy
  // machine), which takes the edit back: the ids are added and saved until they are there and on disk.
  for (let attempt = 0; attempt < 3; attempt++) {
    const edits = ensureClipIdsEdits(doc.getText(), { taken: takenClipIds(documents.stateOf(doc).records) });
    if (!edits.length && !doc.isDirty) return doc;
    if (edits.length && !(await applyLineEdits(doc, edits))) {
      throw new Error(vscode.l10n.t('The clip ids could not be added to {0}: is the file read-only?', path.basename(uri.fsPath)));
    }
    if (doc.isDirty) await doc.save();
  }
  if (doc.isDirty || ensureClipIdsEdits(doc.getText(), { taken: takenClipIds(documents.stateOf(doc).records) }).length) {
    throw new Error(vscode.l10n.t('{0} could not be saved with its clip ids: save it (Ctrl+S), then generate again.', path.basename(uri.fsPath)));
  }
  return doc;
}

/** The text a document would have after the edits (for checks before applying them). */
export function previewEdits(doc: vscode.TextDocument, edits: readonly TextEdit[]): string {
  return applyEdits(doc.getText(), edits);
}
