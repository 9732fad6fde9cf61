import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MediaInfoCache, readMediaInfo, type MediaInfo } from '../../../src/core/mediaInfo';

const ROOT = path.resolve(__dirname, '../../..');
// The simulator's video: H.264 with an AAC sound track, like Sora's.
const WITH_SOUND = path.join(ROOT, 'media/sample.mp4');
// 1 s of H.264 without any sound track (ffmpeg -f lavfi -i color=…:d=1 -c:v libx264 -an).
const SILENT = path.join(ROOT, 'test/fixtures/media/silent.mp4');

describe('core/mediaInfo: which tracks a saved video has', () => {
  it('finds the AAC sound track and its codec string', async () => {
    const info = await readMediaInfo(WITH_SOUND);
    assert.equal(info.audio?.codec, 'aac');
    assert.equal(info.audio?.codecString, 'mp4a.40.2');
    assert.match(info.videoCodecString ?? '', /^avc1\./);
  });

  it('reports no sound for a video without an audio track', async () => {
    const info = await readMediaInfo(SILENT);
    assert.equal(info.audio, undefined);
    assert.match(info.videoCodecString ?? '', /^avc1\./);
  });

  it('says nothing (rather than failing) about a file that is not an MP4 or is missing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'media-info-'));
    const html = path.join(dir, 'not-a-video.mp4');
    writeFileSync(html, '<html><body>expired link</body></html>');
    assert.deepEqual(await readMediaInfo(html), {});
    assert.deepEqual(await readMediaInfo(path.join(dir, 'missing.mp4')), {});
  });

  it('reads a file once until it changes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'media-info-'));
    const file = path.join(dir, 'v.mp4');
    writeFileSync(file, 'x');
    const reads: string[] = [];
    const cache = new MediaInfoCache(async (f): Promise<MediaInfo> => {
      reads.push(f);
      return { audio: { codec: 'aac' } };
    });
    assert.equal((await cache.get(file)).audio?.codec, 'aac');
    await cache.get(file);
    assert.equal(reads.length, 1, 'the second ask is answered from the cache');
    writeFileSync(file, 'xy');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    await cache.get(file);
    assert.equal(reads.length, 2, 'a changed file is read again');
    assert.deepEqual(await cache.get(path.join(dir, 'gone.mp4')), {}, 'a missing file is unknown, not an error');
    assert.equal(reads.length, 2);
  });
});
