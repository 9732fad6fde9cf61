import assert from 'node:assert/strict';
import { defaultModel, ParamError, prepareGeneration, settingNotUsable, validateGenerationParams } from '../../../src/core/params';
import { IMAGES } from '../../fixtures/images';

type Input = Parameters<typeof validateGenerationParams>[0];

/** Refused before anything is sent, naming the field and what the model takes, in both languages. */
const refused = (input: Input, field: string, pattern: RegExp, usable?: readonly string[]) =>
  assert.throws(
    () => validateGenerationParams(input, {}, usable),
    (e: unknown) => {
      assert.ok(e instanceof ParamError, String(e));
      assert.equal(e.field, field);
      assert.match(e.message, pattern);
      assert.match(e.messageZh, /[\u4e00-\u9fff]/, 'a Chinese message too');
      return true;
    },
  );

describe('core/params: every value checked against the chosen model (the catalog)', () => {
  it('Veo 3.1 fast: 8 s, 16:9 by default, the old orientation mapped, its switches kept', () => {
    const p = validateGenerationParams({ prompt: 'a cat', model: 'veo3.1-fast', orientation: 'portrait', enableUpsample: true });
    assert.deepEqual([p.duration, p.aspectRatio, p.orientation, p.resolution, p.enableUpsample], [8, '9:16', 'portrait', '720p', true]);
    assert.equal(validateGenerationParams({ prompt: 'x', model: 'veo3.1-fast' }).aspectRatio, '16:9');
    // A default the model does not take gives way (the settings' 10 s), an explicit value does not.
    assert.equal(validateGenerationParams({ prompt: 'x', model: 'veo3.1' }, { duration: 15, size: 'large' }).duration, 8);
    refused({ prompt: 'x', model: 'veo3.1-fast', duration: 10 }, 'duration', /not available for veo3\.1-fast: use 8\. .*8 s \(fixed\)/);
    refused({ prompt: 'x', model: 'veo3.1-fast', aspectRatio: '1:1' }, 'aspectRatio', /does not take aspect ratio "1:1"\. .*16:9, 9:16/);
    refused({ prompt: 'x', model: 'veo3.1-fast', resolution: '4k' }, 'resolution', /does not take resolution "4k"/);
    refused({ prompt: 'x', model: 'veo3.1-fast', watermark: true }, 'watermark', /no watermark switch/);
    refused({ prompt: 'x', model: 'veo3.1-fast', images: ['https://x/1.png', 'https://x/2.png', 'https://x/3.png'] }, 'images', /At most 2 images/);
    refused({ prompt: 'x', model: 'veo3.1-components', firstFrame: 'https://x/1.png' }, 'firstFrame', /takes no first frame.*elements of the scene/);
    refused({ prompt: 'x', model: 'veo3', firstFrame: 'https://x/1.png', lastFrame: 'https://x/2.png' }, 'lastFrame', /takes no last frame/);
    refused({ prompt: 'x', model: 'veo3.1', lastFrame: 'https://x/2.png' }, 'lastFrame', /needs a first_frame/);
    refused({ prompt: 'x', model: 'veo3.1', firstFrame: 'https://x/1.png', images: ['https://x/2.png'] }, 'images', /either images or first_frame/);
  });

  it('Sora keeps its own words; other families refuse its switches', () => {
    const sora = validateGenerationParams({ prompt: 'x', model: 'sora-2-pro', aspectRatio: '9:16', resolution: '1080p', duration: 25 });
    assert.deepEqual([sora.orientation, sora.size, sora.aspectRatio, sora.resolution], ['portrait', 'large', undefined, undefined]);
    refused({ prompt: 'x', model: 'sora-2', firstFrame: 'https://x/1.png' }, 'firstFrame', /sora-2 takes no first frame.*images to animate/);
    refused({ prompt: 'x', model: 'sora-2', enhancePrompt: true }, 'enhancePrompt', /no enhance_prompt switch/);
    refused({ prompt: 'x', model: 'jimeng-video-3.0', private: true }, 'private', /no private switch/);
    refused({ prompt: 'x', model: 'grok-video-3', characterUrl: 'https://x/v.mp4' }, 'characterUrl', /no character_url switch/);
    // What records of other families keep (false) reads back: a retry of one passes them.
    assert.equal(validateGenerationParams({ prompt: 'x', model: 'jimeng-video-3.0', private: false, watermark: false }).model, 'jimeng-video-3.0');
  });

  it('Grok and Jimeng: their ratios, sizes, durations and images', () => {
    const grok = validateGenerationParams({ prompt: '@img1 dances', model: 'grok-video-3', images: Array.from({ length: 6 }, (_, i) => `https://x/${i}.png`) });
    assert.deepEqual([grok.aspectRatio, grok.duration, grok.images.length], ['3:2', 10, 6]);
    refused({ prompt: 'x', model: 'grok-video-3', aspectRatio: '16:9' }, 'aspectRatio', /3:2, 2:3, 1:1/);
    refused({ prompt: 'x', model: 'grok-video-3', size: 'large' }, 'size', /does not take size "large"/);
    refused({ prompt: 'x', model: 'grok-video-3-10s', duration: 15 }, 'duration', /use 10\./);
    const jimeng = validateGenerationParams({ prompt: 'x', model: 'jimeng-video-3.0', aspectRatio: '4:3', size: 'large', firstFrame: 'https://x/1.png' });
    assert.deepEqual([jimeng.aspectRatio, jimeng.resolution, jimeng.firstFrame, jimeng.duration], ['4:3', '1080p', 'https://x/1.png', 10]);
    refused({ prompt: 'x', model: 'jimeng-video-3.0', duration: 8 }, 'duration', /use 5 or 10/);
    refused({ prompt: 'x', model: 'jimeng-video-3.0', aspectRatio: '16:9', orientation: 'portrait' }, 'orientation', /disagree/);
  });

  it('what the key can use: refused before sending, an undescribed video model takes the common fields', () => {
    const usable = ['veo3.1-fast', 'grok-video-3', 'kling-video-9'];
    refused(
      { prompt: 'x', model: 'sora-2' },
      'model',
      /cannot use sora-2 \(Sora 2 was retired upstream on 2026-09-24\)\. It can use: veo3\.1-fast, grok-video-3, kling-video-9/,
      usable,
    );
    const other = validateGenerationParams({ prompt: 'x', model: 'kling-video-9', aspectRatio: '1:1', duration: 7 }, {}, usable);
    assert.deepEqual([other.undescribed, other.aspectRatio, other.duration], [true, '1:1', 7]);
    refused({ prompt: 'x', model: 'kling-video-9', firstFrame: 'https://x/a.png' }, 'firstFrame', /takes no first frame\. Use images instead/, usable);
    refused({ prompt: 'x', model: 'kling-video-9' }, 'model', /Unknown model "kling-video-9"/);
    assert.equal(validateGenerationParams({ prompt: 'x', model: 'veo_3_1-fast' }, {}, usable).model, 'veo_3_1-fast', 'an alias of a listed model');
  });

  it('the default model: the setting when usable, else the preference list (Veo 3.1 fast first), never an unlisted one', () => {
    assert.equal(defaultModel(undefined), 'sora-2', 'nothing known: the catalog alone, as before');
    assert.equal(defaultModel(undefined, 'veo3.1'), 'veo3.1');
    assert.equal(defaultModel(['sora-2', 'veo3.1', 'veo3.1-fast']), 'veo3.1-fast');
    assert.equal(defaultModel(['sora-2', 'veo3.1', 'veo3.1-fast'], 'sora-2'), 'sora-2');
    assert.equal(defaultModel(['veo3.1', 'grok-video-3'], 'sora-2'), 'veo3.1', 'a setting the relay does not list gives way');
    assert.equal(defaultModel(['kling-video-9']), 'kling-video-9');
    assert.equal(validateGenerationParams({ prompt: 'x' }, {}, ['grok-video-3', 'veo3.1']).model, 'veo3.1');
  });

  it('reads each local frame once, and names the field of one that cannot be used', async () => {
    const prepared = await prepareGeneration({ prompt: 'x', model: 'veo3.1', firstFrame: IMAGES.png.path, lastFrame: 'https://x/b.png' });
    assert.deepEqual(
      prepared.images.map((i) => i.path),
      [IMAGES.png.path],
    );
    await assert.rejects(
      prepareGeneration({ prompt: 'x', model: 'veo3.1', firstFrame: 'relative/a.png' }),
      (e: unknown) => e instanceof ParamError && e.field === 'firstFrame',
    );
  });

  it('says a default model in the settings this key cannot use (a retired Sora), with the model used instead and where to choose, in both languages', () => {
    const where = { en: 'the model step', zh: '模型这一步' };
    const note = settingNotUsable('sora-2', 'veo3.1-fast', where)!;
    assert.match(
      note.en,
      /^Your default model sora-2 is not available to this API key \(Sora 2 was retired upstream on 2026-09-24\), so this video uses veo3\.1-fast\. Set the default model to one the model step shows\.$/,
    );
    assert.match(
      note.zh,
      /sora-2 此 API Key 无法使用（Sora 2 已于 2026-09-24 被上游下线），本次改用 veo3\.1-fast。请把默认模型改为模型这一步列出的模型之一。$/,
    );
    assert.equal(settingNotUsable(undefined, 'veo3.1-fast', where), undefined, 'no setting: nothing to say');
    assert.equal(settingNotUsable('veo_3_1-fast', 'veo3.1-fast', where), undefined, 'an alias of the model used is the setting itself');
    assert.doesNotMatch(settingNotUsable('grok-video-3', 'veo3.1-fast', where)!.en, /retired/, 'only a retired family is called retired');
  });
});
