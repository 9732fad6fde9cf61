import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ElicitRequestFormParams, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { describeOverrun, type SpendCheck, type SpendLedger, type SpendTotals } from '../core/spend';
import type { Logger } from '../util/log';

/** The ledger as a resource (registered in resources.ts): today and this month, listed and readable by any client. */
export const SPEND_URI = 'juxin-sora://spend';

/** The answer a client gives in the elicitation form: one yes/no. */
export const APPROVE_FIELD = 'generate_anyway';

/** How long the person has to answer before the request counts as refused (the SDK's default is 60 s). */
const QUESTION_TIMEOUT_MS = 10 * 60_000;

const totalsOutput = z.object({
  videos: z.number(),
  seconds: z.number(),
  estimated_yuan: z.number().optional().describe('From the prices the user entered; absent when none applies.'),
  unpriced_videos: z.number().describe('Videos without a price (not in estimated_yuan).'),
});

/** `list_videos`' and the resource's `spend`: snake_case like every tool output. */
export const spendOutputSchema = z
  .object({
    today: totalsOutput,
    this_month: totalsOutput,
    failed_today: totalsOutput,
    failed_this_month: totalsOutput,
    limits: z.object({ daily_videos: z.number(), daily_seconds: z.number() }).describe('0 = no limit.'),
    remaining_today: z
      .object({ videos: z.number().optional(), seconds: z.number().optional() })
      .describe('What can still be generated today without asking the user (absent: no limit).'),
    time_zone: z.string(),
    note: z.string(),
  })
  .describe("Today's and this month's videos, seconds and estimated ¥ (from the shared history of this machine), and the daily limits.");

export type SpendOutput = z.infer<typeof spendOutputSchema>;

const cents = (yuan: number) => Math.round(yuan * 100) / 100;

function totals(t: SpendTotals): SpendOutput['today'] {
  return {
    videos: t.videos,
    seconds: t.seconds,
    ...(t.videos > t.unpriced ? { estimated_yuan: cents(t.yuan) } : {}),
    unpriced_videos: t.unpriced,
  };
}

export function spendOutput(ledger: SpendLedger): SpendOutput {
  const { dailyVideos, dailySeconds } = ledger.limits;
  return {
    today: totals(ledger.today),
    this_month: totals(ledger.month),
    failed_today: totals(ledger.failedToday),
    failed_this_month: totals(ledger.failedMonth),
    limits: { daily_videos: dailyVideos, daily_seconds: dailySeconds },
    remaining_today: {
      ...(dailyVideos > 0 ? { videos: Math.max(0, dailyVideos - ledger.limitUse.videos) } : {}),
      ...(dailySeconds > 0 ? { seconds: Math.max(0, dailySeconds - ledger.limitUse.seconds) } : {}),
    },
    time_zone: ledger.timeZone,
    note: "Failed tasks are listed apart (whether the relay billed them is not known) and count toward the daily limits. Over a daily limit, a generation needs the user's yes.",
  };
}

/** "Spend today: 3 of 20 videos, 30 of 300 s (≈ ¥3.00). …" in English, then Chinese. */
export function spendSummary(ledger: SpendLedger): string {
  const { dailyVideos, dailySeconds } = ledger.limits;
  const yuan = (t: SpendTotals) => (t.videos > t.unpriced ? ` (≈ ¥${t.yuan.toFixed(2)})` : '');
  const yuanZh = (t: SpendTotals) => (t.videos > t.unpriced ? `（约 ¥${t.yuan.toFixed(2)}）` : '');
  const t = ledger.today;
  const m = ledger.month;
  // Against a limit, today's failed videos count too (they may have been billed); the ¥ is of those that did not fail.
  const use = dailyVideos > 0 || dailySeconds > 0 ? ledger.limitUse : t;
  const videos = dailyVideos > 0 ? `${use.videos} of ${dailyVideos} videos` : `${t.videos} videos (no daily limit)`;
  const seconds = dailySeconds > 0 ? `${use.seconds} of ${dailySeconds} s` : `${t.seconds} s (no daily limit)`;
  const videosZh = dailyVideos > 0 ? `${use.videos}/${dailyVideos} 个视频` : `${t.videos} 个视频（不限）`;
  const secondsZh = dailySeconds > 0 ? `${use.seconds}/${dailySeconds} 秒` : `${t.seconds} 秒（不限）`;
  const failed = ledger.failedMonth.videos
    ? ` Failed (may or may not have been billed, so they count toward the daily limits): ${ledger.failedToday.videos} today, ${ledger.failedMonth.videos} this month.`
    : '';
  const failedZh = ledger.failedMonth.videos
    ? `失败（不确定是否计费，因此计入每日上限）：今日 ${ledger.failedToday.videos} 个，本月 ${ledger.failedMonth.videos} 个。`
    : '';
  return (
    `Spend today: ${videos}, ${seconds}${yuan(t)}. This month: ${m.videos} videos, ${m.seconds} s${yuan(m)}.${failed}\n` +
    `今日用量：${videosZh}，${secondsZh}${yuanZh(t)}。本月：${m.videos} 个视频，${m.seconds} 秒${yuanZh(m)}。${failedZh}`
  );
}

/** The elicitation form: the overrun in both languages and one required yes/no, "no" preselected. */
export function spendQuestion(check: SpendCheck): ElicitRequestFormParams {
  const { en, zh } = describeOverrun(check);
  return {
    mode: 'form',
    message: `${en} Generate anyway?\n${zh}仍要生成吗？`,
    requestedSchema: {
      type: 'object',
      properties: {
        [APPROVE_FIELD]: {
          type: 'boolean',
          title: 'Generate anyway? 仍要生成？',
          description: 'Yes starts the paid generation now. No: nothing is sent. 选“是”立即开始付费生成；选“否”不发送任何请求。',
          default: false,
        },
      },
      required: [APPROVE_FIELD],
    },
  };
}

/** What a tool handler's `extra` gives for asking the person who runs the client. */
export interface AskContext {
  requestId: RequestId;
  signal: AbortSignal;
}

/**
 * `approveSpend` for the engine: asks the person through the client's elicitation (on the stream of
 * the tool call that needs it). Undefined when the client cannot ask, so the engine refuses at once.
 * A decline, a cancel, a timeout or a broken connection is a no.
 */
export function elicitSpendApproval(server: McpServer, ask: AskContext, logger: Logger): ((check: SpendCheck) => Promise<boolean>) | undefined {
  if (!server.server.getClientCapabilities()?.elicitation?.form) return undefined;
  return async (check) => {
    try {
      const answer = await server.server.elicitInput(spendQuestion(check), {
        relatedRequestId: ask.requestId,
        signal: ask.signal,
        timeout: QUESTION_TIMEOUT_MS,
      });
      return answer.action === 'accept' && answer.content?.[APPROVE_FIELD] === true;
    } catch (error) {
      logger.warn(`asking to pass the daily limit failed, so the request is refused: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  };
}
