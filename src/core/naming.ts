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
  return safeFileName(`${date}_${promptSlug(task.params.prompt)}_${shortId(task.id)}`, '.mp4', 'video');
}

/**
 * THE rule for a file name this program makes up (a video's, a storyboard's): `stem` + `extension`
 * with nothing Windows, macOS or Linux refuses or treats specially — reserved characters, trailing
 * dots and spaces, a leading dot (hidden), device names (`CON`, `nul.txt`, `COM1`), which get
 * `prefix-` in front — and at most 120 characters, which keeps a whole path inside Windows' classic limits.
 */
export function safeFileName(stem: string, extension: string, prefix: string): string {
  // Prefixed before sanitizing too: sanitize-filename would replace a device name by "-" whole.
  const guard = (n: string) => (WINDOWS_RESERVED.test(n) || n.startsWith('.') ? `${prefix}-${n.replace(/^\.+/, '')}` : n);
  let name = sanitize(guard(`${stem}${extension}`), { replacement: '-' }).replace(/[. ]+$/, '');
  if (!name.toLowerCase().endsWith(extension.toLowerCase())) name = `${name}${extension}`;
  name = guard(name);
  if (name.length > 120) name = `${name.slice(0, 120 - extension.length)}${extension}`;
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
