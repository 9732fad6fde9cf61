import type { SpendLedger, Strings } from '../protocol';
import { fill } from './format';

/** How close today is to a daily limit: at the limit, the next generation asks first. */
export type SpendLevel = 'ok' | 'near' | 'over';

/** The ledger in the Videos view's header, as text: DOM-free, unit-tested. */
export interface SpendModel {
  /** "Today: 12/20 videos · 120/300 s · ≈ ¥12.00" */
  today: string;
  /** "This month: 80 video(s) · 800 s · ≈ ¥80.00" */
  month: string;
  /** "Failed: 1 today, 3 this month (may or may not have been billed)"; absent without failures this month. */
  failed?: string;
  level: SpendLevel;
  /** What the level means, for the tooltip and screen readers; absent when far from the limits. */
  status?: string;
}

/** From this share of a limit on, the header says "near". */
const NEAR = 0.8;

type Totals = SpendLedger['today'];

function yuan(totals: Totals, strings: Strings): string[] {
  return totals.videos > totals.unpriced ? [fill(strings.spendYuan, totals.yuan.toFixed(2))] : [];
}

/** How close `used` is to `limit` (0 = no limit). */
function levelOf(used: number, limit: number): SpendLevel {
  if (limit <= 0) return 'ok';
  if (used >= limit) return 'over';
  return used >= limit * NEAR ? 'near' : 'ok';
}

export function toSpendModel(ledger: SpendLedger, strings: Strings): SpendModel {
  const { today, month, failedToday, failedMonth, limitUse } = ledger;
  const { dailyVideos, dailySeconds } = ledger.limits;
  // Against a limit, today's failed videos count too (they may have been billed): "20/20" and "over" agree.
  // The ¥ is the estimate of the videos that did not fail; the failed line says how many did.
  const todayParts = [
    dailyVideos > 0 ? fill(strings.spendVideosOf, limitUse.videos, dailyVideos) : fill(strings.spendVideos, today.videos),
    dailySeconds > 0 ? fill(strings.spendSecondsOf, limitUse.seconds, dailySeconds) : fill(strings.spendSeconds, today.seconds),
    ...yuan(today, strings),
  ];
  const monthParts = [fill(strings.spendVideos, month.videos), fill(strings.spendSeconds, month.seconds), ...yuan(month, strings)];
  const levels = [levelOf(limitUse.videos, dailyVideos), levelOf(limitUse.seconds, dailySeconds)];
  const level: SpendLevel = levels.includes('over') ? 'over' : levels.includes('near') ? 'near' : 'ok';
  return {
    today: fill(strings.spendToday, todayParts.join(' · ')),
    month: fill(strings.spendMonth, monthParts.join(' · ')),
    ...(failedMonth.videos ? { failed: fill(strings.spendFailed, failedToday.videos, failedMonth.videos) } : {}),
    level,
    ...(level === 'over' ? { status: strings.spendOver } : level === 'near' ? { status: strings.spendNear } : {}),
  };
}
