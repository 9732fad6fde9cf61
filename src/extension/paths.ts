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
