import type { VideoEngine } from '../core/engine';
import type { ModelsAnswer } from '../core/modelsCache';
import type { TaskOrigin } from '../core/origin';
import type { Logger } from '../util/log';
import { JuxinError } from '../juxin/errors';
import { ExportError } from '../core/exportCopy';
import { ParamError } from '../core/params';
import { SpendLimitError, type SpendCheck } from '../core/spend';
import { errorResult } from './present';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { GenerationParams } from '../juxin/types';

/**
 * Something a tool is about to do on this computer that the person may want to allow first (the
 * extension asks in a dialog; the standalone server has no one to ask and applies the path rules only).
 * `client` is the MCP client's own name, when it gave one.
 */
export type ConfirmRequest =
  /** `storyboard`: the storyboard whose clips would upload them, when the person's own command generates it (no client). */
  { kind: 'readImages'; folder: string; client?: string; storyboard?: string } | { kind: 'saveCopy'; directory: string; client?: string };

/** Resolves true to go ahead. */
export type Confirm = (request: ConfirmRequest) => Promise<boolean>;
import type { GenerateCalls } from './apps/generateCalls';
import type { AskContext } from './spend';

/** What every tool needs. One engine behind every session of every transport. */
export interface ToolContext {
  engine: VideoEngine;
  logger: Logger;
  hasApiKey: () => boolean;
  /** How often a waiting call sends a progress keep-alive when nothing changes. */
  keepAliveMs: number;
  /** Who is asking: the MCP client's own name (from initialize) and the process kind, recorded on every task it creates. */
  origin: () => TaskOrigin;
  /** Defaults the engine applies to what a call leaves out (the VS Code settings), for the descriptions. */
  defaults: Omit<GenerationParams, 'prompt' | 'images'>;
  /** The model the user chose as their default (a setting), if any: the default when the key can use it. */
  userModel(): string | undefined;
  /** An answer of `GET /v1/models` was read: the tool descriptions follow what the key can use. */
  noticeModels(answer: ModelsAnswer): void;
  /**
   * Reads what the key can use again in the background (never awaited: nothing waits on the relay for it)
   * and updates the descriptions when it changed: at start with a key, and after the relay refused a model.
   */
  refreshModels(): void;
  /** This session has said that the user's default model is not usable (said once). */
  settingNoted?: boolean;
  confirm?: Confirm;
  /** The connected client's own name (for confirmations). */
  clientName(): string | undefined;
  /** This session's generate_video calls, so the chat card of a running call finds its task. */
  generateCalls: GenerateCalls;
  /**
   * The engine's `approveSpend` for one tool call: asks the person through the client (elicitation,
   * on the call's own stream); undefined when the client cannot ask, so a request over a daily limit
   * is refused.
   */
  approveSpend(ask: AskContext): ((check: SpendCheck) => Promise<boolean>) | undefined;
}

export const NO_KEY_MESSAGE =
  "No Juxin API key is configured, so nothing was sent. Set JUXIN_API_KEY in this MCP server's environment " +
  '(in VS Code: run "AI Video: Set API Key"), then call the tool again. Get a key from the Juxin console (https://api.jxincm.cn).\n' +
  '未配置聚鑫 API Key，未发送任何请求。请在 MCP 服务器的环境变量中设置 JUXIN_API_KEY（VS Code 中运行“AI 视频: 设置 API Key”）后重试。';

const SPEND_REFUSED_NEXT_STEP =
  'Tell the user and do not try again (nor with other parameters) until they raise the limit or ask for it again. 请告知用户；在用户提高上限或再次要求之前，不要重试（也不要换参数重试）。';

/** Turns any failure into a tool result the model can act on (protocol errors are for protocol problems). */
export function toErrorResult(error: unknown, logger: Logger): CallToolResult {
  if (error instanceof JuxinError) return errorResult(error.describe());
  if (error instanceof SpendLimitError) {
    // The user said no, or could not be asked: the model must not find a way around it.
    return errorResult(`${error.message}\n${error.messageZh}\n${SPEND_REFUSED_NEXT_STEP}`);
  }
  if (error instanceof ParamError || error instanceof ExportError) return errorResult(`${error.message}\n${error.messageZh}`);
  // Our own refusals carry their Chinese (a lease folder that cannot be used, a file in the way…).
  const zh = error instanceof Error ? (error as { messageZh?: unknown }).messageZh : undefined;
  if (typeof zh === 'string') return errorResult(`${(error as Error).message}\n${zh}`);
  const message = error instanceof Error ? error.message : String(error);
  logger.error(`tool failed: ${message}`);
  return errorResult(`Unexpected error: ${message}. Try again; if it persists, report it with the server log. 发生意外错误，请重试。`);
}

/** Runs a tool body with the key check and error mapping every tool shares. */
export async function guarded(ctx: ToolContext, body: () => Promise<CallToolResult>, needsKey = true): Promise<CallToolResult> {
  if (needsKey && !ctx.hasApiKey()) return errorResult(NO_KEY_MESSAGE);
  try {
    // Never answer from half a history: "no such task" or "no videos yet" while it loads would invite a second, paid create.
    await ctx.engine.whenReady();
    return await body();
  } catch (error) {
    return toErrorResult(error, ctx.logger);
  }
}

/** The task id or a tool error saying how to find one. */
export function unknownTask(id: string): CallToolResult {
  return errorResult(
    `No task with id "${id}" is known here. Call list_videos to see the tasks this server knows. 找不到任务 "${id}"，请调用 list_videos 查看已有任务。`,
  );
}
