import { BoundedReadError, readBoundedFile } from '../../util/boundedRead';
import { getUiCapability, registerAppResource, registerAppTool, RESOURCE_MIME_TYPE, RESOURCE_URI_META_KEY } from '@modelcontextprotocol/ext-apps/server';
import { ResourceTemplate, type McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { MediaInfoCache } from '../../core/mediaInfo';
import {
  CARD_ACTION_TOOL,
  CARD_STATE_TOOL,
  CARD_URI,
  VIDEO_URI_PREFIX,
  type CardAction,
  type CardActionResult,
  type CardState,
} from '../../webview/card/protocol';
import { guarded, unknownTask, type ToolContext } from '../context';
import { errorResult } from '../present';
import { taskIdSchema } from '../schemas';
import { cardResourceDomains, cardTemplate, renderCardHtml } from './cardHtml';
import { cardStateOf, HOOK_OF_ACTION, INLINE_VIDEO_LIMIT, type CardHooks } from './cardState';

export type { CardHooks } from './cardState';

export interface PlayerCardOptions {
  /** The tools that show the card (generate_video, wait_for_video, get_video_status). */
  tools: RegisteredTool[];
  hooks: CardHooks;
  /** The configured API base URL (read at every use: it is a setting in VS Code). */
  baseUrl: () => string;
}

const ACTIONS = ['openPreview', 'reveal', 'copyUrl', 'playExternal', 'addToStoryboard'] as const satisfies readonly CardAction[];
const APP_ONLY = { ui: { visibility: ['app' as const] } };

/**
 * The player card (an MCP App): a `ui://` page that VS Code (and other hosts that speak MCP Apps) show
 * inline in the chat for generate_video, wait_for_video and get_video_status, and the app-only tools it
 * calls. All of it exists only for a client that announced the `io.modelcontextprotocol/ui` extension
 * in `initialize`: any other client lists and gets exactly what it did before.
 */
export function registerPlayerCard(server: McpServer, ctx: ToolContext, options: PlayerCardOptions): void {
  const media = new MediaInfoCache();
  const stateContext = (lang: 'en' | 'zh' | undefined) => ({ baseUrl: options.baseUrl(), chinese: lang === 'zh', hooks: options.hooks, media });

  const page = registerAppResource(
    server,
    'Sora player card',
    CARD_URI,
    { description: 'Shows a Sora video task in the chat: live progress, then the video with its actions.', mimeType: RESOURCE_MIME_TYPE },
    async () => {
      const baseUrl = options.baseUrl();
      return {
        contents: [
          {
            uri: CARD_URI,
            mimeType: RESOURCE_MIME_TYPE,
            text: renderCardHtml(cardTemplate(), baseUrl),
            _meta: {
              ui: { csp: { resourceDomains: cardResourceDomains(baseUrl), connectDomains: [] }, permissions: { clipboardWrite: {} }, prefersBorder: true },
            },
          },
        ],
      };
    },
  );

  const state = registerAppTool(
    server,
    CARD_STATE_TOOL,
    {
      title: 'Player card: task state',
      description: 'For the player card only: the state of the task it shows.',
      inputSchema: {
        task_id: taskIdSchema.optional(),
        prompt: z.string().max(20_000).optional(),
        lang: z.enum(['en', 'zh']).optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
      _meta: APP_ONLY,
    },
    ({ task_id, prompt, lang }) =>
      guarded(
        ctx,
        async () => {
          let id = task_id;
          if (!id && prompt !== undefined) {
            const call = ctx.generateCalls.find(prompt);
            if (call?.error)
              return { content: [{ type: 'text', text: call.error }], structuredContent: { startError: call.error, actions: [], canRemix: false } };
            id = call?.taskId;
          }
          // Not created yet (the generation call is still talking to Juxin): the card asks again.
          if (!id) return cardStateResult({ actions: [], canRemix: false });
          const task = ctx.engine.get(id);
          // Removed from the history (or never known here): the card says so and stops asking.
          if (!task) return cardStateResult({ missing: true, actions: [], canRemix: false });
          return cardStateResult(await cardStateOf(task, stateContext(lang)));
        },
        false,
      ),
  );

  const action = registerAppTool(
    server,
    CARD_ACTION_TOOL,
    {
      title: 'Player card: action',
      description: 'For the player card only: open the preview, reveal the file, copy the URL, play in the system player.',
      inputSchema: { task_id: taskIdSchema, action: z.enum(ACTIONS) },
      annotations: { readOnlyHint: true, openWorldHint: false },
      _meta: APP_ONLY,
    },
    ({ task_id, action: name }) =>
      guarded(
        ctx,
        async () => {
          const task = ctx.engine.get(task_id);
          if (!task) return unknownTask(task_id);
          const hook = options.hooks[HOOK_OF_ACTION[name]];
          let result: CardActionResult;
          if (hook) {
            await hook.call(options.hooks, task_id);
            result = { ok: true };
          } else if (name === 'copyUrl' && task.videoUrl) {
            result = { ok: true, url: task.videoUrl };
          } else {
            return errorResult(`"${name}" is not available here. 此处无法执行“${name}”。`);
          }
          return { content: [{ type: 'text', text: `${name}: done` }], structuredContent: { ...result } };
        },
        false,
      ),
  );

  const uiOnly: { enabled: boolean }[] = [page, state, action];
  for (const x of uiOnly) x.enabled = false;

  // Decided once per session, before the client's first list request. Fields are set directly:
  // enable() would announce a tool-list change, and this server tells clients its tool list never
  // changes. (The video template is registered only now: the SDK lists templates even when disabled.)
  const previous = server.server.oninitialized;
  server.server.oninitialized = () => {
    previous?.();
    if (!getUiCapability(server.server.getClientCapabilities())?.mimeTypes?.includes(RESOURCE_MIME_TYPE)) return;
    for (const x of uiOnly) x.enabled = true;
    for (const tool of options.tools) tool._meta = { ...tool._meta, ui: { resourceUri: CARD_URI }, [RESOURCE_URI_META_KEY]: CARD_URI };
    registerVideoBytes(server, ctx);
  };
}

/** The saved video as bytes, for the card's data: URI (not listed: the card asks by the URI it was given). */
function registerVideoBytes(server: McpServer, ctx: ToolContext): void {
  server.registerResource(
    'video',
    new ResourceTemplate(`${VIDEO_URI_PREFIX}{id}`, { list: undefined }),
    { title: 'Saved video', description: 'The MP4 of a finished task, for the player card.', mimeType: 'video/mp4' },
    async (uri, variables) => {
      const id = decodeURIComponent(String(variables.id));
      const task = ctx.engine.get(id);
      const file = task?.download.state === 'done' ? task.download.localPath : undefined;
      if (!file) throw new Error(`Task ${id} has no saved video (yet). 任务 ${id} 还没有已保存的视频。`);
      // The size is decided on the open file before a byte is read: a larger video is never loaded.
      const bytes = await readBoundedFile(file, { maxBytes: INLINE_VIDEO_LIMIT, what: { en: 'The video', zh: '视频' }, followLinks: true }).catch(
        (error: unknown) => {
          if (error instanceof BoundedReadError && error.reason === 'too-large') {
            throw new Error(`The video of ${id} is too large to send to the card; open it in the preview. 视频太大，请在预览中打开。`);
          }
          throw error;
        },
      );
      return { contents: [{ uri: uri.href, mimeType: 'video/mp4', blob: bytes.data.toString('base64') }] };
    },
  );
}

function cardStateResult(state: CardState): CallToolResult {
  const what = state.task ? `${state.task.status} ${Math.round(state.task.progress)}%` : 'creating the task';
  return { content: [{ type: 'text', text: `Card state: ${what}` }], structuredContent: { ...state } };
}
