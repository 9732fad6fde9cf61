import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkMp4Tables, Mp4TableError } from '../../../src/storyboard/mp4Tables';
import { craftedClip } from '../../integration/storyboard/media';

const CLIPS = path.join(__dirname, '../../../media/clips');

describe('storyboard/mp4Tables: a clip’s sample tables are checked before anyone trusts a count', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'mp4-tables-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const check = (bytes: Buffer) => {
    const file = path.join(dir, 'clip.mp4');
    writeFileSync(file, bytes);
    return checkMp4Tables(file);
  };

  it('passes every real clip (Sora-like H.264 + AAC, and a clip of another size)', async () => {
    for (const clip of ['clip-1.mp4', 'clip-2.mp4', 'clip-3.mp4', 'clip-other-size.mp4']) await checkMp4Tables(path.join(CLIPS, clip));
    await checkMp4Tables(path.join(__dirname, '../../fixtures/media/silent.mp4'));
  });

  // Offsets from the box type: +4 version and flags, +8 entry count, +12 the first entry.
  const crafted: [string, string, number, number, RegExp][] = [
    ['the first stsc entry puts four billion samples in a chunk', 'stsc', 16, 0xffffffff, /stsc entry 1 puts 4294967295 samples in a chunk/],
    ['the first stsc entry starts at chunk four billion', 'stsc', 12, 0xffffffff, /stsc entry 1 starts at chunk 4294967295/],
    ['stsc claims four billion entries', 'stsc', 8, 0xffffffff, /stsc claims 4294967295 entries/],
    ['the first stts entry counts four billion samples', 'stts', 12, 0xffffffff, /stts describes \d+ samples, the track has \d+/],
    ['stsz claims four billion samples', 'stsz', 12, 0xffffffff, /stsz claims 4294967295 samples/],
    ['stco claims four billion chunks', 'stco', 8, 0xffffffff, /stco claims 4294967295 entries/],
  ];
  for (const [what, box, field, value, reason] of crafted) {
    it(`refuses a clip in which ${what}, at once`, async () => {
      await assert.rejects(check(craftedClip(box, field, value)), (e: unknown) => e instanceof Mp4TableError && reason.test(e.message));
    });
  }

  it('leaves files cut short or not MP4 at all to the demuxer, which names them', async () => {
    const whole = readFileSync(path.join(CLIPS, 'clip-2.mp4'));
    await check(whole.subarray(0, Math.floor(whole.length * 0.6)));
    await check(Buffer.from('not a video at all'));
  });
});
