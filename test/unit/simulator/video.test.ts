import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { newTaskId } from '../../../src/simulator/jobs';
import { createRandom, randomUuid } from '../../../src/simulator/random';
import { findMediaFile, parseRange, syntheticStream } from '../../../src/simulator/video';

describe('simulator: media and helpers', () => {
  it('parses the Range forms a resuming client sends', () => {
    assert.deepEqual(parseRange('bytes=100-', 1000), { start: 100, end: 999 });
    assert.deepEqual(parseRange('bytes=100-199', 1000), { start: 100, end: 199 });
    assert.deepEqual(parseRange('bytes=900-5000', 1000), { start: 900, end: 999 });
    assert.deepEqual(parseRange('bytes=-10', 1000), { start: 990, end: 999 });
    assert.deepEqual(parseRange('bytes=-5000', 1000), { start: 0, end: 999 });
    assert.equal(parseRange('bytes=1000-', 1000), 'unsatisfiable');
    assert.equal(parseRange('bytes=5-4', 1000), 'unsatisfiable');
    assert.equal(parseRange('bytes=-0', 1000), 'unsatisfiable');
    for (const ignored of [undefined, '', 'bytes=-', 'items=1-2', 'bytes=0-1,5-6']) assert.equal(parseRange(ignored, 1000), null, String(ignored));
  });

  it('streams any slice of a huge synthetic MP4 without building it', async () => {
    const total = 10 * 1024 ** 3; // 10 GB: only the asked-for bytes are ever made
    const read = async (start: number, end: number) => {
      const chunks: Buffer[] = [];
      for await (const chunk of syntheticStream(total, start, end)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    };
    const head = await read(0, 31);
    assert.equal(head.toString('latin1', 4, 12), 'ftypisom');
    assert.equal(head.readUInt32BE(24), 0, 'an mdat past 4 GB says "to the end of the file"');
    assert.equal(head.toString('latin1', 28, 32), 'mdat');
    const tail = await read(total - 100, total - 1);
    assert.equal(tail.length, 100);
  });

  it('finds the committed media: a 10 s MP4 under 200 KB, a WebP thumbnail, a GIF preview', () => {
    const mp4 = findMediaFile('sample.mp4');
    assert.equal(path.basename(path.dirname(mp4)), 'media');
    assert.ok(statSync(mp4).size < 200 * 1024);
    assert.ok(statSync(findMediaFile('sample-thumbnail.webp')).size < 20 * 1024);
    assert.ok(statSync(findMediaFile('sample-preview.gif')).size < 20 * 1024);
    assert.throws(() => findMediaFile('missing.bin'), /media\/missing\.bin not found/);
  });

  it('makes ids in the vendor forms, repeatable from a seed', () => {
    const at = Date.UTC(2025, 9, 6);
    const a = newTaskId('task', createRandom(7), at);
    assert.match(a, /^sora-2:task_[0-9a-hjkmnp-tv-z]{26}$/);
    assert.equal(a, newTaskId('task', createRandom(7), at));
    assert.ok(newTaskId('task', createRandom(7), at + 1000) > a, 'time-ordered like a ULID');
    assert.equal(a.slice(12, 14), '01', 'the time prefix of a 2025 ULID');
    assert.match(newTaskId('video'), /^video_[0-9a-f-]{36}$/);
    const uuids = new Set(
      Array.from(
        { length: 100 },
        (
          (r) => () =>
            randomUuid(r)
        )(createRandom(1)),
      ),
    );
    assert.equal(uuids.size, 100);
  });
});
