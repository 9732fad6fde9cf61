import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkSpend, spendLedger, type SpendLimits } from '../../../src/core/spend';
import { overrunDialog, type L10n } from '../../../src/extension/spendWords';

const ROOT = path.resolve(__dirname, '../../..');
const ZH = JSON.parse(readFileSync(path.join(ROOT, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const fill = (template: string, args: unknown[]) => template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
const english: L10n = { t: (message, ...args) => fill(message, args) };
// As VS Code in Chinese: every phrase must have its translation (a missing one fails the test).
const chinese: L10n = {
  t: (message, ...args) => {
    assert.ok(ZH[message], `no Chinese for "${message}"`);
    return fill(ZH[message], args);
  },
};

const NOW = Date.parse('2026-11-02T10:00:00Z');
const LIMITS: SpendLimits = { dailyVideos: 20, dailySeconds: 300, prices: { 'sora-2': { perSecond: 0.35 } } };
const today = Array.from({ length: 20 }, (_, i) => ({
  createdAt: NOW - i * 60_000,
  status: 'completed',
  params: { model: 'sora-2', size: 'small', duration: 10 },
}));

describe('extension/spendWords: the modal before a generation past a daily limit', () => {
  const check = checkSpend(spendLedger(today, LIMITS, NOW, 'UTC'), [{ model: 'sora-2', size: 'small', duration: 10 }]);

  it('asks "This would be video 21 today, over your limit of 20 (about ¥3.50). Generate anyway?" and says what each button does', () => {
    const dialog = overrunDialog(check, english, false);
    assert.equal(dialog.message, 'This would be video 21 today, over your limit of 20 (about ¥3.50). Generate anyway?');
    assert.equal(dialog.detail.split('\n')[0], 'With this, today comes to 21 video(s) and 210 s of video. Your limits: 20 videos a day, 300 s of video a day.');
    assert.match(dialog.detail, /"Generate Anyway" allows this request only; "Change Limits…" opens the settings and sends nothing/);
    assert.deepEqual([dialog.generate, dialog.changeLimits], ['Generate Anyway', 'Change Limits…']);
  });

  it('says it in Chinese, every phrase translated', () => {
    const dialog = overrunDialog(check, chinese, true);
    assert.equal(dialog.message, '这将是今天的第 21 个视频，超过了每日 20 个的上限（约 ¥3.50）。仍要生成吗？');
    assert.match(dialog.detail, /^加上这次，今天共 21 个视频、210 秒。你的上限：每天 20 个视频，每天 300 秒视频。/);
    assert.deepEqual([dialog.generate, dialog.changeLimits], ['仍要生成', '修改上限…']);
  });

  it('names a limit that is off, and the seconds limit when that is the one passed', () => {
    const seconds = checkSpend(spendLedger(today.slice(0, 2), { dailyVideos: 0, dailySeconds: 25, prices: {} }, NOW, 'UTC'), [
      { model: 'sora-2', size: 'small', duration: 10 },
    ]);
    const dialog = overrunDialog(seconds, english, false);
    assert.equal(dialog.message, "Today's videos would add up to 30 s, over your limit of 25 s. Generate anyway?");
    assert.match(dialog.detail, /Your limits: no limit on videos, 25 s of video a day\./);
    assert.match(overrunDialog(seconds, chinese, true).detail, /视频数不限/);
  });
});
