import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium, type Browser } from 'playwright-core';

import { AssembleError, assembleFilm, findFfmpeg, parseSrt, type AssembleClip } from '../../../src/storyboard';
import type { OwnFiles } from '../../../src/util/safeWrite';
import { WrittenFiles } from '../../../src/core/writtenFiles';
import { CLIP_LOOK, clipFile, colourAt, craftedClip, decodeErrors, probe, sameColour, subtitleCues, toneBetween, topLevelBoxes, videoPackets } from './media';

type ClipName = keyof typeof CLIP_LOOK;

const clip = (name: ClipName, subtitles: AssembleClip['subtitles'] = []): AssembleClip => ({ file: clipFile(name), subtitles });
/** The film already in place is one we wrote (the ledger says so), so a new one may replace it. */
const previousFilmIsOurs: OwnFiles = { isOurs: () => Promise.resolve(true), record: () => Promise.resolve() };

/** Joins real clips (media/clips, distinct colour and tone each) and checks the film with ffprobe/ffmpeg. */
describe('storyboard: joining clips into a film', function () {
  this.timeout(300_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'juxin-film-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Where each clip sits in a film of these clips, seconds. */
  const starts = (names: ClipName[]) => names.map((_, i) => names.slice(0, i).reduce((t, n) => t + CLIP_LOOK[n].seconds, 0));

  it('joins alike clips without re-encoding: the length adds up, every clip shows and sounds as itself, in order, audio in step across the joins', async () => {
    const names: ClipName[] = ['clip-1', 'clip-2', 'clip-3'];
    const progress: number[] = [];
    const output = path.join(dir, 'film.mp4');
    const result = await assembleFilm({
      clips: [
        clip('clip-1', [{ start: 500, end: 3000, text: '雨下了一整夜。' }]),
        clip('clip-2', [
          { start: 1000, end: 2500, text: 'Is there coffee left?' },
          { start: 13_000, end: 16_000, text: 'cut at the clip end' },
        ]),
        clip('clip-3'),
      ],
      output,
      subtitleLanguage: 'zho',
      onProgress: (f) => progress.push(f),
    });

    assert.equal(result.method, 'remux');
    assert.deepEqual(result.mismatches, []);
    assert.deepEqual(
      result.layout.map((l) => [path.basename(l.file), l.start, l.duration]),
      [
        ['clip-1.mp4', 0, 10],
        ['clip-2.mp4', 10, 15],
        ['clip-3.mp4', 25, 10],
      ],
    );
    const info = probe(output);
    const video = info.streams.find((s) => s.codec_type === 'video')!;
    const audio = info.streams.find((s) => s.codec_type === 'audio')!;
    assert.ok(Math.abs(Number(info.format.duration) - 35) <= 0.1, `film ${info.format.duration} s, clips 35 s`);
    assert.equal(video.codec_name, 'h264');
    assert.equal(video.nb_frames, String(240 + 360 + 240), 'every frame of every clip, none re-encoded away');
    assert.ok(Math.abs(Number(audio.duration) - Number(video.duration)) <= 2 / 24, `audio ${audio.duration} s vs video ${video.duration} s`);
    assert.equal(decodeErrors(output), '', 'decodes without a single error');

    const [, two, three] = starts(names);
    for (const [name, at] of [
      ['clip-1', 0.5],
      ['clip-1', 9.95],
      ['clip-2', two],
      ['clip-2', two + 7],
      ['clip-2', three - 0.05],
      ['clip-3', three],
      ['clip-3', 34.9],
    ] as [ClipName, number][]) {
      const seen = colourAt(output, at);
      assert.ok(sameColour(seen, CLIP_LOOK[name].rgb), `at ${at} s: ${seen} should be ${name}`);
    }
    // The tone in the middle of each clip, and 30 ms either side of each join (an audio frame is 23 ms):
    // sound drifting off its picture by more than that would hear the neighbouring clip.
    for (const [name, from, to] of [
      ['clip-1', 2, 4],
      ['clip-1', two - 0.2, two - 0.03],
      ['clip-2', two + 0.03, two + 0.2],
      ['clip-2', 17, 19],
      ['clip-2', three - 0.2, three - 0.03],
      ['clip-3', three + 0.03, three + 0.2],
      ['clip-3', 33, 34.8],
    ] as [ClipName, number, number][]) {
      const hz = toneBetween(output, from, to);
      assert.ok(Math.abs(hz - CLIP_LOOK[name].tone) < 15, `${from}–${to} s: ${hz.toFixed(1)} Hz should be ${name}'s ${CLIP_LOOK[name].tone} Hz`);
    }

    assert.equal(result.subtitlesFile, path.join(dir, 'film.srt'));
    assert.deepEqual(parseSrt(readFileSync(result.subtitlesFile!, 'utf8')), [
      { start: 500, end: 3000, text: '雨下了一整夜。' },
      { start: 11_000, end: 12_500, text: 'Is there coffee left?' },
      { start: 23_000, end: 25_000, text: 'cut at the clip end' },
    ]);
    assert.equal(result.softSubtitles, true);
    // A mov_text (tx3g) track, the MP4 convention every player shows; no stream ffprobe cannot name.
    assert.deepEqual(
      info.streams.map((s) => [s.codec_type, s.codec_name, s.codec_tag_string]),
      [
        ['video', 'h264', 'avc1'],
        ['audio', 'aac', 'mp4a'],
        ['subtitle', 'mov_text', 'tx3g'],
      ],
    );
    assert.equal(info.streams[2].tags?.language, 'zho');
    assert.deepEqual(subtitleCues(output), parseSrt(readFileSync(result.subtitlesFile!, 'utf8')), 'the track says what the .srt says, when it says it');
    // Not one video byte changed: every packet of every clip, in order, and the header still before the media.
    assert.deepEqual(
      videoPackets(output),
      names.flatMap((n) => videoPackets(clipFile(n))),
    );
    assert.deepEqual(
      topLevelBoxes(output).filter((type) => type !== 'free'),
      ['ftyp', 'moov', 'mdat', 'mdat'],
      'the header, the subtitles, the media',
    );

    assert.equal(progress.at(-1), 1);
    assert.ok(progress.length > 10, `${progress.length} progress reports`);
    assert.ok(
      progress.every((p, i) => i === 0 || p > progress[i - 1]),
      'progress only goes forward',
    );
    assert.deepEqual(readdirSync(dir).sort(), ['film.mp4', 'film.srt'], 'no temporary file left');
  });

  it('stays in step over many clips: twenty joins, no drift', async () => {
    const names = Array.from({ length: 21 }, (_, i): ClipName => (['clip-1', 'clip-2', 'clip-3'] as const)[i % 3]);
    const output = path.join(dir, 'long.mp4');
    const result = await assembleFilm({ clips: names.map((n) => clip(n)), output });
    const total = names.reduce((t, n) => t + CLIP_LOOK[n].seconds, 0);
    const info = probe(output);
    const video = info.streams.find((s) => s.codec_type === 'video')!;
    const audio = info.streams.find((s) => s.codec_type === 'audio')!;
    assert.equal(result.duration, total);
    assert.ok(Math.abs(Number(info.format.duration) - total) <= 0.1);
    assert.ok(Math.abs(Number(audio.duration) - Number(video.duration)) <= 2 / 24, `audio ${audio.duration} s vs video ${video.duration} s`);
    const last = starts(names).at(-1)!;
    // Just after the last join, 245 s in: the last clip's own tone and colour.
    assert.ok(Math.abs(toneBetween(output, last + 0.03, last + 0.2) - CLIP_LOOK[names.at(-1)!].tone) < 15);
    assert.ok(Math.abs(toneBetween(output, last - 0.2, last - 0.03) - CLIP_LOOK[names.at(-2)!].tone) < 15);
    assert.ok(sameColour(colourAt(output, last), CLIP_LOOK[names.at(-1)!].rgb));
    assert.equal(result.subtitlesFile, undefined, 'no subtitles, no .srt');
  });

  it('joins H.264 clips whose encoder set-up differs (another PPS) without re-encoding, as avc3 with the set-up in band', async () => {
    // Same codec string, size and audio; only the initial quantiser in the PPS differs.
    const variant = path.join(dir, 'clip-3-crf30.mp4');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-i',
      clipFile('clip-3'),
      '-c:v',
      'libx264',
      '-profile:v',
      'high',
      '-preset',
      'veryslow',
      '-crf',
      '30',
      '-g',
      '48',
      '-c:a',
      'copy',
      variant,
    ]);
    const output = path.join(dir, 'film.mp4');
    const result = await assembleFilm({ clips: [clip('clip-1'), { file: variant }, clip('clip-2')], output });
    assert.equal(result.method, 'remux');
    const video = probe(output).streams.find((s) => s.codec_type === 'video')!;
    assert.equal(video.codec_tag_string, 'avc3');
    assert.equal(decodeErrors(output), '');
    // A frame decoded with the wrong PPS would come out in the wrong colour.
    for (const [name, at] of [
      ['clip-1', 5],
      ['clip-3', 15],
      ['clip-2', 25],
    ] as [ClipName, number][]) {
      assert.ok(sameColour(colourAt(output, at), CLIP_LOOK[name].rgb), `${at} s shows ${name}`);
    }
    assert.ok(Math.abs(toneBetween(output, 10.03, 10.2) - CLIP_LOOK['clip-3'].tone) < 15);
  });

  it('refuses clips that differ, naming the clip and the difference, and leaves no file behind', async () => {
    const output = path.join(dir, 'film.mp4');
    writeFileSync(output, 'the previous film');
    await assert.rejects(
      assembleFilm({
        clips: [clip('clip-1'), clip('clip-2'), { file: clipFile('clip-other-size'), label: 'c3 Dawn' }],
        output,
        ffmpeg: null,
        ownFiles: previousFilmIsOurs,
      }),
      (error: unknown) => {
        assert.ok(error instanceof AssembleError);
        assert.equal(error.code, 'mismatch');
        assert.match(error.message, /clip 3 \(c3 Dawn\): picture size 256×144 \(clip 1, clip-1\.mp4: 320×180\)/);
        assert.match(error.message, /install ffmpeg/);
        assert.match(error.messageZh, /第 3 个片段（c3 Dawn）的画面尺寸：256×144（第 1 个片段 clip-1\.mp4：320×180）/);
        assert.deepEqual(
          error.mismatches.map((m) => [m.index, m.parameter, m.value, m.expected]),
          [
            [2, 'video codec', 'avc1.64000c', 'avc1.640015'],
            [2, 'picture size', '256×144', '320×180'],
          ],
        );
        return true;
      },
    );
    assert.equal(readFileSync(output, 'utf8'), 'the previous film', 'the film already there is untouched');
    assert.deepEqual(readdirSync(dir), ['film.mp4']);
  });

  it('re-encodes clips that differ with ffmpeg from PATH: first clip’s size, silence for a clip without sound, audio in step, mov_text subtitles', async function () {
    const ffmpeg = findFfmpeg();
    assert.ok(ffmpeg, 'ffmpeg is on PATH (npm test installs it: test/vscode/provision.mjs)');
    const silent = path.join(dir, 'silent.mp4');
    execFileSync(ffmpeg, ['-v', 'error', '-i', clipFile('clip-2'), '-an', '-c:v', 'copy', silent]);
    const output = path.join(dir, 'mixed.mp4');
    const result = await assembleFilm({
      clips: [clip('clip-1'), { file: silent }, clip('clip-other-size', [{ start: 500, end: 2000, text: 'yellow' }])],
      output,
      subtitleLanguage: 'eng',
    });
    assert.equal(result.method, 'ffmpeg');
    assert.deepEqual(
      result.mismatches.map((m) => [m.index, m.parameter, m.value]),
      [
        [1, 'audio track', 'absent'],
        [2, 'video codec', 'avc1.64000c'],
        [2, 'picture size', '256×144'],
      ],
    );
    const info = probe(output);
    assert.ok(Math.abs(Number(info.format.duration) - 28) <= 0.1, `${info.format.duration}`);
    assert.equal(info.streams.find((s) => s.codec_type === 'video')!.width, 320);
    const subtitles = info.streams.find((s) => s.codec_name === 'mov_text');
    assert.equal(subtitles?.tags?.language, 'eng');
    assert.deepEqual(subtitleCues(output), [{ start: 25_500, end: 27_000, text: 'yellow' }]);
    assert.ok(sameColour(colourAt(output, 5), CLIP_LOOK['clip-1'].rgb));
    assert.ok(sameColour(colourAt(output, 17), CLIP_LOOK['clip-2'].rgb));
    assert.ok(sameColour(colourAt(output, 26.5), CLIP_LOOK['clip-other-size'].rgb));
    assert.ok(Math.abs(toneBetween(output, 9.8, 9.97) - 330) < 15);
    assert.equal(toneBetween(output, 10.1, 24.9), 0, 'silence where the clip had no sound');
    assert.ok(Math.abs(toneBetween(output, 25.03, 25.2) - 660) < 15);
    assert.deepEqual(parseSrt(readFileSync(path.join(dir, 'mixed.srt'), 'utf8')), [{ start: 25_500, end: 27_000, text: 'yellow' }]);
    assert.deepEqual(readdirSync(dir).sort(), ['mixed.mp4', 'mixed.srt', 'silent.mp4']);
  });

  it('a clip that breaks mid-way leaves no film (the previous one stays) and no temporary file', async () => {
    const broken = path.join(dir, 'broken.mp4');
    const whole = readFileSync(clipFile('clip-2'));
    // The header is whole (moov first), the media stops half-way: reading fails only when joining reaches it.
    writeFileSync(broken, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const output = path.join(dir, 'film.mp4');
    writeFileSync(output, 'the previous film');
    await assert.rejects(
      assembleFilm({ clips: [clip('clip-1'), { file: broken }, clip('clip-3')], output, ownFiles: previousFilmIsOurs }),
      (error: unknown) => {
        assert.ok(error instanceof AssembleError, String(error));
        assert.equal(error.code, 'unreadable');
        assert.match(error.message, /^Clip 2: broken\.mp4 ends early: only \d+ of its 360 frames are in the file\..*Nothing was written\.$/);
        assert.match(error.messageZh, /^第 2 个片段：broken\.mp4 不完整.*没有写入任何文件。$/);
        return true;
      },
    );
    assert.equal(readFileSync(output, 'utf8'), 'the previous film');
    assert.deepEqual(readdirSync(dir).sort(), ['broken.mp4', 'film.mp4']);
  });

  it('says so when the film cannot be written (the folder is a file), and leaves nothing', async () => {
    const notAFolder = path.join(dir, 'films');
    writeFileSync(notAFolder, 'a file where the folder should be');
    await assert.rejects(assembleFilm({ clips: [clip('clip-1')], output: path.join(notAFolder, 'film.mp4') }), (error: unknown) => {
      assert.ok(error instanceof AssembleError);
      assert.equal(error.code, 'write');
      assert.match(error.message, /^The film could not be made \(.*\); nothing was written\./);
      assert.match(error.messageZh, /^未能生成成片/);
      return true;
    });
    assert.deepEqual(readdirSync(dir), ['films']);
  });

  it('stops when cancelled, leaving nothing', async () => {
    const controller = new AbortController();
    const output = path.join(dir, 'film.mp4');
    await assert.rejects(
      assembleFilm({
        clips: [clip('clip-1'), clip('clip-2'), clip('clip-3')],
        output,
        signal: controller.signal,
        onProgress: (f) => f > 0.3 && controller.abort(),
      }),
      { name: 'AbortError' },
    );
    assert.deepEqual(readdirSync(dir), []);
  });

  it('names a clip that is not a video, and says there is nothing to join', async () => {
    const notVideo = path.join(dir, 'notes.mp4');
    writeFileSync(notVideo, 'not a video at all');
    await assert.rejects(assembleFilm({ clips: [clip('clip-1'), { file: notVideo, label: 'c2 Door' }], output: path.join(dir, 'f.mp4') }), (error: unknown) => {
      assert.ok(error instanceof AssembleError);
      assert.equal(error.code, 'unreadable');
      assert.match(error.message, /^Clip 2: c2 Door cannot be read as a video/);
      assert.match(error.messageZh, /^第 2 个片段：无法把 c2 Door 作为视频读取/);
      return true;
    });
    await assert.rejects(assembleFilm({ clips: [], output: path.join(dir, 'f.mp4') }), { code: 'no-clips' });
    assert.deepEqual(readdirSync(dir), ['notes.mp4']);
  });
});

describe('storyboard: the film never lands on a file it did not write', function () {
  this.timeout(60_000);
  let dir: string;
  let outside: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'juxin-film-'));
    outside = mkdtempSync(path.join(tmpdir(), 'juxin-film-outside-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  const subtitled: AssembleClip = { file: clipFile('clip-1'), subtitles: [{ start: 500, end: 3000, text: 'It rained all night.' }] };

  it('never writes the subtitles through a link planted beside the film (a cloned repository’s film.srt → ~/.ssh/authorized_keys)', async () => {
    const victim = path.join(outside, 'authorized_keys');
    writeFileSync(victim, 'ssh-ed25519 AAAA the key\n');
    symlinkSync(victim, path.join(dir, 'film.srt'));
    // Even told that every file is ours: a link is never written through.
    await assert.rejects(assembleFilm({ clips: [subtitled], output: path.join(dir, 'film.mp4'), ownFiles: previousFilmIsOurs }), (error: unknown) => {
      assert.ok(error instanceof AssembleError, String(error));
      assert.equal(error.code, 'exists');
      assert.match(error.message, /film\.srt" is a link, a folder or a device, not a plain file: nothing is ever written through it\..*Nothing was written/);
      assert.match(error.messageZh, /不会通过它写入任何内容.*没有写入任何文件/);
      return true;
    });
    assert.equal(readFileSync(victim, 'utf8'), 'ssh-ed25519 AAAA the key\n');
    assert.deepEqual(readdirSync(dir), ['film.srt'], 'no film, no temporary file');
  });

  it('refuses a film path that holds a file it did not write, before joining anything; its own last film it replaces', async () => {
    const output = path.join(dir, 'movie.mp4');
    writeFileSync(output, 'the person’s holiday video');
    await assert.rejects(assembleFilm({ clips: [subtitled], output }), (error: unknown) => {
      assert.ok(error instanceof AssembleError);
      assert.equal(error.code, 'exists');
      assert.match(error.message, /movie\.mp4" already exists and was not written by this program/);
      return true;
    });
    assert.equal(readFileSync(output, 'utf8'), 'the person’s holiday video');
    assert.deepEqual(readdirSync(dir), ['movie.mp4'], 'no subtitles beside it either');

    const ledger = new WrittenFiles(outside);
    const film = path.join(dir, 'movie.film.mp4');
    await assembleFilm({ clips: [subtitled], output: film, ownFiles: ledger });
    const again = await assembleFilm({ clips: [subtitled, clip('clip-2')], output: film, ownFiles: ledger });
    assert.equal(again.duration, 25, 'the second film replaced the first');
    assert.deepEqual(readdirSync(dir).sort(), ['movie.film.mp4', 'movie.film.srt', 'movie.mp4']);
  });

  it('refuses a clip whose header was crafted to hang the joiner or fill the memory (one 4-byte stsc field), at once', async function () {
    // In a child process with a deadline: without the check, the join loops for hours or runs out of memory.
    const crafted = path.join(dir, 'c2.mp4');
    writeFileSync(crafted, craftedClip('stsc', 16, 0xffffffff));
    const script = `
      const { assembleFilm } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/storyboard'))});
      assembleFilm({ clips: [{ file: ${JSON.stringify(clipFile('clip-1'))} }, { file: ${JSON.stringify(crafted)}, label: 'c2 Door' }], output: ${JSON.stringify(path.join(dir, 'film.mp4'))} })
        .then(() => console.log(JSON.stringify({ joined: true })), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })));`;
    const child = spawn(process.execPath, ['--max-old-space-size=256', '-r', 'tsx/cjs', '-e', script], { cwd: path.resolve(__dirname, '../../..') });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exit = await new Promise<number | null>((resolve) => {
      const deadline = setTimeout(() => child.kill('SIGKILL'), 45_000);
      child.on('exit', (code) => (clearTimeout(deadline), resolve(code)));
    });
    assert.equal(exit, 0, `the join did not finish (hung, or ran out of memory): ${out}`);
    const answer = JSON.parse(out.trim().split('\n').at(-1)!) as { code?: string; message?: string };
    assert.equal(answer.code, 'unreadable');
    assert.match(answer.message ?? '', /^Clip 2: c2 Door is damaged or not a video we can join \(stsc entry 1 puts 4294967295 samples in a chunk/);
    assert.deepEqual(readdirSync(dir), ['c2.mp4'], 'no film');
  });
});

describe('storyboard: the joined film in a browser (Debian chromium, as in the VS Code preview)', function () {
  this.timeout(300_000);
  let dir: string;
  let browser: Browser;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'juxin-film-'));
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files', '--autoplay-policy=no-user-gesture-required'],
    });
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the film in a page, reads its duration, seeks into each clip (drawing the frame shown) and plays. */
  async function watch(film: string, seekTo: number[]) {
    writeFileSync(
      path.join(dir, 'page.html'),
      `<video id="v" src="${path.basename(film)}" muted playsinline></video><canvas id="c" width="320" height="180"></canvas>`,
    );
    const page = await browser.newPage();
    try {
      await page.goto(`file://${path.join(dir, 'page.html')}`);
      return await page.evaluate(async (times) => {
        const video = document.getElementById('v') as HTMLVideoElement;
        if (video.readyState < 1) {
          await new Promise((resolve, reject) => {
            video.onloadedmetadata = resolve;
            video.onerror = () => reject(new Error(`media error ${video.error?.code}: ${video.error?.message}`));
          });
        }
        const result = { duration: video.duration, width: video.videoWidth, frames: [] as { at: number; readyState: number; rgb: number[] }[], playedTo: 0 };
        const canvas = document.getElementById('c') as HTMLCanvasElement;
        for (const at of times) {
          const shown = new Promise((resolve, reject) => {
            // 'seeked' can come before the new frame is on screen: wait until it is presented (an event; the
            // deadline only bounds a failure).
            video.requestVideoFrameCallback(resolve);
            setTimeout(() => reject(new Error(`no frame presented 20 s after seeking to ${at} s`)), 20_000);
          });
          video.currentTime = at;
          await new Promise((resolve) => (video.onseeked = resolve));
          await shown;
          canvas.getContext('2d')!.drawImage(video, 0, 0);
          result.frames.push({ at, readyState: video.readyState, rgb: Array.from(canvas.getContext('2d')!.getImageData(24, 24, 1, 1).data.slice(0, 3)) });
        }
        // Playing moves on from the last seek: the first 'timeupdate' past it (an event, with a deadline for a failure).
        const from = video.currentTime;
        const moved = new Promise((resolve, reject) => {
          video.ontimeupdate = () => video.currentTime > from && resolve(undefined);
          setTimeout(() => reject(new Error(`playing did not move on from ${from} s within 20 s`)), 20_000);
        });
        await video.play();
        await moved;
        result.playedTo = video.currentTime;
        return result;
      }, seekTo);
    } finally {
      await page.close();
    }
  }

  it('loads, says its full duration, seeks into each clip and plays (with its subtitle track)', async () => {
    const film = path.join(dir, 'film.mp4');
    const subtitles = [{ start: 500, end: 3000, text: '雨下了一整夜。' }];
    await assembleFilm({ clips: ['clip-1', 'clip-2', 'clip-3'].map((n) => ({ file: clipFile(n), subtitles })), output: film });
    assert.equal(probe(film).streams.filter((s) => s.codec_name === 'mov_text').length, 1);
    const seen = await watch(film, [5, 17, 30]);
    assert.ok(Math.abs(seen.duration - 35) <= 0.1, `duration ${seen.duration}`);
    assert.equal(seen.width, 320);
    for (const [i, name] of (['clip-1', 'clip-2', 'clip-3'] as const).entries()) {
      assert.ok(seen.frames[i].readyState >= 2, `frame data at ${seen.frames[i].at} s`);
      assert.ok(sameColour(seen.frames[i].rgb, CLIP_LOOK[name].rgb), `${seen.frames[i].at} s shows ${name}: ${seen.frames[i].rgb}`);
    }
    assert.ok(seen.playedTo > 30, `playing moves on (${seen.playedTo})`);
  });

  it('plays an avc3 film (clips with different H.264 set-ups) as well', async () => {
    const variant = path.join(dir, 'clip-3-crf30.mp4');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      clipFile('clip-3'),
      '-c:v',
      'libx264',
      '-profile:v',
      'high',
      '-preset',
      'veryslow',
      '-crf',
      '30',
      '-g',
      '48',
      '-c:a',
      'copy',
      variant,
    ]);
    const film = path.join(dir, 'avc3.mp4');
    await assembleFilm({ clips: [{ file: clipFile('clip-1') }, { file: variant }], output: film });
    assert.equal(probe(film).streams[0].codec_tag_string, 'avc3');
    const seen = await watch(film, [5, 15]);
    assert.ok(Math.abs(seen.duration - 20) <= 0.1, `duration ${seen.duration}`);
    assert.ok(sameColour(seen.frames[0].rgb, CLIP_LOOK['clip-1'].rgb), `5 s: ${seen.frames[0].rgb}`);
    assert.ok(sameColour(seen.frames[1].rgb, CLIP_LOOK['clip-3'].rgb), `15 s: ${seen.frames[1].rgb}`);
    assert.ok(seen.playedTo > 15, `playing moves on (${seen.playedTo})`);
  });
});
