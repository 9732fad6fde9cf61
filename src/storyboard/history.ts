import { realpathSync } from 'node:fs';
import path from 'node:path';

import { taskPhase } from '../core/phase';
import type { TaskRecord } from '../core/types';
import { parseStoryboard } from './parse';
import { planStoryboard, type ClipTaskRecord, type StoryboardPlan } from './plan';
import type { ParsedStoryboard } from './types';

/**
 * Which tasks of the history belong to which storyboard file. A task's link names its file by the
 * file's absolute real path: the same in every process (VS Code windows with their workspace folders,
 * the standalone server with none), whichever path or symlink the file was reached through.
 *
 * Records written before that named a file inside a workspace folder relative to it. They are still
 * found: against the workspace folders where a process has them, else by the end of the path (whole
 * folder names); VS Code rewrites them to the real path when their workspace opens (`currentStoryboardLink`).
 */

/** The name the history keeps for a storyboard file: its absolute real path (a file not written yet: its folder's real path). */
export function storyboardKey(file: string): string {
  const absolute = path.resolve(file);
  try {
    return realpathSync.native(absolute);
  } catch {
    try {
      return path.join(realpathSync.native(path.dirname(absolute)), path.basename(absolute));
    } catch {
      return absolute;
    }
  }
}

/** Windows and macOS file names ignore case; a storyboard found under another spelling is still the same file. */
function samePath(a: string, b: string): boolean {
  const fold = process.platform === 'win32' || process.platform === 'darwin';
  return fold ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/**
 * A test for "does this link name this storyboard file", made once per file: the real path, the path as
 * given, and an old workspace-relative link (against `roots`, or without them by the end of the path).
 */
export function storyboardLinkMatcher(file: string, roots: readonly string[] = []): (linkFile: string) => boolean {
  const absolute = path.resolve(file);
  const real = storyboardKey(file);
  const names = real === absolute ? [real] : [real, absolute];
  const realLinks = new Map<string, string | undefined>();
  const realOf = (link: string) => {
    if (!realLinks.has(link)) {
      try {
        realLinks.set(link, realpathSync.native(link));
      } catch {
        realLinks.set(link, undefined);
      }
    }
    return realLinks.get(link);
  };
  return (linkFile) => {
    if (path.isAbsolute(linkFile)) {
      const resolved = path.resolve(linkFile);
      if (names.some((name) => samePath(resolved, name))) return true;
      // An older link may name the file through a symlinked folder.
      const real = realOf(resolved);
      return real !== undefined && samePath(real, names[0]);
    }
    const native = linkFile.split('/').join(path.sep);
    if (roots.length) return roots.some((root) => names.some((name) => samePath(path.resolve(root, native), name)));
    // No workspace here (the standalone server): an old link matches the end of the path, whole names only.
    if (native.split(path.sep).includes('..')) return false;
    return names.some(
      (name) => name.length > native.length && samePath(name.slice(-native.length), native) && name[name.length - native.length - 1] === path.sep,
    );
  };
}

/** Whether the file a task's link names (either form) is this storyboard file. */
export function linksTo(linkFile: string, file: string, roots: readonly string[] = []): boolean {
  return storyboardLinkMatcher(file, roots)(linkFile);
}

/**
 * The link an old record should have now: an old workspace-relative link whose file exists in one of
 * these workspace folders becomes that file's real path. Undefined when it is current already or cannot
 * be told (no such file here, or a path leaving the folder).
 */
export function currentStoryboardLink(linkFile: string, roots: readonly string[]): string | undefined {
  if (path.isAbsolute(linkFile)) return undefined;
  const native = linkFile.split('/').join(path.sep);
  if (native.split(path.sep).includes('..')) return undefined;
  for (const root of roots) {
    try {
      return realpathSync.native(path.resolve(root, native));
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** The task as `planStoryboard` reads it. */
export function toClipTaskRecord(task: TaskRecord): ClipTaskRecord | undefined {
  const link = task.storyboard;
  if (!link) return undefined;
  const phase = taskPhase(task);
  const record: ClipTaskRecord = { clipId: link.clipId, taskId: task.id, fingerprint: link.fingerprint, phase, createdAt: task.createdAt };
  if (phase === 'ready' && task.download.localPath) record.localFile = task.download.localPath;
  if (phase === 'generating' || phase === 'queued') record.progress = task.progress;
  if (task.queuePosition !== undefined) record.queuePosition = task.queuePosition;
  if (phase === 'failed') record.failureReason = task.failureReason || '';
  if (phase === 'notSaved') record.failureReason = task.download.error || (task.download.state === 'expired' ? 'the video link expired' : '');
  if (task.thumbnailUrl) record.thumbnailUrl = task.thumbnailUrl;
  return record;
}

/** Every task made for a clip of this storyboard file. */
export function clipTaskRecords(tasks: Iterable<TaskRecord>, file: string, roots: readonly string[] = []): ClipTaskRecord[] {
  const out: ClipTaskRecord[] = [];
  const matches = storyboardLinkMatcher(file, roots);
  for (const task of tasks) {
    if (!task.storyboard || !matches(task.storyboard.file)) continue;
    const record = toClipTaskRecord(task);
    if (record) out.push(record);
  }
  return out;
}

/** Whether a change to this task can change the plan of this storyboard file. */
export function concernsStoryboard(task: TaskRecord, file: string, roots: readonly string[] = []): boolean {
  return task.storyboard !== undefined && linksTo(task.storyboard.file, file, roots);
}

/** Ids of clips the history knows for this file (also of clips since deleted): a new clip never takes one. */
export function takenClipIds(records: readonly ClipTaskRecord[]): Set<string> {
  return new Set(records.map((r) => r.clipId));
}

export interface StoryboardState {
  /** The file as the history names it. */
  key: string;
  parsed: ParsedStoryboard;
  records: ClipTaskRecord[];
  plan: StoryboardPlan;
}

/** Reads a storyboard's text and compares it with the history: the plan every command and tool works from. */
export function storyboardState(text: string, file: string, tasks: Iterable<TaskRecord>, roots: readonly string[] = []): StoryboardState {
  const parsed = parseStoryboard(text);
  const records = clipTaskRecords(tasks, file, roots);
  return { key: storyboardKey(file), parsed, records, plan: planStoryboard(parsed, records) };
}
