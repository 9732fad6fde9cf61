import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { validateGenerationParams } from '../../core/params';
import type { GenerationParams } from '../../juxin/types';
import { guarded, type ToolContext, toErrorResult } from '../context';
import { generateInputShape, taskOutputShape } from '../schemas';
import { taskResult } from '../present';
import { waitWithProgress } from '../wait';

const DESCRIPTION = `Generate a video with OpenAI Sora-2 through the Juxin (聚鑫) API, from a text prompt and optionally images.
Use this when the user asks to make, create or generate a video or animate a picture.
It costs the user money and takes time: typically 3–6 minutes for a 10 s sora-2 video (longer for sora-2-pro and 25 s). With wait=true (default) the call reports progress and returns when the MP4 is downloaded (local_path) or after timeout_seconds; on timeout it returns the running task: then call wait_for_video with its task_id. Do not call generate_video again for the same request — that would pay twice.
Prompts may be in Chinese or English. Defaults: sora-2, landscape, small, 10 s, no watermark, private.`;

const DAY_MS = 24 * 60 * 60 * 1000;

type GenerateArgs = z.infer<z.ZodObject<typeof generateInputShape>>;

function toParams(args: GenerateArgs): GenerationParams {
  return validateGenerationParams({
    prompt: args.prompt,
    images: args.images,
    model: args.model,
    orientation: args.orientation,
    size: args.size,
    duration: args.duration,
    watermark: args.watermark,
    private: args.private,
    characterUrl: args.character_url,
    characterTimestamps: args.character_timestamps,
  });
}

/**
 * `generate_video` is registered as a task-capable tool (MCP's experimental task-augmented execution):
 * clients that speak tasks get a task handle at once and poll it; plain calls are served by the SDK's
 * automatic polling of the same task and still get progress notifications, because the background
 * work reports through the original request's progress token.
 */
export function registerGenerateVideo(server: McpServer, ctx: ToolContext): RegisteredTool {
  return server.experimental.tasks.registerToolTask(
    'generate_video',
    {
      title: 'Generate video (Sora-2)',
      description: DESCRIPTION,
      inputSchema: generateInputShape,
      outputSchema: taskOutputShape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      execution: { taskSupport: 'optional' },
    },
    {
      createTask: async (args, extra) => {
        // Everything that can fail fast (key, parameters, the create call itself) fails here, before an
        // MCP task exists, so the caller gets the error at once.
        let created: string | undefined;
        const call = ctx.generateCalls.begin(args.prompt);
        const early = await guarded(ctx, async () => {
          const params = toParams(args);
          const record = await ctx.engine.generate(params, 'mcp');
          created = record.id;
          call.created(record.id);
          return taskResult(record);
        });
        if (early.isError || !created) {
          call.failed(textOf(early));
          throw new Error(textOf(early));
        }

        const mcpTask = await extra.taskStore.createTask({ ttl: extra.taskRequestedTtl ?? DAY_MS, pollInterval: 1000 });
        const finish = (result: CallToolResult) =>
          extra.taskStore.storeTaskResult(mcpTask.taskId, 'completed', result).catch((e: unknown) => {
            ctx.logger.debug(`task result for ${created} not stored (${e instanceof Error ? e.message : e}): the client cancelled or the task expired`);
          });

        if (args.wait === false) {
          await finish(early);
        } else {
          const taskId = created;
          void waitWithProgress(ctx, {
            taskId,
            timeoutMs: (args.timeout_seconds ?? 600) * 1000,
            signal: extra.signal,
            progressToken: extra._meta?.progressToken,
            sendNotification: extra.sendNotification,
          })
            .catch((error: unknown) => toErrorResult(error, ctx.logger))
            .then(finish);
        }
        return { task: mcpTask };
      },
      getTask: async (_args, extra) => extra.taskStore.getTask(extra.taskId),
      getTaskResult: async (_args, extra) => (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
    },
  );
}

function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}
