import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Agent, type Dispatcher, interceptors, request } from 'undici';
import { systemClock, type Clock } from '../util/clock';
import { safeJoin } from './naming';

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    message: string,
    /** The signed URL was refused (expired or revoked): a fresh URL may work, retrying this one won't. */
    readonly expired = false,
  ) {
    super(message);
  }
}

export interface DownloadOptions {
  url: string;
  destDir: string;
  fileName: string;
  signal?: AbortSignal;
  clock?: Clock;
  dispatcher?: Dispatcher;
  maxAttempts?: number;
  random?: () => number;
  onProgress?: (bytes: number, total: number | undefined) => void;
}

export interface DownloadResult {
  path: string;
  bytes: number;
}

let defaultDispatcher: Dispatcher | undefined;
/** Signed storage URLs sometimes redirect; follow a few. */
function redirecting(): Dispatcher {
  defaultDispatcher ??= new Agent().compose(interceptors.redirect({ maxRedirections: 5 }));
  return defaultDispatcher;
}

/** MP4 files start with a box header: 4 size bytes, then a box type such as `ftyp`. */
const MP4_FIRST_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide']);

export async function isMp4File(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await handle.read(head, 0, 12, 0);
    return bytesRead >= 8 && MP4_FIRST_BOXES.has(head.toString('latin1', 4, 8));
  } finally {
    await handle.close();
  }
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

/** The first free name: video.mp4, video-1.mp4, video-2.mp4… */
async function freeName(dir: string, fileName: string): Promise<string> {
  const ext = path.extname(fileName);
  const base = fileName.slice(0, fileName.length - ext.length);
  for (let i = 0; ; i++) {
    const candidate = safeJoin(dir, i ? `${base}-${i}${ext}` : fileName);
    if (!(await stat(candidate).catch(() => undefined))) return candidate;
  }
}

/**
 * Streams a video to `<dir>/<fileName>.part` (memory does not grow with the file), resumes a broken
 * transfer with a Range request, checks the result is an MP4 and not an error page, then renames it
 * into place. A failure never leaves a file under the final name.
 */
export async function downloadVideo(options: DownloadOptions): Promise<DownloadResult> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 5;
  const dest = safeJoin(options.destDir, options.fileName);
  const part = `${dest}.part`;
  let lastError: unknown;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await clock.sleep(Math.round(random() * Math.min(30_000, 1000 * 2 ** (attempt - 1))), options.signal);
    const have = await sizeOf(part);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(options.url, {
        method: 'GET',
        headers: have ? { range: `bytes=${have}-` } : {},
        signal: options.signal,
        dispatcher: options.dispatcher ?? redirecting(),
        headersTimeout: 60_000,
        bodyTimeout: 60_000,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      lastError = error;
      continue;
    }
    const status = response.statusCode;
    if (status === 401 || status === 403 || status === 410) {
      await response.body.dump();
      throw new DownloadError(`the video link was refused (${status}): it has expired or is no longer valid`, true);
    }
    if (status === 416 && have > 0) {
      // Everything was already there.
      await response.body.dump();
      return finish(part, dest, options, have);
    }
    if (status === 404) {
      await response.body.dump();
      throw new DownloadError('the video link answered 404 (not found)', true);
    }
    if (status >= 400) {
      await response.body.dump();
      lastError = new DownloadError(`the video server answered ${status}`);
      if (status >= 500 || status === 429) continue;
      throw lastError;
    }
    const resuming = status === 206 && have > 0;
    const length = Number(response.headers['content-length']);
    const total = Number.isFinite(length) ? (resuming ? have + length : length) : undefined;
    let received = resuming ? have : 0;
    // Chunk by chunk, each written before the next is read: memory stays flat, and after a cut the
    // .part file holds exactly what arrived, so the next attempt can resume from there.
    const file = await open(part, resuming ? 'a' : 'w');
    try {
      for await (const chunk of response.body) {
        await file.write(chunk as Buffer);
        received += (chunk as Buffer).length;
        options.onProgress?.(received, total);
      }
    } catch (error) {
      if (options.signal?.aborted) throw error;
      lastError = new DownloadError(`the transfer broke after ${received} bytes`);
      continue;
    } finally {
      await file.close();
    }
    if (total !== undefined && received < total) {
      lastError = new DownloadError(`the transfer ended early (${received} of ${total} bytes)`);
      continue;
    }
    return finish(part, dest, options, received);
  }
  throw lastError instanceof DownloadError
    ? lastError
    : new DownloadError(`download failed after ${maxAttempts} attempts: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

async function finish(part: string, dest: string, options: DownloadOptions, bytes: number): Promise<DownloadResult> {
  if (!(await isMp4File(part))) {
    await rm(part, { force: true });
    throw new DownloadError('the server sent something that is not an MP4 video (an error page?)');
  }
  const target = await freeName(options.destDir, path.basename(dest));
  await rename(part, target);
  return { path: target, bytes };
}
