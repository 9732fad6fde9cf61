import assert from 'node:assert/strict';
import { startSimulator } from '../../../src/simulator';
import { createJob, jobState, type JobInput, type SimTask } from '../../../src/simulator/jobs';
import { PROFILE_NAMES, PROFILES, profileMarker } from '../../../src/simulator/profiles';
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
function spans(profile: (typeof PROFILE_NAMES)[number]): { queue: number[]; generate: number[] } {
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
    for (const profile of PROFILE_NAMES) {
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
    await h.advance(150 * SECOND);
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
    await assert.rejects(startSimulator({ profile: 'slow' as never, quiet: true }), /profile must be one of fast, typical, long-queue, no-progress/);
  });
});
