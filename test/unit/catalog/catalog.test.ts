import assert from 'node:assert/strict';
import { catalogModelIds, describeCapabilities, describeModel, familyOf, PREFERRED_MODELS, sameModel } from '../../../src/catalog';
import { unifiedBody } from '../../../src/juxin/body';
import { validateGenerationParams } from '../../../src/core/params';

describe('catalog: every unified-format family described once', () => {
  it('knows each family by its ids and aliases, and nothing else', () => {
    assert.equal(familyOf('veo3.1-fast')?.id, 'veo');
    assert.equal(familyOf('veo_3_1-fast')?.id, 'veo');
    assert.equal(familyOf('veo2')?.id, 'veo');
    assert.equal(familyOf('sora-2-pro')?.id, 'sora');
    assert.equal(familyOf('sora_video2')?.id, 'sora');
    assert.equal(familyOf('grok-video-3-10s')?.id, 'grok');
    assert.equal(familyOf('jimeng-video-3.0')?.id, 'jimeng');
    assert.equal(familyOf('gpt-4o-mini'), undefined);
    assert.equal(familyOf('doubao-seedance-1-0-pro-250528'), undefined, 'Seedance has its own route, not the unified format');
    assert.ok(sameModel('veo_3_1-fast', 'veo3.1-fast'));
    assert.ok(!sameModel('veo3.1', 'veo3.1-fast'));
    for (const id of catalogModelIds()) assert.ok(describeModel(id), id);
    assert.equal(PREFERRED_MODELS[0], 'veo3.1-fast');
  });

  it('Veo: 8 s fixed, 16:9 or 9:16, frames or components by variant, 4k by id, its own switches', () => {
    const fast = describeModel('veo3.1-fast')!;
    assert.deepEqual([fast.durations, fast.fixedDuration, fast.aspectRatios, fast.resolutions], [[8], true, ['16:9', '9:16'], ['720p']]);
    assert.deepEqual(fast.images, { meaning: 'frames', max: 2 });
    assert.deepEqual(fast.switches, ['enhance_prompt', 'enable_upsample']);
    assert.deepEqual(describeModel('veo3.1-components')!.images, { meaning: 'components', max: 3 });
    assert.deepEqual(describeModel('veo3.1-pro-4k')!.resolutions, ['4k']);
    assert.deepEqual(describeModel('veo3')!.images, { meaning: 'frames', max: 1 }, 'older Veo: one first frame');
    assert.deepEqual(describeModel('veo3-frames')!.images, { meaning: 'frames', max: 2 });
  });

  it('Sora, Grok, Jimeng: their durations, ratios, resolutions and images', () => {
    assert.deepEqual(describeModel('sora-2')!.durations, [10, 15]);
    assert.deepEqual(describeModel('sora-2-pro')!.durations, [10, 15, 25]);
    assert.deepEqual(describeModel('sora-2-pro')!.resolutions, ['720p', '1080p']);
    assert.equal(describeModel('sora-2')!.retiredOn, '2026-09-24');
    assert.deepEqual(describeModel('grok-video-3')!.durations, [6, 10, 15]);
    assert.deepEqual(describeModel('grok-video-3-15s')!.durations, [15]);
    assert.deepEqual(describeModel('grok-video-3')!.aspectRatios, ['3:2', '2:3', '1:1']);
    assert.deepEqual(describeModel('grok-video-3')!.images, { meaning: 'references', max: 6 });
    assert.deepEqual(describeModel('jimeng-video-3.0')!.aspectRatios, ['16:9', '9:16', '4:3', '3:4', '1:1', '21:9']);
    assert.deepEqual(describeModel('jimeng-video-3.0')!.resolutions, ['720p', '1080p']);
  });

  it('says what a model takes in English and Chinese', () => {
    const { en, zh } = describeCapabilities(describeModel('veo3.1-fast')!);
    assert.match(en, /veo3\.1-fast \(Veo 3\.x\): aspect ratio 16:9, 9:16; resolution 720p; 8 s \(fixed\); images: a first frame and optionally a last frame/);
    assert.match(zh, /画面比例 16:9、9:16.*8 秒（固定）.*首帧/);
  });

  it("builds each family's unified body from our parameters", () => {
    const body = (input: Parameters<typeof validateGenerationParams>[0]) => unifiedBody(validateGenerationParams(input));
    assert.deepEqual(body({ prompt: 'a cat', model: 'sora-2', orientation: 'portrait' }), {
      prompt: 'a cat',
      model: 'sora-2',
      images: [],
      orientation: 'portrait',
      size: 'small',
      duration: 10,
      watermark: false,
      private: true,
    });
    assert.deepEqual(
      body({ prompt: 'a cat', model: 'veo3.1-fast', aspectRatio: '9:16', firstFrame: 'https://x/a.png', lastFrame: 'https://x/b.png', enhancePrompt: true }),
      { prompt: 'a cat', model: 'veo3.1-fast', images: ['https://x/a.png', 'https://x/b.png'], aspect_ratio: '9:16', enhance_prompt: true },
    );
    assert.deepEqual(body({ prompt: 'a cat @img1', model: 'grok-video-3', orientation: 'portrait', duration: 6, images: ['https://x/a.png'] }), {
      prompt: 'a cat @img1',
      model: 'grok-video-3',
      images: ['https://x/a.png'],
      aspect_ratio: '2:3',
      size: '720P',
      duration: 6,
    });
    assert.deepEqual(body({ prompt: 'a cat', model: 'jimeng-video-3.0', aspectRatio: '21:9', resolution: '1080p' }), {
      prompt: 'a cat',
      model: 'jimeng-video-3.0',
      images: [],
      aspect_ratio: '21:9',
      size: '1080P',
      duration: 10,
    });
  });
});
