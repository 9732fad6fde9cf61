import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { embedMovText } from '../../../src/storyboard/embedSubtitles';
import { clipFile, decodeErrors, probe, subtitleCues, topLevelBoxes, videoPackets } from './media';

const cues = [
  { start: 500, end: 3000, text: '雨下了一整夜。' },
  { start: 2000, end: 4000, text: 'Two lines\nat once.' },
  { start: 6000, end: 9500, text: '“咖啡还有吗？”' },
];

/** What ffmpeg makes of overlapping lines: one subtitle per stretch, showing every line on screen then. */
const shown = [
  { start: 500, end: 2000, text: '雨下了一整夜。' },
  { start: 2000, end: 3000, text: '雨下了一整夜。\nTwo lines\nat once.' },
  { start: 3000, end: 4000, text: 'Two lines\nat once.' },
  { start: 6000, end: 9500, text: '“咖啡还有吗？”' },
];

/** The tx3g track on MP4 files as ffmpeg writes them, read back by ffprobe and ffmpeg. */
describe('storyboard: a mov_text track added to MP4 files laid out either way', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'juxin-movtext-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const layouts: [string, string[], string, string[]][] = [
    ['its header at the end (ffmpeg’s default): grown in place', [], 'header', ['ftyp', 'free', 'mdat', 'moov', 'mdat']],
    [
      'its header at the front with no room (-movflags +faststart): the header moves to the end',
      ['-movflags', '+faststart'],
      'end',
      ['ftyp', 'free', 'free', 'mdat', 'mdat', 'moov'],
    ],
  ];
  for (const [what, flags, place, boxes] of layouts) {
    it(what, async () => {
      const film = path.join(dir, 'film.mp4');
      execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', clipFile('clip-1'), '-c', 'copy', ...flags, film]);
      const before = videoPackets(film);
      assert.equal(await embedMovText(film, cues, 'zho'), place);
      assert.deepEqual(topLevelBoxes(film), boxes);
      const info = probe(film);
      assert.deepEqual(
        info.streams.map((s) => [s.codec_type, s.codec_name]),
        [
          ['video', 'h264'],
          ['audio', 'aac'],
          ['subtitle', 'mov_text'],
        ],
      );
      assert.equal(info.streams[2].tags?.language, 'zho');
      assert.ok(Math.abs(Number(info.format.duration) - 10) <= 0.1, `${info.format.duration} s`);
      assert.deepEqual(subtitleCues(film), shown);
      assert.deepEqual(videoPackets(film), before);
      assert.equal(decodeErrors(film), '');
    });
  }
});
