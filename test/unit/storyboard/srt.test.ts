import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  draftFromSubtitles,
  formatSrt,
  formatStoryboard,
  groupSubtitles,
  LIMITS,
  parseSrt,
  parseStoryboard,
  retimeSubtitles,
  SrtError,
  type SubtitleCue,
} from '../../../src/storyboard';
import { assertOnlyRetiredWarning } from './helpers';

const RAIN = readFileSync(path.join(__dirname, '../../fixtures/storyboard/rain-cafe.srt'), 'utf8');
const S = 1000;

/** Lines of `seconds` each, separated by `gap`, ending sentences as told. */
function lines(spec: [start: number, end: number, text?: string][]): SubtitleCue[] {
  return spec.map(([start, end, text]) => ({ start: start * S, end: end * S, text: text ?? 'A line.' }));
}

describe('storyboard: reading subtitles', () => {
  it('reads SRT with a BOM, CRLF and a missing blank line, in time order, text trimmed', () => {
    const text =
      '\ufeff2\r\n00:00:05,000 --> 00:00:07,000\r\nsecond\r\n\r\n1\r\n00:00:01,000 --> 00:00:04,200\r\n 第一行\r\n第二行 \r\n3\r\n00:00:08,000 --> 00:00:08,000\r\nempty span\r\n';
    assert.deepEqual(parseSrt(text), [
      { start: 1000, end: 4200, text: '第一行\n第二行' },
      { start: 5000, end: 7000, text: 'second' },
    ]);
    assert.equal(parseSrt(RAIN).length, 8);
  });

  it('refuses a file that is not subtitles, in both languages, quoting only a bad time line of a subtitle file', () => {
    // Not a subtitle file at all: nothing of it is repeated (it may be a .env or /proc/self/environ).
    assert.throws(
      () => parseSrt('hello\nthis is a shopping list\n'),
      (e: unknown) =>
        e instanceof SrtError &&
        /^This is not a subtitle file:/.test(e.message) &&
        !/hello|shopping/.test(e.message + e.messageZh) &&
        /不是字幕文件/.test(e.messageZh),
    );
    // A subtitle file whose time line is wrong: that line is named and quoted (a key in it is not).
    assert.throws(
      () => parseSrt('1\n00:00:01 --> 00:00:02 sk-test-abcdefghijklmnop\nHello\n'),
      (e: unknown) =>
        e instanceof SrtError &&
        /line 2 \("00:00:01 --> 00:00:02 sk-\[redacted\]"\)/.test(e.message) &&
        /第 2 行/.test(e.messageZh) &&
        !/abcdefghijklmnop/.test(e.message + e.messageZh),
    );
    assert.throws(
      () => parseSrt(''),
      (e: unknown) => e instanceof SrtError && /no subtitles/.test(e.message) && /没有字幕/.test(e.messageZh),
    );
  });
});

describe('storyboard: cutting subtitles into clips', () => {
  it('never makes a clip longer than the model allows, and gives each the shortest duration that holds it', () => {
    const many = lines(Array.from({ length: 40 }, (_, i): [number, number, string] => [1 + i * 2, 1 + i * 2 + 1.6, `Line ${i}.`]));
    for (const model of ['sora-2', 'sora-2-pro'] as const) {
      const groups = groupSubtitles(many, { model });
      const max = model === 'sora-2' ? 15 : 25;
      for (const g of groups) {
        const span = Math.max(...g.cues.map((c) => c.end));
        assert.ok(span <= g.duration * S && g.duration <= max, `${model}: ${span} ms in ${g.duration} s`);
        assert.ok(g.cues[0].start > 0 && g.cues[0].start <= 500, 'a clip begins a little before its first line');
      }
      assert.equal(groups.flatMap((g) => g.cues).length, 40, 'every line is in exactly one clip');
    }
    // 80 s of speech in sora-2 clips of at most 15 s: as few clips as fit (6), not one per line.
    assert.equal(groupSubtitles(many, { model: 'sora-2' }).length, 6);
    assert.ok(groupSubtitles(many, { model: 'sora-2', maxSeconds: 10 }).every((g) => g.duration === 10));
  });

  it('cuts at a long pause rather than a short one, and at a sentence end rather than mid-sentence', () => {
    // 0–4 | 4.2–8 | (3 s pause) 11–14 | 14.2–18: within 15 s the natural cut is the long pause.
    const pause = groupSubtitles(
      lines([
        [0, 4, 'One.'],
        [4.2, 8, 'Two.'],
        [11, 14, 'Three.'],
        [14.2, 18, 'Four.'],
      ]),
      { model: 'sora-2' },
    );
    assert.deepEqual(
      pause.map((g) => g.cues.map((c) => c.text)),
      [
        ['One.', 'Two.'],
        ['Three.', 'Four.'],
      ],
    );
    // Equal pauses everywhere: cut where the sentence ends, not after "and then,".
    const sentences = groupSubtitles(
      lines([
        [0, 3, 'We walked,'],
        [3.5, 6.5, 'and then,'],
        [7, 10, 'it rained.'],
        [10.5, 13.5, 'Later,'],
        [14, 17, 'the sun came out.'],
      ]),
      { model: 'sora-2' },
    );
    assert.deepEqual(
      sentences.map((g) => g.cues.map((c) => c.text)),
      [
        ['We walked,', 'and then,', 'it rained.'],
        ['Later,', 'the sun came out.'],
      ],
    );
  });

  it('drops long silences (each clip begins at its lines) and splits a line longer than a clip', () => {
    const groups = groupSubtitles(
      lines([
        [2, 5, 'Hello.'],
        [300, 302, 'Five minutes later.'],
        [310, 350, 'A very long line.'],
      ]),
      { model: 'sora-2' },
    );
    assert.deepEqual(
      groups.map((g) => [g.start / S, g.duration, g.cues.map((c) => [c.start / S, c.end / S, c.text])]),
      [
        [1.5, 10, [[0.5, 3.5, 'Hello.']]],
        [299.5, 10, [[0.5, 2.5, 'Five minutes later.']]],
        // 40 s in pieces of at most 14.5 s (the first clip begins 0.5 s early), text repeated.
        [309.5, 15, [[0.5, 15, 'A very long line.']]],
        [324.5, 15, [[0, 14.5, 'A very long line.']]],
        [339, 15, [[0, 11, 'A very long line.']]],
      ],
    );
  });

  it('drafts a storyboard from the subtitles that reads back without problems', () => {
    const cues = parseSrt(RAIN);
    const { draft, groups } = draftFromSubtitles(cues, {
      title: '雨夜咖啡馆',
      model: 'sora-2',
      orientation: 'landscape',
      size: 'small',
      style: '电影感，暖色调',
      cast: [{ name: '小林', username: '@kobayashi.rain' }],
      subtitles: 'rain-cafe.srt',
    });
    assert.deepEqual(
      groups.map((g) => [g.start, g.duration, g.cues.length]),
      [
        [700, 10, 3],
        [11500, 15, 4],
        [29500, 10, 1],
      ],
    );
    const text = formatStoryboard(draft, { language: 'zh' });
    const { storyboard, problems } = parseStoryboard(text);
    assertOnlyRetiredWarning(problems, 2);
    assert.equal(storyboard.defaults.duration, 10);
    assert.deepEqual(
      storyboard.clips.map((c) => [c.id, c.duration, c.subtitles.length]),
      [
        ['c1', undefined, 3],
        ['c2', 15, 4],
        ['c3', undefined, 1],
      ],
    );
    assert.equal(storyboard.clips[1].prompt, '门铃响了。\n进来的是浑身湿透的 Mika。\n“还有咖啡吗？”\n小林笑了：“只剩最后一杯。”');
    assert.equal(storyboard.subtitles, 'rain-cafe.srt');
  });
});

/**
 * Cues whose times count every read and throw past `budget` reads: the work of whatever is given them
 * is bounded, or the test fails at once (deterministic: reads are counted, no clock is looked at).
 */
function budgeted(cues: readonly SubtitleCue[], budget: number): { cues: SubtitleCue[]; reads: () => number } {
  let reads = 0;
  const count = () => {
    if (++reads > budget) throw new Error(`more than ${budget} reads of the lines' times: the work is not bounded`);
  };
  return {
    cues: cues.map((c) => ({
      get start() {
        count();
        return c.start;
      },
      get end() {
        count();
        return c.end;
      },
      text: c.text,
    })),
    reads: () => reads,
  };
}

/** `hh:mm:ss,mmm` */
const srtTime = (ms: number) => new Date(ms).toISOString().slice(11, 23).replace('.', ',');

describe('storyboard: subtitles that would freeze the server', () => {
  it('refuses a 50-byte file whose one line lasts ten million hours, naming it, before anything is cut (it ran the server out of memory)', () => {
    const text = '1\n00:00:00,000 --> 10000000:00:00,000\nx\n';
    assert.ok(Buffer.byteLength(text) <= 50);
    assert.throws(
      () => parseSrt(text),
      (e: unknown) =>
        e instanceof SrtError &&
        /^The subtitle timed 00:00:00,000 --> 10000000:00:00,000 lasts 10,000,000 hours: a subtitle line lasts seconds\. Fix its times\.$/.test(e.message) &&
        /持续 10,000,000 小时/.test(e.messageZh),
    );
    // The grouping bounds its own work too, whoever hands it the lines: it counts before it cuts.
    const huge = budgeted([{ start: 0, end: 36e12, text: 'x' }], 100);
    assert.throws(
      () => groupSubtitles(huge.cues, { model: 'sora-2' }),
      (e: unknown) => e instanceof SrtError && /too long or too dense to cut into clips/.test(e.message) && /太长或太密/.test(e.messageZh),
    );
    assert.ok(huge.reads() <= 10, `${huge.reads()} reads`);
  });

  it('cuts a 2 MB file of 50,000 dense lines with linear work (it blocked the server for 25 s)', () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `${i + 1}\n${srtTime(i * 10)} --> ${srtTime(i * 10 + 2000)}\nLine number ${i}.\n`).join('\n');
    assert.ok(text.length >= 2_000_000 && text.length <= LIMITS.subtitleBytes, `${text.length} bytes`);
    const parsed = parseSrt(text);
    assert.equal(parsed.length, 50_000);
    // A few reads per line and per place it may end: n × (lines a clip may hold) × a constant. The quadratic search read ~n²/2.
    const lines = budgeted(parsed, 50_000 * LIMITS.linesPerClip * 8);
    const groups = groupSubtitles(lines.cues, { model: 'sora-2' });
    assert.equal(
      groups.reduce((n, g) => n + g.cues.length, 0),
      50_000,
      'every line in exactly one clip',
    );
    for (const g of groups) {
      assert.ok(g.cues.length <= LIMITS.linesPerClip, `${g.cues.length} lines in one clip`);
      assert.ok(g.cues.every((c) => c.end <= g.duration * S));
    }
  });
});

describe('storyboard: subtitles of the joined film', () => {
  it('moves each clip’s lines by where the clip starts in the film, cut at its end', () => {
    const cues = retimeSubtitles([
      {
        start: 0,
        duration: 10_000,
        subtitles: [
          { start: 500, end: 3000, text: 'one' },
          { start: 8000, end: 12_000, text: 'runs over' },
        ],
      },
      {
        start: 10_000,
        duration: 15_020,
        subtitles: [
          { start: 1000, end: 2000, text: 'two' },
          { start: 15_500, end: 16_000, text: 'after the end' },
        ],
      },
      { start: 25_020, duration: 10_000, subtitles: [] },
      { start: 35_020, duration: 10_000, subtitles: [{ start: 0, end: 1500, text: 'four\nsecond line' }] },
    ]);
    assert.deepEqual(cues, [
      { start: 500, end: 3000, text: 'one' },
      { start: 8000, end: 10_000, text: 'runs over' },
      { start: 11_000, end: 12_000, text: 'two' },
      { start: 35_020, end: 36_520, text: 'four\nsecond line' },
    ]);
    assert.equal(formatSrt(cues.slice(2)), '1\n00:00:11,000 --> 00:00:12,000\ntwo\n\n2\n00:00:35,020 --> 00:00:36,520\nfour\nsecond line\n');
    assert.deepEqual(parseSrt(formatSrt(cues)), cues, 'what we write reads back the same');
  });
});

describe('storyboard: subtitles cut for the chosen model', () => {
  it('cuts a Veo storyboard into 8 s clips that read back without problems', () => {
    const cues = parseSrt(RAIN);
    const { draft, groups } = draftFromSubtitles(cues, {
      title: '雨夜咖啡馆',
      model: 'veo3.1-fast',
      orientation: 'landscape',
      size: 'small',
      aspectRatio: '16:9',
      resolution: '720p',
      subtitles: 'rain-cafe.srt',
    });
    assert.ok(groups.length > 3, 'more clips than with Sora’s 10–15 s');
    assert.ok(
      groups.every((g) => g.duration === 8 && g.cues.every((c) => c.end <= 8000)),
      JSON.stringify(groups.map((g) => g.duration)),
    );
    assert.deepEqual(
      [...new Set(groups.flatMap((g) => g.cues.map((c) => c.text)))],
      [...new Set(cues.map((c) => c.text))],
      'every line is kept, in order (a long one split across clips)',
    );
    const text = formatStoryboard(draft, { language: 'zh' });
    assert.match(text, /^model: veo3\.1-fast$/m);
    assert.doesNotMatch(text, /^duration: (?!8$)/m, 'no clip asks for a length Veo does not make');
    const { storyboard, problems } = parseStoryboard(text);
    assert.deepEqual(problems, []);
    assert.equal(storyboard.defaults.duration, 8);
    assert.ok(storyboard.clips.every((c) => c.duration === undefined));
  });

  it('refuses to cut for a model the catalog does not describe', () => {
    assert.throws(() => groupSubtitles(parseSrt(RAIN), { model: 'mystery-video-1' }), /does not say how long mystery-video-1 clips are/);
  });
});
