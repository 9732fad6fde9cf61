import { open, stat } from 'node:fs/promises';
import path from 'node:path';

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGES = 4;

const MIME_BY_EXT: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};

const EXT_BY_MIME: Record<string, string> = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/webp': '.webp', 'image/gif': '.gif' };

export function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(value.trim());
}

/** Image type from the first bytes (a renamed HTML page or PDF is not an image). */
export function sniffImageType(head: Buffer): string | undefined {
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (head.length >= 6 && /^GIF8[79]a$/.test(head.toString('latin1', 0, 6))) return 'image/gif';
  return undefined;
}

export interface LocalImage {
  path: string;
  fileName: string;
  mimeType: string;
  size: number;
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

/** Checks a local image before anything is sent: exists, is a file, is an image, is small enough. */
export async function inspectLocalImage(file: string): Promise<LocalImage> {
  const shown = JSON.stringify(file);
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new ImageError(
      `Image ${shown} is neither an http(s) URL nor an existing file. Give a full URL or the absolute path of a PNG, JPEG, WebP or GIF file.`,
      `图片 ${shown} 既不是 http(s) 链接，也不是存在的文件。请提供完整链接，或 PNG/JPEG/WebP/GIF 文件的绝对路径。`,
    );
  }
  if (!info.isFile()) throw new ImageError(`Image ${shown} is a folder, not a file.`, `图片 ${shown} 是文件夹，不是文件。`);
  if (info.size > MAX_IMAGE_BYTES) {
    const mb = (info.size / 1024 / 1024).toFixed(1);
    throw new ImageError(
      `Image ${shown} is ${mb} MB; the limit is 20 MB. Resize or compress it (e.g. save as JPEG) and try again.`,
      `图片 ${shown} 大小为 ${mb} MB，超过 20 MB 上限。请缩小或压缩（例如另存为 JPEG）后重试。`,
    );
  }
  const handle = await open(file, 'r');
  const head = Buffer.alloc(16);
  try {
    await handle.read(head, 0, 16, 0);
  } finally {
    await handle.close();
  }
  const sniffed = sniffImageType(head);
  const byExt = MIME_BY_EXT[path.extname(file).toLowerCase()];
  if (!sniffed) {
    throw new ImageError(
      `File ${shown} is not a PNG, JPEG, WebP or GIF image${byExt ? ' (its content does not match its extension)' : ''}.`,
      `文件 ${shown} 不是 PNG、JPEG、WebP 或 GIF 图片${byExt ? '（内容与扩展名不符）' : ''}。`,
    );
  }
  return { path: file, fileName: uploadName(file, sniffed), mimeType: sniffed, size: info.size };
}

/** The file's own name, with an extension that matches its real content (servers often trust the name). */
function uploadName(file: string, mimeType: string): string {
  const ext = path.extname(file);
  if (MIME_BY_EXT[ext.toLowerCase()] === mimeType) return path.basename(file);
  return `${path.basename(file, ext) || 'image'}${EXT_BY_MIME[mimeType]}`;
}
