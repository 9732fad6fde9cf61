import { randomBytes } from 'node:crypto';
import { open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Agent, type Dispatcher, interceptors, request } from 'undici';
import { systemClock, type Clock } from '../util/clock';
import { numberedNames, placeNew } from '../util/safeWrite';
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

/**
 * The most a video may weigh: 25 s of 1080p at about 100 Mbit/s, several times what Sora sends. A
 * body that grows past it is not a Sora video (an endless stream once filled 2 GB in 12 s).
 */
export const MAX_VIDEO_BYTES = 300 * 1024 * 1024;
/** The longest one download may take, retries included (a server can drip bytes just under the idle timeouts). */
export const MAX_TRANSFER_MS = 20 * 60 * 1000;
/** What a body may exceed its own Content-Length by before it is cut off. */
const LENGTH_MARGIN = 64 * 1024;

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
  /** Size ceiling (default MAX_VIDEO_BYTES). */
  maxBytes?: number;
  /** Time ceiling for the whole call, measured on `clock` (default MAX_TRANSFER_MS). */
  maxTransferMs?: number;
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

function looksLikeMp4(head: Buffer): boolean {
  return head.length >= 8 && MP4_FIRST_BOXES.has(head.toString('latin1', 4, 8));
}

export async function isMp4File(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await handle.read(head, 0, 12, 0);
    return looksLikeMp4(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** Refusals that another attempt would only repeat (foreign content, too big, too slow). */
const final = new WeakSet<DownloadError>();
function refusal(message: string): DownloadError {
  const error = new DownloadError(message);
  final.add(error);
  return error;
}
const notMp4 = () => refusal('the server sent something that is not an MP4 video (an error page?)');

async function sizeOf(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const minutes = (ms: number) => `${Math.round(ms / 60_000)} minutes`;

/**
 * Streams a video to a temporary file of its own (memory does not grow with the file; another call
 * for the same name, in this process or another, never shares it), resumes a broken transfer with a
 * Range request, refuses what is not an MP4 from its first bytes, what grows past the size ceiling and
 * what takes too long, then claims the final name without ever replacing a file (`video-1.mp4` if
 * `video.mp4` exists). A failure leaves nothing behind.
 */
export async function downloadVideo(options: DownloadOptions): Promise<DownloadResult> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 5;
  const maxBytes = options.maxBytes ?? MAX_VIDEO_BYTES;
  const maxTransferMs = options.maxTransferMs ?? MAX_TRANSFER_MS;
  safeJoin(options.destDir, options.fileName);
  await sweepStaleParts(options.destDir, options.fileName);
  const part = safeJoin(options.destDir, `${options.fileName}.${randomBytes(6).toString('hex')}.part`);
  const started = clock.now();
  const checkTime = () => {
    if (clock.now() - started > maxTransferMs) throw refusal(`the download took longer than ${minutes(maxTransferMs)}; try again later`);
  };
  let lastError: unknown;

  try {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await clock.sleep(Math.round(random() * Math.min(30_000, 1000 * 2 ** (attempt - 1))), options.signal);
      checkTime();
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
        return await finish(part, options, have);
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
      const length = Number(response.headers['content-length'] ?? NaN);
      const total = Number.isFinite(length) ? (resuming ? have + length : length) : undefined;
      const tooLarge = () => refusal(`the video is larger than ${megabytes(maxBytes)}, which is not a Sora video`);
      if (total !== undefined && total > maxBytes) {
        response.body.destroy();
        throw tooLarge();
      }
      const limit = Math.min(maxBytes, total === undefined ? Infinity : total + LENGTH_MARGIN);
      let received = resuming ? have : 0;
      // The first bytes of a fresh transfer must open an MP4 box: an HTML or JSON answer stops here.
      let head: Buffer | undefined = resuming ? undefined : Buffer.alloc(0);
      // Chunk by chunk, each written before the next is read: memory stays flat, and after a cut the
      // temporary file holds exactly what arrived, so the next attempt can resume from there.
      const file = await open(part, resuming ? 'a' : 'w');
      try {
        for await (const data of response.body) {
          const chunk = data as Buffer;
          if (head) {
            head = Buffer.concat([head, chunk.subarray(0, 8)]);
            if (head.length >= 8) {
              if (!looksLikeMp4(head)) throw notMp4();
              head = undefined;
            }
          }
          received += chunk.length;
          if (received > limit) throw received > maxBytes ? tooLarge() : refusal(`the video server sent more than the ${total} bytes it announced`);
          await file.write(chunk);
          options.onProgress?.(received, total);
          checkTime();
        }
        if (head) throw notMp4();
      } catch (error) {
        response.body.destroy();
        if (options.signal?.aborted || (error instanceof DownloadError && final.has(error))) throw error;
        lastError = new DownloadError(`the transfer broke after ${received} bytes`);
        continue;
      } finally {
        await file.close();
      }
      if (total !== undefined && received < total) {
        lastError = new DownloadError(`the transfer ended early (${received} of ${total} bytes)`);
        continue;
      }
      return await finish(part, options, received);
    }
    throw lastError instanceof DownloadError
      ? lastError
      : new DownloadError(`download failed after ${maxAttempts} attempts: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  }
}

/**
 * Temporary files of this name left by a process that died mid-download. A live download writes at
 * least every minute (the body timeout) and ends within MAX_TRANSFER_MS, so a part untouched for longer
 * than both is nobody's. Wall-clock time: file times are.
 */
async function sweepStaleParts(dir: string, fileName: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = Date.now() - MAX_TRANSFER_MS - 10 * 60_000;
  for (const name of names) {
    if (!name.startsWith(`${fileName}.`) || !/\.[0-9a-f]{12}\.part$/.test(name)) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && info.mtimeMs < stale) await rm(file, { force: true });
  }
}

async function finish(part: string, options: DownloadOptions, bytes: number): Promise<DownloadResult> {
  if (!(await isMp4File(part))) throw notMp4();
  return { path: await claim(part, options.destDir, options.fileName), bytes };
}

/** Moves the finished file to the first free name (video.mp4, video-1.mp4, …), never replacing one (`placeNew`). */
async function claim(part: string, dir: string, fileName: string): Promise<string> {
  return placeNew(part, dir, numberedNames(safeJoinName(dir, fileName), { first: 1 }));
}

/** The name itself, once it is known to be a plain name inside `dir`. */
function safeJoinName(dir: string, fileName: string): string {
  return path.basename(safeJoin(dir, fileName));
}
