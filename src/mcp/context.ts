import type { VideoEngine } from '../core/engine';
import type { Logger } from '../util/log';
import { JuxinError } from '../juxin/errors';
import { ParamError } from '../core/params';
import { errorResult } from './present';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { GenerateCalls } from './apps/generateCalls';

/** What every tool needs. One engine behind every session of every transport. */
export interface ToolContext {
  engine: VideoEngine;
  logger: Logger;
  hasApiKey: () => boolean;
  /** How often a waiting call sends a progress keep-alive when nothing changes. */
  keepAliveMs: number;
  /** This session's generate_video calls, so the chat card of a running call finds its task. */
  generateCalls: GenerateCalls;
}

export const NO_KEY_MESSAGE =
  "No Juxin API key is configured, so nothing was sent. Set JUXIN_API_KEY in this MCP server's environment " +
  '(in VS Code: run "Sora: Set API Key"), then call the tool again. Get a key from the Juxin console (https://api.jxincm.cn).\n' +
  '未配置聚鑫 API Key，未发送任何请求。请在 MCP 服务器的环境变量中设置 JUXIN_API_KEY（VS Code 中运行“Sora: 设置 API Key”）后重试。';

/** Turns any failure into a tool result the model can act on (protocol errors are for protocol problems). */
export function toErrorResult(error: unknown, logger: Logger): CallToolResult {
  if (error instanceof JuxinError) return errorResult(error.describe());
  if (error instanceof ParamError) return errorResult(`${error.message}\n${error.messageZh}`);
  const message = error instanceof Error ? error.message : String(error);
  logger.error(`tool failed: ${message}`);
  return errorResult(`Unexpected error: ${message}. Try again; if it persists, report it with the server log. 发生意外错误，请重试。`);
}

/** Runs a tool body with the key check and error mapping every tool shares. */
export async function guarded(ctx: ToolContext, body: () => Promise<CallToolResult>, needsKey = true): Promise<CallToolResult> {
  if (needsKey && !ctx.hasApiKey()) return errorResult(NO_KEY_MESSAGE);
  try {
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
