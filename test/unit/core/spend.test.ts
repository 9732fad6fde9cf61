import assert from 'node:assert/strict';
import path from 'node:path';
import {
  checkSpend,
  describeOverrun,
  estimateCost,
  readPrices,
  spendLedger,
  SpendLimitError,
  type SpendCheck,
  type SpendLimits,
} from '../../../src/core/spend';
import type { GenerationParams, JuxinApi, NormalizedTask } from '../../../src/juxin/types';
import { TaskStore } from '../../../src/core/store';
import { generateStoryboard, StoryboardBatches } from '../../../src/storyboard';
import { taskRecord } from '../../fixtures/tasks';
import { EngineFixture } from '../../helpers/engine';

const SHANGHAI = 'Asia/Shanghai';

const at = (iso: string) => Date.parse(iso);
const task = (createdAt: string, status = 'completed', params: Partial<GenerationParams> = {}) => ({
  createdAt: at(createdAt),
  status,
  params: { model: 'sora-2', size: 'small', duration: 10, ...params },
});

describe('core/spend: daily limits an agent cannot run past', () => {
  const limits: SpendLimits = { dailyVideos: 3, dailySeconds: 40, prices: { 'sora-2': { perSecond: 0.1 }, 'sora-2-pro/large': { perVideo: 6 } } };

  it('estimates a video from the most specific price the user entered, or says it cannot', () => {
    assert.equal(estimateCost({ model: 'sora-2', size: 'small', duration: 15 }, limits.prices), 1.5);
    assert.equal(estimateCost({ model: 'sora-2-pro', size: 'large', duration: 25 }, limits.prices), 6);
    assert.equal(estimateCost({ model: 'sora-2-pro', size: 'small', duration: 10 }, limits.prices), undefined);
    assert.deepEqual(readPrices('{"sora-2": {"perSecond": 0.2}}'), { prices: { 'sora-2': { perSecond: 0.2 } }, problems: [] });
    assert.match(readPrices('not json').problems[0], /must be JSON/);
    assert.equal(readPrices({ 'sora-2/huge': { perVideo: 1 } }).problems.length, 1, 'a size or resolution no model has is refused, not guessed');
    assert.equal(readPrices({ 'veo 3.1': { perVideo: 1 } }).problems.length, 1, 'not an id');
    assert.equal(readPrices({ 'sora-2': { perSecond: -1 } }).problems.length, 1);
  });

  it('prices any model the catalog or the relay knows: Veo per video (its clip is always 8 s), Sora per second, by resolution, the old keys as before', () => {
    const { prices, problems } = readPrices({
      'veo3.1-fast': { perVideo: 2 },
      'veo3.1': { perSecond: 0.5 },
      'jimeng-video-3.0': { perSecond: 0.2 },
      'jimeng-video-3.0/1080p': { perSecond: 0.3 },
      'hunyuan-video-x': { perVideo: 1.5 },
      'sora-2': { perSecond: 0.1 },
      'sora-2-pro/large': { perVideo: 6 },
    });
    assert.deepEqual(problems, []);
    assert.equal(estimateCost({ model: 'veo3.1-fast', size: 'small', resolution: '720p', duration: 8 }, prices), 2);
    assert.equal(estimateCost({ model: 'veo_3_1-fast', size: 'small', resolution: '720p', duration: 8 }, prices), 2, "Veo's alias is the same model");
    assert.equal(estimateCost({ model: 'veo3.1', size: 'small', resolution: '720p', duration: 8 }, prices), 4);
    assert.equal(
      estimateCost({ model: 'veo3.1-pro', size: 'small', resolution: '720p', duration: 8 }, prices),
      undefined,
      'another Veo model has its own price',
    );
    assert.equal(estimateCost({ model: 'jimeng-video-3.0', size: 'small', resolution: '720p', duration: 10 }, prices), 2);
    assert.equal(estimateCost({ model: 'jimeng-video-3.0', size: 'large', resolution: '1080p', duration: 10 }, prices), 3, 'the price of its resolution wins');
    assert.equal(estimateCost({ model: 'hunyuan-video-x', size: 'small', resolution: '720p', duration: 5 }, prices), 1.5, 'a model only the relay lists');
    // Records from the Sora days have no resolution: their size finds the old keys.
    assert.equal(estimateCost({ model: 'sora-2', size: 'small', duration: 15 }, prices), 1.5);
    assert.equal(estimateCost({ model: 'sora-2-pro', size: 'large', duration: 25 }, prices), 6);
    assert.equal(
      estimateCost({ model: 'sora-2-pro', size: 'large', resolution: '1080p', duration: 15 }, prices),
      6,
      'a new Sora record finds the old size key',
    );
    const ledger = spendLedger(
      [task('2026-11-02T03:00:00Z', 'completed', { model: 'veo3.1-fast', duration: 8 }), task('2026-11-02T04:00:00Z', 'completed', { duration: 10 })],
      { dailyVideos: 0, dailySeconds: 0, prices },
      at('2026-11-02T10:00:00Z'),
      'UTC',
    );
    assert.deepEqual([ledger.today.videos, ledger.today.yuan, ledger.today.unpriced], [2, 3, 0], 'the ledger prices each video by its own model');
  });

  it("counts the user's calendar day and month, failed tasks apart", () => {
    // 00:30 on 2 Nov in Shanghai is 16:30 on 1 Nov in UTC: it belongs to the 2nd there.
    const history = [
      task('2026-11-01T16:30:00Z'),
      task('2026-11-02T03:00:00Z', 'completed', { duration: 15 }),
      task('2026-11-02T04:00:00Z', 'failed'),
      task('2026-11-01T15:00:00Z'), // 23:00 on 1 Nov in Shanghai: earlier this month
      task('2026-10-31T12:00:00Z'), // last month
    ];
    const ledger = spendLedger(history, limits, at('2026-11-02T10:00:00Z'), SHANGHAI);
    assert.deepEqual(ledger.today, { videos: 2, seconds: 25, yuan: 2.5, unpriced: 0 });
    assert.deepEqual(ledger.failedToday, { videos: 1, seconds: 10, yuan: 1, unpriced: 0 });
    assert.equal(ledger.month.videos, 3);
    assert.equal(ledger.failedMonth.videos, 1);
    const inUtc = spendLedger(history, limits, at('2026-11-02T10:00:00Z'), 'UTC');
    assert.equal(inUtc.today.videos, 1, 'the same history seen from UTC has a different today');
  });

  it('counts the failed tasks of today toward the limits, and says so', () => {
    const ledger = spendLedger(
      [task('2026-11-02T03:00:00Z', 'failed'), task('2026-11-02T03:10:00Z', 'failed', { duration: 15 })],
      limits,
      at('2026-11-02T10:00:00Z'),
      SHANGHAI,
    );
    const check = checkSpend(ledger, [{ model: 'sora-2', size: 'small', duration: 15 }]);
    assert.deepEqual([check.videos, check.seconds, check.failed], [3, 40, 2]);
    assert.deepEqual(check.over, []);
    const more = checkSpend(ledger, [
      { model: 'sora-2', size: 'small', duration: 10 },
      { model: 'sora-2', size: 'small', duration: 10 },
    ]);
    assert.deepEqual(more.over, ['videos', 'seconds']);
    assert.match(
      describeOverrun(more).en,
      /These 2 videos would bring today to 4 videos \(2 of them failed: the relay may have billed them\), over your limit of 3/,
    );
    assert.match(describeOverrun(more).zh, /其中 2 个失败，可能已计费/);
  });

  it('says which limit a request passes, what it would cost, and in both languages', () => {
    const ledger = spendLedger(
      [task('2026-11-02T03:00:00Z'), task('2026-11-02T03:10:00Z'), task('2026-11-02T03:20:00Z')],
      limits,
      at('2026-11-02T10:00:00Z'),
      SHANGHAI,
    );
    const check = checkSpend(ledger, [{ model: 'sora-2', size: 'small', duration: 15 }]);
    assert.deepEqual(check.over, ['videos', 'seconds']);
    assert.equal(check.videos, 4);
    const words = describeOverrun(check);
    assert.match(words.en, /This would be video 4 today, over your limit of 3 \(about ¥1\.50\)/);
    assert.match(words.zh, /第 4 个视频/);
    assert.deepEqual(
      checkSpend({ ...ledger, limits: { ...limits, dailyVideos: 0, dailySeconds: 0 } }, [{ model: 'sora-2', size: 'small', duration: 10 }]).over,
      [],
      '0 = no limit',
    );
  });
});

describe('core/engine: every path obeys the daily limits', function () {
  this.timeout(300_000);
  let f: EngineFixture;
  let home: string;
  let creates = 0;
  const api: JuxinApi = {
    async createVideo(): Promise<NormalizedTask> {
      creates++;
      return { id: `sora-2:task_spend${creates}_${Math.random().toString(36).slice(2, 8)}`, status: 'queued', progress: 0, rawStatus: 'pending' };
    },
    async queryVideo(id: string): Promise<NormalizedTask> {
      return { id, status: 'processing', progress: 10, rawStatus: 'in_progress' };
    },
    async remixVideo(): Promise<NormalizedTask> {
      throw new Error('not used');
    },
    async createCharacter() {
      throw new Error('not used');
    },
    async listModels() {
      return [];
    },
    downloadHeaders: () => ({}),
  };
  // On the fixture's clock, which stands still here: "today" is one fixed day, whenever the test runs.
  const make = (limits: SpendLimits) => f.engine({ api, spendLimits: () => limits });
  beforeEach(async () => {
    f = await EngineFixture.create({ prefix: 'spend-test' });
    home = f.home;
    creates = 0;
  });
  afterEach(() => f.close());

  it('refuses the request over a limit before anything is sent, and lets it through on the yes', async () => {
    const engine = make({ dailyVideos: 2, dailySeconds: 0, prices: {} });
    await engine.start();
    await engine.generate({ prompt: 'one' }, 'test');
    await engine.generate({ prompt: 'two' }, 'test');
    await assert.rejects(
      engine.generate({ prompt: 'three' }, 'test'),
      (e: unknown) => e instanceof SpendLimitError && /video 3 today, over your limit of 2/.test(e.message) && /不会计费/.test(e.messageZh),
    );
    const asked: number[] = [];
    await assert.rejects(engine.generate({ prompt: 'three' }, 'test', { approveSpend: async (c) => (asked.push(c.videos), false) }), SpendLimitError);
    assert.equal(creates, 2, 'nothing was sent for the refused ones');
    const third = await engine.generate({ prompt: 'three' }, 'test', { approveSpend: async (c) => (asked.push(c.videos), true) });
    assert.ok(third.id);
    assert.deepEqual(asked, [3, 3]);
    assert.equal(engine.spend().today.videos, 3);
  });

  it('counts seconds of video too', async () => {
    const engine = make({ dailyVideos: 0, dailySeconds: 25, prices: {} });
    await engine.start();
    await engine.generate({ prompt: 'ten', duration: 10 }, 'test');
    await assert.rejects(engine.generate({ prompt: 'fifteen more', model: 'sora-2-pro', duration: 25 }, 'test'), /35 s, over your limit of 25 s/);
  });

  it("asks once for a storyboard's whole batch before any clip is sent: a no starts nothing, a yes starts every clip without asking again", async () => {
    const engine = make({ dailyVideos: 3, dailySeconds: 0, prices: {} });
    await engine.start();
    await engine.generate({ prompt: 'earlier today' }, 'test');
    const file = path.join(home, 'film.storyboard.md');
    const text = '---\ntitle: T\n---\n## A {#c1}\nA street.\n## B {#c2}\nA door.\n## C {#c3}\nA hall.\n## D {#c4}\nA roof.\n';
    const request = { engine, file, text, origin: { kind: 'storyboard' as const, storyboard: 'film.storyboard.md' }, maxInFlight: 4 };
    const asked: SpendCheck[] = [];
    await assert.rejects(
      generateStoryboard({ ...request, batches: new StoryboardBatches(), approveSpend: async (c) => (asked.push(c), false) }),
      (e: unknown) => e instanceof SpendLimitError && /These 4 videos would bring today to 5 videos, over your limit of 3/.test(e.message),
    );
    assert.equal(creates, 1, 'a no sends nothing');
    await assert.rejects(generateStoryboard({ ...request, batches: new StoryboardBatches() }), SpendLimitError, 'no one to ask: refused');

    const batches = new StoryboardBatches();
    const yes = await generateStoryboard({ ...request, batches, approveSpend: async (c) => (asked.push(c), true) });
    // The clips take the spend lock in turn (a clip that finds it held waits on the clock): time moves in small steps.
    await f.clock.runUntil(() => yes.batch!.runs.every((r) => r.state === 'started'), { maxStepMs: 1000, what: 'every clip started' });
    assert.equal(creates, 5);
    assert.deepEqual(
      asked.map((c) => [c.count, c.videos]),
      [
        [4, 5],
        [4, 5],
      ],
      'one question per request, none per clip',
    );
    yes.batch!.cancel();

    // A clip past what was allowed (another window generated meanwhile) is asked about again.
    const approve = await engine.approveBatch([{ model: 'sora-2', size: 'small', duration: 10 }], async (c) => (asked.push(c), true));
    assert.equal(asked.length, 3, 'the sixth video asked');
    assert.equal(await approve!({ ...asked[2], videos: 7 }), true);
    assert.equal(asked.length, 4, 'and the seventh again');
  });

  it('counts failed tasks toward the limits (the relay may have billed them): a retry after a failure at the limit is asked about', async () => {
    const seeded = new TaskStore(home);
    await seeded.put(taskRecord({ id: 'sora-2:task_failed_today', status: 'failed', failureReason: 'moderation', createdAt: f.clock.now() - 60_000 }));
    const engine = make({ dailyVideos: 1, dailySeconds: 0, prices: {} });
    await engine.start();
    await assert.rejects(
      engine.generate({ prompt: 'the same prompt again' }, 'test'),
      (e: unknown) =>
        e instanceof SpendLimitError &&
        /This would be video 2 today \(1 of them failed: the relay may have billed it\), over your limit of 1/.test(e.message) &&
        /其中 1 个失败/.test(e.messageZh),
    );
    assert.equal(creates, 0, 'nothing sent without a yes');
    const asked: SpendCheck[] = [];
    await engine.generate({ prompt: 'the same prompt again' }, 'test', { approveSpend: async (c) => (asked.push(c), true) });
    assert.deepEqual(
      asked.map((c) => [c.videos, c.failed]),
      [[2, 1]],
    );
    assert.equal(creates, 1);
  });

  it('holds across processes on one home: two at the last free video, one gets it', async () => {
    const a = make({ dailyVideos: 3, dailySeconds: 0, prices: {} });
    const b = make({ dailyVideos: 3, dailySeconds: 0, prices: {} });
    await Promise.all([a.start(), b.start()]);
    await a.generate({ prompt: 'one' }, 'test');
    await b.generate({ prompt: 'two' }, 'test');
    // The one that finds the spend lock held waits for it on the clock.
    const results = await f.clock.run(Promise.allSettled([a.generate({ prompt: 'three from a' }, 'test'), b.generate({ prompt: 'three from b' }, 'test')]));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, JSON.stringify(results.map((r) => r.status)));
    assert.ok(results.some((r) => r.status === 'rejected' && r.reason instanceof SpendLimitError));
    assert.equal(creates, 3);
  });
});
