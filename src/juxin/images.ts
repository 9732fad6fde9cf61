import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import path from 'node:path';
import { imageSize } from 'image-size';
import { describeLocalPathProblem, localPathProblem } from '../util/localPath';

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGES = 4;

const MIME_BY_TYPE: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };
const MIME_BY_EXT: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif' };
const EXT_BY_MIME: Record<string, string> = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/webp': '.webp', 'image/gif': '.gif' };
/** Enough to decode any header (image-size itself reads at most this much from a file). */
const HEADER_BYTES = 512 * 1024;

export function isHttpUrl(value: string): boolean {
  return typeof value === 'string' && /^https?:\/\/[^\s]+$/i.test(value.trim());
}

/** A local image, checked and read once: what the multipart upload sends. */
export interface LocalImage {
  path: string;
  /** The file's own name, with an extension that matches its real type. */
  fileName: string;
  mimeType: string;
  size: number;
  width: number;
  height: number;
  data: Uint8Array<ArrayBuffer>;
}

export class ImageError extends Error {
  override readonly name = 'ImageError';
  constructor(
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
  }
}

/**
 * Reads a local image for an upload, once: an absolute path on this computer (`localPathProblem`), a
 * regular file of at most 20 MB whose header decodes as PNG, JPEG, WebP or GIF (image-size parses the
 * bytes already in memory; a file that only starts like an image is refused). Whether a path that is
 * not such an image exists, is a folder, or how large it is, is never said: a model could otherwise
 * probe the disk through the error messages.
 */
export async function readLocalImage(file: string): Promise<LocalImage> {
  const shown = JSON.stringify(String(file).slice(0, 300));
  const problem = localPathProblem(file);
  if (problem) {
    const { en, zh } = describeLocalPathProblem(problem, `Image ${shown}`, `图片 ${shown} `);
    throw new ImageError(en, zh);
  }
  const unusable = () =>
    new ImageError(
      `Image ${shown} cannot be used: give the absolute path of an existing PNG, JPEG, WebP or GIF file of at most 20 MB that this program can read, or an http(s) URL.`,
      `图片 ${shown} 无法使用：请提供本机上存在且可读取的 PNG、JPEG、WebP 或 GIF 文件（不超过 20 MB）的绝对路径，或 http(s) 链接。`,
    );
  let handle: FileHandle;
  try {
    // Non-blocking: a named pipe given as an "image" must not hang the server waiting for a writer.
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    throw unusable();
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw unusable();
    const head = Buffer.alloc(Math.min(info.size, HEADER_BYTES));
    if ((await readInto(handle, head)) !== head.length) throw unusable();
    const type = imageType(head);
    if (!type) throw unusable();
    if (info.size > MAX_IMAGE_BYTES) {
      throw new ImageError(
        `Image ${shown} is larger than 20 MB: resize or compress it (e.g. save it as JPEG) and try again.`,
        `图片 ${shown} 超过 20 MB：请缩小或压缩（例如另存为 JPEG）后重试。`,
      );
    }
    const data = Buffer.alloc(info.size);
    head.copy(data);
    if ((await readInto(handle, data, head.length)) !== info.size) throw unusable(); // it shrank while being read
    const { width, height } = imageSize(data);
    if (!width || !height) throw unusable();
    const mimeType = MIME_BY_TYPE[type];
    return { path: file, fileName: uploadName(file, mimeType), mimeType, size: data.length, width, height, data };
  } catch (error) {
    if (error instanceof ImageError) throw error;
    throw unusable();
  } finally {
    await handle.close();
  }
}

/** The decoded type if it is one Juxin takes (png, jpg, webp, gif), else undefined. */
function imageType(bytes: Uint8Array): string | undefined {
  try {
    const { type, width, height } = imageSize(bytes);
    return type && MIME_BY_TYPE[type] && width && height ? type : undefined;
  } catch {
    return undefined; // not an image, or a header cut short
  }
}

/** Fills `buffer` from `offset`, reading on from the file's current position; returns how far it got. */
async function readInto(handle: FileHandle, buffer: Buffer, offset = 0): Promise<number> {
  let filled = offset;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
    if (!bytesRead) break;
    filled += bytesRead;
  }
  return filled;
}

/** The file's own name, with an extension that matches its real content (servers often trust the name). */
function uploadName(file: string, mimeType: string): string {
  const name = path.basename(file);
  const ext = path.extname(name);
  if (MIME_BY_EXT[ext.toLowerCase()] === mimeType) return name;
  return `${name.slice(0, name.length - ext.length) || 'image'}${EXT_BY_MIME[mimeType]}`;
}
