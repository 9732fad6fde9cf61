import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { clipParams, parseStoryboard } from '../../../src/storyboard';

/** The complete examples in docs/storyboard.md are real storyboards: they must read without a single problem. */
describe('storyboard: the examples in docs/storyboard.md', () => {
  const doc = readFileSync(path.join(__dirname, '../../../docs/storyboard.md'), 'utf8');
  const examples = [...doc.matchAll(/```markdown\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('has a complete example in English and in Chinese', () => {
    assert.equal(examples.length, 2);
    assert.match(examples[0], /title: Rainy Night Café/);
    assert.match(examples[1], /title: 雨夜咖啡馆/);
  });

  for (const [i, language] of ['English', 'Chinese'].entries()) {
    it(`reads the ${language} example without problems: settings, cast, two clips with their own settings and subtitles`, () => {
      const { storyboard, problems } = parseStoryboard(examples[i]);
      assert.deepEqual(problems, []);
      // The examples show a model the relay serves (Veo 3.1 fast, 8 s clips, a first and last frame), not the retired Sora.
      assert.deepEqual(storyboard.defaults, {
        model: 'veo3.1-fast',
        orientation: 'landscape',
        size: 'small',
        aspectRatio: '16:9',
        resolution: '720p',
        duration: 8,
      });
      assert.equal(storyboard.cast.length, 0, 'a cast is of Sora characters');
      assert.deepEqual(
        storyboard.clips.map((c) => [c.id, c.duration, c.images, c.firstFrame, c.lastFrame, c.subtitles.length]),
        [
          ['c1', undefined, [], undefined, undefined, 2],
          ['c2', undefined, [], 'refs/cafe-door.png', 'refs/counter.png', 3],
        ],
      );
      const sent = clipParams(storyboard, storyboard.clips[1]);
      assert.equal(sent.duration, 8);
      assert.equal(sent.aspectRatio, '16:9');
      assert.deepEqual([sent.firstFrame, sent.lastFrame], ['refs/cafe-door.png', 'refs/counter.png']);
      assert.ok(sent.prompt.endsWith(storyboard.style), 'the style string comes last');
    });
  }
});
