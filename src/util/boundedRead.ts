import { constants, type Stats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';

/** How a file the server was asked to read is named in messages, e.g. `{ en: 'The subtitle file', zh: '字幕文件' }`. */
export interface FileLabel {
  en: string;
  zh: string;
}

export type ReadRefusal = 'missing' | 'not-a-file' | 'too-large' | 'unreadable';

/** A file that was not read, and why, in English and Chinese. Never quotes the file's content. */
export class BoundedReadError extends Error {
  override readonly name = 'BoundedReadError';
  constructor(
    readonly reason: ReadRefusal,
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
  }
}

export interface BoundedReadOptions {
  /** Refused beyond this many bytes (without reading them). */
  maxBytes: number;
  what: FileLabel;
  /** Read through a symbolic link at the path itself (default false: a link is refused like a folder). */
  followLinks?: boolean;
}

export interface BoundedFile {
  data: Buffer;
  /** The file as it was opened (size, inode, time): a writer can tell later whether it is still the same file. */
  info: Stats;
}

const CHUNK = 64 * 1024;

/**
 * THE way a file named by a caller is read: a regular file of at most `maxBytes`, decided on the open
 * handle before a byte is read. A named pipe never blocks the server (it is opened non-blocking, then
 * refused), a device (`/dev/zero`), a folder or a link is refused, a size over the bound is refused
 * unread, and a file that reports no size (`/proc/self/environ`) is read only up to the bound.
 */
export async function readBoundedFile(file: string, options: BoundedReadOptions): Promise<BoundedFile> {
  const { what } = options;
  const shown = JSON.stringify(String(file).slice(0, 300));
  const notAFile = () =>
    new BoundedReadError(
      'not-a-file',
      `${what.en} ${shown} is not a plain file (a folder, a link, a device or a pipe): give the path of the file itself.`,
      `${what.zh} ${shown} 不是普通文件（文件夹、链接、设备或管道）：请提供文件本身的路径。`,
    );
  const noFollow = options.followLinks ? 0 : (constants.O_NOFOLLOW ?? 0);
  if (!options.followLinks && !constants.O_NOFOLLOW) {
    // Windows has no O_NOFOLLOW: look first (a link planted between the look and the open is the one gap left).
    const link = await lstat(file).catch(() => undefined);
    if (link?.isSymbolicLink()) throw notAFile();
  }
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | noFollow);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new BoundedReadError('missing', `There is no file at ${shown}: check the path.`, `${shown} 处没有文件：请检查路径。`);
    }
    if (code === 'ELOOP' || code === 'EISDIR' || code === 'ENXIO') throw notAFile();
    throw new BoundedReadError('unreadable', `${what.en} ${shown} cannot be read (${code ?? 'error'}).`, `无法读取${what.zh} ${shown}（${code ?? 'error'}）。`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notAFile();
    const tooLarge = () =>
      new BoundedReadError(
        'too-large',
        `${what.en} ${shown} is larger than ${describeBytes(options.maxBytes)}, more than such a file ever needs: check it is the right file.`,
        `${what.zh} ${shown} 超过 ${describeBytes(options.maxBytes)}，远大于这类文件应有的大小：请确认是否选对了文件。`,
      );
    if (info.size > options.maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, options.maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (!bytesRead) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      // Files that report no size (/proc) or grow while being read stop at the bound.
      if (total > options.maxBytes) throw tooLarge();
    }
    return { data: Buffer.concat(chunks, total), info };
  } catch (error) {
    if (error instanceof BoundedReadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new BoundedReadError('unreadable', `${what.en} ${shown} cannot be read (${code ?? 'error'}).`, `无法读取${what.zh} ${shown}（${code ?? 'error'}）。`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** "4 MB", "64 KB". */
export function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
