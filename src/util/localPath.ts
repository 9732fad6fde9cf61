import path from 'node:path';

/** Why a path the server was given may not be used as a local file or folder. */
export type LocalPathProblem = 'empty' | 'invalid' | 'relative' | 'network' | 'device';

/**
 * The rule for every path that reaches us from a model or another program: an absolute path on this
 * computer. A relative path would be resolved against the server's working folder (whatever that is);
 * a UNC path (`\\host\share`, `//host/share`) would make Windows connect to another machine and hand it
 * the user's credentials; device paths (`\\?\`, `\\.\`) reach below the file system. Decided on the
 * text alone, before the disk is touched.
 */
export function localPathProblem(value: string, platform: NodeJS.Platform = process.platform): LocalPathProblem | undefined {
  if (typeof value !== 'string' || !value.trim()) return 'empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'invalid';
  if (/^[\\/]{2}[?.][\\/]/.test(value)) return 'device';
  if (/^[\\/]{2}/.test(value)) return 'network';
  if (platform === 'win32') return /^[a-z]:[\\/]/i.test(value) ? undefined : 'relative';
  return path.posix.isAbsolute(value) ? undefined : 'relative';
}

/** The sentence for a problem, in English and Chinese, about `shown` (e.g. `Image "cat.png"`). */
export function describeLocalPathProblem(problem: LocalPathProblem, shown: string, shownZh: string): { en: string; zh: string } {
  switch (problem) {
    case 'empty':
    case 'invalid':
      return { en: `${shown} is not a usable path.`, zh: `${shownZh}不是可用的路径。` };
    case 'relative':
      return {
        en: `${shown} is a relative path: give the absolute path (e.g. /home/me/Pictures/cat.png or C:\\Users\\me\\Pictures\\cat.png).`,
        zh: `${shownZh}是相对路径：请提供绝对路径（例如 /home/me/Pictures/cat.png 或 C:\\Users\\me\\Pictures\\cat.png）。`,
      };
    case 'network':
      return {
        en: `${shown} is on a network share (\\\\host\\share): only files and folders on this computer can be used.`,
        zh: `${shownZh}位于网络共享（\\\\host\\share）上：只能使用本机上的文件和文件夹。`,
      };
    case 'device':
      return {
        en: `${shown} is a device path (\\\\?\\ or \\\\.\\): use an ordinary absolute path.`,
        zh: `${shownZh}是设备路径（\\\\?\\ 或 \\\\.\\）：请使用普通的绝对路径。`,
      };
  }
}
