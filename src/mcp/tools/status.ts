import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, type ToolContext, unknownTask } from '../context';
import { taskIdSchema, taskOutputSchema, taskOutputShape, timeoutSchema } from '../schemas';
import { taskResult, toTaskOutput } from '../present';
import { waitWithProgress } from '../wait';

/** get_video_status, wait_for_video and list_videos: the read-only view of tasks. Returns the two that show one task. */
export function registerStatusTools(server: McpServer, ctx: ToolContext): { getVideoStatus: RegisteredTool; waitForVideo: RegisteredTool } {
  const getVideoStatus = server.registerTool(
    'get_video_status',
    {
      title: 'Get video status',
      description:
        'Check a video task once: status (queued, processing, completed, failed), progress %, queue position, the video URL and local file when ready, or why it failed. ' +
        'Fast (one request). Use it to look at a task started earlier; use wait_for_video to wait for it.',
      inputSchema: { task_id: taskIdSchema },
      outputSchema: taskOutputShape,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    ({ task_id }) =>
      guarded(ctx, async () => {
        if (!ctx.engine.get(task_id)) return unknownTask(task_id);
        return taskResult(await ctx.engine.refresh(task_id));
      }),
  );

  const waitForVideo = server.registerTool(
    'wait_for_video',
    {
      title: 'Wait for video',
      description:
        'Wait until a video task finishes and its MP4 is downloaded, with progress notifications, or until timeout_seconds (default 600). ' +
        'Use after generate_video returned a running task (wait=false, or its timeout). Waiting does not cost money; cancelling the call stops waiting but never the generation.',
      inputSchema: { task_id: taskIdSchema, timeout_seconds: timeoutSchema.optional() },
      outputSchema: taskOutputShape,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    ({ task_id, timeout_seconds }, extra) =>
      guarded(ctx, async () => {
        if (!ctx.engine.get(task_id)) return unknownTask(task_id);
        return waitWithProgress(ctx, {
          taskId: task_id,
          timeoutMs: (timeout_seconds ?? 600) * 1000,
          signal: extra.signal,
          progressToken: extra._meta?.progressToken,
          sendNotification: extra.sendNotification,
        });
      }),
  );

  server.registerTool(
    'list_videos',
    {
      title: 'List videos',
      description:
        'List the video tasks this machine knows (history kept on disk, newest first), with status, progress, local file and URL. ' +
        'Use it to find a task_id, to see what is still running, or before retrying a failed create (it may have gone through). Free and instant.',
      inputSchema: {
        limit: z.number().int().min(1).max(200).optional().describe('At most this many tasks (default 20).'),
        status: z.enum(['queued', 'processing', 'completed', 'failed']).optional().describe('Only tasks with this status.'),
      },
      outputSchema: { tasks: z.array(taskOutputSchema), total: z.number() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ limit, status }) =>
      guarded(
        ctx,
        async () => {
          const tasks = ctx.engine.list({ limit: limit ?? 20, status });
          const lines = tasks.map(
            (t) =>
              `- ${t.id} [${t.status}${t.status === 'processing' ? ` ${Math.round(t.progress)}%` : ''}] ${t.params.prompt.slice(0, 60)}${t.download.localPath ? ` → ${t.download.localPath}` : ''}`,
          );
          return {
            content: [{ type: 'text', text: tasks.length ? lines.join('\n') : 'No videos yet. Call generate_video to make one.' }],
            structuredContent: { tasks: tasks.map((t) => toTaskOutput(t)), total: tasks.length },
          };
        },
        false,
      ),
  );
  return { getVideoStatus, waitForVideo };
}
