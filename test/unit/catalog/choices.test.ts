import assert from 'node:assert/strict';
import {
  capabilityWords,
  catalogAspectRatios,
  catalogModelIds,
  describeCapabilities,
  describeModel,
  imageWords,
  modelChoices,
  offeredModels,
} from '../../../src/catalog';

describe('catalog/choices: what a person chooses among for one model (the palette, storyboards)', () => {
  it('offers what the relay lists for the key, or the whole catalog when it cannot say', () => {
    assert.deepEqual(offeredModels(['veo3.1-fast', 'some-new-video']), ['veo3.1-fast', 'some-new-video']);
    assert.deepEqual(offeredModels(undefined), catalogModelIds());
    assert.deepEqual(offeredModels([]), [], 'a key that can use no video model is offered none, not the catalog');
  });

  it('Veo: one length and one resolution (nothing to ask), two ratios, its two switches, frames', () => {
    const veo = modelChoices('veo3.1-fast');
    assert.deepEqual(veo.durations, [8]);
    assert.deepEqual(veo.resolutions, ['720p']);
    assert.deepEqual(veo.aspectRatios, ['16:9', '9:16']);
    assert.deepEqual(veo.toggles, ['enhance_prompt', 'enable_upsample']);
    assert.deepEqual(veo.images, { meaning: 'frames', max: 2 });
    assert.equal(veo.described, true);
  });

  it('Sora: its lengths, and watermark and private as switches (its character needs a video, so it is not one)', () => {
    const pro = modelChoices('sora-2-pro');
    assert.deepEqual(pro.durations, [10, 15, 25]);
    assert.deepEqual(pro.resolutions, ['720p', '1080p']);
    assert.deepEqual(pro.toggles, ['watermark', 'private']);
    assert.deepEqual(modelChoices('grok-video-3').toggles, [], 'Grok has no switch');
  });

  it('a model the catalog does not describe: the shared fields only (no resolution, no switches), with values some family takes', () => {
    const other = modelChoices('some-new-video');
    assert.equal(other.described, false);
    assert.deepEqual(other.resolutions, []);
    assert.deepEqual(other.toggles, []);
    assert.deepEqual(other.aspectRatios, catalogAspectRatios());
    assert.deepEqual(other.aspectRatios.slice(0, 2), ['16:9', '9:16'], 'the common ratios first');
    assert.ok(other.durations.includes(8) && other.durations.includes(10), String(other.durations));
    assert.deepEqual(
      [...other.durations].sort((a, b) => a - b),
      other.durations,
      'shortest first',
    );
    assert.equal(other.images.max, 6, "the most any family takes (Grok's references)");
  });

  it('says what a model takes without its name (beside the name in a picker), the same words as the full sentence', () => {
    const spec = describeModel('veo3.1-fast')!;
    const words = capabilityWords(spec);
    const full = describeCapabilities(spec);
    assert.equal(full.en, `veo3.1-fast (Veo 3.x): ${words.en}`);
    assert.equal(full.zh, `veo3.1-fast（Veo 3.x）：${words.zh}`);
    assert.doesNotMatch(words.en, /veo3\.1-fast/);
    assert.deepEqual(imageWords(spec.images), { en: 'a first frame and optionally a last frame', zh: '首帧，可再加尾帧' });
  });
});
