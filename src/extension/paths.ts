import path from 'node:path';

/**
 * The folder videos are saved in: the setting if it is absolute, relative to the first workspace folder
 * if it is relative (e.g. "videos/"), else `<global storage>/videos`.
 */
export function resolveDownloadFolder(setting: string, globalStorage: string, workspaceFolder: string | undefined): string {
  if (!setting) return path.join(globalStorage, 'videos');
  if (path.isAbsolute(setting)) return path.normalize(setting);
  if (workspaceFolder) return path.resolve(workspaceFolder, setting);
  return path.join(globalStorage, 'videos');
}
