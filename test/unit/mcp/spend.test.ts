import assert from 'node:assert/strict';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  ResourceUpdatedNotificationSchema,
  type CallToolResult,
  type ElicitRequest,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { checkSpend, spendLedger, type SpendLimits } from '../../../src/core/spend';
import { APPROVE_FIELD, SPEND_URI, spendOutput, spendQuestion, spendSummary } from '../../../src/mcp/spend';
import { inProcess, type InProcess, textOf } from './helpers';

// ¥0.35 a second: a 10 s sora-2 video is about ¥3.50.
const LIMITS: SpendLimits = { dailyVideos: 1, dailySeconds: 0, prices: { 'sora-2': { perSecond: 0.35 } } };
const NOW = Date.parse('2026-11-02T10:00:00Z');
const video = (createdAt: number, status = 'completed', duration = 10) => ({ createdAt, status, params: { model: 'sora-2', size: 'small', duration } });

describe('mcp/spend: the words, the ledger, the question', () => {
  it('asks "Generate anyway?" with the overrun in English and Chinese, one required yes/no with "no" preselected', () => {
    const ledger = spendLedger([video(NOW - 60_000)], { ...LIMITS, dailyVideos: 20 }, NOW, 'UTC');
    const check = checkSpend({ ...ledger, limitUse: { ...ledger.limitUse, videos: 20 } }, [{ model: 'sora-2', size: 'small', duration: 10 }]);
    const question = spendQuestion(check);
    assert.equal(
      question.message,
      'This would be video 21 today, over your limit of 20 (about ¥3.50). Generate anyway?\n这将是今天的第 21 个视频，超过了每日 20 个的上限（约 ¥3.50）。仍要生成吗？',
    );
    const field = question.requestedSchema.properties[APPROVE_FIELD];
    assert.deepEqual([field.type, (field as { default?: unknown }).default], ['boolean', false]);
    assert.deepEqual(question.requestedSchema.required, [APPROVE_FIELD]);
    assert.match(field.title!, /Generate anyway\? 仍要生成？/);
  });

  it('words a batch as a batch', () => {
    const ledger = spendLedger([], { ...LIMITS, dailyVideos: 3 }, NOW, 'UTC');
    const check = checkSpend(
      ledger,
      Array.from({ length: 5 }, () => ({ model: 'sora-2', size: 'small', duration: 10 })),
    );
    assert.match(spendQuestion(check).message, /^These 5 videos would bring today to 5 videos, over your limit of 3 \(about ¥17\.50\)\. Generate anyway\?/);
    assert.match(spendQuestion(check).message, /这 5 个视频将使今天的视频数达到 5 个/);
  });

  it('sums today and this month, failed apart, with ¥ only where a price applies, and what is left today', () => {
    const history = [
      video(NOW - 60_000),
      video(NOW - 120_000, 'failed'),
      video(NOW - 86_400_000, 'completed', 15),
      { createdAt: NOW - 60_000, status: 'processing', params: { model: 'sora-2-pro', size: 'large', duration: 25 } },
    ];
    const ledger = spendLedger(history, { dailyVideos: 20, dailySeconds: 300, prices: LIMITS.prices }, NOW, 'UTC');
    const out = spendOutput(ledger);
    assert.deepEqual(out.today, { videos: 2, seconds: 35, estimated_yuan: 3.5, unpriced_videos: 1 });
    assert.deepEqual(out.this_month, { videos: 3, seconds: 50, estimated_yuan: 8.75, unpriced_videos: 1 });
    assert.deepEqual(out.failed_today, { videos: 1, seconds: 10, estimated_yuan: 3.5, unpriced_videos: 0 });
    assert.deepEqual(out.remaining_today, { videos: 17, seconds: 255 }, 'the failed video counts toward the limits');
    assert.deepEqual(out.limits, { daily_videos: 20, daily_seconds: 300 });
    const text = spendSummary(ledger);
    // Toward the limits the failed video counts (3 of 20, 45 of 300 s); the ¥ is the estimate of the two that did not fail.
    assert.match(text, /Spend today: 3 of 20 videos, 45 of 300 s \(≈ ¥3\.50\)\. This month: 3 videos, 50 s \(≈ ¥8\.75\)\./);
    assert.match(text, /Failed \(may or may not have been billed, so they count toward the daily limits\): 1 today, 1 this month\./);
    assert.match(text, /今日用量：3\/20 个视频，45\/300 秒（约 ¥3\.50）/);
    assert.match(text, /失败（不确定是否计费，因此计入每日上限）/);
    const unpriced = spendOutput(spendLedger(history, { dailyVideos: 0, dailySeconds: 0, prices: {} }, NOW, 'UTC'));
    assert.equal(unpriced.today.estimated_yuan, undefined, 'no price, no ¥');
    assert.deepEqual(unpriced.remaining_today, {}, 'no limit, nothing to count down');
    assert.match(spendSummary(spendLedger([], { dailyVideos: 0, dailySeconds: 0, prices: {} }, NOW, 'UTC')), /0 videos \(no daily limit\)/);
  });
});

describe('mcp/spend: an agent cannot pass the daily limits without the user', function () {
  this.timeout(300_000);
  let t: InProcess | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const asked: ElicitRequest['params'][] = [];
  const answering = (answer: ElicitResult) => async (params: ElicitRequest['params']) => {
    asked.push(params);
    return answer;
  };
  beforeEach(() => (asked.length = 0));

  /** One video today already (under the limit: nothing asked). */
  async function atTheLimit(options: Parameters<typeof inProcess>[0]): Promise<InProcess> {
    const p = await inProcess({ ...options, engine: { spendLimits: () => LIMITS, ...options?.engine } });
    const first = await p.call('generate_video', { prompt: 'the first video today', wait: false });
    assert.ok(!first.isError, textOf(first));
    assert.equal(asked.length, 0, 'within the limit nothing is asked');
    return p;
  }

  it('asks the user through elicitation and generates on their yes', async () => {
    t = await atTheLimit({ elicit: answering({ action: 'accept', content: { [APPROVE_FIELD]: true } }) });
    const sent = t.posts();
    const result = await t.call('generate_video', { prompt: 'a second one', wait: false });
    assert.ok(!result.isError, textOf(result));
    assert.equal(asked.length, 1);
    assert.match(asked[0].message, /^This would be video 2 today, over your limit of 1 \(about ¥3\.50\)\. Generate anyway\?\n这将是今天的第 2 个视频/);
    assert.equal(t.posts(), sent + 1, 'one paid request');
    assert.equal(t.engine.spend().today.videos, 2);
  });

  it('refuses, sending nothing, when the user declines, cancels, or accepts without saying yes', async () => {
    for (const answer of [{ action: 'decline' }, { action: 'cancel' }, { action: 'accept', content: { [APPROVE_FIELD]: false } }] as ElicitResult[]) {
      asked.length = 0;
      t = await atTheLimit({ elicit: answering(answer) });
      const sent = t.posts();
      const result = await t.call('generate_video', { prompt: 'one too many', wait: false });
      assert.equal(result.isError, true, JSON.stringify(answer));
      assert.equal(asked.length, 1);
      const text = textOf(result);
      assert.match(text, /This would be video 2 today, over your limit of 1/);
      assert.match(text, /Nothing was sent, so nothing was billed/);
      assert.match(text, /JUXIN_DAILY_VIDEO_LIMIT/, 'says how to raise the limit');
      assert.match(text, /不会计费/);
      assert.match(text, /do not try again/);
      assert.equal(t.posts(), sent, `nothing sent (${answer.action})`);
      assert.equal(t.engine.spend().today.videos, 1);
      await t.close();
      t = undefined;
    }
  });

  it('refuses at once when the client cannot ask (no elicitation capability), naming where to raise the limit', async () => {
    t = await atTheLimit({
      engine: { spendHelp: { en: 'Raise juxinSora.dailyVideoLimit in the settings.', zh: '请在设置中提高 juxinSora.dailyVideoLimit。' } },
    });
    const sent = t.posts();
    const result = await t.call('generate_video', { prompt: 'one too many', wait: false });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /over your limit of 1.*Nothing was sent.*Raise juxinSora\.dailyVideoLimit in the settings\./s);
    assert.match(textOf(result), /请在设置中提高/);
    assert.equal(t.posts(), sent);
  });

  it('asks during a task-augmented call (as VS Code makes it) before the task exists', async () => {
    t = await atTheLimit({ elicit: answering({ action: 'decline' }) });
    const sent = t.posts();
    const created = await t.client.request(
      { method: 'tools/call', params: { name: 'generate_video', arguments: { prompt: 'over the limit', wait: false }, task: { ttl: 60_000 } } },
      CreateTaskResultSchema,
    );
    assert.equal(asked.length, 1);
    const result = (await t.client.request({ method: 'tasks/result', params: { taskId: created.task.taskId } }, CallToolResultSchema)) as CallToolResult;
    assert.equal(result.isError, true);
    assert.match(textOf(result), /over your limit of 1/);
    assert.equal(t.posts(), sent);
  });

  it('asks before a remix too', async () => {
    let yes = false;
    t = await atTheLimit({
      elicit: async (params) => {
        asked.push(params);
        return { action: 'accept', content: { [APPROVE_FIELD]: yes } };
      },
    });
    // Remix needs a public video: make one through the engine (today it counts as the second video).
    const pub = await t.engine.generate({ prompt: 'a public one', private: false }, 'test', { approveSpend: async () => true });
    assert.equal((await t.clock.run(t.engine.waitFor(pub.id, { timeoutMs: 60 * 60_000 }))).task.status, 'completed');
    const sent = t.posts();
    const refused = await t.call('remix_video', { task_id: pub.id, prompt: 'make it purple' });
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /This would be video 3 today/);
    assert.equal(t.posts(), sent, 'no remix request');
    yes = true;
    const remixed = await t.call('remix_video', { task_id: pub.id, prompt: 'make it purple' });
    assert.ok(!remixed.isError, textOf(remixed));
    assert.equal(asked.length, 2);
    assert.equal(t.posts(), sent + 1);
  });

  it('counts a failed video toward the limit: retrying a moderation failure at a limit of 1 is asked about, never sent without a yes', async () => {
    t = await inProcess({ engine: { spendLimits: () => LIMITS } });
    const failed = await t.call('generate_video', { prompt: 'a famous actor #sim:moderation', timeout_seconds: 3600 });
    assert.equal((failed.structuredContent as { status: string }).status, 'failed', textOf(failed));
    const sent = t.posts();
    for (let retry = 0; retry < 5; retry++) {
      const again = await t.call('generate_video', { prompt: 'a famous actor #sim:moderation', wait: false });
      assert.equal(again.isError, true, `retry ${retry + 1} refused`);
      assert.match(textOf(again), /This would be video 2 today \(1 of them failed: the relay may have billed it\), over your limit of 1/);
    }
    assert.equal(t.posts(), sent, 'none of the five retries was sent');
    const listed = await t.call('list_videos', {});
    assert.deepEqual((listed.structuredContent as { spend: ReturnType<typeof spendOutput> }).spend.remaining_today, { videos: 0 });
  });

  it("shows the ledger in list_videos' text and structured output", async () => {
    t = await atTheLimit({});
    const listed = await t.call('list_videos', {});
    assert.match(textOf(listed), /Spend today: 1 of 1 videos, 10 s \(no daily limit\) \(≈ ¥3\.50\)/);
    assert.match(textOf(listed), /今日用量/);
    const spend = (listed.structuredContent as { spend: ReturnType<typeof spendOutput> }).spend;
    assert.deepEqual(spend.today, { videos: 1, seconds: 10, estimated_yuan: 3.5, unpriced_videos: 0 });
    assert.deepEqual(spend.remaining_today, { videos: 0 });
  });

  it('lists and serves the ledger as a resource, and tells a subscriber when it changes', async () => {
    t = await atTheLimit({ elicit: answering({ action: 'accept', content: { [APPROVE_FIELD]: true } }) });
    const { resources } = await t.client.listResources();
    assert.ok(
      resources.some((r) => r.uri === SPEND_URI && r.mimeType === 'application/json'),
      JSON.stringify(resources.map((r) => r.uri)),
    );
    const read = async () => JSON.parse(((await t!.client.readResource({ uri: SPEND_URI })).contents[0] as { text: string }).text);
    const before = await read();
    assert.equal(before.today.videos, 1);
    assert.match(before.summary, /Spend today: 1 of 1 videos/);
    assert.match(before.note, /whether the relay billed them is not known/);

    const updates: string[] = [];
    t.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await t.client.subscribeResource({ uri: SPEND_URI });
    await t.call('generate_video', { prompt: 'a second one', wait: false });
    // No time passes: the notification follows the change itself.
    await t.clock.runUntil(() => updates.includes(SPEND_URI), { maxStepMs: 0, what: 'the resource-updated notification' });
    assert.ok(updates.includes(SPEND_URI), 'the subscriber heard of the change');
    assert.equal((await read()).today.videos, 2);
  });
});
