import os from 'node:os';
import path from 'node:path';

/**
 * The per-user folder for task history (`tasks/`) and videos (`videos/`): `JUXIN_SORA_HOME`, or the
 * OS's usual place for application data.
 */
export function defaultHomeDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  homedir = os.homedir(),
): string {
  if (env.JUXIN_SORA_HOME?.trim()) return path.resolve(env.JUXIN_SORA_HOME.trim());
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA || path.win32.join(homedir, 'AppData', 'Local'), 'juxin-sora');
  if (platform === 'darwin') return path.posix.join(homedir, 'Library', 'Application Support', 'juxin-sora');
  return path.posix.join(env.XDG_DATA_HOME || path.posix.join(homedir, '.local', 'share'), 'juxin-sora');
}
