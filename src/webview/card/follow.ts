import { isActive } from '../../core/phase';
import { CARD_STATE_TOOL, type CardState, type CardStateRequest } from './protocol';
import type { Lang } from './strings';

/** What the follower needs from the host connection and the clock (injected: the tests drive time). */
export interface FollowDeps {
  /** Calls one of the server's tools through the host; resolves with its structured content, rejects on a tool error. */
  callTool(name: string, args: Record<string, unknown>): Promise<unknown>;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
  onState(state: CardState): void;
  /** A generation call gave no task for too long (the tool's own answer in the chat says why). */
  onNoAnswer(): void;
  lang: Lang;
}

/** How often the card asks while something is happening: the server answers from memory, no Juxin request. */
export const POLL_MS = 1000;
/** How long a generation call may take to create its task before the card stops waiting for it. */
export const START_TIMEOUT_MS = 120_000;

/**
 * Keeps the card's state fresh. Live progress comes from asking the server (through the host) every
 * second while the task runs: hosts forward a tool's result only when the call ends, and a card can
 * neither subscribe to resources nor see the call's progress notifications. Stops once the task has
 * settled (ready, failed, or saved-failed), and on teardown.
 */
export class CardFollower {
  private target: { taskId: string } | { prompt: string } | undefined;
  private timer: unknown;
  private inFlight = false;
  private waitedMs = 0;
  private stopped = false;

  constructor(private readonly deps: FollowDeps) {}

  /** The task to follow from now on (a task id from the call's arguments, its result, or a remix). */
  followTask(taskId: string): void {
    this.target = { taskId };
    this.poll();
  }

  /** A generation call that has not answered: follow the task the server says it created. */
  followCall(prompt: string): void {
    if (this.target && 'taskId' in this.target) return;
    this.target = { prompt };
    this.waitedMs = 0;
    this.poll();
  }

  /** Asks again now (after an action changed something). */
  refresh(): void {
    this.poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.deps.clearTimer(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    if (this.stopped || !this.target) return;
    if (this.timer !== undefined) this.deps.clearTimer(this.timer);
    this.timer = undefined;
    if (this.inFlight) return this.schedule();
    this.inFlight = true;
    const asked = this.target;
    const request: CardStateRequest = 'taskId' in asked ? { task_id: asked.taskId, lang: this.deps.lang } : { prompt: asked.prompt, lang: this.deps.lang };
    this.deps
      .callTool(CARD_STATE_TOOL, { ...request })
      .then((raw) => {
        if (this.stopped || asked !== this.target) return;
        const state = raw as CardState;
        this.deps.onState(state);
        if (state.startError || state.missing) return this.stop();
        if (!state.task) {
          this.waitedMs += POLL_MS;
          if (this.waitedMs >= START_TIMEOUT_MS) return this.deps.onNoAnswer();
          return this.schedule();
        }
        if ('prompt' in asked) this.target = { taskId: state.task.id };
        if (isActive(state.task)) this.schedule();
      })
      // A failed ask (the server restarted, the connection blinked) is retried at the next tick.
      .catch(() => this.schedule())
      .finally(() => (this.inFlight = false));
  }

  private schedule(): void {
    if (this.stopped || this.timer !== undefined) return;
    this.timer = this.deps.setTimer(() => {
      this.timer = undefined;
      this.poll();
    }, POLL_MS);
  }
}
