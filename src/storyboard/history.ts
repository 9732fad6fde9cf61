import path from 'node:path';

import { taskPhase } from '../core/phase';
import type { TaskRecord } from '../core/types';
import { parseStoryboard } from './parse';
import { planStoryboard, type ClipTaskRecord, type StoryboardPlan } from './plan';
import type { ParsedStoryboard } from './types';

/**
 * Which tasks of the history belong to which storyboard file. A task's link names its file
 * workspace-relative (forward slashes) when the file is inside a workspace folder, else absolute:
 * so VS Code, the MCP server in VS Code and the standalone server all find the same clips.
 */

/** The name the history keeps for a storyboard file: relative to the first folder of `roots` holding it, else absolute. */
export function storyboardKey(file: string, roots: readonly string[] = []): string {
  const absolute = path.resolve(file);
  for (const root of roots) {
    const relative = path.relative(path.resolve(root), absolute);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  }
  return absolute;
}

/** Windows and macOS file names ignore case; a storyboard found under another spelling is still the same file. */
function samePath(a: string, b: string): boolean {
  const fold = process.platform === 'win32' || process.platform === 'darwin';
  return fold ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** Whether the file a task's link names (either form) is this storyboard file. */
export function linksTo(linkFile: string, file: string, roots: readonly string[] = []): boolean {
  const absolute = path.resolve(file);
  if (path.isAbsolute(linkFile)) return samePath(path.resolve(linkFile), absolute);
  const native = linkFile.split('/').join(path.sep);
  return roots.some((root) => samePath(path.resolve(root, native), absolute));
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
  for (const task of tasks) {
    if (!task.storyboard || !linksTo(task.storyboard.file, file, roots)) continue;
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
  return { key: storyboardKey(file, roots), parsed, records, plan: planStoryboard(parsed, records) };
}
