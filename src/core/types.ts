import type { CreateRequest } from '../juxin/body';
import type { GenerationParams, TaskStatus } from '../juxin/types';

import type { TaskOrigin } from './origin';
import type { DownloadState } from './phase';

export type { DownloadState };

/** The clip a task was made for. The storyboard file stays the user's own; which task is which clip lives here. */
export interface StoryboardLink {
  /**
   * The storyboard file: its absolute real path (`storyboardKey`), the same in every process. Records
   * written before this form name files inside a workspace relative to it (forward slashes); VS Code
   * rewrites those when the workspace opens (`currentStoryboardLink`).
   */
  file: string;
  /** The clip's stable id in that file ({#id}). */
  clipId: string;
  /** The clip's fingerprint when the task was made: a different one now means the video is out of date. */
  fingerprint: string;
}

/** One task as the store keeps it: everything a user paid for, never the API key. */
export interface TaskRecord {
  /** The Juxin task id (opaque; may contain ':'). */
  id: string;
  /** Who started it, in one word ('vscode', 'mcp', 'storyboard', 'cli'); kept for older readers. `origin` says more. */
  source: string;
  /** Who started it: the kind, the MCP client's own name, the process (see `originOf` for records without it). */
  origin?: TaskOrigin;
  createdAt: number;
  updatedAt: number;
  /** Bumped by every write of the record (the store's read-modify-write), so readers can tell newer from older across processes. */
  rev?: number;
  params: GenerationParams;
  /** The create request as sent (route and body; local images named by their path). Records before the model catalog have none. */
  request?: CreateRequest;
  /** Set when this task is a remix of another. */
  remixOf?: string;
  /** Set when this task is a clip of a storyboard: which file and clip, and what the clip said when it was made. */
  storyboard?: StoryboardLink;
  status: TaskStatus;
  /** 0..100, never goes backwards while the task runs. */
  progress: number;
  queuePosition?: number;
  videoUrl?: string;
  thumbnailUrl?: string;
  /** The relay's short animated preview (a GIF), when it gives one. */
  gifUrl?: string;
  /** When videoUrl was last received (signed URLs expire). */
  videoUrlReceivedAt?: number;
  failureReason?: string;
  /** The folder its creator saves videos into: whichever process downloads it saves it there. */
  saveDir?: string;
  download: {
    state: DownloadState;
    localPath?: string;
    bytes?: number;
    error?: string;
    attempts?: number;
  };
  /**
   * When the call that asked for it was cancelled by its client (which never learned this task): an
   * identical call from the same client within two minutes gets this task instead of paying again.
   */
  cancelledAt?: number;
  /** Last transient problem while tracking (e.g. rate limited), for display; cleared on success. */
  lastError?: { kind: string; message: string; at: number };
  completedAt?: number;
}

/** A task is "settled" once nothing more will happen to it without the user asking. */
export function isSettled(task: TaskRecord): boolean {
  if (task.status === 'failed') return true;
  if (task.status !== 'completed') return false;
  return task.download.state === 'done' || task.download.state === 'failed' || task.download.state === 'expired';
}
