import { randomBytes } from 'node:crypto';
import { link, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

import writeFileAtomic from 'write-file-atomic';

import { promptSlug, safeJoin } from '../core/naming';
import { ensureClipIds } from './write';

/** A storyboard file that cannot be read or written here, with what to do, in English and Chinese. */
export class StoryboardFileError extends Error {
  override readonly name = 'StoryboardFileError';
  constructor(
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
  }
}

export const STORYBOARD_EXTENSION = '.storyboard.md';

/** A file name for a storyboard titled so: letters of every script survive (`雨夜咖啡馆.storyboard.md`). */
export function storyboardFileName(title: string): string {
  return `${promptSlug(title, 40).replace(/^video$/, 'storyboard')}${STORYBOARD_EXTENSION}`;
}

/**
 * A path a caller (a model, another program) named: it must be absolute and on this computer (not a
 * network share, whose name alone would make Windows send the user's credentials to that host).
 */
export function checkAbsolutePath(value: string, what: { en: string; zh: string }): string {
  const shown = JSON.stringify(String(value).slice(0, 300));
  if (!value || value.includes('\0') || !path.isAbsolute(value)) {
    throw new StoryboardFileError(
      `${what.en} ${shown} must be an absolute path (e.g. /home/me/films or C:\\Users\\me\\films).`,
      `${what.zh} ${shown} 必须是绝对路径（例如 /home/me/films 或 C:\\Users\\me\\films）。`,
    );
  }
  if (/^[\\/]{2}/.test(value)) {
    throw new StoryboardFileError(
      `${what.en} ${shown} is a network or device path: use a folder on this computer.`,
      `${what.zh} ${shown} 是网络路径或设备路径：请使用本机上的文件夹。`,
    );
  }
  return path.normalize(value);
}

/** The text of a storyboard file, or a clear error (not absolute, not a storyboard, missing). */
export async function readStoryboardFile(file: string): Promise<string> {
  const full = checkAbsolutePath(file, { en: 'The storyboard', zh: '分镜文件' });
  if (!/\.md$/i.test(full)) {
    throw new StoryboardFileError(
      `${JSON.stringify(full)} is not a storyboard: storyboards are "name.storyboard.md" files (create one with create_storyboard).`,
      `${JSON.stringify(full)} 不是分镜文件：分镜文件名为 "名字.storyboard.md"（可用 create_storyboard 创建）。`,
    );
  }
  try {
    return await readFile(full, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StoryboardFileError(
      code === 'ENOENT'
        ? `There is no storyboard at ${JSON.stringify(full)}: check the path (create_storyboard returns it).`
        : `The storyboard ${JSON.stringify(full)} cannot be read (${code ?? (error as Error).message}).`,
      code === 'ENOENT'
        ? `${JSON.stringify(full)} 处没有分镜文件：请检查路径（create_storyboard 会返回它）。`
        : `无法读取分镜文件 ${JSON.stringify(full)}（${code}）。`,
    );
  }
}

/**
 * Gives every clip of the file an id (kept in the file: it ties the clip to its videos) and writes
 * the file again when one was added. Returns the text with ids.
 */
export async function saveClipIds(file: string, text: string, taken: Iterable<string>): Promise<string> {
  const withIds = ensureClipIds(text, { taken });
  if (withIds !== text) await writeFileAtomic(file, withIds);
  return withIds;
}

/** `name.storyboard.md`, `name-2.storyboard.md`, … */
function candidate(fileName: string, n: number): string {
  if (n === 1) return fileName;
  const ext = fileName.toLowerCase().endsWith(STORYBOARD_EXTENSION) ? STORYBOARD_EXTENSION : path.extname(fileName);
  return `${fileName.slice(0, fileName.length - ext.length)}-${n}${ext}`;
}

/**
 * Writes a new file into `dir` under the first free name (`name.storyboard.md`, `name-2.storyboard.md`…),
 * never replacing a file: the text is written to a temporary file first and hard-linked to its name,
 * which fails if the name is taken, so the new file appears whole or not at all.
 */
export async function writeNewFile(dir: string, fileName: string, text: string): Promise<string> {
  const folder = path.resolve(dir);
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new StoryboardFileError(
      `The folder ${JSON.stringify(folder)} does not exist: create it or choose another.`,
      `文件夹 ${JSON.stringify(folder)} 不存在：请先创建或换一个。`,
    );
  }
  const temp = path.join(folder, `.${fileName}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFileAtomic(temp, text);
  try {
    for (let n = 1; n < 1000; n++) {
      const target = safeJoin(folder, candidate(fileName, n));
      try {
        await link(temp, target);
        return target;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        // File systems without hard links (FAT, some shares): create exclusively instead.
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS') {
          const handle = await open(target, 'wx').catch((e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? undefined : Promise.reject(e)));
          if (!handle) continue;
          try {
            await handle.writeFile(text);
          } finally {
            await handle.close();
          }
          return target;
        }
        throw error;
      }
    }
    throw new StoryboardFileError(`Too many files named like ${fileName} in ${folder}.`, `${folder} 中与 ${fileName} 同名的文件太多。`);
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}
