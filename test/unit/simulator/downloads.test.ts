import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { download, harness, type Harness, SECOND, TEN_SECOND_JOB, TEST_KEY } from './helpers';

const SAMPLE = readFileSync(path.join(__dirname, '../../../media/sample.mp4'));
const JOB = TEN_SECOND_JOB.queue + TEN_SECOND_JOB.generate;

describe('simulator: signed file URLs and downloads', () => {
  let h: Harness;
  afterEach(() => h?.close());

  /** Creates a task, lets it complete and returns its query answer. */
  async function completed(body: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const { id } = (await h.create(body)).json;
    await h.advance(JOB);
    const done = (await h.query(id)).json;
    assert.equal(done.status, 'completed');
    return done;
  }

  it('serves the sample MP4 under every video URL, with type, length and Accept-Ranges', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'task' });
    const done = await completed();
    for (const url of [done.video_url, done.detail.url, done.detail.draft_info.downloadable_url]) {
      const d = await download(url);
      assert.equal(d.status, 200);
      assert.equal(d.headers['content-type'], 'video/mp4');
      assert.equal(d.headers['accept-ranges'], 'bytes');
      assert.equal(Number(d.headers['content-length']), SAMPLE.length);
      assert.ok(d.body.equals(SAMPLE), 'the bytes of media/sample.mp4');
    }
    assert.equal(h.sim.tasks.get(done.id)!.downloads, 3);
    assert.equal(h.sim.requests.at(-1)!.status, 200);
  });

  it('serves the thumbnail as WebP and the preview as GIF', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'task' });
    const done = await completed();
    const thumb = await download(done.thumbnail_url);
    assert.equal(thumb.headers['content-type'], 'image/webp');
    assert.equal(thumb.body.toString('latin1', 0, 4) + thumb.body.toString('latin1', 8, 12), 'RIFFWEBP');
    const gif = await download(done.detail.gif_url);
    assert.equal(gif.headers['content-type'], 'image/gif');
    assert.equal(gif.body.toString('latin1', 0, 6), 'GIF89a');
  });

  it('honours Range: bytes=N-, N-M and -S with 206, and 416 past the end', async () => {
    h = await harness({ wire: 'brochure' });
    const url = (await completed()).video_url;
    const from = await download(url, { range: 'bytes=1000-' });
    assert.equal(from.status, 206);
    assert.equal(from.headers['content-range'], `bytes 1000-${SAMPLE.length - 1}/${SAMPLE.length}`);
    assert.ok(from.body.equals(SAMPLE.subarray(1000)));
    const slice = await download(url, { range: 'bytes=10-19' });
    assert.ok(slice.body.equals(SAMPLE.subarray(10, 20)));
    const tail = await download(url, { range: 'bytes=-100' });
    assert.ok(tail.body.equals(SAMPLE.subarray(SAMPLE.length - 100)));
    const past = await download(url, { range: `bytes=${SAMPLE.length}-` });
    assert.equal(past.status, 416);
    assert.equal(past.headers['content-range'], `bytes */${SAMPLE.length}`);
    const head = await download(url, {}, 'HEAD');
    assert.equal(Number(head.headers['content-length']), SAMPLE.length);
    assert.equal(head.body.length, 0);
  });

  it('refuses a tampered, foreign or unknown signed URL with a storage-style 403', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'video' });
    const a = await completed();
    const b = await completed();
    const tampered = [
      a.video_url.replace(/sig=[^&]+/, 'sig=AAAA'),
      a.video_url.replace(/se=[^&]+/, 'se=2099-01-01T00%3A00%3A00Z'),
      a.video_url.replace(encodeURIComponent(a.id), encodeURIComponent(b.id)),
      a.video_url.replace(/\/src\.mp4\?/, '/other.mp4?'),
      a.video_url.replace(encodeURIComponent(a.id), 'video_unknown'),
      `${h.sim.url}/files/${encodeURIComponent(a.id)}/src.mp4`,
      `${h.sim.url}/files/nothing`,
    ];
    for (const url of tampered) {
      const d = await download(url);
      assert.equal(d.status, 403, url);
      assert.match(d.body.toString(), /<Error><Code>AuthenticationFailed<\/Code>/);
      assert.equal(d.headers['content-type'], 'application/xml');
    }
  });

  it('expires URLs after urlLifetimeSeconds of simulated time; a new query signs fresh ones', async () => {
    h = await harness({ wire: 'brochure', urlLifetimeSeconds: 600 });
    const done = await completed();
    assert.equal((await download(done.video_url)).status, 200);
    await h.advance(601 * SECOND);
    assert.equal((await download(done.video_url)).status, 403);
    const fresh = (await h.query(done.id)).json.video_url;
    assert.notEqual(fresh, done.video_url);
    assert.equal((await download(fresh)).status, 200);
  });

  it('serves GET /v1/videos/{id}/content with the key, once completed', async () => {
    h = await harness({ wire: 'brochure', idStyle: 'task' });
    const { id } = (await h.create()).json;
    const path = `/v1/videos/${encodeURIComponent(id)}/content`;
    assert.equal((await h.call('GET', path)).status, 400, 'not ready yet');
    await h.advance(JOB);
    assert.equal((await h.call('GET', path, { key: null })).status, 401);
    const r = await h.call('GET', path);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'video/mp4');
    assert.ok(r.bytes.equals(SAMPLE));
    const ranged = await download(h.sim.url + path, { authorization: `Bearer ${TEST_KEY}`, range: 'bytes=5-' });
    assert.equal(ranged.status, 206);
    assert.ok(ranged.body.equals(SAMPLE.subarray(5)));
  });

  it('serves a synthetic MP4 of videoBytes: an ftyp box, an mdat box, the exact length', async () => {
    const size = 3 * 1024 * 1024 + 17;
    h = await harness({ wire: 'brochure', videoBytes: size });
    const url = (await completed()).video_url;
    const d = await download(url);
    assert.equal(Number(d.headers['content-length']), size);
    assert.equal(d.body.length, size);
    assert.equal(d.body.readUInt32BE(0), 24);
    assert.equal(d.body.toString('latin1', 4, 12), 'ftypisom');
    assert.equal(d.body.readUInt32BE(24), size - 24);
    assert.equal(d.body.toString('latin1', 28, 32), 'mdat');
    const end = await download(url, { range: `bytes=${size - 10}-` });
    assert.ok(end.body.equals(d.body.subarray(size - 10)));
    const header = await download(url, { range: 'bytes=20-30' });
    assert.ok(header.body.equals(d.body.subarray(20, 31)), 'a range across the header');
  });

  it('fails at start-up when the video file does not exist, naming it', async () => {
    await assert.rejects(harness({ wire: 'brochure', videoFile: '/nonexistent/video.mp4' }), /\/nonexistent\/video\.mp4/);
  });
});
