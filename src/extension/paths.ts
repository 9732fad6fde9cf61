import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * The folder videos are saved in: the setting if it is absolute (a leading `~` is the home folder, as
 * people write it), relative to the first workspace folder if it is relative (e.g. "videos/"), else
 * `<global storage>/videos`.
 */
export function resolveDownloadFolder(setting: string, globalStorage: string, workspaceFolder: string | undefined, home = homedir()): string {
  setting = setting.trim();
  if (!setting) return path.join(globalStorage, 'videos');
  if (setting === '~' || /^~[\\/]/.test(setting)) return path.join(home, setting.slice(1));
  if (path.isAbsolute(setting)) return path.normalize(setting);
  if (workspaceFolder) return path.resolve(workspaceFolder, setting);
  return path.join(globalStorage, 'videos');
}

/**
 * Whether `target` is `root` or inside it, once both are resolved through symlinks (a link inside the
 * workspace that points elsewhere is elsewhere). A path that does not exist yet is judged by its
 * nearest existing parent.
 */
export async function isInsideAny(target: string, roots: readonly string[]): Promise<boolean> {
  const real = await realExisting(target);
  for (const root of roots) {
    const base = await realExisting(root);
    const rel = path.relative(base, real);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return true;
  }
  return false;
}

async function realExisting(value: string): Promise<string> {
  let current = path.resolve(value);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(current), ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.join(current, ...rest.reverse());
      rest.push(path.basename(current));
      current = parent;
    }
  }
}
