import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  StoryboardFileError,
  checkAbsolutePath,
  cleanShotPrompt,
  describeClips,
  ensureClipIds,
  filmPath,
  isDraftPrompt,
  parseStoryboard,
  planStoryboard,
  readStoryboardFile,
  saveStoryboardText,
  setClipPrompt,
  storyboardFileName,
  storyboardLanguage,
  storyboardTemplate,
  subtitleLanguageOf,
  writeNewFile,
  writeShots,
} from '../../../src/storyboard';

describe('storyboard: files, names and the helpers around them', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'storyboard-files-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names files after the title in any script, and the film after the storyboard', () => {
    assert.equal(storyboardFileName('Rainy Night Café'), 'rainy-night-café.storyboard.md');
    assert.equal(storyboardFileName('雨夜咖啡馆'), '雨夜咖啡馆.storyboard.md');
    assert.equal(storyboardFileName('???'), 'storyboard.storyboard.md');
    // A name of its own: never the person's cafe.mp4, nor the cafe.srt a storyboard was drafted from.
    assert.equal(filmPath(path.join(dir, 'cafe.storyboard.md')), path.join(dir, 'cafe.film.mp4'));
    assert.equal(filmPath(path.join(dir, 'notes.md')), path.join(dir, 'notes.film.mp4'));
  });

  it('writes a new file whole under the first free name, never over another', async () => {
    writeFileSync(path.join(dir, 'a.storyboard.md'), 'mine');
    const second = await writeNewFile(dir, 'a.storyboard.md', 'new one');
    assert.equal(second, path.join(dir, 'a-2.storyboard.md'));
    const third = await writeNewFile(dir, 'a.storyboard.md', 'newer one');
    assert.equal(third, path.join(dir, 'a-3.storyboard.md'));
    assert.equal(readFileSync(path.join(dir, 'a.storyboard.md'), 'utf8'), 'mine', 'the existing file is untouched');
    assert.equal(readFileSync(second, 'utf8'), 'new one');
    assert.deepEqual(readdirSync(dir).sort(), ['a-2.storyboard.md', 'a-3.storyboard.md', 'a.storyboard.md'], 'no temporary file left');
    await assert.rejects(writeNewFile(path.join(dir, 'missing'), 'b.storyboard.md', 'x'), StoryboardFileError);
  });

  it('refuses relative, network and device paths, and files that are not storyboards, in both languages', async () => {
    assert.throws(() => checkAbsolutePath('films/a.storyboard.md', { en: 'The storyboard', zh: '分镜文件' }), /must be an absolute path/);
    assert.throws(
      () => checkAbsolutePath('//host/share/a.storyboard.md', { en: 'The folder', zh: '文件夹' }),
      (e: StoryboardFileError) => /network or device path/.test(e.message) && /网络路径/.test(e.messageZh),
    );
    await assert.rejects(readStoryboardFile(path.join(dir, 'a.mp4')), /is not a storyboard/);
    await assert.rejects(readStoryboardFile(path.join(dir, 'none.storyboard.md')), (e: StoryboardFileError) => /There is no storyboard/.test(e.message));
  });

  it('adds missing clip ids to the file on disk, never one the history already knows', async () => {
    const file = path.join(dir, 'a.storyboard.md');
    const text = '---\ntitle: A\n---\n## One {#c1}\nA street.\n## Two\nA door.\n';
    writeFileSync(file, text);
    const read = await readStoryboardFile(file);
    assert.equal(read.text, text);
    const withIds = ensureClipIds(read.text, { taken: ['c1', 'c2'] });
    assert.match(withIds, /## Two \{#c3\}/);
    await saveStoryboardText(read, withIds);
    assert.equal(readFileSync(file, 'utf8'), withIds);
    assert.equal(ensureClipIds(withIds, { taken: [] }), withIds);
  });

  it('reads only a plain .storyboard.md of a sane size, and writes it back only while it is the very file it read', async () => {
    const real = path.join(dir, 'real.storyboard.md');
    const text = '---\ntitle: A\n---\n## One\nA street.\n';
    writeFileSync(real, text);
    // A link (a cloned repository's, to any file): refused, so nothing is ever written through it.
    const link = path.join(dir, 'link.storyboard.md');
    symlinkSync(real, link);
    await assert.rejects(readStoryboardFile(link), (e: StoryboardFileError) => /is not a plain file/.test(e.message) && /不是普通文件/.test(e.messageZh));
    // A README is not a storyboard, whatever its headings.
    await assert.rejects(readStoryboardFile(path.join(dir, 'README.md')), /is not a storyboard/);
    // Larger than any storyboard: refused unread (sparse, 64 MB of nothing).
    const huge = path.join(dir, 'huge.storyboard.md');
    writeFileSync(huge, '');
    truncateSync(huge, 64 * 1024 * 1024);
    await assert.rejects(readStoryboardFile(huge), /is larger than 4 MB/);

    // Changed on disk after it was read (the person saved meanwhile): not overwritten.
    const read = await readStoryboardFile(real);
    writeFileSync(real, `${text}## Two\nA door.\n`);
    await assert.rejects(
      saveStoryboardText(read, ensureClipIds(read.text)),
      (e: StoryboardFileError) => /changed on disk/.test(e.message) && /被修改/.test(e.messageZh),
    );
    assert.equal(readFileSync(real, 'utf8'), `${text}## Two\nA door.\n`);
    // Replaced by a link after it was read: the link is left alone.
    const again = await readStoryboardFile(real);
    const target = path.join(dir, 'target.txt');
    writeFileSync(target, 'not yours');
    rmSync(real);
    symlinkSync(target, real);
    await assert.rejects(saveStoryboardText(again, ensureClipIds(again.text)), StoryboardFileError);
    assert.equal(readFileSync(target, 'utf8'), 'not yours');
  });

  it('never names a storyboard after a device (CON, nul.txt, COM1…) or as a hidden file', () => {
    for (const title of ['CON', 'con', 'Nul', 'aux', 'PRN', 'com1', 'LPT9', 'conin', 'nul.txt', '.hidden', '...']) {
      const name = storyboardFileName(title);
      assert.doesNotMatch(name, /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i, `${title} → ${name}`);
      assert.ok(!name.startsWith('.'), name);
      assert.ok(name.endsWith('.storyboard.md'), name);
    }
    assert.equal(storyboardFileName('CON'), 'storyboard-con.storyboard.md');
    assert.equal(storyboardFileName('Console'), 'console.storyboard.md', 'only the device names themselves');
  });

  it('knows a draft prompt from written shots, the language of a storyboard, and cleans a model’s answer', () => {
    const { storyboard } = parseStoryboard(
      '---\ntitle: A\n---\n## One {#c1}\nIt rained.\n\n> 00:00.500 --> 00:02.000 It rained.\n## Two {#c2}\nShot 1 (0–2 s, wide): a street.\n\n> 00:00.500 --> 00:02.000 It rained.\n## Three {#c3}\n',
    );
    assert.deepEqual(
      storyboard.clips.map((c) => isDraftPrompt(c)),
      [true, false, true],
    );
    assert.equal(storyboardLanguage(storyboard), 'en');
    assert.equal(storyboardLanguage({ title: '', clips: [{ ...storyboard.clips[0], subtitles: [{ start: 0, end: 1, text: '雨下了一整夜。' }] }] }), 'zh');
    assert.equal(cleanShotPrompt('```text\nShot 1: a street.\nShot 2: a door.\n```'), 'Shot 1: a street.\nShot 2: a door.');
    assert.equal(cleanShotPrompt('Prompt:\nShot 1: rain.'), 'Shot 1: rain.');
    assert.equal(cleanShotPrompt('“镜头 1：雨夜。”'), '镜头 1：雨夜。');
    assert.equal(cleanShotPrompt('Shot 1: she says "hi". Shot 2: he says "bye".'), 'Shot 1: she says "hi". Shot 2: he says "bye".', 'inner quotes stay');
    assert.equal(subtitleLanguageOf(['Hello', '你好']), 'zho');
    assert.equal(subtitleLanguageOf(['Hello']), 'eng');
    assert.equal(subtitleLanguageOf([]), 'und');
  });

  it('makes an empty template that reads without errors, in both languages', () => {
    for (const language of ['en', 'zh'] as const) {
      const text = storyboardTemplate(language, 'My film', { model: 'sora-2', orientation: 'portrait', size: 'small', duration: 10 });
      const parsed = parseStoryboard(text);
      assert.deepEqual(
        parsed.problems.filter((p) => p.severity === 'error'),
        [],
        language,
      );
      assert.equal(parsed.storyboard.defaults.orientation, 'portrait');
      assert.equal(parsed.storyboard.clips.length, 2);
      const plan = planStoryboard(parsed, []);
      assert.match(describeClips(plan.clips).en, /^c1 .+ \(not generated\), c2 .+ \(not generated\)$/);
      assert.match(describeClips(plan.clips).zh, /（未生成）/);
    }
  });
});

describe('storyboard: writing the shots with a language model', () => {
  const text = `---
title: Rain
style: warm light
cast:
  Mika: "@mikacafe.rainy"
---
## Opening {#c1}
It rained all night.

> 00:00.500 --> 00:03.100 It rained all night.
## Door {#c2}
The bell rang.

> 00:01.000 --> 00:02.000 The bell rang.
## Cup {#c3}
Just the last cup.
`;

  it('asks with the rules and each clip’s lines, cleans the answers, and a clip that fails keeps its text while the others go on', async () => {
    let current = text;
    const asked: { rules: string; request: string }[] = [];
    const { storyboard } = parseStoryboard(current);
    const result = await writeShots({
      storyboard,
      clips: storyboard.clips,
      language: 'en',
      ask: async (rules, request) => {
        asked.push({ rules, request });
        if (request.includes('Clip: Door')) throw new Error('the model is busy');
        if (request.includes('Clip: Cup')) return '   ';
        return '```\nShot 1 (0–1.5 s, wide): a rainy street. Shot 2: @Mika by the window says "It rained all night."\n```';
      },
      put: async (clipId, prompt) => {
        current = setClipPrompt(current, clipId, prompt);
        return true;
      },
    });
    assert.deepEqual(result.written, ['c1']);
    assert.deepEqual(result.failed, [
      { clipId: 'c2', reason: 'the model is busy' },
      { clipId: 'c3', reason: 'the model gave no answer' },
    ]);
    assert.match(asked[0].rules, /4 to 6 shots/);
    assert.match(asked[0].request, /Clip: Opening, 10 seconds\./);
    assert.match(asked[0].request, /Cast: @Mika/);
    assert.match(asked[0].request, /00:00\.500–00:03\.100 It rained all night\./);
    const after = parseStoryboard(current).storyboard;
    assert.equal(after.clips[0].prompt.trim(), 'Shot 1 (0–1.5 s, wide): a rainy street. Shot 2: @Mika by the window says "It rained all night."');
    assert.equal(after.clips[0].subtitles.length, 1, 'the subtitles stay');
    assert.equal(after.clips[1].prompt.trim(), 'The bell rang.', 'a failed clip keeps its draft');
  });

  it('stops when told to (cancelled), and says a clip could not be changed', async () => {
    const { storyboard } = parseStoryboard(text);
    const seen: number[] = [];
    const result = await writeShots({
      storyboard,
      clips: storyboard.clips,
      language: 'zh',
      ask: async () => '镜头 1：雨夜。',
      put: async () => false,
      onClip: (i) => {
        seen.push(i);
        return i < 1;
      },
    });
    assert.deepEqual(seen, [0, 1]);
    assert.deepEqual(result, { written: [], failed: [{ clipId: 'c1', reason: '无法修改这个片段' }] });
  });
});
