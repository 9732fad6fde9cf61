import type { ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import { systemClock, type Clock } from '../util/clock';
import { taskPhase } from '../core/phase';
import type { TaskRecord } from '../core/types';

export type SendNotification = (notification: ServerNotification) => Promise<void>;

/** Readable progress message for a task's current state (what clients show next to the bar). */
export function progressMessage(task: TaskRecord): string {
  switch (taskPhase(task)) {
    case 'queued':
      return task.queuePosition ? `queued, position ${task.queuePosition}` : 'queued';
    case 'generating':
      return `generating ${Math.round(task.progress)}%`;
    case 'failed':
      return `failed: ${task.failureReason || 'no reason given'}`;
    case 'ready':
      return 'done';
    case 'notSaved':
      return 'ready, download failed';
    case 'downloading':
      return task.download.bytes ? `downloading (${(task.download.bytes / 1e6).toFixed(1)} MB)` : 'downloading';
  }
}

/**
 * Maps a task onto one 0–100 scale: generation fills 0–90, the download 90–100. MCP requires the
 * progress value to increase with every notification, so keep-alives and repeats nudge it up by a
 * hair instead of resending the same number.
 */
export function progressValue(task: TaskRecord): number {
  const phase = taskPhase(task);
  if (phase === 'queued' || phase === 'generating') return Math.min(90, Math.max(0, task.progress) * 0.9);
  return phase === 'downloading' ? 95 : 100;
}

export interface ProgressReporterOptions {
  progressToken: string | number | undefined;
  send: SendNotification;
  keepAliveMs: number;
  /** Keep-alives are for the client's real timeouts (default systemClock; tests pass their own). */
  clock?: Clock;
}

/** Sends `notifications/progress` on every change, and a keep-alive when nothing changed for a while. */
export class ProgressReporter {
  private last = -1;
  private lastMessage = '';
  private keepAlive: AbortController | undefined;
  private current: { value: number; message: string } | undefined;

  constructor(private readonly options: ProgressReporterOptions) {}

  get enabled(): boolean {
    return this.options.progressToken !== undefined;
  }

  update(task: TaskRecord): void {
    this.set(progressValue(task), progressMessage(task));
  }

  /** Progress of work that is not one task (a storyboard's clips, a film being joined): 0–100 and what is happening. */
  set(value: number, message: string): void {
    this.current = { value, message };
    if (message === this.lastMessage && value <= this.last) return;
    this.emit(value, message);
  }

  start(): void {
    if (!this.enabled || this.keepAlive) return;
    const keepAlive = (this.keepAlive = new AbortController());
    const clock = this.options.clock ?? systemClock;
    const beat = async () => {
      for (;;) {
        await clock.sleep(this.options.keepAliveMs, keepAlive.signal);
        if (this.current) this.emit(this.current.value, this.lastMessage || this.current.message);
      }
    };
    beat().catch(() => undefined); // stopped
  }

  stop(): void {
    this.keepAlive?.abort();
    this.keepAlive = undefined;
  }

  private emit(value: number, message: string): void {
    if (!this.enabled) return;
    // Strictly increasing, and below 100 until the task is truly settled.
    const round = (n: number) => Math.round(n * 100) / 100;
    let next = round(value);
    if (next <= this.last) next = round(Math.min(this.last + 0.01, 99.99));
    if (next <= this.last) return;
    this.last = next;
    this.lastMessage = message;
    this.options
      .send({
        method: 'notifications/progress',
        params: { progressToken: this.options.progressToken!, progress: next, total: 100, message },
      })
      .catch(() => this.stop()); // the client went away: nobody to keep alive
  }
}
