/**
 * Where a task came from. One history is shared by every VS Code window and every MCP client on the
 * machine, so "from Copilot" is not enough: the MCP client names itself (clientInfo in initialize),
 * and the process kind says whether the VS Code extension or the standalone server created it.
 * Pure, so the pages use it too.
 */
export type OriginKind = 'palette' | 'mcp' | 'storyboard' | 'cli';

export interface TaskOrigin {
  /** palette: the user's own UI in VS Code (commands, views); mcp: any MCP client; storyboard: a storyboard batch; cli: demo, bench. */
  kind: OriginKind;
  /** The MCP client's own name (clientInfo.title or name), e.g. "Visual Studio Code", "Claude Desktop", "Cursor". */
  client?: string;
  /** The process that created it: the VS Code extension host, or the standalone stdio server. */
  host?: 'vscode' | 'stdio';
  /** The storyboard file a storyboard task belongs to, as its link names it (`StoryboardLink.file`). */
  storyboard?: string;
}

/** The origin of a record, also for records written before origins existed (they only had `source`). */
export function originOf(task: { source: string; origin?: TaskOrigin }): TaskOrigin {
  if (task.origin) return task.origin;
  switch (task.source) {
    case 'vscode':
      return { kind: 'palette', host: 'vscode' };
    case 'mcp':
      return { kind: 'mcp' };
    case 'cli':
    case 'demo':
    case 'bench':
      return { kind: 'cli' };
    default:
      return { kind: 'mcp', client: task.source };
  }
}

/** The legacy `source` word kept in records for older readers of the same history. */
export function legacySource(origin: TaskOrigin): string {
  return origin.kind === 'palette' ? 'vscode' : origin.kind;
}

/** VS Code's own MCP client (Copilot agent mode) names itself so. */
export function isVsCodeClient(client: string | undefined): boolean {
  return client !== undefined && /visual studio code|vscode|vs code|code - oss|code-server/i.test(client);
}
