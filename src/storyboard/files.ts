import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

import { promptSlug, safeFileName, safeJoin } from '../core/naming';
import { BoundedReadError, readBoundedFile, type FileLabel } from '../util/boundedRead';
import { FileInTheWayError, numberedNames, writeNew, writeOver } from '../util/safeWrite';
import { LIMITS } from './limits';
import { parseSrt, type SubtitleCue } from './srt';

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

/** A file name for a storyboard titled so: letters of every script survive (`雨夜咖啡馆.storyboard.md`), safe on every system. */
export function storyboardFileName(title: string): string {
  return safeFileName(promptSlug(title, 40).replace(/^video$/, 'storyboard'), STORYBOARD_EXTENSION, 'storyboard');
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

const STORYBOARD: FileLabel = { en: 'The storyboard', zh: '分镜文件' };
const SUBTITLES: FileLabel = { en: 'The subtitle file', zh: '字幕文件' };

/** A storyboard as read from disk: the file it was read from, as it was then, and its text. */
export interface StoryboardText {
  file: string;
  text: string;
  /** The file when it was read: it is written again only while it is still that very file. */
  info: Stats;
}

/**
 * The text of a storyboard file, or a clear error: the path must be absolute and name a
 * `.storyboard.md` that is a plain file (never a link, a pipe or a device) of at most 4 MB.
 */
export async function readStoryboardFile(file: string): Promise<StoryboardText> {
  const full = checkAbsolutePath(file, STORYBOARD);
  if (!full.toLowerCase().endsWith(STORYBOARD_EXTENSION)) {
    throw new StoryboardFileError(
      `${JSON.stringify(full)} is not a storyboard: storyboards are "name.storyboard.md" files (create one with create_storyboard).`,
      `${JSON.stringify(full)} 不是分镜文件：分镜文件名为 "名字.storyboard.md"（可用 create_storyboard 创建）。`,
    );
  }
  try {
    const { data, info } = await readBoundedFile(full, { maxBytes: LIMITS.storyboardBytes, what: STORYBOARD });
    return { file: full, text: data.toString('utf8'), info };
  } catch (error) {
    if (error instanceof BoundedReadError && error.reason === 'missing') {
      throw new StoryboardFileError(
        `There is no storyboard at ${JSON.stringify(full)}: check the path (create_storyboard returns it).`,
        `${JSON.stringify(full)} 处没有分镜文件：请检查路径（create_storyboard 会返回它）。`,
      );
    }
    throw asFileError(error);
  }
}

/**
 * Writes the storyboard's text back (clip ids added), only while the file is the very one that was
 * read (same file, unchanged): never through a link, never over an edit made meanwhile.
 */
export async function saveStoryboardText(read: StoryboardText, text: string): Promise<void> {
  try {
    await writeOver(read.file, text, (_file, info) => sameFile(info, read.info));
  } catch (error) {
    if (!(error instanceof FileInTheWayError)) throw error;
    throw new StoryboardFileError(
      `The storyboard ${JSON.stringify(read.file)} changed on disk while this call was reading it, so it was not written and nothing was started. Call again.`,
      `分镜文件 ${JSON.stringify(read.file)} 在读取期间被修改，因此没有写入，也没有开始生成任何片段。请重新调用。`,
    );
  }
}

/**
 * The cues of a subtitle file named by a caller: an absolute path to an `.srt` or `.vtt` that is a
 * plain file of at most 4 MB. What is not a subtitle file is never quoted back (see parseSrt).
 */
export async function readSubtitleFile(file: string): Promise<SubtitleCue[]> {
  const full = checkAbsolutePath(file, SUBTITLES);
  if (!/\.(srt|vtt)$/i.test(full)) {
    throw new StoryboardFileError(
      `${JSON.stringify(full)} is not a subtitle file: give the absolute path of an .srt (or .vtt) file.`,
      `${JSON.stringify(full)} 不是字幕文件：请提供 .srt（或 .vtt）文件的绝对路径。`,
    );
  }
  try {
    return parseSrt((await readBoundedFile(full, { maxBytes: LIMITS.subtitleBytes, what: SUBTITLES })).data.toString('utf8'));
  } catch (error) {
    throw error instanceof BoundedReadError ? asFileError(error) : error;
  }
}

function asFileError(error: unknown): unknown {
  return error instanceof BoundedReadError ? new StoryboardFileError(error.message, error.messageZh) : error;
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * Writes a new file into `dir` under the first free name (`name.storyboard.md`, `name-2.storyboard.md`…),
 * never replacing anything and never writing through a link; the file appears whole or not at all.
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
  const extension = fileName.toLowerCase().endsWith(STORYBOARD_EXTENSION) ? STORYBOARD_EXTENSION : path.extname(fileName);
  try {
    return await writeNew(folder, numberedNames(path.basename(safeJoin(folder, fileName)), { extension }), text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new StoryboardFileError(`Too many files named like ${fileName} in ${folder}.`, `${folder} 中与 ${fileName} 同名的文件太多。`);
  }
}
