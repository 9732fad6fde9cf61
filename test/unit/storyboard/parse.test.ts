import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import {
  appendClipEdits,
  clipFingerprint,
  clipParams,
  applyEdits,
  ensureClipIds,
  formatStoryboard,
  LIMITS,
  parseStoryboard,
  replacementModel,
  requireUsable,
  setCastMember,
  setClipPrompt,
  StoryboardError,
  type Storyboard,
  type StoryboardDraft,
} from '../../../src/storyboard';
import { assertOnlyRetiredWarning } from './helpers';

/** A hand-written file with the things people do: comments, a Chinese key, odd spacing, notes, a fence, CRLF-free. */
const HAND_WRITTEN = `---
# 我的第一个分镜
title: 雨夜咖啡馆
model: sora-2
orientation: 横屏
size: small
时长: 10
style: 电影感，35mm 胶片颗粒，暖色调
cast:
  小林: @kobayashi.rain   # 主角（没加引号也可以）
  Mika: "mika.cafe"
---

Notes before the first clip are kept and ignored.

## 开场：雨夜街角 {#c1}

时长：15
images: refs/street.png， refs/rain.png

镜头 1（0–1.5 秒，远景）：雨夜的街角。
镜头 2：@小林 坐在窗边。   

### 备注
\`\`\`
## this is not a clip heading
> nor a subtitle
\`\`\`

> 00:00.500 --> 00:03.100 雨下了一整夜。
> 00:03.400 --> 00:06.200 咖啡馆里只剩小林一个人，
> 第二行

## Door {#door}

@Mika walks in, soaked.
`;

describe('storyboard: reading the file', () => {
  it('reads a hand-written file in Chinese: settings, aliases, cast, clips, fields, subtitles, fences', () => {
    const { storyboard, problems } = parseStoryboard(HAND_WRITTEN);
    assertOnlyRetiredWarning(problems, 3);
    assert.equal(storyboard.title, '雨夜咖啡馆');
    assert.deepEqual(storyboard.defaults, { model: 'sora-2', orientation: 'landscape', size: 'small', duration: 10 });
    assert.equal(storyboard.style, '电影感，35mm 胶片颗粒，暖色调');
    assert.deepEqual(storyboard.cast, [
      { name: '小林', username: '@kobayashi.rain' },
      { name: 'Mika', username: '@mika.cafe' },
    ]);
    assert.equal(storyboard.clips.length, 2);
    const [first, door] = storyboard.clips;
    assert.equal(first.id, 'c1');
    assert.equal(first.title, '开场：雨夜街角');
    assert.equal(first.duration, 15);
    assert.deepEqual(first.images, ['refs/street.png', 'refs/rain.png']);
    assert.equal(
      first.prompt,
      [
        '镜头 1（0–1.5 秒，远景）：雨夜的街角。',
        '镜头 2：@小林 坐在窗边。',
        '',
        '### 备注',
        '```',
        '## this is not a clip heading',
        '> nor a subtitle',
        '```',
      ].join('\n'),
    );
    assert.deepEqual(first.subtitles, [
      { start: 500, end: 3100, text: '雨下了一整夜。' },
      { start: 3400, end: 6200, text: '咖啡馆里只剩小林一个人，\n第二行' },
    ]);
    assert.deepEqual(first.lines, {
      heading: 15,
      end: 32,
      fields: { duration: 17, images: 18 },
      prompt: { start: 20, end: 27 },
      subtitles: [29, 30],
    });
    assert.equal(door.id, 'door');
    assert.equal(door.duration, undefined);
    assert.equal(door.prompt, '@Mika walks in, soaked.');
  });

  it('puts every mistake at its line, in English and Chinese, and still reads the rest', () => {
    const text = [
      '---', //                                 0
      'title: Test',
      'model: sora-3',
      'duration: 25',
      'modle: sora-2',
      'cast:',
      '  Li: "not a username!"',
      '---',
      '## One {#c1}', //                         8
      'duration: 12',
      '',
      '> 00:05.000 --> 00:02.000 backwards',
      '> no times here',
      '## Two {#c1}', //                        13
      'A shot.',
      'duration: 10',
      '## {#bad id}', //                        16
      '',
      'Shot of @Nobody.',
      '> 99:99 --> x',
    ].join('\n');
    const { storyboard, problems } = parseStoryboard(text);
    const at = (line: number) => problems.filter((p) => p.line === line);
    assert.match(at(2)[0].message, /^Line 3: Unknown model "sora-3"/);
    assert.match(at(2)[0].messageZh, /^第 3 行：未知模型/);
    assert.deepEqual(at(3), [], 'duration 25 is not judged against a model the person did not choose');
    assert.match(at(4)[0].message, /unknown setting "modle" \(did you mean "model"\?\)/);
    assert.equal(at(4)[0].severity, 'warning');
    assert.match(at(6)[0].message, /"Li" needs the Sora character's username/);
    assert.match(at(9)[0].message, /duration 12 is not available for sora-2/);
    assert.equal(at(9)[0].clipIndex, 0);
    assert.match(at(8)[0].message, /no prompt yet/);
    assert.match(at(11)[0].message, /ends \(00:02.000\) before it starts/);
    assert.match(at(12)[0].message, /needs its times first/);
    assert.match(at(13)[0].message, /\{#c1\} is also used at line 9/);
    assert.match(at(15)[0].message, /looks like a clip setting but is inside the prompt/);
    assert.match(at(16)[0].message, /"\{#bad id\}" is not a usable clip id/);
    assert.match(at(18)[0].message, /@Nobody is not in the cast/);
    assert.equal(at(18)[0].severity, 'warning');
    assert.match(at(19)[0].message, /"99:99 --> x" is not a time range/);
    assert.ok(
      problems.every((p) => p.messageZh.startsWith(`第 ${p.line + 1} 行：`)),
      'every problem is in Chinese too',
    );
    assert.equal(storyboard.clips.length, 3, 'the clips are read despite the mistakes');
    assert.equal(storyboard.clips[2].id, undefined);
    assert.throws(
      () => requireUsable({ storyboard, problems }),
      (e: unknown) => e instanceof StoryboardError && e.problems.every((p) => p.severity === 'error'),
    );
  });

  it('says what is wrong with broken YAML and an unclosed settings block', () => {
    const yamlError = parseStoryboard('---\ntitle: a\n\tmodel: sora-2\n---\n## A {#a}\nshot\n').problems;
    assert.equal(yamlError[0].line, 2);
    assert.match(yamlError[0].message, /^Line 3: the settings are not valid YAML/);
    assert.match(yamlError[0].messageZh, /缩进/);
    const unclosed = parseStoryboard('---\ntitle: a\n## A {#a}\nshot\n').problems;
    assert.match(unclosed[0].message, /never ends/);
    const none = parseStoryboard('## A {#a}\nshot\n');
    assert.equal(none.problems[0].severity, 'warning');
    assert.match(none.problems[0].message, /no settings block/);
    assert.equal(none.storyboard.clips[0].prompt, 'shot');
  });

  it('reads the cast as a list too, and names each bad entry', () => {
    const list = parseStoryboard('---\ncast:\n  - 小林: "@kobayashi.rain"\n  - { name: Mika, username: mika.cafe }\n---\n## A {#a}\nshot\n');
    assert.deepEqual(list.problems, []);
    assert.deepEqual(list.storyboard.cast, [
      { name: '小林', username: '@kobayashi.rain' },
      { name: 'Mika', username: '@mika.cafe' },
    ]);
    const spaced = parseStoryboard('---\ncast:\n  Old Man: "@old.man"\n  Li: "@li.a"\n---\n## A {#a}\nshot\n');
    assert.match(spaced.problems[0].message, /^Line 3: the character name "Old Man" must be one word/);
    assert.deepEqual(spaced.storyboard.cast, [{ name: 'Li', username: '@li.a' }], 'the good entries are still read');
    const twice = parseStoryboard('---\ncast:\n  - Li: "@li.a"\n  - Li: "@li.b"\n---\n## A {#a}\nshot\n').problems;
    assert.match(twice[0].message, /^Line 4: the character "Li" is listed twice\./);
    // Repeated keys are found by our one-pass check (yaml's own compares every key with every other), named as what they are.
    const sameKey = parseStoryboard('---\ncast:\n  Li: "@li.a"\n  Li: "@li.b"\n---\n## A {#a}\nshot\n').problems;
    assert.match(sameKey[0].message, /^Line 4: the character "Li" is listed twice\./);
    const sameSetting = parseStoryboard('---\nmodel: sora-2\nmodel: sora-2-pro\n---\n## A {#a}\nshot\n').problems;
    assert.match(sameSetting.filter((p) => p.severity === 'error')[0].message, /^Line 3: the setting "model" is also given at line 2: keep one of them\./);
    assert.match(sameSetting.filter((p) => p.severity === 'error')[0].messageZh, /设置 "model" 在第 2 行也出现过/);
    const scalar = parseStoryboard('---\ncast: 小林\n---\n## A {#a}\nshot\n').problems;
    assert.match(scalar[0].message, /^Line 2: cast must list one character a line/);
    const edited = setCastMember('---\ncast:\n  - 小林: "@kobayashi.rain"\n---\n## A {#a}\nshot\n', { name: 'Mika', username: '@mika.cafe' });
    assert.deepEqual(
      parseStoryboard(edited).storyboard.cast.map((c) => c.name),
      ['小林', 'Mika'],
      'a list-style cast keeps everyone when a character is added',
    );
  });

  it('checks a clip’s duration and its subtitles against its length', () => {
    const { problems } = parseStoryboard(
      '---\nduration: 10\n---\n## A {#a}\nduration: fifteen\nshot\n> 00:12.000 --> 00:13.000 after the end\n> 1.5 --> 2 short forms\n',
    );
    assert.deepEqual(
      problems.map((p) => [p.line, p.severity, p.message.replace(/:.*$/, '')]),
      [
        [4, 'error', 'Line 5'],
        [6, 'warning', 'Line 7'],
      ],
    );
    assert.match(problems[0].message, /duration "fifteen" is not a number of seconds/);
    assert.match(problems[1].message, /starts at 12 s but the clip lasts 10 s: it will not be shown/);
    assert.deepEqual(parseStoryboard('## A {#a}\nshot\n> 1.5 --> 0:02.25 short\n> 00:00:03,000 --> 00:00:04,500 srt').storyboard.clips[0].subtitles, [
      { start: 1500, end: 2250, text: 'short' },
      { start: 3000, end: 4500, text: 'srt' },
    ]);
  });

  it('warns about a file without clips, and treats "###" as part of a prompt', () => {
    assert.match(parseStoryboard('---\ntitle: x\n---\n').problems[0].message, /no clips yet/);
    const { storyboard } = parseStoryboard('---\ntitle: x\n---\n## A {#a}\n### Shot 1\nwide\n');
    assert.equal(storyboard.clips.length, 1);
    assert.equal(storyboard.clips[0].prompt, '### Shot 1\nwide');
  });
});

const DRAFT: StoryboardDraft = {
  title: 'Rainy Night Café',
  defaults: { model: 'sora-2-pro', orientation: 'portrait', size: 'large', duration: 15 },
  style: 'cinematic, 35mm film grain, warm tones',
  cast: [
    { name: 'Mika', username: '@mika.cafe' },
    { name: '小林', username: '@kobayashi.rain' },
  ],
  subtitles: 'rain.srt',
  clips: [
    {
      title: 'Opening',
      prompt: 'Shot 1 (0–1.5 s, wide): a rainy street corner.\nShot 2: @Mika at the window.\n\n## not a heading\n> not a subtitle',
      duration: 25,
      images: ['refs/a.png', 'refs/b.png'],
      subtitles: [
        { start: 500, end: 3100, text: 'It rained all night.' },
        { start: 3400, end: 6200, text: 'Two lines\nin one subtitle' },
      ],
    },
    { id: 'c7', title: '', prompt: '@小林 smiles.', images: [], subtitles: [] },
    { title: 'Dawn', prompt: 'The rain stops.', images: [], subtitles: [] },
  ],
};

function withoutLines(storyboard: Storyboard) {
  return { ...storyboard, clips: storyboard.clips.map(({ lines: _lines, ...clip }) => clip) };
}

describe('storyboard: writing, and round trips', () => {
  it('writes a new file that reads back as the same storyboard (ids added after the highest: c7 kept, c8, c9)', () => {
    const text = formatStoryboard(DRAFT);
    const { storyboard, problems } = parseStoryboard(text);
    assertOnlyRetiredWarning(problems, 2);
    assert.deepEqual(withoutLines(storyboard), {
      ...DRAFT,
      clips: [
        {
          ...DRAFT.clips[0],
          id: 'c8',
          prompt: 'Shot 1 (0–1.5 s, wide): a rainy street corner.\nShot 2: @Mika at the window.\n\n### not a heading\nnot a subtitle',
        },
        { ...DRAFT.clips[1], title: 'Clip 2' },
        { ...DRAFT.clips[2], id: 'c9' },
      ],
    });
    assert.match(text, /^## Opening \{#c8\}$/m);
    assert.match(text, /^> 00:03\.400 --> 00:06\.200 Two lines\n> in one subtitle$/m);
    assert.match(text, /^ {2}小林: "@kobayashi\.rain"$/m);
    // And writing what was read gives the same text again.
    assert.equal(formatStoryboard(withoutLines(storyboard)), text);
  });

  it('appends a clip (a video added from the history) after everything else, with the next free id, the rest byte for byte', () => {
    const text = '---\r\ntitle: T\r\n---\r\n## A {#c1}\r\nA street.\r\n\r\n> 0:01 --> 0:02 Hi.\r\n\r\n\r\n';
    const { edits, id } = appendClipEdits(
      text,
      { title: 'A door', prompt: '## a shot\n> the door opens', duration: 15, images: [], subtitles: [] },
      { taken: ['c2'] },
    );
    assert.equal(id, 'c3', 'c2 is taken by a clip since deleted');
    const after = applyEdits(text, edits);
    assert.ok(after.startsWith(text.replace(/(\r\n)+$/, '')), 'the file before the new clip is unchanged');
    assert.equal(
      after.slice(text.replace(/(\r\n)+$/, '').length),
      '\r\n\r\n## A door {#c3}\r\n\r\nduration: 15\r\n\r\n### a shot\r\nthe door opens\r\n',
      'one blank line before it, CRLF kept, a heading in the prompt cannot start a clip',
    );
    const { storyboard, problems } = parseStoryboard(after);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      storyboard.clips.map((c) => [c.id, c.title, c.duration, c.subtitles.length]),
      [
        ['c1', 'A', undefined, 1],
        ['c3', 'A door', 15, 0],
      ],
    );
    assert.equal(applyEdits('', appendClipEdits('', { title: 'X', prompt: 'p', images: [], subtitles: [] }).edits), '## X {#c1}\n\np\n');
  });

  it('writes Chinese titles and notes for a Chinese file', () => {
    const text = formatStoryboard({ ...DRAFT, clips: [{ ...DRAFT.clips[1], id: undefined }] }, { language: 'zh' });
    assert.match(text, /^## 片段 1 \{#c1\}$/m);
    assert.match(text, /每个 "## " 小节是一个片段/);
  });

  it('changes one prompt and nothing else, byte for byte (CRLF kept)', () => {
    const changed = setClipPrompt(HAND_WRITTEN, 'door', 'Shot 1: @Mika opens the door.\nShot 2: rain behind her.');
    const before = HAND_WRITTEN.split('\n');
    const after = changed.split('\n');
    assert.deepEqual(after.slice(0, -3), before.slice(0, -2), 'everything above the Door prompt is untouched');
    assert.deepEqual(after.slice(-3), ['Shot 1: @Mika opens the door.', 'Shot 2: rain behind her.', '']);
    assert.equal(parseStoryboard(changed).storyboard.clips[1].prompt, 'Shot 1: @Mika opens the door.\nShot 2: rain behind her.');

    const crlf = HAND_WRITTEN.replace(/\n/g, '\r\n');
    const first = setClipPrompt(crlf, 'c1', 'One shot.');
    assert.ok(!/[^\r]\n/.test(first), 'still CRLF everywhere');
    const read = parseStoryboard(first).storyboard.clips[0];
    assert.equal(read.prompt, 'One shot.');
    assert.equal(read.subtitles.length, 2, 'subtitles kept');
    assert.equal(read.duration, 15, 'settings kept');
  });

  it('adds a prompt to a clip that has none, under its settings', () => {
    const text = '---\ntitle: x\n---\n## A {#a}\nduration: 15\n> 00:01.000 --> 00:02.000 hi\n## B {#b}\nshot\n';
    const changed = setClipPrompt(text, 'a', 'New prompt.');
    assert.equal(changed, '---\ntitle: x\n---\n## A {#a}\nduration: 15\n\nNew prompt.\n\n> 00:01.000 --> 00:02.000 hi\n## B {#b}\nshot\n');
    assert.throws(() => setClipPrompt(text, 'zz', 'x'), /No clip \{#zz\}/);
  });

  it('gives ids to new and copied clips without touching the others', () => {
    const text = '---\ntitle: x\n---\n## A {#c2}\none\n## B\ntwo\n## Copy of A {#c2}\nthree\n##\nfour\n';
    const fixed = ensureClipIds(text);
    assert.equal(fixed, '---\ntitle: x\n---\n## A {#c2}\none\n## B {#c3}\ntwo\n## Copy of A {#c4}\nthree\n## {#c5}\nfour\n');
    assert.deepEqual(parseStoryboard(fixed).problems, []);
    assert.equal(ensureClipIds(fixed), fixed, 'nothing to do the second time');
  });

  it('adds or changes a cast member, keeping the comments of the settings', () => {
    const changed = setCastMember(HAND_WRITTEN, { name: '老王', username: '@wang.laowang' });
    const { storyboard, problems } = parseStoryboard(changed);
    assertOnlyRetiredWarning(problems, 3);
    assert.deepEqual(storyboard.cast.at(-1), { name: '老王', username: '@wang.laowang' });
    assert.match(changed, /^# 我的第一个分镜$/m);
    assert.match(changed, /# 主角（没加引号也可以）/);
    assert.equal(changed.split('---')[2], HAND_WRITTEN.split('---')[2], 'the body is untouched');
    const renamed = parseStoryboard(setCastMember(changed, { name: 'Mika', username: '@mika.new' })).storyboard.cast;
    assert.deepEqual(
      renamed.map((c) => c.username),
      ['@kobayashi.rain', '@mika.new', '@wang.laowang'],
    );
    const noSettings = setCastMember('## A {#a}\nshot\n', { name: 'Li', username: '@li.x' });
    assert.deepEqual(parseStoryboard(noSettings).storyboard.cast, [{ name: 'Li', username: '@li.x' }]);
  });

  it('applies edits that do not overlap, and refuses ones that do', () => {
    assert.equal(
      applyEdits('a\nb\nc', [
        { range: { start: 2, end: 3 }, lines: ['C'] },
        { range: { start: 0, end: 1 }, lines: ['A', 'A2'] },
      ]),
      'A\nA2\nb\nC',
    );
    assert.throws(() =>
      applyEdits('a\nb\nc', [
        { range: { start: 0, end: 2 }, lines: [] },
        { range: { start: 1, end: 3 }, lines: [] },
      ]),
    );
  });
});

describe('storyboard: files that would freeze the server', () => {
  it('refuses a settings block of 80,000 keys (800 KB) at once, and still reads the clips (it blocked the server for 55 s)', () => {
    const keys = Array.from({ length: 80_000 }, (_, i) => `key${i}: v`).join('\n');
    assert.ok(keys.length >= 800_000, `${keys.length} characters`);
    const { storyboard, problems } = parseStoryboard(`---\n${keys}\n---\n## Opening {#c1}\nA rainy street.\n`);
    assert.deepEqual(
      problems.map((p) => [p.severity, p.line]),
      [['error', 0]],
      'one problem, not 80,000 warnings',
    );
    assert.match(problems[0].message, /^Line 1: the settings block is larger than 16 KB: it holds only the title, model/);
    assert.match(problems[0].messageZh, /设置区超过 16 KB/);
    assert.deepEqual(
      storyboard.clips.map((c) => [c.id, c.prompt]),
      [['c1', 'A rainy street.']],
    );
  });

  it('reads a large settings block under the bound in one pass: every repeat found, every unknown key named', () => {
    // Just under the bound: ~1,500 keys, a repeated one at the end (yaml's own check compared each key with every other).
    const keys = Array.from({ length: 1_500 }, (_, i) => `k${i}: v`);
    assert.ok(keys.join('\n').length < LIMITS.frontMatterChars);
    const { problems } = parseStoryboard(`---\n${[...keys, 'k0: again'].join('\n')}\n---\n## A {#a}\nshot\n`);
    assert.equal(problems.filter((p) => /unknown setting/.test(p.message)).length, 1_500);
    assert.deepEqual(
      problems.filter((p) => p.severity === 'error').map((p) => p.message),
      [`Line ${1_500 + 2}: the setting "k0" is also given at line 2: keep one of them.`],
    );
  });

  it('refuses a file larger than any storyboard with one problem, parsing nothing', () => {
    const big = `---\ntitle: Big\n---\n## A {#a}\n${'shot '.repeat(LIMITS.storyboardBytes / 5)}\n`;
    const { storyboard, problems } = parseStoryboard(big);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /^Line 1: this file is larger than 4 MB, far more than a storyboard of 200 clips/);
    assert.deepEqual(storyboard.clips, []);
  });
});

describe('storyboard: any model of the catalog', () => {
  const VEO = [
    '---',
    'title: Veo',
    'model: veo3.1-fast',
    'aspect_ratio: "9:16"',
    'resolution: 720p',
    '---',
    '## A {#a}',
    'first_frame: https://example.com/a.png',
    'last_frame: /tmp/b.png',
    'A street at dawn.',
    '## B {#b}',
    'A door.',
    '',
  ].join('\n');

  it('reads model, aspect_ratio and resolution, takes Veo’s 8 s as the default, and sends the frames', () => {
    const { storyboard, problems } = parseStoryboard(VEO);
    assert.deepEqual(problems, []);
    assert.deepEqual(storyboard.defaults, {
      model: 'veo3.1-fast',
      orientation: 'portrait',
      size: 'small',
      aspectRatio: '9:16',
      resolution: '720p',
      duration: 8,
    });
    const sent = clipParams(storyboard, storyboard.clips[0]);
    assert.deepEqual(
      [sent.model, sent.aspectRatio, sent.resolution, sent.duration, sent.firstFrame, sent.lastFrame],
      ['veo3.1-fast', '9:16', '720p', 8, 'https://example.com/a.png', '/tmp/b.png'],
    );
    assert.equal(clipParams(storyboard, storyboard.clips[1]).firstFrame, undefined);
    const written = formatStoryboard({ ...storyboard, clips: storyboard.clips.map(({ lines: _lines, ...clip }) => clip) });
    assert.match(written, /^aspect_ratio: "?9:16"?$/m);
    assert.match(written, /^resolution: 720p$/m);
    assert.doesNotMatch(written, /^(orientation|size):/m, 'a Veo file is written with its own words');
    assert.match(written, /^first_frame: https:\/\/example\.com\/a\.png\nlast_frame: \/tmp\/b\.png$/m);
    assert.deepEqual(parseStoryboard(written).storyboard.defaults, storyboard.defaults, 'and reads back the same');
  });

  it('refuses what the model does not take at its line, in English and Chinese, naming what it takes', () => {
    const text = ['---', 'model: veo3.1-fast', '画面比例: "4:3"', 'resolution: 4k', '---', '## A {#a}', 'duration: 10', 'A street.', ''].join('\n');
    const { problems } = parseStoryboard(text);
    const at = (line: number) => problems.filter((p) => p.line === line);
    assert.match(at(2)[0].message, /^Line 3: veo3\.1-fast does not take aspect ratio "4:3"\. veo3\.1-fast \(Veo 3\.x\): aspect ratio 16:9, 9:16;/);
    assert.match(at(2)[0].messageZh, /^第 3 行：veo3\.1-fast 不支持画面比例 "4:3"。veo3\.1-fast（Veo 3\.x）：画面比例 16:9、9:16/);
    assert.match(at(3)[0].message, /^Line 4: veo3\.1-fast does not take resolution "4k"\..*resolution 720p/);
    assert.match(at(3)[0].messageZh, /^第 4 行：veo3\.1-fast 不支持分辨率 "4k"/);
    assert.match(at(6)[0].message, /^Line 7: duration 10 is not available for veo3\.1-fast: use 8\..*8 s \(fixed\)/);
    assert.match(at(6)[0].messageZh, /^第 7 行：veo3\.1-fast 不支持 10 秒：请选择 8 秒/);
    assert.equal(at(6)[0].clipIndex, 0);
    assert.ok(problems.every((p) => p.severity === 'error'));
  });

  it('takes first_frame and last_frame only where the model does, with the problem at the frame’s line', () => {
    const file = (model: string, fields: string[]) => ['---', `model: ${model}`, '---', '## A {#a}', ...fields, 'A street.', ''].join('\n');
    const grok = parseStoryboard(file('grok-video-3', ['first_frame: https://example.com/a.png'])).problems;
    assert.equal(grok.length, 1);
    assert.match(grok[0].message, /^Line 5: grok-video-3 takes no first frame\. grok-video-3 \(Grok video\):.*images: up to 6 references, named @img1/);
    assert.match(grok[0].messageZh, /^第 5 行：grok-video-3 不支持首帧。.*@img1/);
    const veo3 = parseStoryboard(file('veo3', ['first_frame: https://example.com/a.png', 'last_frame: https://example.com/b.png'])).problems;
    assert.deepEqual(
      veo3.map((p) => [p.line, p.severity]),
      [[5, 'error']],
    );
    assert.match(veo3[0].message, /^Line 6: veo3 takes no last frame\..*images: one first frame/);
    const lastOnly = parseStoryboard(file('veo3.1-fast', ['last_frame: https://example.com/b.png'])).problems;
    assert.match(lastOnly[0].message, /^Line 5: A last_frame needs a first_frame too\./);
    assert.match(lastOnly[0].messageZh, /^第 5 行：给出 last_frame 时也需要 first_frame。/);
    const both = parseStoryboard(file('veo3.1-fast', ['images: https://example.com/x.png', '首帧: https://example.com/a.png'])).problems;
    assert.equal(both[0].line, 4);
    assert.match(both[0].message, /give either images or first_frame\/last_frame, not both/);
    const scheme = parseStoryboard(file('veo3.1-fast', ['first_frame: ftp://example.com/a.png'])).problems;
    assert.match(scheme[0].message, /^Line 5: first_frame "ftp:\/\/example\.com\/a\.png" is neither an http\(s\) URL nor a file path/);
    assert.match(scheme[0].messageZh, /^第 5 行：first_frame .* 既不是 http\(s\) 链接也不是文件路径/);
  });

  it('says a retired Sora is retired, at its line, naming the model to use, and still reads the file as it meant', () => {
    const { storyboard, problems } = parseStoryboard('---\ntitle: old\n模型: sora-2-pro\nsize: large\nduration: 25\n---\n## A {#a}\nA street.\n');
    assertOnlyRetiredWarning(problems, 2);
    // The editor's quick fix replaces exactly this value with the model the warning names.
    assert.deepEqual(problems[0].fix, { from: 'sora-2-pro', to: replacementModel() });
    assert.equal(replacementModel(), 'veo3.1-fast');
    assert.deepEqual(storyboard.defaults, { model: 'sora-2-pro', orientation: 'landscape', size: 'large', duration: 25 });
    const sent = clipParams(storyboard, storyboard.clips[0]);
    assert.ok(!('aspectRatio' in sent) && !('resolution' in sent), 'a Sora clip sends what it always sent');
    // The fingerprint of a clip written before is the one its records keep: its video stays up to date.
    const v1 = createHash('sha256')
      .update(JSON.stringify(['v1', 'A street.', 'sora-2-pro', 'landscape', 'large', 25, []]))
      .digest('hex')
      .slice(0, 16);
    assert.equal(clipFingerprint(sent), `v1-${v1}`);
    const none = parseStoryboard('---\ntitle: no model\n---\n## A {#a}\nA street.\n');
    assert.deepEqual(none.problems, [], 'a file naming no model is not told about one');
  });

  it('refuses a model the catalog does not know, at its line, and checks nothing model-bound against a guess', () => {
    const { problems } = parseStoryboard('---\nmodel: mystery-video-1\naspect_ratio: "4:3"\n---\n## A {#a}\nA street.\n');
    assert.deepEqual(
      problems.map((p) => p.line),
      [1],
    );
    assert.match(problems[0].message, /^Line 2: Unknown model "mystery-video-1"/);
  });
});
