import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSpec } from './faults';
import { sendText } from './http';
import { jobState } from './jobs';
import { serveTaskVideo, type FileContext } from './files';
import { STORAGE_DENIED_XML, STORAGE_MISSING_XML } from './shapes';
import { serveFile } from './video';
import type { RelayTask } from './wire';

/**
 * The other host: object storage where the real relay's finished videos live (`https://<bucket>.oss-…/sora/<uuid>.mp4`),
 * unsigned and long-lived. It listens on a port of its own, so for a client it is another origin: the API key
 * must never arrive here. Every request is recorded with whether an Authorization header came along.
 */

const IMAGES: Record<string, { type: string; media: 'thumbnail' | 'gif' }> = {
  webp: { type: 'image/webp', media: 'thumbnail' },
  gif: { type: 'image/gif', media: 'gif' },
};

export interface StorageContext extends FileContext {
  /** The task whose storage file is `<uuid>`. */
  byFile(file: string): RelayTask | undefined;
}

/** Whether a storage path is a video (download faults apply to those only). */
export const isStorageVideo = (path: string): boolean => path.endsWith('.mp4');

/** `/sora/<uuid>.mp4` (and `.webp`, `.gif`); returns the status sent and the task it served. */
export function handleStorage(
  ctx: StorageContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  fault: FaultSpec | undefined,
): { status: number; taskId?: string } {
  const m = /^\/sora\/([0-9a-f-]{36})\.(mp4|webp|gif)$/.exec(url.pathname);
  const task = m ? ctx.byFile(m[1]) : undefined;
  if (!m || !task || jobState(task, ctx.now()).status !== 'completed' || (req.method !== 'GET' && req.method !== 'HEAD')) {
    sendText(res, 404, 'application/xml', STORAGE_MISSING_XML);
    return { status: 404, taskId: task?.id };
  }
  const image = IMAGES[m[2]];
  if (image) return { status: serveFile(req, res, { file: ctx.media[image.media] }, { contentType: image.type }), taskId: task.id };
  // #sim:expired: the link is dead whatever it looks like.
  if (task.markers.expired || fault?.kind === 'expired_url') {
    sendText(res, 403, 'application/xml', STORAGE_DENIED_XML);
    return { status: 403, taskId: task.id };
  }
  return { status: serveTaskVideo(ctx, req, res, task, fault), taskId: task.id };
}
