import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSpec } from './faults';
import { sendText } from './http';
import type { SimTask } from './jobs';
import type { SimClip } from './markers';
import { STORAGE_DENIED_XML } from './shapes';
import { serveFile, sourceSize, type VideoSource } from './video';

/**
 * The storage side: signed, expiring file URLs like the ones the relay hands out
 * (`/files/<encoded id>/src.mp4?st=…&se=<ISO expiry>&sp=r&sig=<hmac>`), and serving them.
 */

/** The three names a task's video goes by: `video_url`, `detail.url`, `detail.draft_info.downloadable_url`. */
export const VIDEO_NAMES = ['src.mp4', 'detail-src.mp4', 'downloadable.mp4'] as const;
const IMAGE_TYPES: Record<string, string> = { 'thumbnail.webp': 'image/webp', 'preview.gif': 'image/gif' };

/** Seconds precision, like the vendor's `se=2025-10-12T15:04:21Z`. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class UrlSigner {
  constructor(private readonly key: Buffer) {}

  private signature(id: string, name: string, expires: string): string {
    return createHmac('sha256', this.key).update(`${id}\n${name}\n${expires}`).digest('base64url');
  }

  url(baseUrl: string, id: string, name: string, issuedAt: number, expiresAt: number): string {
    const se = isoSeconds(expiresAt);
    const query = new URLSearchParams({ st: isoSeconds(issuedAt), se, sp: 'r', sv: '2024-08-04', sr: 'b', sig: this.signature(id, name, se) });
    return `${baseUrl}/files/${encodeURIComponent(id)}/${name}?${query}`;
  }

  /** True when the signature matches; expiry is checked separately against the simulated clock. */
  verify(id: string, name: string, expires: string, sig: string): boolean {
    const expected = Buffer.from(this.signature(id, name, expires));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

export interface FileContext {
  tasks: ReadonlyMap<string, SimTask>;
  signer: UrlSigner;
  now(): number;
  /** The video of a job of this many seconds (a sample that lasts as long as the job asked). */
  video(seconds: number): VideoSource;
  /** The video a `#sim:clip-…` task serves instead. */
  clipVideo(clip: SimClip): VideoSource;
  media: { thumbnail: string; gif: string };
}

export function deny(res: ServerResponse): number {
  sendText(res, 403, 'application/xml', STORAGE_DENIED_XML);
  return 403;
}

/** Serves `/files/…`; returns the status sent. */
export function handleFile(ctx: FileContext, req: IncomingMessage, res: ServerResponse, url: URL, fault: FaultSpec | undefined): number {
  const m = /^\/files\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (!m) return deny(res);
  if (m[1] === 'characters') {
    // Character profile pictures are public, like the vendor's CDN assets.
    return serveFile(req, res, { file: ctx.media.thumbnail }, { contentType: 'image/webp' });
  }
  let id: string;
  try {
    id = decodeURIComponent(m[1]);
  } catch {
    return deny(res);
  }
  const name = m[2];
  const task = ctx.tasks.get(id);
  const expires = url.searchParams.get('se') ?? '';
  const signed = !!task && ctx.signer.verify(id, name, expires, url.searchParams.get('sig') ?? '');
  if (!signed || !(Date.parse(expires) > ctx.now()) || fault?.kind === 'expired_url') return deny(res);
  if ((VIDEO_NAMES as readonly string[]).includes(name)) return serveTaskVideo(ctx, req, res, task, fault);
  const type = IMAGE_TYPES[name];
  if (!type) return deny(res);
  return serveFile(req, res, { file: name === 'preview.gif' ? ctx.media.gif : ctx.media.thumbnail }, { contentType: type });
}

/** One download attempt of a task's video (a signed URL or `/v1/videos/{id}/content`). */
export function serveTaskVideo(ctx: FileContext, req: IncomingMessage, res: ServerResponse, task: SimTask, fault: FaultSpec | undefined): number {
  if (fault?.kind === 'expired_url') return deny(res);
  task.downloads++;
  const video = task.markers.clip ? ctx.clipVideo(task.markers.clip) : ctx.video(task.duration);
  const half = Math.floor(sourceSize(video) / 2);
  let cutAfter: number | undefined;
  if (fault?.kind === 'cut_download') cutAfter = fault.afterBytes ?? half;
  else if (task.markers.cut && task.downloads === 1) cutAfter = half;
  return serveFile(req, res, video, { contentType: 'video/mp4', cutAfter });
}
