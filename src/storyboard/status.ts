import type { ClipPlan } from './plan';

/**
 * Where a clip stands, as a person reads it: the clip plan's state, and for a clip in flight the
 * phase of its task (`src/core/phase.ts`: queued, generating N%, downloading). The CodeLens, the
 * storyboard view and the MCP tools all word a clip from this one mapping (type-only imports: the
 * pages use it too).
 */
export type ClipStatus =
  | { kind: 'invalid' }
  | { kind: 'missing' }
  | { kind: 'outdated' }
  | { kind: 'queued'; position?: number }
  | { kind: 'generating'; progress: number }
  | { kind: 'downloading' }
  | { kind: 'ready' }
  | { kind: 'notSaved'; reason: string }
  | { kind: 'failed'; reason: string };

export type ClipStatusKind = ClipStatus['kind'];

export function clipStatus(plan: Pick<ClipPlan, 'state' | 'running' | 'failed'>): ClipStatus {
  switch (plan.state) {
    case 'invalid':
    case 'missing':
    case 'outdated':
    case 'ready':
      return { kind: plan.state };
    case 'failed': {
      const reason = plan.failed?.failureReason ?? '';
      return plan.failed?.phase === 'failed' ? { kind: 'failed', reason } : { kind: 'notSaved', reason };
    }
    case 'running': {
      const task = plan.running;
      if (task?.phase === 'generating') return { kind: 'generating', progress: Math.max(0, Math.min(100, Math.round(task.progress ?? 0))) };
      if (task?.phase === 'downloading') return { kind: 'downloading' };
      return task?.queuePosition ? { kind: 'queued', position: task.queuePosition } : { kind: 'queued' };
    }
  }
}

/** Something is still happening to the clip without the person (the "running" of `isActivePhase`). */
export function isClipBusy(status: ClipStatus): boolean {
  return status.kind === 'queued' || status.kind === 'generating' || status.kind === 'downloading';
}

/** The clip's share of a storyboard's progress, 0..100: generation fills 0–90, the download 90–100 (as a single video's). */
export function clipProgressValue(status: ClipStatus): number {
  switch (status.kind) {
    case 'generating':
      return status.progress * 0.9;
    case 'downloading':
      return 95;
    case 'ready':
    case 'failed':
    case 'notSaved':
    case 'invalid':
      return 100;
    default:
      return 0;
  }
}
