import type { TaskStatus } from '../juxin/types';

export type DownloadState = 'none' | 'downloading' | 'done' | 'failed' | 'expired';

/**
 * Where a task stands, as a person reads it. Every layer words a task from this one mapping: MCP
 * progress and tool text, notifications, the status bar, the views. Pure and type-only in its imports,
 * so the webview pages use it too.
 */
export type TaskPhase = 'queued' | 'generating' | 'downloading' | 'ready' | 'notSaved' | 'failed';

export interface PhaseInput {
  status: TaskStatus;
  download: { state: DownloadState };
}

export function taskPhase(task: PhaseInput): TaskPhase {
  switch (task.status) {
    case 'queued':
      return 'queued';
    case 'processing':
      return 'generating';
    case 'failed':
      return 'failed';
    case 'completed':
      if (task.download.state === 'done') return 'ready';
      if (task.download.state === 'failed' || task.download.state === 'expired') return 'notSaved';
      return 'downloading';
  }
}

/** "Running" everywhere (status bar, badge, filters): something is still happening without the user. */
export function isActivePhase(phase: TaskPhase): boolean {
  return phase === 'queued' || phase === 'generating' || phase === 'downloading';
}

export function isActive(task: PhaseInput): boolean {
  return isActivePhase(taskPhase(task));
}
