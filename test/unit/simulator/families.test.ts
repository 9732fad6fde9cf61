import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { download, harness, type Harness } from './helpers';

/** The length of an MP4 as ffprobe reads it (Debian's ffmpeg: installed for the tests, as for CI), seconds. */
function probedSeconds(mp4: Buffer): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'sim-length-'));
  try {
    const file = path.join(dir, 'video.mp4');
    writeFileSync(file, mp4);
    return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really the rest of a png')]);
const pngUri = `data:image/png;base64,${PNG.toString('base64')}`;

describe('simulator: the unified format serves Veo, Grok and Jimeng (§2)', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('creates a Veo task: aspect_ratio, its switches, frames as URLs or data: URIs; 8 s', async () => {
    h = await harness();
    const r = await h.create({ model: 'veo3.1-fast', aspect_ratio: '9:16', enhance_prompt: true, images: ['https://x/first.png', pngUri] });
    assert.equal(r.status, 200, r.text);
    const task = [...h.sim.tasks.values()][0];
    assert.deepEqual([task.model, task.duration, task.aspectRatio, task.orientation], ['veo3.1-fast', 8, '9:16', 'portrait']);
    assert.deepEqual(task.images, ['https://x/first.png', `data:image/png;${PNG.length} bytes`]);
  });

  it("refuses what a Veo model does not take, in the relay's 400", async () => {
    h = await harness();
    for (const [body, pattern] of [
      [{ model: 'veo3.1-fast', aspect_ratio: '1:1' }, /aspect_ratio of veo3\.1-fast must be one of 16:9, 9:16/],
      [{ model: 'veo3.1-fast', duration: 10 }, /8 s videos/],
      [{ model: 'veo3.1-fast', orientation: 'portrait' }, /orientation is not a field of veo3\.1-fast/],
      [{ model: 'veo3.1-fast', images: ['a', 'b', 'c'] }, /at most 2 images/],
      [{ model: 'veo3.1-fast', images: ['data:image/png;base64,bm90IGFuIGltYWdl'] }, /data:image/],
      [{ model: 'veo3.1-fast', enable_upsample: 'yes' }, /enable_upsample must be true or false/],
    ] as const) {
      const r = await h.create(body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.json.error.message, pattern);
    }
    assert.equal(h.sim.tasks.size, 0);
  });

  it('Grok: references up to 6, size 720P, durations 6/10/15; Jimeng: 720P/1080P and its ratios', async () => {
    h = await harness();
    const grok = await h.create({ model: 'grok-video-3', aspect_ratio: '2:3', size: '720P', duration: 6, images: Array(6).fill('https://x/r.png') });
    assert.equal(grok.status, 200, grok.text);
    assert.equal((await h.create({ model: 'grok-video-3', aspect_ratio: '2:3', size: '1080P', duration: 6 })).status, 400);
    assert.equal((await h.create({ model: 'grok-video-3', aspect_ratio: '16:9', size: '720P', duration: 6 })).status, 400);
    const jimeng = await h.create({ model: 'jimeng-video-3.0', aspect_ratio: '21:9', size: '1080P', duration: 10 });
    assert.equal(jimeng.status, 200, jimeng.text);
    const tasks = [...h.sim.tasks.values()];
    assert.deepEqual(
      tasks.map((t) => [t.model, t.aspectRatio, t.size, t.duration]),
      [
        ['grok-video-3', '2:3', 'small', 6],
        ['jimeng-video-3.0', '21:9', 'large', 10],
      ],
    );
  });

  it('a Veo task runs to a video, and only Sora videos can be remixed', async () => {
    h = await harness({ queryShape: 'openai', videoUrls: 'storage' });
    const created = await h.create({ model: 'veo3.1', aspect_ratio: '16:9' });
    const id = created.json.id as string;
    await h.advance(60 * 60 * 1000);
    const done = await h.query(id);
    assert.equal(done.json.status, 'completed', done.text);
    const remix = await h.call('POST', `/v1/videos/${encodeURIComponent(id)}/remix`, { json: { prompt: 'again' } });
    assert.equal(remix.status, 400);
    assert.match(remix.json.error.message, /only Sora videos can be remixed/);
  });

  it("serves a video as long as the job asked: Veo's 8 s, Grok's 6 and 15 s, Jimeng's 5 s, Sora's 10, 15 and 25 s", async () => {
    h = await harness({ queryShape: 'openai', videoUrls: 'storage' });
    const jobs = [
      [{ model: 'veo3.1-fast' }, 8],
      [{ model: 'grok-video-3', aspect_ratio: '2:3', size: '720P', duration: 6 }, 6],
      [{ model: 'grok-video-3', aspect_ratio: '2:3', size: '720P', duration: 15 }, 15],
      [{ model: 'jimeng-video-3.0', aspect_ratio: '16:9', size: '720P', duration: 5 }, 5],
      [{ model: 'sora-2' }, 10],
      [{ model: 'sora-2', duration: 15 }, 15],
      [{ model: 'sora-2-pro', duration: 25 }, 25],
    ] as const;
    const ids: string[] = [];
    for (const [body] of jobs) {
      const r = await h.create(body);
      assert.equal(r.status, 200, r.text);
      ids.push(r.json.id as string);
    }
    await h.advance(2 * 60 * 60 * 1000);
    for (const [i, [body, seconds]] of jobs.entries()) {
      const done = (await h.query(ids[i])).json;
      assert.equal(done.status, 'completed', JSON.stringify(body));
      const video = await download(done.video_url as string);
      assert.equal(video.status, 200);
      assert.ok(Math.abs(probedSeconds(video.body) - seconds) < 0.1, `${JSON.stringify(body)}: ${probedSeconds(video.body)} s, asked ${seconds} s`);
    }
  });
});
