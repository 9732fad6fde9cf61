import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import path from 'node:path';
import { settingNotUsable, type GenerationInput } from '../../core/params';
import { JuxinError } from '../../juxin/errors';
import { isHttpUrl } from '../../juxin/images';
import { localPathProblem } from '../../util/localPath';
import { guarded, type ToolContext, toErrorResult } from '../context';
import { generateInputShape, taskOutputShape, type ToolDefaults } from '../schemas';
import { errorResult, taskResult } from '../present';
import { waitWithProgress } from '../wait';

/** generate_video's description: what it does, and the defaults that really apply. */
export function generateDescription(d: ToolDefaults): string {
  return `Generate a video through the Juxin (聚鑫) API with any video model this key can use (Veo 3.1, Grok, Jimeng, Sora 2…; see list_models), from a text prompt and optionally images.
Use this when the user asks to make, create or generate a video or animate a picture.
It costs the user money and takes time: typically 3–6 minutes (longer for pro models and long videos). Every value is checked against the chosen model before anything is sent. With wait=true (default) the call reports progress and returns when the MP4 is downloaded (local_path) or after timeout_seconds; on timeout it returns the running task: then call wait_for_video with its task_id. Do not call generate_video again for the same request — that would pay twice (except right after a cancelled call: an identical call within two minutes gets the cancelled call's task, not a new one). Past the user's daily limits (videos, seconds of video) the user is asked first, and without their yes nothing is sent; list_videos shows today's spend.
Prompts may be in Chinese or English. Defaults: ${d.model}, ${d.orientation}, ${d.size}, ${d.duration} s, ${d.watermark ? 'watermark' : 'no watermark'}, ${d.private ? 'private' : 'public'} (each where the model takes it; else the model's own).`;
}

const DAY_MS = 24 * 60 * 60 * 1000;

type GenerateArgs = z.infer<z.ZodObject<ReturnType<typeof generateInputShape>>>;

/** Tool names to the engine's: nothing more (the engine applies the defaults and checks every rule). */
function toInput(args: GenerateArgs): GenerationInput {
  return {
    prompt: args.prompt,
    images: args.images,
    model: args.model,
    aspectRatio: args.aspect_ratio,
    resolution: args.resolution,
    firstFrame: args.first_frame,
    lastFrame: args.last_frame,
    enhancePrompt: args.enhance_prompt,
    enableUpsample: args.enable_upsample,
    orientation: args.orientation,
    size: args.size,
    duration: args.duration,
    watermark: args.watermark,
    private: args.private,
    characterUrl: args.character_url,
    characterTimestamps: args.character_timestamps,
  };
}

/**
 * The folders of the local images that pass the path rules (the engine refuses the others with the
 * reason): each is confirmed before any file in it is read. URLs are Juxin's to fetch.
 */
async function confirmImageFolders(ctx: ToolContext, images: string[]): Promise<CallToolResult | undefined> {
  if (!ctx.confirm) return undefined;
  const folders = new Set(images.filter((i) => !isHttpUrl(i) && !localPathProblem(i)).map((i) => path.dirname(i)));
  for (const folder of folders) {
    if (await ctx.confirm({ kind: 'readImages', folder, client: ctx.clientName() })) continue;
    return errorResult(
      `The user did not allow reading images from ${JSON.stringify(folder)}, so nothing was sent. Ask the user, or use image URLs instead.\n` +
        `用户未允许读取文件夹 ${JSON.stringify(folder)} 中的图片，未发送任何请求。请先征得用户同意，或改用图片链接。`,
    );
  }
  return undefined;
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
      title: 'Generate video',
      description: generateDescription(ctx.defaults),
      inputSchema: generateInputShape(ctx.defaults),
      outputSchema: taskOutputShape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      execution: { taskSupport: 'optional' },
    },
    {
      createTask: async (args, extra) => {
        // Everything that can fail fast (key, parameters, a refused folder, the create call itself) fails
        // here: the MCP task then ends at once holding the readable error result (a task-augmented caller
        // such as VS Code needs a task, never a bare tool error, in answer to tools/call; and it reads the
        // result of a "completed" task only: of a "failed" one it shows just "unknown error").
        let created: string | undefined;
        let settingGone: { en: string; zh: string } | undefined;
        let reusedCancelledCall = false;
        const call = ctx.generateCalls.begin(args.prompt);
        const early = await guarded(ctx, async () => {
          const refused = await confirmImageFolders(ctx, [
            ...(args.images ?? []),
            ...[args.first_frame, args.last_frame].filter((i): i is string => typeof i === 'string'),
          ]);
          if (refused) return refused;
          // What the key can use, read (or taken from the shared cache) first: the descriptions follow it.
          ctx.noticeModels(await ctx.engine.models());
          const input = toInput(args);
          // A client that gave up on an identical call (its timeout) and asks again gets the task that call ordered.
          const twin = await ctx.engine.cancelledTwin(input, ctx.origin());
          reusedCancelledCall = twin !== undefined;
          // Over a daily limit the person is asked first (elicitation); without a yes nothing is sent. Once the
          // call is cancelled nothing is sent either; a create already on its way lands in the history.
          const approveSpend = ctx.approveSpend({ requestId: extra.requestId, signal: extra.signal });
          const record =
            twin ??
            (await ctx.engine.generate(input, ctx.origin(), { approveSpend, signal: extra.signal }).catch((error: unknown) => {
              // The relay refused the model: the error holds what the key can use, read from GET /v1/models just now
              // (not asked twice); the descriptions follow it.
              if (error instanceof JuxinError && error.kind === 'model_unavailable' && error.videoModels?.length)
                ctx.noticeModels({ usable: error.videoModels });
              throw error;
            }));
          created = record.id;
          settingGone = args.model === undefined ? unusableSetting(ctx, record.params.model) : undefined;
          call.created(record.id);
          return taskResult(record, { reusedCancelledCall });
        });
        // Cancelled after its task was made: the client never learns it (an identical call gets it, see above).
        const noteCancelled = () => (created && extra.signal.aborted ? ctx.engine.markCallCancelled(created) : Promise.resolve());
        if (early.isError || !created) call.failed(textOf(early));
        const mcpTask = await extra.taskStore.createTask({ ttl: extra.taskRequestedTtl ?? DAY_MS, pollInterval: 1000 });
        if (early.isError || !created) {
          await extra.taskStore.storeTaskResult(mcpTask.taskId, 'completed', early);
          return { task: (await extra.taskStore.getTask(mcpTask.taskId)) ?? mcpTask };
        }

        const finish = (result: CallToolResult) =>
          extra.taskStore.storeTaskResult(mcpTask.taskId, 'completed', withNote(result, settingGone)).catch((e: unknown) => {
            ctx.logger.debug(`task result for ${created} not stored (${e instanceof Error ? e.message : e}): the client cancelled or the task expired`);
          });

        if (args.wait === false) {
          await noteCancelled();
          await finish(early);
        } else {
          const taskId = created;
          void waitWithProgress(ctx, {
            taskId,
            timeoutMs: (args.timeout_seconds ?? 600) * 1000,
            signal: extra.signal,
            progressToken: extra._meta?.progressToken,
            sendNotification: extra.sendNotification,
            extra: { reusedCancelledCall },
          })
            .catch((error: unknown) => toErrorResult(error, ctx.logger))
            .then(async (result) => {
              await noteCancelled();
              return finish(result);
            });
        }
        return { task: mcpTask };
      },
      getTask: async (_args, extra) => extra.taskStore.getTask(extra.taskId),
      getTaskResult: async (_args, extra) => (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
    },
  );
}

/** The user's default model (a setting) that this key cannot use, said once per session (never nags) with the model used instead. */
function unusableSetting(ctx: ToolContext, used: string): { en: string; zh: string } | undefined {
  const note = settingNotUsable(ctx.userModel(), used, { en: 'list_models', zh: ' list_models ' });
  if (!note || ctx.settingNoted) return undefined;
  ctx.settingNoted = true;
  return note;
}

function withNote(result: CallToolResult, note: { en: string; zh: string } | undefined): CallToolResult {
  return note ? { ...result, content: [{ type: 'text', text: `${note.en}\n${note.zh}` }, ...result.content] } : result;
}

function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}
