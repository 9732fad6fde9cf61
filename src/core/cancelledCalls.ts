import { isDeepStrictEqual } from 'node:util';
import type { GenerationParams } from '../juxin/types';
import { originOf, type TaskOrigin } from './origin';
import type { TaskRecord } from './types';

/**
 * A call whose client gave up (a client timeout, a closed chat) never learns the task it may have paid
 * for, and clients retry. For this long after the cancel, an identical call from the same client gets
 * that task instead of paying again.
 */
export const CANCELLED_CALL_WINDOW_MS = 2 * 60_000;

/** The call was cancelled before its request was sent: nothing was billed. */
export class CallCancelledError extends Error {
  override readonly name = 'CallCancelledError';
  readonly messageZh = '调用已取消，未发送任何请求，不会计费。';
  constructor() {
    super('The call was cancelled before anything was sent: nothing was billed.');
  }
}

/** The same caller: the same kind of origin, the same MCP client (by its own name), the same kind of process. */
export function sameCaller(a: TaskOrigin, b: TaskOrigin): boolean {
  return a.kind === b.kind && a.client === b.client && a.host === b.host;
}

/** The same video asked for: every parameter equal (after the defaults were applied). */
export function sameRequest(a: GenerationParams, b: GenerationParams): boolean {
  const key = (p: GenerationParams) => [
    p.prompt,
    p.model,
    p.orientation,
    p.size,
    p.duration,
    p.watermark,
    p.private,
    p.images,
    p.characterUrl,
    p.characterTimestamps,
  ];
  return isDeepStrictEqual(key(a), key(b));
}

interface OnItsWay {
  params: GenerationParams;
  origin: TaskOrigin;
  task: Promise<TaskRecord | undefined>;
}

/**
 * The tasks of cancelled calls. A create that was on its way when its call was cancelled is kept (it lands
 * in the history with `cancelledAt`); until it lands, this process remembers it, so an identical call
 * arriving meanwhile waits for it rather than paying again.
 */
export class CancelledCalls {
  private readonly onTheirWay = new Set<OnItsWay>();

  /** Remembers `task` (a create on its way) if `signal` aborts before it lands. */
  watch(signal: AbortSignal, params: GenerationParams, origin: TaskOrigin, task: Promise<TaskRecord>): void {
    const remember = () => {
      const entry: OnItsWay = { params, origin, task: task.catch(() => undefined) };
      this.onTheirWay.add(entry);
      void entry.task.then(() => this.onTheirWay.delete(entry));
    };
    if (signal.aborted) return remember();
    signal.addEventListener('abort', remember, { once: true });
    void task.then(
      () => signal.removeEventListener('abort', remember),
      () => signal.removeEventListener('abort', remember),
    );
  }

  /** The task of an identical call from this caller cancelled within the window: on its way here, or in the history. */
  async find(history: Iterable<TaskRecord>, params: GenerationParams, origin: TaskOrigin, now: number): Promise<TaskRecord | undefined> {
    for (const entry of this.onTheirWay) {
      if (!sameCaller(entry.origin, origin) || !sameRequest(entry.params, params)) continue;
      const task = await entry.task;
      if (task) return task;
    }
    let newest: TaskRecord | undefined;
    for (const task of history) {
      const at = task.cancelledAt;
      if (at === undefined || now - at > CANCELLED_CALL_WINDOW_MS || at > now + CANCELLED_CALL_WINDOW_MS) continue;
      if (!sameCaller(originOf(task), origin) || !sameRequest(task.params, params)) continue;
      if (!newest || task.createdAt > newest.createdAt) newest = task;
    }
    return newest;
  }
}
