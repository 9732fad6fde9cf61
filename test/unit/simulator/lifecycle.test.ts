import assert from 'node:assert/strict';
import { harness, type Harness, SECOND, TEN_SECOND_JOB } from './helpers';

describe('simulator: a job over its life', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('brochure, task ids: created pending, shape A while queued and processing, shape B when completed', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'task' });
    const created = await h.create({ orientation: 'portrait' });
    assert.equal(created.status, 200);
    const id: string = created.json.id;
    assert.match(id, /^sora-2:task_[0-9a-z]{26}$/);
    assert.deepEqual(Object.keys(created.json).sort(), ['id', 'status', 'status_update_time']);
    assert.equal(created.json.status, 'pending');
    assert.equal(created.json.status_update_time, h.sim.now());

    const queued = (await h.query(id)).json;
    assert.equal(queued.status, 'pending');
    assert.equal(queued.detail.id, id.replace('sora-2:', ''));
    assert.equal(queued.detail.input.orientation, 'portrait');
    assert.equal(queued.detail.pending_info.progress_pct, 0);
    const firstPosition = queued.detail.pending_info.progress_pos_in_queue;
    assert.equal(firstPosition, 8);

    await h.advance(TEN_SECOND_JOB.queue - 5 * SECOND);
    const later = (await h.query(id)).json;
    assert.equal(later.detail.pending_info.progress_pos_in_queue, 1, 'the queue position counts down');
    assert.equal(later.detail.pending_info.estimated_queue_wait_time, 5);

    await h.advance(5 * SECOND + TEN_SECOND_JOB.generate / 2);
    const running = (await h.query(id)).json;
    assert.equal(running.status, 'processing');
    const pct = running.detail.pending_info.progress_pct;
    assert.ok(pct > 0.3 && pct < 0.7, `a fraction 0..1 half-way through, got ${pct}`);
    assert.equal(running.detail.pending_info.progress_pos_in_queue, null);
    assert.equal(running.video_url, undefined);

    await h.advance(TEN_SECOND_JOB.generate / 4);
    assert.ok((await h.query(id)).json.detail.pending_info.progress_pct > pct, 'progress rises');

    await h.advance(TEN_SECOND_JOB.generate / 4);
    const done = (await h.query(id)).json;
    assert.equal(done.status, 'completed');
    assert.deepEqual([done.width, done.height], [720, 1280]);
    for (const url of [done.video_url, done.thumbnail_url, done.detail.url, done.detail.gif_url, done.detail.draft_info.downloadable_url]) {
      assert.ok(url.startsWith(`${h.sim.url}/files/${encodeURIComponent(id)}/`), url);
      assert.match(url, /[?&]se=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\dZ&/);
      assert.match(url, /[?&]sig=[\w-]+/);
    }
    assert.match(done.video_url, /\/src\.mp4\?/);
    assert.match(done.thumbnail_url, /\/thumbnail\.webp\?/);
    assert.match(done.detail.gif_url, /\/preview\.gif\?/);
  });

  it('brochure, video ids: shape C with progress 0..100, seconds, size, created_at and completed_at', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'video' });
    const created = await h.create({ duration: 15 });
    const id: string = created.json.id;
    assert.match(id, /^video_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(created.json.status, 'queued');
    assert.equal(created.json.object, 'video');
    assert.equal(created.json.progress, 0);

    const viaPath = await h.call('GET', `/v1/videos/${id}`);
    assert.deepEqual(viaPath.json, (await h.query(id)).json, 'both query endpoints answer alike');
    assert.equal(viaPath.json.seconds, '15');
    assert.equal(viaPath.json.size, '1280x720');
    assert.equal(viaPath.json.created_at, Math.floor(h.sim.now() / 1000));
    assert.equal(viaPath.json.completed_at, null);
    assert.equal(viaPath.json.video_url, null);

    await h.advance(TEN_SECOND_JOB.queue + 30 * SECOND);
    const running = (await h.query(id)).json;
    assert.equal(running.status, 'in_progress');
    assert.ok(running.progress >= 1 && running.progress < 100 && Number.isInteger(running.progress), `percent, got ${running.progress}`);

    // 15 s videos take longer than 10 s ones: not done when a 10 s one would be.
    await h.advance(TEN_SECOND_JOB.generate - 30 * SECOND);
    assert.equal((await h.query(id)).json.status, 'in_progress');
    await h.advance(60 * SECOND);
    const done = (await h.query(id)).json;
    assert.equal(done.status, 'completed');
    assert.equal(done.progress, 100);
    assert.equal(done.completed_at, Math.floor(h.sim.tasks.get(id)!.completesAt / 1000));
    assert.match(done.video_url, /\/src\.mp4\?/);
    assert.match(done.thumbnail_url, /\/thumbnail\.webp\?/);
  });

  it('brochure: alternates id styles by default and alternates the status words', async () => {
    h = await harness({ wire: 'brochure' });
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await h.create()).json.id as string);
    assert.deepEqual(
      ids.map((id) => id.split(/[:_]/)[0]),
      ['sora-2', 'video', 'sora-2', 'video'],
    );
    const words = await Promise.all(ids.filter((id) => id.startsWith('sora-2:')).map(async (id) => (await h.query(id)).json.status));
    assert.deepEqual(words, ['pending', 'pending']);
    await h.advance(TEN_SECOND_JOB.queue + SECOND);
    const running = await Promise.all(ids.map(async (id) => (await h.query(id)).json.status));
    assert.deepEqual(running, ['processing', 'in_progress', 'processing', 'in_progress']);
  });

  it('brochure: uses the other waiting and running words on every second task', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'task' });
    await h.create();
    const second = (await h.create()).json;
    assert.equal(second.status, 'queued');
    await h.advance(TEN_SECOND_JOB.queue + SECOND);
    assert.equal((await h.query(second.id)).json.status, 'in_progress');
  });

  it('brochure: answers upper-case statuses when asked to', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'task', upperCaseStatus: true });
    const { id, status } = (await h.create()).json;
    assert.equal(status, 'NOT_START');
    assert.equal((await h.query(id)).json.status, 'NOT_START');
    await h.advance(TEN_SECOND_JOB.queue + SECOND);
    assert.equal((await h.query(id)).json.status, 'IN_PROGRESS');
    await h.advance(TEN_SECOND_JOB.generate);
    assert.equal((await h.query(id)).json.status, 'SUCCESS');
    const failing = (await h.create({ prompt: 'x #sim:moderation' })).json.id;
    await h.advance(TEN_SECOND_JOB.queue + TEN_SECOND_JOB.generate);
    assert.equal((await h.query(failing)).json.status, 'FAILURE');
  });

  for (const [mode, present, absent] of [
    [true, 'detail.url', ['video_url']],
    ['detail-url', 'detail.url', ['video_url']],
    ['downloadable-url', 'detail.draft_info.downloadable_url', ['video_url', 'detail.url']],
  ] as const) {
    it(`brochure, omitTopLevelVideoUrl ${JSON.stringify(mode)}: the URL only at ${present}`, async () => {
      h = await harness({ wire: 'brochure', omitTopLevelVideoUrl: mode });
      const task = (await h.create()).json.id;
      const video = (await h.create()).json.id;
      await h.advance(TEN_SECOND_JOB.queue + TEN_SECOND_JOB.generate);
      for (const id of [task, video]) {
        const body = (await h.query(id)).json;
        const at = (path: string) => path.split('.').reduce<any>((o, k) => o?.[k], body);
        assert.match(at(present), /^http:\/\/127\.0\.0\.1:\d+\/files\/.+\.mp4\?/, `${id}: ${present}`);
        for (const missing of absent) assert.ok(!at(missing), `${id}: no ${missing}`);
      }
    });
  }

  it('makes sora-2-pro, longer and larger videos slower', async () => {
    h = await harness({ idStyle: 'task' });
    const ids = [];
    for (const params of [{}, { duration: 15 }, { model: 'sora-2-pro' }, { model: 'sora-2-pro', size: 'large', duration: 25 }])
      ids.push((await h.create(params)).json.id);
    const ends = ids.map((id) => h.sim.tasks.get(id)!.completesAt - h.sim.tasks.get(id)!.createdAt);
    assert.equal(ends[0], TEN_SECOND_JOB.queue + TEN_SECOND_JOB.generate);
    assert.ok(ends[0] < ends[1] && ends[1] < ends[2] && ends[2] < ends[3], ends.join(' < '));
  });

  it('spreads job times by the jitter, and repeats ids and times for the same seed', async () => {
    const run = async () => {
      const hh = await harness({ seed: 42, timingJitter: 0.2 });
      const created = [(await hh.create()).json.id, (await hh.create()).json.id];
      const spans = created.map((id) => hh.sim.tasks.get(id)!.completesAt - hh.sim.tasks.get(id)!.createdAt);
      await hh.close();
      return { created, spans };
    };
    const a = await run();
    const b = await run();
    assert.deepEqual(a, b);
    assert.notEqual(a.spans[0], a.spans[1]);
    for (const span of a.spans) assert.ok(Math.abs(span - 240 * SECOND) <= 0.2 * 240 * SECOND, String(span));
  });

  it('runs simulated time timeScale times faster than the clock', async () => {
    h = await harness({ timeScale: 60, wire: 'brochure', idStyle: 'task' });
    const { id } = (await h.create()).json;
    await h.advance(2.4 * SECOND); // 144 simulated seconds
    assert.equal((await h.query(id)).json.status, 'pending');
    await h.advance(1.6 * SECOND); // 240 simulated seconds
    assert.equal((await h.query(id)).json.status, 'completed');
  });

  const UNKNOWN_IDS = [
    ['GET', '/v1/video/query?id=sora-2%3Atask_nope'],
    ['GET', '/v1/videos/sora-2%3Atask_nope'],
    ['GET', '/v1/videos/video_nope/content'],
    ['GET', '/v1/videos/%E0%A4%A'],
  ] as const;

  it('answers the task routes\' 400 {"code":"task_not_exist"} for an unknown id, on every endpoint that takes one', async () => {
    h = await harness();
    for (const [method, path] of UNKNOWN_IDS) {
      const r = await h.call(method, path);
      assert.equal(r.status, 400, path);
      assert.deepEqual(r.json, { code: 'task_not_exist', message: 'task_not_exist', data: null }, path);
    }
    const missing = await h.call('GET', '/v1/video/query');
    assert.equal(missing.status, 400);
  });

  it('brochure: answers 404 in the vendor shape for an unknown id, on every endpoint that takes one', async () => {
    h = await harness({ wire: 'brochure' });
    for (const [method, path] of UNKNOWN_IDS) {
      const r = await h.call(method, path);
      assert.equal(r.status, 404, path);
      assert.equal(r.json.error.type, 'invalid_request_error');
      assert.ok(r.json.error.message_zh, path);
    }
  });

  it('decodes ids with ":" on the path endpoints, encoded or not', async () => {
    h = await harness({ idStyle: 'task', queryShape: 'unified' });
    const { id } = (await h.create()).json;
    assert.equal((await h.call('GET', `/v1/videos/${encodeURIComponent(id)}`)).json.id, id);
    assert.equal((await h.call('GET', `/v1/videos/${id}`)).json.id, id);
  });

  it('records requests without their keys, with the status sent', async () => {
    h = await harness();
    const { id } = (await h.create()).json;
    await h.query(id);
    await h.call('GET', '/v1/video/query?id=x', { key: 'sk-invalid-key-0001' });
    assert.deepEqual(
      h.sim.requests.map((r) => [r.method, r.path, r.status]),
      [
        ['POST', '/v1/video/create', 200],
        ['GET', '/v1/video/query', 200],
        ['GET', '/v1/video/query', 401],
      ],
    );
    assert.equal(h.sim.requests[1].query.id, id);
    assert.equal(h.sim.requests[0].at, h.sim.now());
    assert.ok(!JSON.stringify(h.sim.requests).includes('sk-'), 'no key recorded');
  });
});
