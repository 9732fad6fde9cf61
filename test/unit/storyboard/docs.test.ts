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
      assert.deepEqual(storyboard.defaults, { model: 'sora-2', orientation: 'landscape', size: 'small', duration: 10 });
      assert.equal(storyboard.cast.length, 2);
      assert.deepEqual(
        storyboard.clips.map((c) => [c.id, c.duration, c.images, c.subtitles.length]),
        [
          ['c1', undefined, [], 2],
          ['c2', 15, ['refs/cafe-door.png'], 3],
        ],
      );
      const sent = clipParams(storyboard, storyboard.clips[1]);
      assert.equal(sent.duration, 15);
      assert.ok(sent.prompt.endsWith(storyboard.style), 'the style string comes last');
      for (const member of storyboard.cast) assert.ok(sent.prompt.includes(member.username), `${member.name} is sent as ${member.username}`);
      assert.doesNotMatch(sent.prompt, /@(Mika|Leo|小林|阿杰)(?![a-z.])/, 'no cast name is left as written');
    });
  }
});
