import { createReadStream } from 'node:fs';
import { mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { describeLocalPathProblem, localPathProblem } from '../util/localPath';
import { numberedNames, writeNew } from '../util/safeWrite';

/** A folder a copy may not go to, with what to do instead, in English and Chinese. */
export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
  }
}

/**
 * Checks a folder named by a caller (a model, another program) before anything is written: an
 * absolute path on this computer, never a network share (`\\host\share` would make Windows hand the
 * user's credentials to that host) nor a device path. Returns it normalized.
 */
export function checkExportDirectory(directory: string): string {
  const problem = localPathProblem(directory);
  if (problem) {
    const shown = JSON.stringify(String(directory).slice(0, 300));
    const { en, zh } = describeLocalPathProblem(problem, `The folder ${shown}`, `文件夹 ${shown} `);
    throw new ExportError(en, zh);
  }
  return path.normalize(directory);
}

/**
 * Copies `source` into `directory` (made if missing) and returns the copy's path. Never replaces
 * anything and never writes through a link (`placeNew`): the copy is written beside its name first,
 * then takes the first free name (clip.mp4, clip-1.mp4, …), whole or not at all. The folder the video
 * is already in gives back the video itself.
 */
export async function exportCopy(source: string, directory: string): Promise<string> {
  const folder = checkExportDirectory(directory);
  try {
    await mkdir(folder, { recursive: true });
  } catch {
    throw new ExportError(
      `The folder ${JSON.stringify(folder)} cannot be created or is not a folder: choose another one.`,
      `无法创建文件夹 ${JSON.stringify(folder)}，或它不是文件夹：请换一个文件夹。`,
    );
  }
  if (!(await stat(folder)).isDirectory()) {
    throw new ExportError(`${JSON.stringify(folder)} is not a folder: choose another one.`, `${JSON.stringify(folder)} 不是文件夹：请换一个文件夹。`);
  }
  if ((await realpath(folder)) === (await realpath(path.dirname(source)))) return source;
  const name = path.basename(source);
  return writeNew(folder, numberedNames(name, { first: 1 }), (handle) => pipeline(createReadStream(source), handle.createWriteStream()));
}
