import assert from 'node:assert/strict';

import { draftFromSubtitles, formatStoryboard, MAX_STORYBOARD_CLIPS, parseSrt, parseStoryboard, SrtError } from '../../../src/storyboard';
import { longSrt } from '../../fixtures/subtitles';

const OPTIONS = { title: 'Long', model: 'sora-2', orientation: 'landscape', size: 'small' } as const;

describe('storyboard: a storyboard has at most MAX_STORYBOARD_CLIPS clips, however it is made', () => {
  it('is 200, the same bound as the clips a caller may give', () => {
    assert.equal(MAX_STORYBOARD_CLIPS, 200);
  });

  it('refuses to draft more clips than that from subtitles, saying how many and what to do, in both languages', () => {
    const cues = parseSrt(longSrt(20_000));
    assert.throws(
      () => draftFromSubtitles(cues, OPTIONS),
      (e: unknown) =>
        e instanceof SrtError &&
        /3334 clips/.test(e.message) &&
        /at most 200/.test(e.message) &&
        /split the subtitle file/i.test(e.message) &&
        /3334 个片段/.test(e.messageZh) &&
        /最多 200 个/.test(e.messageZh),
    );
  });

  it('drafts up to the bound', () => {
    // Six lines a clip: 1,200 lines make exactly 200 clips, 1,206 make 201.
    assert.equal(draftFromSubtitles(parseSrt(longSrt(1_200)), OPTIONS).draft.clips.length, MAX_STORYBOARD_CLIPS);
    assert.throws(() => draftFromSubtitles(parseSrt(longSrt(1_206)), OPTIONS), /201 clips/);
  });

  it('reports a storyboard file with more clips as an error (generate_storyboard then refuses it whole)', () => {
    const clips = Array.from({ length: MAX_STORYBOARD_CLIPS + 1 }, (_, i) => ({ title: `C${i}`, prompt: `Shot ${i}.`, images: [], subtitles: [] }));
    const text = formatStoryboard(
      { title: 'Too long', defaults: { model: 'sora-2', orientation: 'landscape', size: 'small', duration: 10 }, style: '', cast: [], clips },
      { language: 'en' },
    );
    const errors = parseStoryboard(text).problems.filter((p) => p.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors.slice(0, 3)));
    assert.match(errors[0].message, /201 clips: at most 200/);
    assert.match(errors[0].messageZh, /201 个片段/);
    const fine = formatStoryboard(
      { title: 'Just fits', defaults: { model: 'sora-2', orientation: 'landscape', size: 'small', duration: 10 }, style: '', cast: [], clips: clips.slice(1) },
      { language: 'en' },
    );
    assert.deepEqual(
      parseStoryboard(fine).problems.filter((p) => p.severity === 'error'),
      [],
    );
  });
});
