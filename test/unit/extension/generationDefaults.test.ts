import assert from 'node:assert/strict';
import { readGenerationDefaults } from '../../../src/extension/generationDefaults';

/** A configuration as VS Code gives it: `get` of what the user set (nothing else, so the package's defaults are not assumed here). */
const settings = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });

describe('extension/generationDefaults: the settings a generation starts from', () => {
  it('leaves the model to the engine when none is set, and says the old defaults otherwise', () => {
    assert.deepEqual(readGenerationDefaults(settings({})), { orientation: 'landscape', size: 'small', duration: 10, watermark: false, private: true });
    assert.deepEqual(readGenerationDefaults(settings({ defaultModel: '  ' })).model, undefined, 'blank is unset');
  });

  it('takes any model id (the relay may list models the catalog does not describe)', () => {
    assert.equal(readGenerationDefaults(settings({ defaultModel: ' veo3.1-fast ' })).model, 'veo3.1-fast');
    assert.equal(readGenerationDefaults(settings({ defaultModel: 'some-new-video-model' })).model, 'some-new-video-model');
  });

  it('maps the new aspect ratio and resolution onto the old words, so both agree', () => {
    const d = readGenerationDefaults(
      settings({ defaultAspectRatio: '9:16', defaultResolution: '1080P', defaultOrientation: 'landscape', defaultSize: 'small' }),
    );
    assert.deepEqual([d.aspectRatio, d.orientation, d.resolution, d.size], ['9:16', 'portrait', '1080p', 'large']);
  });

  it('still reads the deprecated orientation and size while the new settings are empty', () => {
    const d = readGenerationDefaults(
      settings({ defaultAspectRatio: '', defaultResolution: '', defaultOrientation: 'portrait', defaultSize: 'large', defaultDuration: 15 }),
    );
    assert.deepEqual([d.aspectRatio, d.orientation, d.resolution, d.size, d.duration], [undefined, 'portrait', undefined, 'large', 15]);
  });

  it('reads a hand-written value of the wrong kind as unset, never as something else', () => {
    const d = readGenerationDefaults(
      settings({
        defaultAspectRatio: 'wide',
        defaultResolution: '8k',
        defaultOrientation: 'sideways',
        defaultSize: 7,
        defaultDuration: '10',
        defaultWatermark: 'yes',
      }),
    );
    assert.deepEqual(d, { orientation: 'landscape', size: 'small', duration: 10, watermark: false, private: true });
  });
});
