/**
 * Changes to a storyboard file are line edits on the text the person wrote, never a rewrite of the
 * whole file: everything else (notes, comments, spacing, the order of things) stays as it was. The
 * shape is VS Code's TextEdit, so the extension can apply them as one undoable WorkspaceEdit.
 */
export interface TextEdit {
  /** 0-based, inclusive start line; the edit replaces whole lines `start..end-1` (end exclusive). */
  range: { start: number; end: number };
  /** The new lines, each without its line break. */
  lines: string[];
}

/** The line break the file already uses (CRLF files stay CRLF). */
export function lineBreakOf(text: string): '\n' | '\r\n' {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Applies edits that don't overlap (in any order) to the text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const eol = lineBreakOf(text);
  const lines = splitLines(text);
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start || b.range.end - a.range.end);
  let floor = Infinity;
  for (const edit of sorted) {
    if (edit.range.end > floor) throw new Error('storyboard edits overlap');
    lines.splice(edit.range.start, edit.range.end - edit.range.start, ...edit.lines);
    floor = edit.range.start;
  }
  return lines.join(eol);
}
