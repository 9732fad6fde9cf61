import { z } from 'zod';
import type { FromPreview, FromSidebar } from '../../webview/protocol';

const id = z.string().min(1).max(300);

const fromSidebar = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('action'), action: z.enum(['play', 'openFile', 'copyUrl', 'download', 'remix', 'retry', 'remove']), id }),
  z.object({ type: z.literal('command'), command: z.enum(['setKey', 'generate', 'gettingStarted']) }),
]);

const fromPreview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('action'), action: z.enum(['openFile', 'reveal', 'copyUrl', 'download']), id }),
  z.object({ type: z.literal('mediaError'), id }),
]);

/** A webview is untrusted input: anything not exactly of the protocol's shape is dropped. */
export function parseSidebarMessage(value: unknown): FromSidebar | undefined {
  const r = fromSidebar.safeParse(value);
  return r.success ? r.data : undefined;
}

export function parsePreviewMessage(value: unknown): FromPreview | undefined {
  const r = fromPreview.safeParse(value);
  return r.success ? r.data : undefined;
}
