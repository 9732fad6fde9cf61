import path from 'node:path';
import sanitize from 'sanitize-filename';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** A prompt reduced to a short, file-name-safe slug; letters of every script survive (Chinese stays Chinese). */
export function promptSlug(prompt: string, maxChars = 40): string {
  const slug = prompt
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  const cut = Array.from(slug).slice(0, maxChars).join('').replace(/-+$/, '');
  return cut || 'video';
}

/** The last characters of the task id that are safe in a file name. */
export function shortId(id: string, length = 8): string {
  const safe = id.replace(/[^A-Za-z0-9]/g, '');
  return safe.slice(-length) || 'task';
}

/** `2026-11-24_a-cat-playing-piano_k6x15vhr.mp4`: date + prompt slug + short id, safe on Windows, macOS and Linux. */
export function videoFileName(task: { id: string; createdAt: number; params: { prompt: string } }): string {
  const date = new Date(task.createdAt).toISOString().slice(0, 10);
  let name = sanitize(`${date}_${promptSlug(task.params.prompt)}_${shortId(task.id)}.mp4`, { replacement: '-' });
  name = name.replace(/[. ]+$/, '');
  if (!name.endsWith('.mp4')) name = `${name}.mp4`;
  if (WINDOWS_RESERVED.test(name) || name.startsWith('.')) name = `video-${name.replace(/^\.+/, '')}`;
  // 120 characters keeps the whole path well inside Windows' classic limits.
  if (name.length > 120) name = `${name.slice(0, 112)}.mp4`;
  return name;
}

export class UnsafePathError extends Error {
  override readonly name = 'UnsafePathError';
}

/** Joins a file name onto a folder, refusing anything that would land outside it. */
export function safeJoin(dir: string, name: string): string {
  if (!name || name.includes('\0') || name !== path.basename(name) || name === '.' || name === '..' || /[\\/]/.test(name) || /^[A-Za-z]:/.test(name)) {
    throw new UnsafePathError(`Refusing the file name ${JSON.stringify(name)}: it must be a plain name inside ${dir}.`);
  }
  const root = path.resolve(dir);
  const full = path.resolve(root, name);
  if (path.dirname(full) !== root) throw new UnsafePathError(`Refusing the file name ${JSON.stringify(name)}: it leaves ${dir}.`);
  return full;
}
