import assert from 'node:assert/strict';
import { spendLedger, type SpendLimits } from '../../../src/core/spend';
import { toSpendModel } from '../../../src/webview/model/spendModel';
import { STRINGS } from './helpers';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const video = (daysAgo: number, status = 'completed', duration = 10, model = 'sora-2') => ({
  createdAt: NOW - daysAgo * 86_400_000 - 60_000,
  status,
  params: { model, size: 'small', duration },
});
const ledger = (history: ReturnType<typeof video>[], limits: SpendLimits) => spendLedger(history, limits, NOW, 'UTC');
const LIMITS: SpendLimits = { dailyVideos: 20, dailySeconds: 300, prices: { 'sora-2': { perSecond: 0.1 } } };

describe("webview/spendModel: the Videos view's ledger", () => {
  it('shows today against the limits and this month, with ¥ when priced, and nothing alarming far from them', () => {
    const history = [video(0), video(0, 'completed', 15), video(3), video(40)];
    const model = toSpendModel(ledger(history, LIMITS), STRINGS);
    assert.equal(model.today, 'Today: 2/20 videos · 25/300 s · ≈ ¥2.50');
    assert.equal(model.month, 'This month: 3 video(s) · 35 s · ≈ ¥3.50');
    assert.equal(model.failed, undefined);
    assert.equal(model.level, 'ok');
    assert.equal(model.status, undefined);
  });

  it('leaves out ¥ without prices and the limit when it is off', () => {
    const model = toSpendModel(ledger([video(0, 'completed', 10, 'sora-2-pro')], { dailyVideos: 0, dailySeconds: 0, prices: {} }), STRINGS);
    assert.equal(model.today, 'Today: 1 video(s) · 10 s');
    assert.equal(model.level, 'ok');
  });

  it('lists failed tasks apart and says that they may or may not have been billed; against the limits they count', () => {
    const model = toSpendModel(ledger([video(0), video(0, 'failed'), video(2, 'failed')], LIMITS), STRINGS);
    assert.equal(model.today, 'Today: 2/20 videos · 20/300 s · ≈ ¥1.00', 'the failed one in the limits, not in the ¥');
    assert.equal(model.failed, 'Failed: 1 today, 2 this month (may or may not have been billed)');
  });

  it("counts today's failed tasks toward the level: at the limit with them, the next generation asks", () => {
    const history = [...Array.from({ length: 19 }, () => video(0)), video(0, 'failed')];
    const model = toSpendModel(ledger(history, LIMITS), STRINGS);
    assert.deepEqual([model.level, model.status], ['over', "At today's limit: the next generation asks you first."]);
  });

  it('is near from 80% of either limit, and over at the limit (the next generation asks)', () => {
    const videos = (n: number, duration = 10) => Array.from({ length: n }, () => video(0, 'completed', duration));
    assert.equal(toSpendModel(ledger(videos(15), LIMITS), STRINGS).level, 'ok');
    assert.equal(toSpendModel(ledger(videos(16), LIMITS), STRINGS).level, 'near');
    const seconds = toSpendModel(ledger(videos(2, 120), LIMITS), STRINGS);
    assert.deepEqual([seconds.level, seconds.status], ['near', "Near today's limit."]);
    const over = toSpendModel(ledger(videos(20), LIMITS), STRINGS);
    assert.deepEqual([over.level, over.status], ['over', "At today's limit: the next generation asks you first."]);
    assert.equal(toSpendModel(ledger(videos(1, 300), LIMITS), STRINGS).level, 'over', 'the seconds limit alone');
  });
});
