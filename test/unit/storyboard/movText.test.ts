import assert from 'node:assert/strict';

import { readBoxHeader } from '../../../src/storyboard/mp4Box';
import { encodeTextSample, textSampleEntry, textSamples, textTrak } from '../../../src/storyboard/movText';

/** The body of the box at `path` (e.g. "mdia/minf/stbl/stts") inside `container` (a whole box). */
function bodyAt(container: Buffer, path: string): Buffer {
  let body = container.subarray(readBoxHeader(container, 0, container.length)!.headerSize);
  for (const type of path.split('/')) {
    let found: Buffer | undefined;
    for (let at = 0; at < body.length && !found;) {
      const header = readBoxHeader(body, at, body.length)!;
      if (header.type === type) found = body.subarray(at + header.headerSize, at + header.size);
      at += header.size;
    }
    assert.ok(found, `no ${type} box in ${path}`);
    body = found;
  }
  return body;
}

/** The 32-bit words of a table body after its version and flags. */
const words = (body: Buffer) => Array.from({ length: (body.length - 4) / 4 }, (_, i) => body.readUInt32BE(4 + i * 4));

describe('storyboard/movText: the bytes of a tx3g (mov_text) subtitle track', () => {
  describe('samples', () => {
    it('tiles the film with samples: nothing before, between and after the lines, each line for its time', () => {
      const cues = [
        { start: 500, end: 3000, text: '雨下了一整夜。' },
        { start: 11_000, end: 12_500, text: 'Is there coffee left?' },
      ];
      assert.deepEqual(textSamples(cues, 25_000), [
        { duration: 500, text: '' },
        { duration: 2500, text: '雨下了一整夜。' },
        { duration: 8000, text: '' },
        { duration: 1500, text: 'Is there coffee left?' },
        { duration: 12_500, text: '' },
      ]);
    });

    it('starts with the line when it starts the film, ends with it when it ends the film, and keeps lines that follow each other apart', () => {
      const cues = [
        { start: 0, end: 1000, text: 'Again.' },
        { start: 1000, end: 2000, text: 'Again.' },
      ];
      assert.deepEqual(textSamples(cues, 2000), [
        { duration: 1000, text: 'Again.' },
        { duration: 1000, text: 'Again.' },
      ]);
    });

    it('shows overlapping lines together, the earlier first, and runs on to a line that ends after the film', () => {
      const cues = [
        { start: 1000, end: 2000, text: 'B' },
        { start: 0, end: 3000, text: 'A' },
        { start: 2500, end: 4000, text: 'C' },
      ];
      assert.deepEqual(textSamples(cues, 3500), [
        { duration: 1000, text: 'A' },
        { duration: 1000, text: 'A\nB' },
        { duration: 500, text: 'A' },
        { duration: 500, text: 'A\nC' },
        { duration: 1000, text: 'C' },
      ]);
    });

    it('encodes a sample as its length in bytes (16 bits) and its UTF-8 text; an empty sample is two zero bytes', () => {
      assert.equal(encodeTextSample('雨。').toString('hex'), '0006' + 'e99ba8' + 'e38082');
      assert.equal(encodeTextSample('').toString('hex'), '0000');
      assert.equal(encodeTextSample('a\nb').toString('hex'), '0003610a62');
    });

    it('cuts a line longer than 65,535 bytes where a character starts, and says so with an ellipsis', () => {
      const sample = encodeTextSample('a' + '雨'.repeat(30_000));
      const length = sample.readUInt16BE(0);
      assert.equal(length, sample.length - 2);
      assert.ok(length <= 0xffff);
      const text = sample.subarray(2).toString('utf8');
      assert.ok(!text.includes('\uFFFD'), 'no character cut in half');
      assert.match(text, /^a雨+…$/);
      assert.equal(length, 1 + 3 * 21_843 + 3);
    });
  });

  describe('boxes', () => {
    it('writes the tx3g sample entry of TS 26.245: centred at the bottom, transparent background, white Arial 16 (ffmpeg’s defaults), one font in ftab', () => {
      const expected = [
        '00000040', '74783367', // size 64, 'tx3g'
        '000000000000', '0001', // reserved, data_reference_index 1
        '00000000', // displayFlags
        '01', 'ff', // horizontal justification centre, vertical bottom (-1)
        '00000000', // background RGBA
        '0000000000000000', // default text box
        '0000', '0000', '0001', '00', '10', 'ffffffff', // style record: chars 0..0, font 1, plain, size 16, white
        '00000012', '66746162', '0001', '0001', '05', Buffer.from('Arial').toString('hex'), // ftab: one font, id 1, "Arial"
      ].join(''); // prettier-ignore
      assert.equal(textSampleEntry().toString('hex'), expected);
    });

    const samples = [
      { size: 2, duration: 1000 },
      { size: 23, duration: 1000 },
      { size: 2, duration: 500 },
    ];

    it('writes a trak the film’s players read as a subtitle track: enabled, alternate group 2, the language, sbtl, nmhd, millisecond timescale', () => {
      const trak = textTrak({ samples, trackId: 3, movieTimescale: 57_600, language: 'zho', chunkOffset: 1234 });
      assert.equal(readBoxHeader(trak, 0, trak.length)!.type, 'trak');
      assert.equal(readBoxHeader(trak, 0, trak.length)!.size, trak.length);

      const tkhd = bodyAt(trak, 'tkhd');
      assert.equal(tkhd.readUInt32BE(0), 0x00000003, 'version 0, enabled and in the movie');
      assert.equal(tkhd.readUInt32BE(12), 3, 'track_ID');
      assert.equal(tkhd.readUInt32BE(20), 2.5 * 57_600, 'duration in the movie timescale');
      assert.equal(tkhd.readUInt16BE(34), 2, 'alternate group');
      assert.deepEqual([tkhd.readUInt32BE(76), tkhd.readUInt32BE(80)], [0, 0], 'width and height');

      const mdhd = bodyAt(trak, 'mdia/mdhd');
      assert.deepEqual([mdhd.readUInt32BE(12), mdhd.readUInt32BE(16)], [1000, 2500], 'timescale 1000, duration 2.5 s');
      const letters = mdhd.readUInt16BE(20);
      assert.equal([10, 5, 0].map((shift) => String.fromCharCode(((letters >> shift) & 31) + 0x60)).join(''), 'zho');

      const hdlr = bodyAt(trak, 'mdia/hdlr');
      assert.equal(hdlr.toString('latin1', 8, 12), 'sbtl');
      assert.equal(hdlr.toString('latin1', 24), 'SubtitleHandler\0');
      assert.equal(bodyAt(trak, 'mdia/minf/nmhd').length, 4);
      assert.deepEqual(words(bodyAt(trak, 'mdia/minf/dinf/dref')).slice(0, 1), [1]);
    });

    it('writes the sample tables: one sample description, durations in runs, one chunk of all samples, their sizes, the chunk’s offset', () => {
      const trak = textTrak({ samples, trackId: 3, movieTimescale: 600, language: 'eng', chunkOffset: 1234 });
      const stsd = bodyAt(trak, 'mdia/minf/stbl/stsd');
      assert.equal(stsd.readUInt32BE(4), 1);
      assert.equal(stsd.subarray(8).toString('hex'), textSampleEntry().toString('hex'));
      assert.deepEqual(words(bodyAt(trak, 'mdia/minf/stbl/stts')), [2, 2, 1000, 1, 500]);
      assert.deepEqual(words(bodyAt(trak, 'mdia/minf/stbl/stsc')), [1, 1, 3, 1]);
      assert.deepEqual(words(bodyAt(trak, 'mdia/minf/stbl/stsz')), [0, 3, 2, 23, 2]);
      assert.deepEqual(words(bodyAt(trak, 'mdia/minf/stbl/stco')), [1, 1234]);
    });

    it('uses 64-bit fields where 32 bits do not reach: the chunk offset (co64) and the track header (version 1)', () => {
      const trak = textTrak({ samples, trackId: 3, movieTimescale: 2 ** 31, language: 'eng', chunkOffset: 2 ** 32 + 5 });
      const co64 = bodyAt(trak, 'mdia/minf/stbl/co64');
      assert.equal(co64.readUInt32BE(4), 1);
      assert.equal(co64.readBigUInt64BE(8), BigInt(2 ** 32 + 5));
      const tkhd = bodyAt(trak, 'tkhd');
      assert.equal(tkhd[0], 1, 'version 1');
      assert.equal(tkhd.readUInt32BE(20), 3, 'track_ID after 64-bit times');
      assert.equal(tkhd.readBigUInt64BE(28), BigInt(2.5 * 2 ** 31));
    });

    it('writes an unknown or malformed language as "und"', () => {
      for (const language of ['zh', 'ZHO', 'zh-CN', '']) {
        const letters = bodyAt(textTrak({ samples, trackId: 1, movieTimescale: 600, language, chunkOffset: 0 }), 'mdia/mdhd').readUInt16BE(20);
        assert.equal(letters, (21 << 10) | (14 << 5) | 4, language);
      }
    });
  });
});
