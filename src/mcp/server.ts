import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTaskMessageQueue, InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
import type { VideoEngine } from '../core/engine';
import { DEFAULT_BASE_URL } from '../juxin/types';
import { silentLogger, type Logger } from '../util/log';
import { DEFAULT_PARAMS, defaultModel } from '../core/params';
import { registerPlayerCard, type CardHooks } from './apps';
import { GenerateCalls } from './apps/generateCalls';
import type { Confirm, ToolContext } from './context';
import { generateInputShape, type ToolDefaults } from './schemas';
import { registerTaskResources } from './resources';
import { elicitSpendApproval } from './spend';
import { registerActionTools } from './tools/actions';
import { generateDescription, registerGenerateVideo } from './tools/generate';
import { registerStatusTools } from './tools/status';
import { registerModelTools } from './tools/models';
import { registerStoryboardTools, type StoryboardHooks } from './tools/storyboard';

export interface SoraMcpServerOptions {
  engine: VideoEngine;
  version: string;
  logger?: Logger;
  /** Lets tools explain "set your key" before anything is sent. Default: always true. */
  hasApiKey?: () => boolean;
  /** Progress keep-alive while nothing changes (default 15 s). */
  keepAliveMs?: number;
  /** The process serving it, recorded with every task it creates: the VS Code extension host or the standalone stdio server. */
  host?: 'vscode' | 'stdio';
  /** Storyboards: where new ones are written, the workspace folders, how many clips at once (see StoryboardHooks). */
  storyboards?: StoryboardHooks;
  /**
   * The defaults the engine applies (the VS Code settings), stated in generate_video's description.
   * Default: the built-in ones. (The engine's own `defaults` option is what applies them.) A function is
   * read again by `refreshDefaults()`, which updates the description in place (tools/list_changed).
   */
  defaults?: Partial<ToolDefaults> | (() => Partial<ToolDefaults>);
  /**
   * Asks the person before reading images from a folder or saving a copy into a folder (the
   * extension's dialog). Without it the path rules alone apply (the standalone server).
   */
  confirm?: Confirm;
  /** The configured API base URL (the chat card may load http media from its origin only). Default: Juxin's. */
  baseUrl?: () => string;
  /** What the host application can do for the chat card (VS Code: open the preview, reveal…). Default: nothing. */
  ui?: CardHooks;
}

const INSTRUCTIONS = `AI video generation through the Juxin (聚鑫) API relay: Veo 3.1, Grok, Jimeng and Sora 2, whichever this key can use.
Typical flow: list_models (which models this key can use, and what each takes) → generate_video (waits and reports progress; returns local_path and video_url) → if it timed out, wait_for_video.
Use list_videos to find earlier tasks.
For a film of several clips (from a script or subtitles): create_storyboard → generate_storyboard → assemble_storyboard (see the storyboard_from_script prompt). Generation costs money and takes minutes: never start a second generation for the same request while one is running.
Prompts may be Chinese or English.`;

/**
 * Builds the MCP server. The stdio binary and the VS Code extension call this same factory, so both
 * serve the very same tools; several servers (one per session) may share one engine.
 */
export function createSoraMcpServer(options: SoraMcpServerOptions): McpServer & { disposeSora(): void; refreshDefaults(): void; refreshSpend(): void } {
  const logger = options.logger ?? silentLogger;
  const taskStore = new InMemoryTaskStore();
  const server = new McpServer(
    { name: 'juxin-sora', title: 'Juxin Sora', version: options.version },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { listChanged: true, subscribe: true },
        logging: {},
        tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
      },
      instructions: INSTRUCTIONS,
      taskStore,
      taskMessageQueue: new InMemoryTaskMessageQueue(),
    },
  );
  /** The connected client's own name (clientInfo), cleaned for display and records. */
  const clientName = () => {
    const client = server.server.getClientVersion();
    return (
      (client?.title ?? client?.name)
        ?.replace(/\p{Cc}/gu, '')
        .trim()
        .slice(0, 80) || undefined
    );
  };
  /** The video models this key can use, as last read (undefined: not known yet, or the relay cannot say). */
  let usable: readonly string[] | undefined;
  const userDefaults = () => stripUndefined((typeof options.defaults === 'function' ? options.defaults() : options.defaults) ?? {});
  const defaultsNow = () => {
    const user = userDefaults();
    return { ...toolDefaults(DEFAULT_PARAMS), ...user, model: defaultModel(usable, user.model) };
  };
  const ctx: ToolContext = {
    engine: options.engine,
    logger,
    hasApiKey: options.hasApiKey ?? (() => true),
    keepAliveMs: options.keepAliveMs ?? 15_000,
    origin: () => {
      const name = clientName();
      return { kind: 'mcp', ...(name ? { client: name } : {}), ...(options.host ? { host: options.host } : {}) };
    },
    defaults: defaultsNow(),
    userModel: () => userDefaults().model,
    noticeModels: (answer) => {
      if (JSON.stringify(answer.usable) === JSON.stringify(usable)) return;
      usable = answer.usable;
      refreshTools();
    },
    refreshModels: () => {
      void options.engine.models().then(
        (answer) => ctx.noticeModels(answer),
        (error: unknown) => logger.debug(`models not read: ${error instanceof Error ? error.message : String(error)}`),
      );
    },
    confirm: options.confirm,
    clientName,
    generateCalls: new GenerateCalls(),
    approveSpend: (ask) => elicitSpendApproval(server, ask, logger),
  };
  const generate = registerGenerateVideo(server, ctx);
  const status = registerStatusTools(server, ctx);
  registerActionTools(server, ctx);
  registerModelTools(server, ctx, (answer) => ctx.noticeModels(answer));
  registerStoryboardTools(server, ctx, options.storyboards);
  registerPlayerCard(server, ctx, {
    tools: [generate, status.waitForVideo, status.getVideoStatus],
    hooks: options.ui ?? {},
    baseUrl: options.baseUrl ?? (() => DEFAULT_BASE_URL),
  });
  const resources = registerTaskResources(server, options.engine);
  // The descriptions name what this key can use from the start, not only after a first call: read in the
  // background (initialize and tools/list never wait for the relay), then tools/list_changed when it differs.
  if (ctx.hasApiKey()) ctx.refreshModels();

  const disposeSora = () => {
    resources.stop();
    taskStore.cleanup();
  };
  const close = server.close.bind(server);
  server.close = async () => {
    disposeSora();
    await close();
  };
  /** The user changed a default: the description says so at once, without restarting the session (a call in flight goes on). */
  const refreshDefaults = () => {
    const next = defaultsNow();
    if (JSON.stringify(next) === JSON.stringify(ctx.defaults)) return;
    refreshTools();
  };
  /** The defaults or the usable models changed: generate_video's description says so (tools/list_changed). */
  function refreshTools(): void {
    ctx.defaults = defaultsNow();
    generate.update({ description: generateDescription(ctx.defaults), paramsSchema: generateInputShape(ctx.defaults, usable) });
  }
  /** A limit or a price changed (the settings): subscribers of the ledger resource hear it. */
  const refreshSpend = () => resources.spendChanged();
  return Object.assign(server, { disposeSora, refreshDefaults, refreshSpend });
}

function toolDefaults({ model, orientation, size, duration, watermark, private: isPrivate }: ToolDefaults): ToolDefaults {
  return { model, orientation, size, duration, watermark, private: isPrivate };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
