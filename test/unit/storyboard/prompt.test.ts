import assert from 'node:assert/strict';

import { clipFingerprint, clipParams, effectivePrompt, parseStoryboard, SHOT_PROMPT_RULES, shotPromptRequest, substituteCast } from '../../../src/storyboard';

const CAST = [
  { name: '小林', username: '@kobayashi.rain' },
  { name: '小林子', username: '@kobayashiko.sun' },
  { name: 'Mika', username: '@mika.cafe' },
];

const FILE = `---
title: Test
model: sora-2
orientation: landscape
size: small
duration: 10
style: cinematic, warm tones
cast:
  Mika: "@mika.cafe"
---
## One {#c1}
Shot 1: a street.
Shot 2: @Mika waves.

## Two {#c2}
duration: 15
images: refs/a.png
Shot 1: a café.
`;

function fingerprints(text: string): string[] {
  const { storyboard } = parseStoryboard(text);
  return storyboard.clips.map((clip) => clipFingerprint(clipParams(storyboard, clip)));
}

describe('storyboard: the prompt sent for a clip', () => {
  it('names the cast by username: longest names first, ASCII names on word boundaries, e-mails and usernames left alone', () => {
    assert.equal(
      substituteCast('@小林子 and @小林走进来. @Mika. @Mikael stays. mail@Mika.com too? @mika.cafe already.', CAST),
      '@kobayashiko.sun and @kobayashi.rain走进来. @mika.cafe. @Mikael stays. mail@Mika.com too? @mika.cafe already.',
    );
    assert.equal(substituteCast('no one here', []), 'no one here');
  });

  it('appends the style string once, after the prompt; an empty prompt stays empty', () => {
    const storyboard = { style: '  warm tones \n', cast: CAST };
    assert.equal(effectivePrompt(storyboard, { prompt: 'Shot 1: @Mika.  \r\n\r\n\r\n\r\nShot 2.' }), 'Shot 1: @mika.cafe.\n\nShot 2.\n\nwarm tones');
    assert.equal(effectivePrompt(storyboard, { prompt: 'Already warm tones here.' }), 'Already warm tones here.');
    assert.equal(effectivePrompt(storyboard, { prompt: '  \n ' }), '');
    assert.equal(effectivePrompt({ style: '', cast: [] }, { prompt: 'x' }), 'x');
  });

  it('gives each clip its parameters: the storyboard defaults, its own duration and images', () => {
    const { storyboard } = parseStoryboard(FILE);
    assert.deepEqual(clipParams(storyboard, storyboard.clips[1]), {
      prompt: 'Shot 1: a café.\n\ncinematic, warm tones',
      model: 'sora-2',
      orientation: 'landscape',
      size: 'small',
      duration: 15,
      images: ['refs/a.png'],
    });
    assert.equal(clipParams(storyboard, storyboard.clips[0]).prompt, 'Shot 1: a street.\nShot 2: @mika.cafe waves.\n\ncinematic, warm tones');
  });
});

describe('storyboard: out-of-date detection (fingerprints)', () => {
  const [one, two] = fingerprints(FILE);

  it('is stable, versioned and different per clip', () => {
    assert.match(one, /^v1-[0-9a-f]{16}$/);
    assert.notEqual(one, two);
    assert.deepEqual(fingerprints(FILE), [one, two]);
  });

  it('does not change for edits that change nothing sent: spacing, line ends, titles, subtitles, reordering, notes, comments', () => {
    const edits = [
      FILE.replace(/\n/g, '\r\n'),
      FILE.replace('Shot 2: @Mika waves.', 'Shot 2: @Mika waves.   \n\n\n'),
      FILE.replace('## One {#c1}', '## The opening, renamed {#c1}'),
      FILE.replace('Shot 1: a street.', '\nShot 1: a street.').replace('## Two {#c2}', '## Two {#c2}\n> 00:01.000 --> 00:02.000 a new subtitle'),
      FILE.replace('title: Test', 'title: Another title # with a comment').replace('---\n## One', '---\nSome notes.\n\n## One'),
      FILE.replace('Mika: "@mika.cafe"', 'Mika: "@mika.cafe"\n  Li: "@li.new"'),
    ];
    for (const edit of edits) assert.deepEqual(fingerprints(edit), [one, two], edit);
    const reordered = `${FILE.split('## One')[0]}## Two {#c2}${FILE.split('## Two {#c2}')[1]}\n## One${FILE.split('## One')[1].split('## Two')[0]}`;
    const { storyboard } = parseStoryboard(reordered);
    assert.deepEqual(
      storyboard.clips.map((c) => c.id),
      ['c2', 'c1'],
    );
    assert.deepEqual(fingerprints(reordered), [two, one], 'a clip keeps its fingerprint when it moves');
  });

  it('changes for everything that changes the video', () => {
    const cases: [string, string][] = [
      ['the prompt', FILE.replace('a street.', 'a wet street.')],
      ['the style', FILE.replace('cinematic, warm tones', 'cinematic, cold tones')],
      ["a cast member's username", FILE.replace('"@mika.cafe"', '"@mika.other"')],
      ['the model (with a duration it allows)', FILE.replace('model: sora-2', 'model: sora-2-pro')],
      ['the orientation', FILE.replace('landscape', 'portrait')],
      ['the size', FILE.replace('model: sora-2', 'model: sora-2-pro').replace('size: small', 'size: large')],
      ['the default duration', FILE.replace('duration: 10', 'duration: 15')],
    ];
    for (const [what, text] of cases) assert.notEqual(fingerprints(text)[0], one, what);
    assert.notEqual(fingerprints(FILE.replace('duration: 15', 'duration: 10'))[1], two, "a clip's own duration");
    assert.notEqual(fingerprints(FILE.replace('images: refs/a.png', 'images: refs/b.png'))[1], two, 'its images');
    assert.equal(fingerprints(FILE.replace('duration: 10', 'duration: 15'))[1], two, 'a clip with its own duration ignores the default');
  });
});

describe('storyboard: the shot-prompt rules', () => {
  it('states the rules in both languages: shots, establishing shot, @name cast, no style, no real people', () => {
    assert.match(SHOT_PROMPT_RULES.en, /4 to 6 shots/);
    assert.match(SHOT_PROMPT_RULES.en, /1–2 second establishing shot/);
    assert.match(SHOT_PROMPT_RULES.en, /@name/);
    assert.match(SHOT_PROMPT_RULES.en, /Do not add the style string/);
    assert.match(SHOT_PROMPT_RULES.en, /No real people/);
    assert.match(SHOT_PROMPT_RULES.zh, /4 到 6 个镜头/);
    assert.match(SHOT_PROMPT_RULES.zh, /建立镜头/);
    assert.match(SHOT_PROMPT_RULES.zh, /@名字/);
  });

  it('asks for one clip with its length, cast, style and timed subtitle lines', () => {
    const { storyboard } = parseStoryboard(FILE.replace('## Two {#c2}', '## Two {#c2}\n> 00:01.500 --> 00:04.000 Is there coffee left?'));
    const en = shotPromptRequest(storyboard, storyboard.clips[1], 'en');
    assert.match(en, /^Clip: Two, 15 seconds\.$/m);
    assert.match(en, /^Cast: @Mika$/m);
    assert.match(en, /^Style \(appended automatically, do not repeat it\): cinematic, warm tones$/m);
    assert.match(en, /^00:01\.500–00:04\.000 Is there coffee left\?$/m);
    assert.match(en, /The current draft \(for reference\):\nShot 1: a café\./);
    const zh = shotPromptRequest(storyboard, storyboard.clips[0], 'zh');
    assert.match(zh, /^片段：One，时长 10 秒。$/m);
    assert.match(zh, /这个片段没有字幕。/);
  });
});
