import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { embedMovText, movTextRoom } from '../../../src/storyboard/embedSubtitles';
import { box, fullBox, readBoxHeader, u16, u32 } from '../../../src/storyboard/mp4Box';
import { textSamples } from '../../../src/storyboard/movText';

/** A film's skeleton: ftyp, moov (mvhd: 10 s at 600 a second, next track 2; one trak), then `between`, then the media. */
function film(between: Buffer[], options: { moovLast?: boolean } = {}): { bytes: Buffer; media: Buffer } {
  const ftyp = box('ftyp', Buffer.from('isom'), u32(0x200), Buffer.from('isomiso2avc1mp41'));
  const mvhd = fullBox(
    'mvhd',
    0,
    0,
    u32(0),
    u32(0),
    u32(600),
    u32(6000),
    u32(0x00010000),
    u16(0x0100),
    Buffer.alloc(10),
    Buffer.alloc(36),
    Buffer.alloc(24),
    u32(2),
  );
  const tkhd = fullBox('tkhd', 0, 3, u32(0), u32(0), u32(1), u32(0), u32(6000), Buffer.alloc(60));
  const moov = box('moov', mvhd, box('trak', tkhd), box('udta', Buffer.from('kept')));
  const media = box('mdat', Buffer.from('the pictures and the sound, never to be moved'));
  const bytes = options.moovLast ? Buffer.concat([ftyp, ...between, media, moov]) : Buffer.concat([ftyp, moov, ...between, media]);
  return { bytes, media };
}

interface Box {
  type: string;
  offset: number;
  bytes: Buffer;
  body: Buffer;
}

function boxesIn(bytes: Buffer, start = 0, end = bytes.length): Box[] {
  const out: Box[] = [];
  for (let at = start; at < end;) {
    const header = readBoxHeader(bytes, at, end);
    assert.ok(header && at + header.size <= end, `the boxes add up at ${at}`);
    out.push({ type: header.type, offset: at, bytes: bytes.subarray(at, at + header.size), body: bytes.subarray(at + header.headerSize, at + header.size) });
    at += header.size;
  }
  return out;
}

const child = (parent: Buffer, type: string) => boxesIn(parent).find((b) => b.type === type)!;
const bodyAt = (container: Buffer, types: string[]) => types.reduce((b, type) => child(b, type).body, container);

/** The texts the subtitle track's tables point at in the file. */
function subtitleTexts(bytes: Buffer, moov: Box): string[] {
  const trak = boxesIn(moov.body).filter((b) => b.type === 'trak')[1].body;
  const stbl = bodyAt(trak, ['mdia', 'minf', 'stbl']);
  const stsz = child(stbl, 'stsz').body;
  const stco = child(stbl, 'stco').body;
  let at = stco.readUInt32BE(8);
  return Array.from({ length: stsz.readUInt32BE(8) }, (_, i) => {
    const size = stsz.readUInt32BE(12 + i * 4);
    const sample = bytes.subarray(at, at + size);
    at += size;
    assert.equal(sample.readUInt16BE(0), size - 2);
    return sample.subarray(2).toString('utf8');
  });
}

const cues = [
  { start: 500, end: 3000, text: '雨下了一整夜。' },
  { start: 4000, end: 5500, text: 'Is there coffee left?' },
];
const texts = ['', '雨下了一整夜。', '', 'Is there coffee left?', ''];

describe('storyboard/embedSubtitles: a tx3g track added to a finished film, not a byte of its media moved', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'movtext-'));
    file = path.join(dir, 'film.mp4');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the room reserved after moov: new moov, the samples, the rest still free; the media where it was', async () => {
    const { bytes, media } = film([box('free', Buffer.alloc(4000))]);
    writeFileSync(file, bytes);
    assert.equal(await embedMovText(file, cues, 'zho'), 'header');
    const after = readFileSync(file);
    assert.equal(after.length, bytes.length, 'the film is no bigger');
    const top = boxesIn(after);
    assert.deepEqual(
      top.map((b) => b.type),
      ['ftyp', 'moov', 'mdat', 'free', 'mdat'],
    );
    assert.equal(top[4].offset, bytes.indexOf(media));
    assert.ok(top[4].bytes.equals(media), 'the media untouched');

    const moov = top[1];
    assert.deepEqual(
      boxesIn(moov.body).map((b) => b.type),
      ['mvhd', 'trak', 'trak', 'udta'],
      'the new track after the last one',
    );
    const mvhd = child(moov.body, 'mvhd').body;
    assert.equal(mvhd.readUInt32BE(16), 6000, 'the film’s length kept');
    assert.equal(mvhd.readUInt32BE(mvhd.length - 4), 3, 'next_track_ID');
    const trak = boxesIn(moov.body)[2].body;
    assert.equal(child(trak, 'tkhd').body.readUInt32BE(12), 2, 'track_ID');
    assert.deepEqual(subtitleTexts(after, moov), texts);
    const durations = bodyAt(trak, ['mdia', 'minf', 'stbl', 'stts']);
    assert.deepEqual(
      Array.from({ length: durations.readUInt32BE(4) }, (_, i) => [durations.readUInt32BE(8 + i * 8), durations.readUInt32BE(12 + i * 8)]),
      [
        [1, 500],
        [1, 2500],
        [1, 1000],
        [1, 1500],
        [1, 4500],
      ],
      'tiled to the film’s 10 s',
    );
    const taken = moov.bytes.length - boxesIn(bytes)[1].bytes.length + top[2].bytes.length;
    assert.ok(taken <= movTextRoom(cues), `${taken} bytes taken, within the ${movTextRoom(cues)} asked for`);
  });

  it('asks for no less room than the track takes, whatever the lines', async () => {
    const sets = [
      cues,
      [{ start: 0, end: 10_000, text: '一'.repeat(5000) }],
      Array.from({ length: 300 }, (_, i) => ({ start: i * 30, end: i * 30 + 45, text: `line ${i} 第${i}行` })),
    ];
    for (const set of sets) {
      const { bytes } = film([box('free', Buffer.alloc(movTextRoom(set)))]);
      const oldMoov = boxesIn(bytes)[1].bytes.length;
      writeFileSync(file, bytes);
      assert.equal(await embedMovText(file, set, 'zho'), 'header');
      const top = boxesIn(readFileSync(file));
      const taken = top[1].bytes.length - oldMoov + top[2].bytes.length;
      assert.ok(taken <= movTextRoom(set), `${taken} bytes taken, ${movTextRoom(set)} asked for`);
      assert.equal(subtitleTexts(readFileSync(file), top[1]).length, textSamples(set, 10_000).length);
    }
  });

  it('leaves no free box too small to be one: the few bytes left over stay inside the samples’ mdat', async () => {
    const probe = film([box('free', Buffer.alloc(4000))]);
    writeFileSync(file, probe.bytes);
    await embedMovText(file, cues, 'eng');
    const taken = boxesIn(readFileSync(file))[3].offset - boxesIn(probe.bytes)[1].offset;

    const { bytes, media } = film([box('free', Buffer.alloc(taken - boxesIn(probe.bytes)[1].bytes.length - 8 + 3))]);
    writeFileSync(file, bytes);
    assert.equal(await embedMovText(file, cues, 'eng'), 'header');
    const after = readFileSync(file);
    const top = boxesIn(after);
    assert.deepEqual(
      top.map((b) => b.type),
      ['ftyp', 'moov', 'mdat', 'mdat'],
    );
    assert.ok(top[3].bytes.equals(media));
    assert.deepEqual(subtitleTexts(after, top[1]), texts);
  });

  it('when the room falls short, turns the old moov into free space and puts the samples and the new moov at the end', async () => {
    const { bytes, media } = film([box('free', Buffer.alloc(16))]);
    writeFileSync(file, bytes);
    assert.equal(await embedMovText(file, cues, 'zho'), 'end');
    const after = readFileSync(file);
    assert.ok(
      after.subarray(0, bytes.length).equals(Buffer.concat([bytes.subarray(0, 36), Buffer.from('free'), bytes.subarray(40)])),
      'only the type of the old moov changed',
    );
    const top = boxesIn(after);
    assert.deepEqual(
      top.map((b) => b.type),
      ['ftyp', 'free', 'free', 'mdat', 'mdat', 'moov'],
    );
    assert.ok(top[3].bytes.equals(media));
    assert.deepEqual(subtitleTexts(after, top[5]), texts);
  });

  it('grows a film whose moov comes last in place', async () => {
    const { bytes, media } = film([], { moovLast: true });
    writeFileSync(file, bytes);
    assert.equal(await embedMovText(file, cues, 'zho'), 'header');
    const after = readFileSync(file);
    const top = boxesIn(after);
    assert.deepEqual(
      top.map((b) => b.type),
      ['ftyp', 'mdat', 'moov', 'mdat'],
    );
    assert.ok(top[1].bytes.equals(media));
    assert.deepEqual(subtitleTexts(after, top[2]), texts);
  });

  it('lengthens the film when a line ends after its last frame', async () => {
    const { bytes } = film([box('free', Buffer.alloc(4000))]);
    writeFileSync(file, bytes);
    await embedMovText(file, [{ start: 9000, end: 12_000, text: 'after the end' }], 'eng');
    const mvhd = child(boxesIn(readFileSync(file))[1].body, 'mvhd').body;
    assert.equal(mvhd.readUInt32BE(16), 12 * 600);
  });

  it('refuses a file whose boxes do not add up, and changes nothing', async () => {
    const { bytes } = film([box('free', Buffer.alloc(4000))]);
    const broken = bytes.subarray(0, bytes.length - 5);
    writeFileSync(file, broken);
    await assert.rejects(embedMovText(file, cues, 'zho'), /do not add up/);
    assert.ok(readFileSync(file).equals(broken));
  });
});
