import * as vscode from 'vscode';
import type { StoryboardDocuments } from './documents';

/** The code of a diagnostic whose value the quick fix replaces (a retired model). */
export const REPLACEABLE = 'juxinSora.replaceValue';

/**
 * The Quick Fix of a storyboard problem that names its own fix (a retired model → the model to use
 * instead, `replacementModel()`): one edit of the value on its line, undoable like any edit. What the
 * new model does not take (a duration, a size) is then flagged at its own line.
 */
export class StoryboardQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly documents: StoryboardDocuments) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const fixable = context.diagnostics.filter((d) => d.code === REPLACEABLE);
    if (!fixable.length) return [];
    const problems = this.documents.stateOf(doc).parsed.problems;
    return fixable.flatMap((diagnostic) => {
      const line = diagnostic.range.start.line;
      const fix = problems.find((p) => p.fix && p.line === line)?.fix;
      if (!fix || line >= doc.lineCount) return [];
      // The value stands after the key's colon (a key may be written in Chinese, with a full-width colon).
      const text = doc.lineAt(line).text;
      const at = text.indexOf(fix.from, text.search(/[:：]/) + 1);
      if (at < 0) return [];
      const action = new vscode.CodeAction(vscode.l10n.t('Switch the model to {0}', fix.to), vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, new vscode.Range(line, at, line, at + fix.from.length), fix.to);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      return [action];
    });
  }
}
