import { z } from 'zod';
import { sameModel } from '../catalog';
import { dayNumber, dayStart, validTimeZone } from './query';

/**
 * Spend limits: what an agent on auto-approve, or in a loop, cannot run past without the user's yes.
 * Per day (the user's calendar day), on videos and on seconds of video; prices are optional and only
 * turn counts into estimates in ¥.
 */
export interface SpendLimits {
  /** Videos a day; 0 = no limit. */
  dailyVideos: number;
  /** Seconds of video a day; 0 = no limit. */
  dailySeconds: number;
  /** Prices the user entered, to estimate ¥. */
  prices: PriceTable;
}

/**
 * The defaults: a day of real work for one person (20 videos, or 5 minutes of video: e.g. a 20-clip
 * storyboard of 15 s clips), and far below what a runaway agent would order in an afternoon.
 */
export const DEFAULT_LIMITS: SpendLimits = { dailyVideos: 20, dailySeconds: 300, prices: {} };

/**
 * A price: per second of video, per video, or both. Keys: any model id (`veo3.1-fast`, `sora-2`, an id
 * only the relay lists), or `<model>/<resolution>` (`veo3.1/1080p`) or Sora's `<model>/<size>`
 * (`sora-2-pro/large`): the more specific wins. Veo's clip is always 8 s, so its natural price is per video.
 */
export type PriceTable = Record<string, Price>;
export interface Price {
  perSecond?: number;
  perVideo?: number;
}

/** A model id (as the relay spells ids: letters, digits, `.`, `_`, `-`, `:`), then optionally a resolution or Sora's size. */
export const PRICE_KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}(\/(small|large|720p|1080p|4k))?$/;

const priceSchema = z.record(
  z.string().regex(PRICE_KEY, 'a model id such as "veo3.1-fast", or model/resolution such as "sora-2-pro/large" or "veo3.1/1080p"'),
  z.object({ perSecond: z.number().min(0).max(10_000).optional(), perVideo: z.number().min(0).max(100_000).optional() }).strict(),
);

/** A price table from the user (settings JSON, JUXIN_PRICES): the entries that make sense, and what was wrong with the others. */
export function readPrices(value: unknown): { prices: PriceTable; problems: string[] } {
  if (value === undefined || value === null || value === '') return { prices: {}, problems: [] };
  let raw = value;
  if (typeof value === 'string') {
    try {
      raw = JSON.parse(value);
    } catch {
      return {
        prices: {},
        problems: ['prices must be JSON, e.g. {"veo3.1-fast": {"perVideo": 2}, "sora-2": {"perSecond": 0.1}, "sora-2-pro/large": {"perVideo": 6}}'],
      };
    }
  }
  const parsed = priceSchema.safeParse(raw);
  if (parsed.success) return { prices: parsed.data, problems: [] };
  return { prices: {}, problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'prices'}: ${i.message}`) };
}

/** What a price is looked up by: the model, and (when known) its resolution and Sora's size word. */
export interface PricedVideo {
  model: string;
  size?: string;
  resolution?: string;
  duration: number;
}

/**
 * The user's price for this model (at this resolution or size, when one is set for it): model ids compared
 * as the catalog compares them (Veo's alias `veo_3_1-fast` is `veo3.1-fast`), the qualifier in any case.
 */
export function priceOf(video: Omit<PricedVideo, 'duration'>, prices: PriceTable): Price | undefined {
  const qualifiers = [video.resolution, video.size].filter((q): q is string => Boolean(q)).map((q) => q.toLowerCase());
  let general: Price | undefined;
  let specific: Price | undefined;
  for (const [key, price] of Object.entries(prices)) {
    const [model, qualifier] = key.split('/');
    if (!sameModel(model, video.model)) continue;
    if (qualifier === undefined) general ??= price;
    else if (qualifiers.includes(qualifier.toLowerCase())) specific ??= price;
  }
  return specific ?? general;
}

/** What one video is estimated to cost, or undefined when no price applies. */
export function estimateCost(video: PricedVideo, prices: PriceTable): number | undefined {
  const price = priceOf(video, prices);
  if (!price || (price.perSecond === undefined && price.perVideo === undefined)) return undefined;
  return (price.perVideo ?? 0) + (price.perSecond ?? 0) * video.duration;
}

export interface SpendTotals {
  videos: number;
  seconds: number;
  /** Estimated ¥ of the videos with a price. */
  yuan: number;
  /** Videos without a price (not in `yuan`). */
  unpriced: number;
}

/**
 * What the shared history says was ordered today and this month. Failed tasks are shown apart (we cannot
 * know whether the relay billed them) but count toward the daily limits all the same: a retry after a
 * failure is a new paid request, and "may have been billed" must not mean "free to repeat".
 */
export interface SpendLedger {
  today: SpendTotals;
  month: SpendTotals;
  failedToday: SpendTotals;
  failedMonth: SpendTotals;
  /** What counts toward today's limits: every video ordered today, failed ones included. */
  limitUse: { videos: number; seconds: number };
  limits: SpendLimits;
  /** The user's time zone the days are counted in. */
  timeZone: string;
}

interface LedgerTask {
  createdAt: number;
  status: string;
  params: PricedVideo;
}

const zero = (): SpendTotals => ({ videos: 0, seconds: 0, yuan: 0, unpriced: 0 });

function add(totals: SpendTotals, task: LedgerTask, prices: PriceTable): void {
  totals.videos++;
  totals.seconds += task.params.duration;
  const cost = estimateCost(task.params, prices);
  if (cost === undefined) totals.unpriced++;
  else totals.yuan += cost;
}

/** The ledger of a history at `now`, days counted in `timeZone` (the user's). */
export function spendLedger(tasks: Iterable<LedgerTask>, limits: SpendLimits, now: number, timeZone?: string): SpendLedger {
  const zone = validTimeZone(timeZone);
  const today = dayNumber(now, zone);
  const todayStart = dayStart(today, zone);
  const dayOfMonth = Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, day: 'numeric' }).format(now));
  const monthStart = dayStart(today - (dayOfMonth - 1), zone);
  const ledger: SpendLedger = {
    today: zero(),
    month: zero(),
    failedToday: zero(),
    failedMonth: zero(),
    limitUse: { videos: 0, seconds: 0 },
    limits,
    timeZone: zone,
  };
  for (const task of tasks) {
    if (task.createdAt < monthStart) continue;
    const failed = task.status === 'failed';
    add(failed ? ledger.failedMonth : ledger.month, task, limits.prices);
    if (task.createdAt >= todayStart) add(failed ? ledger.failedToday : ledger.today, task, limits.prices);
  }
  ledger.limitUse = { videos: ledger.today.videos + ledger.failedToday.videos, seconds: ledger.today.seconds + ledger.failedToday.seconds };
  return ledger;
}

/** One request against today's limits. */
export interface SpendCheck {
  /** How many videos this request makes (a storyboard's batch: several). */
  count: number;
  /** The videos and seconds today would reach with this request (failed ones count: they may have been billed). */
  videos: number;
  seconds: number;
  /** Of today's videos, how many failed (said in the question: they are in `videos`). */
  failed: number;
  /** This request's estimated ¥, if priced. */
  cost?: number;
  /** Which limits it passes. */
  over: ('videos' | 'seconds')[];
  limits: SpendLimits;
}

/** Today with `requests` added: which limits it would pass. */
export function checkSpend(ledger: SpendLedger, requests: readonly PricedVideo[]): SpendCheck {
  const { limits } = ledger;
  const videos = ledger.limitUse.videos + requests.length;
  const seconds = ledger.limitUse.seconds + requests.reduce((a, r) => a + r.duration, 0);
  const costs = requests.map((r) => estimateCost(r, limits.prices));
  const cost = costs.every((c) => c !== undefined) && costs.length ? costs.reduce((a, c) => a + c!, 0) : undefined;
  const over: SpendCheck['over'] = [];
  if (limits.dailyVideos > 0 && videos > limits.dailyVideos) over.push('videos');
  if (limits.dailySeconds > 0 && seconds > limits.dailySeconds) over.push('seconds');
  return { count: requests.length, videos, seconds, failed: ledger.failedToday.videos, cost, over, limits };
}

/**
 * "This would be video 21 today, over your limit of 20 (about ¥3.50)." in English and Chinese; for a
 * batch, "These 8 videos would bring today to 25 videos, …".
 */
export function describeOverrun(check: SpendCheck): { en: string; zh: string } {
  const cost = check.cost !== undefined ? ` (about ¥${check.cost.toFixed(2)})` : '';
  const costZh = check.cost !== undefined ? `（约 ¥${check.cost.toFixed(2)}）` : '';
  const batch = check.count > 1;
  const failed = check.failed ? ` (${check.failed} of them failed: the relay may have billed ${check.failed === 1 ? 'it' : 'them'})` : '';
  const failedZh = check.failed ? `（其中 ${check.failed} 个失败，可能已计费）` : '';
  const en: string[] = [];
  const zh: string[] = [];
  if (check.over.includes('videos')) {
    if (batch) {
      en.push(`These ${check.count} videos would bring today to ${check.videos} videos${failed}, over your limit of ${check.limits.dailyVideos}${cost}.`);
      zh.push(`这 ${check.count} 个视频将使今天的视频数达到 ${check.videos} 个${failedZh}，超过了每日 ${check.limits.dailyVideos} 个的上限${costZh}。`);
    } else {
      en.push(`This would be video ${check.videos} today${failed}, over your limit of ${check.limits.dailyVideos}${cost}.`);
      zh.push(`这将是今天的第 ${check.videos} 个视频${failedZh}，超过了每日 ${check.limits.dailyVideos} 个的上限${costZh}。`);
    }
  }
  if (check.over.includes('seconds')) {
    const alsoVideos = check.over.includes('videos');
    en.push(
      `Today's videos would add up to ${check.seconds} s${alsoVideos ? '' : failed}, over your limit of ${check.limits.dailySeconds} s${alsoVideos ? '' : cost}.`,
    );
    zh.push(
      `今天的视频总时长将达到 ${check.seconds} 秒${alsoVideos ? '' : failedZh}，超过了每日 ${check.limits.dailySeconds} 秒的上限${alsoVideos ? '' : costZh}。`,
    );
  }
  return { en: en.join(' '), zh: zh.join('') };
}

/** A request over a daily limit that nobody approved: nothing was sent, so nothing was billed. */
export class SpendLimitError extends Error {
  override readonly name = 'SpendLimitError';
  readonly messageZh: string;

  constructor(
    readonly check: SpendCheck,
    /** How to raise the limit where this was refused (a setting in VS Code, an environment variable for the server). */
    howToRaise: { en: string; zh: string },
  ) {
    const { en, zh } = describeOverrun(check);
    super(`${en} Nothing was sent, so nothing was billed. ${howToRaise.en}`);
    this.messageZh = `${zh}未发送任何请求，不会计费。${howToRaise.zh}`;
  }
}
