import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { TaskPhase } from '../../core/phase';
import { SOURCE_KINDS } from '../../core/query';
import { bilingual } from '../bilingual';
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
        'List the video tasks of this machine (one history shared by every VS Code window and MCP client), newest first, with status, progress, local file and URL. ' +
        'Page through a long history with limit and offset; narrow it with status, a text query over prompts (Chinese or English), or source. ' +
        'Use it to find a task_id, to see what is still running, or before retrying a failed create (it may have gone through). Free and instant.',
      inputSchema: {
        limit: z.number(bilingual).int(bilingual).min(1, bilingual).max(200, bilingual).optional().describe('At most this many tasks (default 20).'),
        offset: z
          .number(bilingual)
          .int(bilingual)
          .min(0, bilingual)
          .max(10_000_000, bilingual)
          .optional()
          .describe('Skip this many matching tasks (default 0): the next page starts at next_offset.'),
        status: z
          .enum(['queued', 'processing', 'completed', 'failed', 'running'], bilingual)
          .optional()
          .describe('Only tasks with this status; "running" = queued, generating or downloading.'),
        query: z
          .string(bilingual)
          .max(500, bilingual)
          .optional()
          .describe('Words that must all appear in the prompt (or the task id), any language, case-insensitive.'),
        source: z
          .enum(SOURCE_KINDS, bilingual)
          .optional()
          .describe('Only tasks started from: palette (VS Code), copilot, agent (another MCP client), storyboard, cli.'),
      },
      outputSchema: {
        tasks: z.array(taskOutputSchema),
        total: z.number().describe('How many tasks match, over all pages.'),
        offset: z.number(),
        next_offset: z.number().optional().describe('Where the next page starts; absent on the last page.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ limit, offset, status, query, source }) =>
      guarded(
        ctx,
        async () => {
          const start = offset ?? 0;
          const page = ctx.engine.query({
            text: query,
            phases: status ? STATUS_PHASES[status] : undefined,
            sources: source ? [source] : undefined,
            offset: start,
            limit: limit ?? 20,
          });
          const next = start + page.tasks.length < page.total ? start + page.tasks.length : undefined;
          const lines = page.tasks.map(
            (t) =>
              `- ${t.id} [${t.status}${t.status === 'processing' ? ` ${Math.round(t.progress)}%` : ''}] ${t.params.prompt.slice(0, 60)}${t.download.localPath ? ` → ${t.download.localPath}` : ''}`,
          );
          const filtered = Boolean(status || query?.trim() || source);
          const text = !page.total
            ? filtered
              ? 'No task matches. Try fewer words or another status. 没有符合条件的任务。'
              : 'No videos yet. Call generate_video to make one.'
            : page.tasks.length
              ? [
                  `Tasks ${start + 1}–${start + page.tasks.length} of ${page.total}, newest first${next !== undefined ? ` (next page: offset=${next})` : ''}:`,
                  ...lines,
                ].join('\n')
              : `No tasks at offset ${start}: there are ${page.total}. Use an offset below ${page.total}.`;
          return {
            content: [{ type: 'text', text }],
            structuredContent: {
              tasks: page.tasks.map((t) => toTaskOutput(t)),
              total: page.total,
              offset: start,
              ...(next !== undefined ? { next_offset: next } : {}),
            },
          };
        },
        false,
      ),
  );
  return { getVideoStatus, waitForVideo };
}

/** The statuses list_videos filters by, as the phases of the one mapping. */
const STATUS_PHASES: Record<'queued' | 'processing' | 'completed' | 'failed' | 'running', TaskPhase[]> = {
  queued: ['queued'],
  processing: ['generating'],
  completed: ['downloading', 'ready', 'notSaved'],
  failed: ['failed'],
  running: ['queued', 'generating', 'downloading'],
};
