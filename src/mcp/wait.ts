import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolContext } from './context';
import { ProgressReporter, type SendNotification } from './progress';
import { taskResult, type ResultExtra } from './present';

export interface WaitRequest {
  taskId: string;
  timeoutMs: number;
  signal: AbortSignal;
  progressToken?: string | number;
  sendNotification: SendNotification;
  /** What the result says besides the task (generate_video: the task of a cancelled call). */
  extra?: ResultExtra;
}

/**
 * Waits for a task to settle while reporting progress. A cancelled call stops waiting at once; the
 * engine keeps tracking and downloading the task regardless.
 */
export async function waitWithProgress(ctx: ToolContext, request: WaitRequest): Promise<CallToolResult> {
  const reporter = new ProgressReporter({
    progressToken: request.progressToken,
    send: request.sendNotification,
    keepAliveMs: ctx.keepAliveMs,
  });
  const current = ctx.engine.get(request.taskId);
  if (current) reporter.update(current);
  reporter.start();
  try {
    const { task, timedOut } = await ctx.engine.waitFor(request.taskId, {
      timeoutMs: request.timeoutMs,
      signal: request.signal,
      onUpdate: (t) => reporter.update(t),
    });
    reporter.update(task);
    return taskResult(task, { ...request.extra, timedOut });
  } finally {
    reporter.stop();
  }
}
