import * as vscode from 'vscode';
import { isChinese } from '../messages';
import { Disposable } from '../util/dispose';
import { isStoryboardDocument, type StoryboardDocuments } from './documents';
import { problemMessage } from './editorModel';
import { REPLACEABLE } from './quickFix';

/** The parser's problems of every open storyboard, at their lines, in the UI language. */
export class StoryboardDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('juxinSora.storyboard'));

  constructor(private readonly documents: StoryboardDocuments) {
    super();
    this._register(documents.onDidChange((uri) => this.refresh(uri)));
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => this.collection.delete(doc.uri)));
    for (const doc of documents.open()) this.update(doc);
  }

  private refresh(uri: vscode.Uri): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc) this.update(doc);
  }

  private update(doc: vscode.TextDocument): void {
    if (!isStoryboardDocument(doc)) return;
    const chinese = isChinese();
    const { problems } = this.documents.stateOf(doc).parsed;
    this.collection.set(
      doc.uri,
      problems.map((p) => {
        const line = Math.min(p.line, doc.lineCount - 1);
        const diagnostic = new vscode.Diagnostic(
          doc.lineAt(line).range,
          problemMessage(p, chinese),
          p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
        diagnostic.source = chinese ? '分镜' : 'storyboard';
        // A problem that names its fix gets the Quick Fix (quickFix.ts).
        if (p.fix) diagnostic.code = REPLACEABLE;
        return diagnostic;
      }),
    );
  }
}
