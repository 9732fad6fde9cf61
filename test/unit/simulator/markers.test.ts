import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readMarkers } from '../../../src/simulator/markers';
import { MODERATION_REASON } from '../../../src/simulator/shapes';
import { download, harness, type Harness, SECOND, TEN_SECOND_JOB } from './helpers';

const JOB = TEN_SECOND_JOB.queue + TEN_SECOND_JOB.generate;
const HOUR = 3600 * SECOND;

/** Every place a relay has been seen to put a failure reason. */
function reasonPlaces(body: Record<string, any>): Record<string, unknown> {
  const error = body.error;
  return {
    fail_reason: body.fail_reason,
    error: typeof error === 'string' ? error : undefined,
    'error.message': typeof error === 'object' ? error?.message : undefined,
    'detail.failure_reason': body.detail?.failure_reason,
    'detail.pending_info.failure_reason': body.detail?.pending_info?.failure_reason,
  };
}

function placesWithReason(body: Record<string, any>): string[] {
  return Object.entries(reasonPlaces(body))
    .filter(([, v]) => typeof v === 'string' && v.length > 0)
    .map(([k]) => k);
}

describe('simulator: prompt markers', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('reads markers anywhere in the prompt', () => {
    assert.deepEqual(readMarkers('a cat #sim:moderation and #sim:slow-queue'), {
      moderation: true,
      failNoReason: false,
      cancelled: false,
      never: false,
      expired: false,
      cut: false,
      slowQueue: true,
    });
    assert.equal(readMarkers('#sim:cutting').cut, false, 'whole marker names only');
  });

  it('#sim:moderation fails part-way, rotating the reason through all five places (task ids)', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'task' });
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await h.create({ prompt: `Mickey Mouse #sim:moderation ${i}` })).json.id);
    await h.advance(TEN_SECOND_JOB.queue + TEN_SECOND_JOB.generate * 0.2);
    const running = (await h.query(ids[0])).json;
    assert.equal(running.status, 'processing');
    assert.ok(running.detail.pending_info.progress_pct < 0.3, 'rejected jobs stop rising at about 30%');
    await h.advance(TEN_SECOND_JOB.generate * 0.2);
    const places = [];
    for (const id of ids) {
      const body = (await h.query(id)).json;
      assert.equal(body.status, 'failed');
      assert.equal(body.detail.pending_info.moderation_result.type, 'rejected');
      const found = placesWithReason(body);
      assert.equal(found.length, 1, JSON.stringify(body));
      assert.equal(reasonPlaces(body)[found[0]], MODERATION_REASON);
      places.push(found[0]);
    }
    assert.deepEqual(places, ['fail_reason', 'error', 'error.message', 'detail.failure_reason', 'detail.pending_info.failure_reason', 'fail_reason']);
    assert.match(MODERATION_REASON, /content policies/);
    assert.match(MODERATION_REASON, /内容审核/);
  });

  it('#sim:moderation on video ids: error object, error string, fail_reason', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'video' });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await h.create({ prompt: `#sim:moderation ${i}` })).json.id);
    await h.advance(JOB);
    const places = [];
    for (const id of ids) {
      const body = (await h.query(id)).json;
      assert.equal(body.status, 'failed');
      assert.equal(body.video_url, null);
      places.push(...placesWithReason(body));
    }
    assert.deepEqual(places, ['error.message', 'error', 'fail_reason']);
  });

  it('#sim:fail-no-reason fails with no reason anywhere', async () => {
    h = await harness({ wire: 'brochure' });
    const ids = [(await h.create({ prompt: 'x #sim:fail-no-reason' })).json.id, (await h.create({ prompt: 'y #sim:fail-no-reason' })).json.id];
    await h.advance(JOB);
    for (const id of ids) {
      const body = (await h.query(id)).json;
      assert.equal(body.status, 'failed');
      assert.deepEqual(placesWithReason(body), []);
      assert.ok(!/moderation|审核/.test(JSON.stringify(body.error ?? null)));
    }
  });

  it('#sim:never stays processing for ever, below 95%', async () => {
    h = await harness({ wire: 'brochure' });
    const task = (await h.create({ prompt: '#sim:never' })).json.id;
    const video = (await h.create({ prompt: '#sim:never' })).json.id;
    await h.advance(24 * HOUR);
    const a = (await h.query(task)).json;
    assert.equal(a.status, 'processing');
    assert.ok(a.detail.pending_info.progress_pct < 0.95);
    const b = (await h.query(video)).json;
    assert.equal(b.status, 'in_progress');
    assert.ok(b.progress < 95);
  });

  it('#sim:slow-queue queues four times as long', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'task' });
    const normal = (await h.create()).json.id;
    const slow = (await h.create({ prompt: 'a cat #sim:slow-queue' })).json.id;
    await h.advance(TEN_SECOND_JOB.queue + 10 * SECOND);
    assert.equal((await h.query(normal)).json.detail.pending_info.status, 'processing');
    const waiting = (await h.query(slow)).json;
    assert.equal(waiting.status, 'queued');
    assert.ok(waiting.detail.pending_info.progress_pos_in_queue >= 1);
    await h.advance(TEN_SECOND_JOB.queue * 3 - 10 * SECOND + TEN_SECOND_JOB.generate - SECOND);
    assert.equal((await h.query(slow)).json.status, 'in_progress', 'the second task says in_progress');
    await h.advance(SECOND);
    assert.equal((await h.query(slow)).json.status, 'completed');
  });

  it('#sim:expired hands out video URLs that are already expired (403)', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'task' });
    const { id } = (await h.create({ prompt: 'x #sim:expired' })).json;
    await h.advance(JOB);
    const body = (await h.query(id)).json;
    const se = Date.parse(new URL(body.video_url).searchParams.get('se')!);
    assert.ok(se < h.sim.now());
    for (const url of [body.video_url, body.detail.url, body.detail.draft_info.downloadable_url]) assert.equal((await download(url)).status, 403);
  });

  it('#sim:cut cuts the first download at about half; a Range resume then completes it', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'video' });
    const { id } = (await h.create({ prompt: 'x #sim:cut' })).json;
    await h.advance(JOB);
    const url = (await h.query(id)).json.video_url;
    const first = await download(url);
    const total = Number(first.headers['content-length']);
    assert.equal(first.complete, false);
    assert.equal(first.body.length, Math.floor(total / 2));
    const rest = await download(url, { range: `bytes=${first.body.length}-` });
    assert.equal(rest.status, 206);
    assert.equal(rest.complete, true);
    const whole = Buffer.concat([first.body, rest.body]);
    assert.equal(whole.length, total);
    const again = await download(url);
    assert.equal(again.complete, true);
    assert.ok(again.body.equals(whole));
  });

  it('#sim:clip-N serves that clip under every video URL and /content; without it the default sample', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'video' });
    const media = (name: string) => readFileSync(path.join(__dirname, '../../../media', name));
    const ids: Record<string, string> = {};
    for (const clip of ['clip-1', 'clip-2', 'clip-3', 'clip-other-size']) ids[clip] = (await h.create({ prompt: `a red room #sim:${clip}` })).json.id;
    const plain = (await h.create({ prompt: 'a red room' })).json.id;
    await h.advance(JOB);
    for (const [clip, id] of Object.entries(ids)) {
      const body = (await h.query(id)).json;
      const expected = media(`clips/${clip}.mp4`);
      assert.ok((await download(body.video_url)).body.equals(expected), `${clip} at video_url`);
      const content = await h.call('GET', `/v1/videos/${encodeURIComponent(id)}/content`);
      assert.ok(content.bytes.equals(expected), `${clip} at /content`);
    }
    assert.ok((await download((await h.query(plain)).json.video_url)).body.equals(media('sample.mp4')));
    assert.equal(readMarkers('#sim:clip-2 and #sim:cut').clip, 'clip-2');
    assert.equal('clip' in readMarkers('a cat'), false, 'no clip key without the marker');
  });

  it('an unknown #sim:clip-… is refused at creation with the known names', async () => {
    h = await harness({ wire: 'brochure' });
    const reply = await h.create({ prompt: 'x #sim:clip-9' });
    assert.equal(reply.status, 400);
    assert.match(reply.json.error.message, /no clip "clip-9".*clip-1, clip-2, clip-3, clip-other-size/);
    assert.match(reply.json.error.message_zh, /没有片段/);
  });
});
