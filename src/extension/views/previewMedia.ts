import path from 'node:path';
import type { TaskRecord } from '../../core/types';
import { isAllowedRemoteUrl, originOf } from '../../webview/model/urls';

export type MediaSource = { kind: 'local'; file: string } | { kind: 'remote'; url: string; origin: string };

/**
 * What the preview plays: the downloaded file while it is on disk, else the video URL before (or
 * instead of) a download, when it is https or from the configured API origin. Nothing otherwise.
 */
export function chooseMedia(task: TaskRecord, baseUrl: string, fileExists: (file: string) => boolean): MediaSource | undefined {
  const file = task.download.localPath;
  if (task.download.state === 'done' && file && fileExists(file)) return { kind: 'local', file };
  const url = task.videoUrl;
  const origin = url && isAllowedRemoteUrl(url, baseUrl) ? originOf(url) : undefined;
  return url && origin ? { kind: 'remote', url, origin } : undefined;
}

/** Two sources are the same page (same CSP and resource roots). */
export function sameMedia(a: MediaSource | undefined, b: MediaSource | undefined): boolean {
  if (!a || !b) return a === b;
  return a.kind === 'local' ? b.kind === 'local' && a.file === b.file : b.kind === 'remote' && a.url === b.url;
}

export type HoverMedia = { kind: 'video'; file: string } | { kind: 'image'; url: string };

/**
 * What a grid card plays while the pointer rests on it: the downloaded file when it lies in the
 * download folder (the only folder the Videos view may read), else the relay's animated preview when
 * its URL is allowed (https, or the API's origin), else nothing.
 */
export function hoverMedia(task: TaskRecord, videosDir: string, baseUrl: string): HoverMedia | undefined {
  const file = task.download.state === 'done' ? task.download.localPath : undefined;
  if (file) {
    const relative = path.relative(videosDir, file);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return { kind: 'video', file };
  }
  return task.gifUrl && isAllowedRemoteUrl(task.gifUrl, baseUrl) ? { kind: 'image', url: task.gifUrl } : undefined;
}
