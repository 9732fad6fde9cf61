import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { checkExportDirectory, exportCopy } from '../../core/exportCopy';
import { bilingual } from '../bilingual';
import { guarded, type ToolContext, unknownTask } from '../context';
import { errorResult, taskResult } from '../present';
import { taskIdSchema, taskOutputShape } from '../schemas';

/** download_video, remix_video and create_character: tools that act on an existing task. */
export function registerActionTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'download_video',
    {
      title: 'Download video',
      description:
        'Save a finished video as an MP4 on this machine (done automatically when a task completes; use this to retry a failed download or to copy it into another folder). ' +
        'Returns local_path, and copied_to when a directory was given. Takes seconds. The signed video URL expires after some hours; if it has, the server asks Juxin for a fresh one.',
      inputSchema: {
        task_id: taskIdSchema,
        directory: z
          .string(bilingual)
          .optional()
          .describe(
            "Absolute folder on this computer to save a copy into (created if missing; never a network share). An existing file is never replaced: the copy takes a free name. Default: only the server's videos folder.",
          ),
      },
      outputSchema: taskOutputShape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    ({ task_id, directory }) =>
      guarded(ctx, async () => {
        const task = ctx.engine.get(task_id);
        if (!task) return unknownTask(task_id);
        if (task.status !== 'completed') {
          return errorResult(
            `Task ${task_id} is ${task.status}${task.status === 'failed' ? '' : ' — not finished yet: call wait_for_video first'}. 任务尚未完成，无法下载。`,
          );
        }
        const saved = await ctx.engine.download(task_id);
        if (directory === undefined || saved.download.state !== 'done') return taskResult(saved);
        const folder = checkExportDirectory(directory);
        if (ctx.confirm && !(await ctx.confirm({ kind: 'saveCopy', directory: folder, client: ctx.clientName() }))) {
          return errorResult(
            `The user did not allow saving into ${JSON.stringify(folder)}, so nothing was written. The video is at ${saved.download.localPath}.\n` +
              `用户未允许保存到 ${JSON.stringify(folder)}，未写入任何文件。视频位于 ${saved.download.localPath}。`,
          );
        }
        return taskResult(saved, { copiedTo: await exportCopy(saved.download.localPath!, folder) });
      }),
  );

  server.registerTool(
    'remix_video',
    {
      title: 'Remix video',
      description:
        'Make a new video from a finished one with a change described in the prompt ("make the background purple"). Costs like a new generation and takes minutes; ' +
        'returns the new task at once — then call wait_for_video with its task_id. Only works for videos generated with private=false. Over a daily limit the user is asked first.',
      inputSchema: {
        task_id: taskIdSchema,
        prompt: z.string(bilingual).describe('The change to make, in Chinese or English.'),
      },
      outputSchema: taskOutputShape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ task_id, prompt }, extra) =>
      guarded(ctx, async () => {
        const original = ctx.engine.get(task_id);
        if (!original) return unknownTask(task_id);
        if (original.params.private) {
          return errorResult(
            `Task ${task_id} was generated with private=true, and Juxin cannot remix private videos. Generate it again with private=false to remix it. 私有视频无法二次创作（remix），请用 private=false 重新生成。`,
          );
        }
        if (!prompt.trim()) return errorResult('prompt is empty: describe the change to make. 请填写要做的修改。');
        const approveSpend = ctx.approveSpend({ requestId: extra.requestId, signal: extra.signal });
        // A cancelled call sends nothing; a remix already on its way when it is cancelled lands in the history.
        return taskResult(await ctx.engine.remix(task_id, prompt.trim(), ctx.origin(), { approveSpend, signal: extra.signal }));
      }),
  );

  server.registerTool(
    'create_character',
    {
      title: 'Create character',
      description:
        'Create a reusable character (cameo) from a video: give either the video url or from_task (a completed task id), and timestamps "start,end" (1–3 s) where the character is visible. ' +
        'Returns an @username: put it in later generate_video prompts to feature the character. No real people. Takes seconds.',
      inputSchema: {
        url: z.string(bilingual).optional().describe('An http(s) URL of a video showing the character.'),
        from_task: z.string(bilingual).optional().describe('A completed task id to take the character from (instead of url).'),
        timestamps: z.string(bilingual).describe('"start,end" in seconds, span 1–3, e.g. "1,3".'),
      },
      outputSchema: { id: z.string(), username: z.string(), mention: z.string(), permalink: z.string().optional(), profile_picture_url: z.string().optional() },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ url, from_task, timestamps }) =>
      guarded(ctx, async () => {
        if (!url === !from_task) {
          return errorResult('Give exactly one of url or from_task. 请提供 url 或 from_task 其中之一。');
        }
        const character = await ctx.engine.createCharacter(url ? { url } : { fromTask: from_task! }, timestamps);
        const mention = `@${character.username}`;
        return {
          content: [{ type: 'text', text: `Character created: use ${mention} in a generate_video prompt, e.g. "${mention} waves at the camera".` }],
          structuredContent: {
            id: character.id,
            username: character.username,
            mention,
            permalink: character.permalink,
            profile_picture_url: character.profilePictureUrl,
          },
        };
      }),
  );
}
