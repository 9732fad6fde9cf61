import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { chmod, copyFile, link, lstat, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * THE way this program writes a file a person can see (a video, a copy, a storyboard, a film and its
 * subtitles). Three rules, whatever was planted in the folder (a cloned repository may hold
 * `film.srt → ~/.ssh/authorized_keys`):
 * - nothing is ever written through a link: content goes into a new temporary file created
 *   exclusively (O_EXCL, which fails on any existing name, even a dangling link), and is then put in
 *   place by a hard link or a rename, which replace a name and never write into what it points to;
 * - nothing is replaced that we did not write: `placeNew` takes the first free name, `placeOver`
 *   replaces only a plain file its caller vouches for (`mayReplace`);
 * - a file appears whole or not at all (a failure removes the temporary file).
 */

/** What a write would have replaced, and why it did not. */
export type InTheWay = 'link' | 'not-ours';

export class FileInTheWayError extends Error {
  override readonly name = 'FileInTheWayError';
  constructor(
    readonly file: string,
    readonly reason: InTheWay,
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
  }
}

/** Whether the plain file now at a target may be replaced (e.g. it is the film we wrote last time). */
export type MayReplace = (file: string, info: Stats) => boolean | Promise<boolean>;

/** The files a feature may replace next time: the ones it wrote itself (`WrittenFiles` in src/core keeps them). */
export interface OwnFiles {
  /** Whether the plain file now at `file` is exactly one we wrote (same file, unchanged since). */
  isOurs(file: string, info: Stats): Promise<boolean>;
  /** Remembers files just written, as they are now. */
  record(files: readonly string[]): Promise<void>;
}

/** What a new file holds: text, bytes, or a writer given the open handle (a stream copy). */
export type FileContent = string | Uint8Array | ((handle: FileHandle) => Promise<void>);

/** `.film.mp4.3f9a1c2b.part.mp4` beside the target: same folder (so the last step is atomic), hidden, obviously temporary. */
export function temporaryBeside(target: string, extension = path.extname(target)): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.part${extension}`);
}

/** Creates `file` exclusively (never over anything, not even a dangling link) and writes `content`; a failed write leaves nothing. */
export async function createExclusive(file: string, content: FileContent = ''): Promise<void> {
  const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  try {
    if (typeof content === 'function') await content(handle);
    else await handle.writeFile(content);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(file, { force: true }).catch(() => undefined);
    throw error;
  }
  await handle.close();
}

/** Writes `content` into a new temporary file beside `target` and returns its path. */
export async function writeTemporary(target: string, content: FileContent): Promise<string> {
  const temp = temporaryBeside(target);
  await createExclusive(temp, content);
  return temp;
}

/**
 * Puts a finished temporary file under the first free name `name(1)`, `name(2)`… in `dir`, never
 * replacing anything: a hard link fails if the name is taken (atomically, so two writers never get
 * the same name); where hard links are not possible (FAT, some shares) an exclusive copy does the same.
 * The temporary file is gone afterwards, whatever happened. Returns the path.
 */
export async function placeNew(temp: string, dir: string, name: (n: number) => string, attempts = 1000): Promise<string> {
  try {
    for (let n = 1; n <= attempts; n++) {
      const target = path.join(dir, name(n));
      try {
        await link(temp, target);
        return target;
      } catch (error) {
        if (codeOf(error) === 'EEXIST') continue;
        if (await copyExclusive(temp, target)) return target;
      }
    }
    throw Object.assign(new Error(`no free name like ${name(1)} in ${dir}`), { code: 'EEXIST' });
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

/**
 * Puts a finished temporary file at `target`: a new name is linked exclusively; an existing plain file
 * is replaced (renamed over, never written into) only when `mayReplace` accepts it. A link, a folder,
 * a device, or a file not ours is left untouched (FileInTheWayError). The temporary file is gone
 * afterwards, whatever happened.
 */
export async function placeOver(temp: string, target: string, mayReplace: MayReplace): Promise<void> {
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = await checkReplaceable(target, mayReplace);
      if (existing) {
        // The replacement keeps the permissions of what it replaces (as an editor's save would).
        await chmod(temp, existing.mode & 0o7777).catch(() => undefined);
        await rename(temp, target);
        return;
      }
      try {
        await link(temp, target);
        return;
      } catch (error) {
        if (codeOf(error) === 'EEXIST') continue; // appeared meanwhile: judge it like any other
        if (await copyExclusive(temp, target)) return;
      }
    }
    throw inTheWay(target, 'not-ours');
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

/**
 * Whether `target` may be written: undefined when nothing is there, its Stats when it is a plain file
 * `mayReplace` accepts; anything else throws FileInTheWayError. Callers check before costly work, so
 * a refusal comes first, with nothing done.
 */
export async function checkReplaceable(target: string, mayReplace: MayReplace): Promise<Stats | undefined> {
  let info: Stats;
  try {
    info = await lstat(target);
  } catch (error) {
    // Nothing there (or its folder is not one: writing there fails later, with its own reason).
    if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return undefined;
    throw error;
  }
  if (!info.isFile()) throw inTheWay(target, 'link');
  if (!(await mayReplace(target, info))) throw inTheWay(target, 'not-ours');
  return info;
}

/** A new file `name(n)` in `dir` holding `content`, under the first free name. */
export async function writeNew(dir: string, name: (n: number) => string, content: FileContent): Promise<string> {
  return placeNew(await writeTemporary(path.join(dir, name(1)), content), dir, name);
}

/** `content` at `target`, replacing only what `mayReplace` accepts (see placeOver). */
export async function writeOver(target: string, content: FileContent, mayReplace: MayReplace): Promise<void> {
  await checkReplaceable(target, mayReplace);
  await placeOver(await writeTemporary(target, content), target, mayReplace);
}

/** Replaces nothing: for targets that must be new. */
export const nothingIsOurs: MayReplace = () => false;

/** `clip.mp4`, `clip-2.mp4`, … (`first` names the second candidate's number: 2 by default, 1 for `clip-1.mp4`). */
export function numberedNames(fileName: string, options: { extension?: string; first?: number } = {}): (n: number) => string {
  const ext = options.extension ?? path.extname(fileName);
  const base = fileName.slice(0, fileName.length - ext.length);
  const offset = (options.first ?? 2) - 2;
  return (n) => (n === 1 ? fileName : `${base}-${n + offset}${ext}`);
}

function inTheWay(file: string, reason: InTheWay): FileInTheWayError {
  const shown = JSON.stringify(file);
  return reason === 'link'
    ? new FileInTheWayError(
        file,
        reason,
        `${shown} is a link, a folder or a device, not a plain file: nothing is ever written through it. Remove it or choose another name.`,
        `${shown} 是链接、文件夹或设备，不是普通文件：不会通过它写入任何内容。请删除它或换一个名字。`,
      )
    : new FileInTheWayError(
        file,
        reason,
        `${shown} already exists and was not written by this program (or was changed since), so it is left as it is. Move or rename it, or choose another name.`,
        `${shown} 已存在，且不是本程序写入的（或之后被修改过），因此不会替换它。请移走或改名，或换一个名字。`,
      );
}

/** Copies `from` to a new file `to`; false if `to` exists (a link of that name included). A failed copy leaves no `to`. */
async function copyExclusive(from: string, to: string): Promise<boolean> {
  try {
    await copyFile(from, to, constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    await rm(to, { force: true }).catch(() => undefined);
    throw error;
  }
}

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}
