import { z } from 'zod';
import { SOURCE_KINDS, TASK_PHASES } from '../../core/query';
import { MAX_PAGE, type FromPreview, type FromSidebar, type PreviewAction, type SidebarCommand, type TaskAction } from '../../webview/protocol';
import { VIDEOS_VIEW_ID } from '../commands/ids';

// A page is untrusted input (a compromised page could send anything): only exact protocol shapes pass.
const taskId = z.string().min(1).max(300);
export const TASK_ACTIONS = ['play', 'openFile', 'reveal', 'copyUrl', 'download', 'remix', 'retry', 'remove'] as const satisfies readonly TaskAction[];
const sidebarCommands = ['setKey', 'generate', 'gettingStarted'] as const satisfies readonly SidebarCommand[];
const previewActions = ['openFile', 'reveal', 'copyUrl', 'download', 'playExternal'] as const satisfies readonly PreviewAction[];
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const offset = z.number().int().min(0).max(10_000_000);
const limit = z.number().int().min(1).max(MAX_PAGE);

const fromSidebar = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('query'),
    seq,
    query: z.object({
      text: z.string().max(500),
      phases: z.array(z.enum(TASK_PHASES as [string, ...string[]])).max(TASK_PHASES.length),
      sources: z.array(z.enum(SOURCE_KINDS as [string, ...string[]])).max(SOURCE_KINDS.length),
    }),
    timeZone: z.string().max(64),
    offset,
    limit,
  }),
  z.object({ type: z.literal('page'), seq, offset, limit }),
  z.object({ type: z.literal('action'), action: z.enum(TASK_ACTIONS), id: taskId }),
  z.object({ type: z.literal('command'), command: z.enum(sidebarCommands) }),
  z.object({ type: z.literal('hover'), id: taskId }),
]);

const fromPreview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('action'), action: z.enum(previewActions), id: taskId }),
  z.object({ type: z.literal('mediaError'), id: taskId }),
]);

/** What VS Code passes to a `webview/context` menu command: the card's data-vscode-context and the view. */
const taskMenuContext = z.object({ webview: z.literal(VIDEOS_VIEW_ID), taskId, menuToken: z.string().min(16).max(200) });

/** The message if it has exactly a protocol shape, else undefined. */
export function parseSidebarMessage(value: unknown): FromSidebar | undefined {
  const r = fromSidebar.safeParse(value);
  return r.success ? (r.data as FromSidebar) : undefined;
}

export function parsePreviewMessage(value: unknown): FromPreview | undefined {
  const r = fromPreview.safeParse(value);
  return r.success ? r.data : undefined;
}

/** A sidebar message that is well formed and, if it names a task, names one the engine has. */
export function validateSidebarMessage(value: unknown, taskExists: (id: string) => boolean): FromSidebar | undefined {
  const message = parseSidebarMessage(value);
  if ((message?.type === 'action' || message?.type === 'hover') && !taskExists(message.id)) return undefined;
  return message;
}

/**
 * The task a context-menu command was run on, if the argument is the Videos view's own (it carries the
 * view's token, which no other extension can read) and the task exists.
 */
export function taskFromMenuContext(value: unknown, taskExists: (id: string) => boolean, menuToken: string): string | undefined {
  const r = taskMenuContext.safeParse(value);
  return r.success && r.data.menuToken === menuToken && taskExists(r.data.taskId) ? r.data.taskId : undefined;
}

/** A preview message that is well formed and about this panel's task, which must still exist. */
export function validatePreviewMessage(value: unknown, panelTaskId: string, taskExists: (id: string) => boolean): FromPreview | undefined {
  const message = parsePreviewMessage(value);
  if (message && message.type !== 'ready' && (message.id !== panelTaskId || !taskExists(message.id))) return undefined;
  return message;
}
