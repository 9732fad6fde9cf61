import assert from 'node:assert/strict';
import { startSimulator } from '../../../src/simulator';
import { createJob, jobState, type JobInput, type SimTask } from '../../../src/simulator/jobs';
import { JUMP_FRACTION } from '../../../src/simulator/jobs';
import { PROFILES, profileMarker, progressMarker, type ProfileName } from '../../../src/simulator/profiles';
import { renderTask, type ShapeOptions } from '../../../src/simulator/shapes';
import { seededRandom } from '../../../src/util/random';
import { harness, type Harness, SECOND } from './helpers';

const input = (i: number, prompt = 'a cat'): JobInput => ({
  id: `job-${i}`,
  style: 'task',
  model: 'sora-2',
  prompt,
  orientation: 'landscape',
  size: 'small',
  duration: 10,
  private: false,
  images: [],
  createdAt: 0,
});

const shape = (now: number): ShapeOptions => ({ upperCaseStatus: false, omitTopLevelVideoUrl: false, now, fileUrl: () => 'https://files.test/v.mp4' });

/** Queue and generation seconds of many 10 s sora-2 jobs of a profile, from one seed. */
function spans(profile: ProfileName): { queue: number[]; generate: number[] } {
  const random = seededRandom(9);
  const jobs = Array.from({ length: 300 }, (_, i) => createJob(input(i), PROFILES[profile], random));
  return { queue: jobs.map((j) => j.startsAt / 1000), generate: jobs.map((j) => (j.completesAt - j.startsAt) / 1000) };
}

const within = (xs: number[], lo: number, hi: number) => xs.every((x) => x >= lo && x <= hi);

describe('simulator: timing profiles', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('spreads each profile over its documented range, seeded', () => {
    const ranges = {
      fast: { queue: [1, 15], generate: [28, 52] },
      typical: { queue: [120, 180], generate: [72, 108] },
      'long-queue': { queue: [300, 600], generate: [72, 108] },
      'no-progress': { queue: [120, 180], generate: [72, 108] },
    } as const;
    for (const profile of ['fast', 'typical', 'long-queue', 'no-progress'] as const) {
      const { queue, generate } = spans(profile);
      const r = ranges[profile];
      assert.ok(within(queue, r.queue[0], r.queue[1]), `${profile} queue ${Math.min(...queue)}–${Math.max(...queue)} s`);
      assert.ok(within(generate, r.generate[0], r.generate[1]), `${profile} generation ${Math.min(...generate)}–${Math.max(...generate)} s`);
      // Jitter, not a constant: the range is used (more than half of it).
      assert.ok(Math.max(...queue) - Math.min(...queue) > (r.queue[1] - r.queue[0]) / 2, `${profile} queue spread`);
      assert.deepEqual(spans(profile), { queue, generate }, 'the same seed, the same jobs');
    }
    assert.deepEqual(
      { queueSeconds: PROFILES.typical.queueSeconds, generateSeconds: PROFILES.typical.generateSeconds, jitter: PROFILES.typical.jitter },
      { queueSeconds: 150, generateSeconds: 90, jitter: 0.2 },
      "'typical' is the simulator's long-standing default",
    );
  });

  it('no-progress: progress stays 0 until done, and no queue position or ETA, in shapes A and C', () => {
    const job = createJob(input(0), PROFILES['no-progress'], seededRandom(1));
    const queued = renderTask(job, jobState(job, 10 * SECOND), shape(10 * SECOND)) as Record<string, any>;
    assert.equal(queued.detail.pending_info.progress_pos_in_queue, null);
    assert.equal(queued.detail.pending_info.estimated_queue_wait_time, null);
    const half = (job.startsAt + job.completesAt) / 2;
    const running = renderTask(job, jobState(job, half), shape(half)) as Record<string, any>;
    assert.equal(running.status, 'processing');
    assert.equal(running.detail.pending_info.progress_pct, 0);
    const video: SimTask = { ...job, style: 'video' };
    assert.equal(renderTask(video, jobState(video, half), shape(half)).progress, 0);
    const done = renderTask(video, jobState(video, job.completesAt), shape(job.completesAt));
    assert.equal(done.status, 'completed');
    assert.equal(done.progress, 100);
  });

  it("queued answers tell the relay's own estimate: one place per 20 s of real wait, an ETA from its typical queue that can be off and stays 0 once overdue", () => {
    const random = seededRandom(4);
    const jobs = Array.from({ length: 50 }, (_, i) => createJob(input(i), PROFILES['long-queue'], random));
    const late = jobs.find((j) => j.startsAt - j.createdAt > 500 * SECOND)!; // queues longer than the typical 450 s
    const early = jobs.find((j) => j.startsAt - j.createdAt < 400 * SECOND)!;
    const at = (job: SimTask, s: number) => jobState(job, job.createdAt + s * SECOND);
    assert.equal(at(late, 0).queueEtaSeconds, 450, 'the ETA is the typical queue, not this job');
    assert.equal(at(late, 100).queueEtaSeconds, 350, 'and counts down');
    assert.equal(at(late, 460).queueEtaSeconds, 0, 'overdue: 0 while it still waits');
    assert.equal(at(late, 460).status, 'queued');
    assert.equal(at(late, 0).queuePosition, Math.ceil((late.startsAt - late.createdAt) / 20_000));
    assert.equal(at(early, 300).queueEtaSeconds, 150);
    assert.equal(at(early, 400).status, 'processing', 'started while the ETA still said 50 s');
  });

  it('startSimulator({ profile }) and a #sim:profile-… marker pick the timing, per run and per task', async () => {
    h = await harness({ wire: 'brochure', profile: 'fast', idStyle: 'task' }); // no jitter: a fast job queues 8 s and generates 40 s
    const { id } = (await h.create()).json;
    const queued = (await h.query(id)).json;
    assert.equal(queued.detail.pending_info.estimated_queue_wait_time, 8);
    assert.equal(queued.detail.pending_info.progress_pos_in_queue, 1);
    const slow = (await h.create({ prompt: 'a cat #sim:profile-long-queue' })).json.id;
    const silent = (await h.create({ prompt: 'a cat #sim:profile-no-progress' })).json.id;
    await h.advance(30 * SECOND);
    assert.ok((await h.query(id)).json.detail.pending_info.progress_pct > 0);
    await h.advance(18 * SECOND);
    assert.equal((await h.query(id)).json.status, 'completed', 'done 48 s after create');
    assert.equal((await h.query(slow)).json.detail.pending_info.estimated_queue_wait_time, 450 - 48);
    // The marker's profile has its own spread (±20%: queued 120–180 s, then 72–108 s of generation):
    // looked at halfway through its generation, wherever the draw put it.
    const job = h.sim.tasks.get(silent)!;
    const queuedFor = (job.startsAt - job.createdAt) / SECOND;
    assert.ok(queuedFor >= 120 && queuedFor <= 180, `queued as the no-progress profile says (${queuedFor} s)`);
    await h.advance((job.startsAt + job.completesAt) / 2 - h.clock.now());
    const running = (await h.query(silent)).json;
    assert.equal(running.detail.pending_info.status, 'processing');
    assert.equal(running.detail.pending_info.progress_pct, 0);
    assert.equal(h.sim.tasks.get(id)!.completesAt - h.sim.tasks.get(id)!.createdAt, 48 * SECOND);
  });

  it('reads the profile marker (the last one wins; unknown names are ignored) and refuses an unknown profile', async () => {
    assert.equal(profileMarker('a cat #sim:profile-fast'), 'fast');
    assert.equal(profileMarker('#sim:profile-fast #sim:profile-no-progress'), 'no-progress');
    assert.equal(profileMarker('#sim:profile-slow'), undefined);
    assert.equal(profileMarker('a cat'), undefined);
    assert.equal(profileMarker('a cat #sim:profile-real-log'), 'real-log');
    await assert.rejects(startSimulator({ profile: 'slow' as never, quiet: true }), /profile must be one of fast, typical, long-queue, no-progress, real-log/);
  });
});

describe('simulator: the real-log profile (shared/juxin-api.md §6)', () => {
  /** 4,000 default jobs (10 s sora-2) of the profile, from one seed. */
  const jobs = (() => {
    const random = seededRandom(2026);
    return Array.from({ length: 4000 }, (_, i) => createJob({ ...input(i), createdAt: i * 1000 }, PROFILES['real-log'], random));
  })();
  const totals = jobs.map((j) => (j.completesAt - j.createdAt) / SECOND);
  const quantile = (p: number) => [...totals].sort((a, b) => a - b)[Math.ceil(p * totals.length) - 1];
  const shareOver = (s: number) => totals.filter((t) => t > s).length / totals.length;

  it('times jobs, create to done, as the published log: median ~270 s, p75 ~350 s, p90 ~800 s, 8% over 15 min, a few over 30 min', () => {
    const near = (actual: number, expected: number, tolerance: number, what: string) =>
      assert.ok(Math.abs(actual - expected) <= tolerance * expected, `${what}: ${actual.toFixed(0)} s, expected ${expected} ± ${tolerance * 100}%`);
    near(quantile(0.5), 270, 0.08, 'median');
    near(quantile(0.75), 350, 0.08, 'p75');
    near(quantile(0.9), 800, 0.12, 'p90');
    const over15 = shareOver(15 * 60);
    assert.ok(over15 >= 0.06 && over15 <= 0.1, `${(100 * over15).toFixed(1)}% over 15 min`);
    const over30 = shareOver(30 * 60);
    assert.ok(over30 >= 0.005 && over30 <= 0.03, `${(100 * over30).toFixed(1)}% over 30 min: a few`);
    assert.ok(Math.max(...totals) <= 90 * 60, 'none past the 90 minutes a relay waits');
    assert.ok(Math.min(...totals) >= 60, `the quickest took ${Math.min(...totals).toFixed(0)} s`);
  });

  it('queues 10–50% of that time, gives no queue position or ETA, and repeats for a seed', () => {
    for (const j of jobs) {
      const share = (j.startsAt - j.createdAt) / (j.completesAt - j.createdAt);
      assert.ok(share >= 0.1 - 1e-9 && share <= 0.5 + 1e-9, `queued ${share} of the time`);
    }
    const queued = jobState(jobs[0], jobs[0].createdAt + 1);
    assert.deepEqual(queued, { status: 'queued', fraction: 0 });
    const again = createJob({ ...input(0), createdAt: 0 }, PROFILES['real-log'], seededRandom(2026));
    assert.deepEqual(again, jobs[0]);
  });

  it('moves progress three ways, as the log shows: smooth for some, 0 then a jump to 90% for most, never for some', () => {
    const share = (style: string) => jobs.filter((j) => j.progressStyle === style).length / jobs.length;
    assert.ok(Math.abs(share('smooth') - 0.3) < 0.03, `smooth ${share('smooth')}`);
    assert.ok(Math.abs(share('jump') - 0.5) < 0.03, `jump ${share('jump')}`);
    assert.ok(Math.abs(share('none') - 0.2) < 0.03, `none ${share('none')}`);
    const fractions = (j: SimTask) => Array.from({ length: 101 }, (_, k) => jobState(j, j.startsAt + (k / 100) * (j.completesAt - 1 - j.startsAt)).fraction);
    for (const j of jobs.slice(0, 300)) {
      const seen = fractions(j);
      if (j.progressStyle === 'none')
        assert.ok(
          seen.every((f) => f === 0),
          'never moves',
        );
      if (j.progressStyle === 'jump') {
        const generate = j.completesAt - j.startsAt;
        assert.ok(j.jumpsAt! >= j.startsAt + 0.5 * generate && j.jumpsAt! < j.completesAt, 'jumps in the second half of the generation');
        assert.equal(jobState(j, j.jumpsAt! - 1).fraction, 0, 'at 0 until the jump');
        assert.equal(jobState(j, j.jumpsAt!).fraction, JUMP_FRACTION, 'then 90%');
        assert.equal(jobState(j, j.completesAt - 1).fraction, JUMP_FRACTION, 'and there until done');
        assert.deepEqual(new Set(seen), new Set([0, JUMP_FRACTION]));
      }
      if (j.progressStyle === 'smooth') {
        assert.ok(seen.every((f, k) => k === 0 || f >= seen[k - 1]) && seen[50] > 0.3 && seen[50] < 0.7, 'rises steadily');
      }
      assert.equal(jobState(j, j.completesAt).status, 'completed');
    }
  });

  it("#sim:progress-<style> sets one job's progress on any profile; the others' times stay as they were", () => {
    assert.equal(progressMarker('a cat #sim:progress-jump'), 'jump');
    assert.equal(progressMarker('#sim:progress-jump #sim:progress-none'), 'none', 'the last one wins');
    assert.equal(progressMarker('#sim:progress-wobbly'), undefined);
    const make = (prompts: string[], profile: ProfileName) => {
      const random = seededRandom(5);
      return prompts.map((prompt, i) => createJob(input(i, prompt), PROFILES[profile], random));
    };
    const [jump, other] = make(['a cat #sim:progress-jump', 'a dog'], 'typical');
    assert.equal(jump.progressStyle, 'jump');
    assert.equal(jobState(jump, (jump.startsAt + jump.jumpsAt!) / 2).fraction, 0);
    assert.equal(jobState(jump, jump.jumpsAt!).fraction, JUMP_FRACTION);
    assert.equal(other.progressStyle, 'smooth');
    const none = make(['a cat #sim:progress-none'], 'typical')[0];
    assert.equal(jobState(none, (none.startsAt + none.completesAt) / 2).fraction, 0);
    const plain = make(['a cat', 'a dog', 'a bird'], 'real-log');
    const marked = make(['a cat #sim:progress-smooth', 'a dog #sim:progress-none', 'a bird #sim:progress-jump'], 'real-log');
    assert.deepEqual(
      marked.map((j) => j.progressStyle),
      ['smooth', 'none', 'jump'],
    );
    // A marked job draws what an unmarked one draws (bar a jump's moment), so the jobs after it are unchanged.
    assert.deepEqual(
      marked.slice(0, 2).map((j) => [j.startsAt, j.completesAt]),
      plain.slice(0, 2).map((j) => [j.startsAt, j.completesAt]),
    );
  });

  it("#sim:profile-real-log and #sim:progress-… over HTTP, whatever the run's profile", async () => {
    const h = await harness({ profile: 'fast', seed: 3 });
    try {
      const { id } = (await h.create({ prompt: 'a cat #sim:profile-real-log #sim:progress-jump' })).json;
      const job = h.sim.tasks.get(id)!;
      assert.equal(job.progressStyle, 'jump');
      assert.equal(job.reportsQueue, false);
      assert.ok(job.completesAt - job.createdAt >= 60 * SECOND, 'real-log times, not fast ones');
      const state = async () =>
        ((await h.call('GET', '/__sim/tasks')).json.tasks as { id: string; state: { status: string; fraction: number } }[]).find((t) => t.id === id)!.state;
      await h.advance(job.jumpsAt! - 1 - h.sim.now());
      assert.deepEqual(await state(), { status: 'processing', fraction: 0 });
      await h.advance(1);
      assert.deepEqual(await state(), { status: 'processing', fraction: JUMP_FRACTION });
      await h.advance(job.completesAt - h.sim.now());
      assert.equal((await state()).status, 'completed');
    } finally {
      await h.close();
    }
  });
});
