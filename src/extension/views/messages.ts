import { z } from 'zod';
import type { FromPreview, FromSidebar, PreviewAction, SidebarCommand, TaskAction } from '../../webview/protocol';

// A page is untrusted input (a compromised page could send anything): only exact protocol shapes pass.
const taskId = z.string().min(1).max(300);
const taskActions = ['play', 'openFile', 'copyUrl', 'download', 'remix', 'retry', 'remove'] as const satisfies readonly TaskAction[];
const sidebarCommands = ['setKey', 'generate', 'gettingStarted'] as const satisfies readonly SidebarCommand[];
const previewActions = ['openFile', 'reveal', 'copyUrl', 'download', 'playExternal'] as const satisfies readonly PreviewAction[];

const fromSidebar = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('action'), action: z.enum(taskActions), id: taskId }),
  z.object({ type: z.literal('command'), command: z.enum(sidebarCommands) }),
]);

const fromPreview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('action'), action: z.enum(previewActions), id: taskId }),
  z.object({ type: z.literal('mediaError'), id: taskId }),
]);

/** The message if it has exactly a protocol shape, else undefined. */
export function parseSidebarMessage(value: unknown): FromSidebar | undefined {
  const r = fromSidebar.safeParse(value);
  return r.success ? r.data : undefined;
}

export function parsePreviewMessage(value: unknown): FromPreview | undefined {
  const r = fromPreview.safeParse(value);
  return r.success ? r.data : undefined;
}

/** A sidebar message that is well formed and, if it names a task, names one the engine has. */
export function validateSidebarMessage(value: unknown, taskExists: (id: string) => boolean): FromSidebar | undefined {
  const message = parseSidebarMessage(value);
  if (message?.type === 'action' && !taskExists(message.id)) return undefined;
  return message;
}

/** A preview message that is well formed and about this panel's task, which must still exist. */
export function validatePreviewMessage(value: unknown, panelTaskId: string, taskExists: (id: string) => boolean): FromPreview | undefined {
  const message = parsePreviewMessage(value);
  if (message && message.type !== 'ready' && (message.id !== panelTaskId || !taskExists(message.id))) return undefined;
  return message;
}
