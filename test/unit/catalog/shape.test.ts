import assert from 'node:assert/strict';
import { modelName, shapeLine, videoShape } from '../../../src/catalog';

describe('catalog/shape: what a video is, as every front end shows it', () => {
  it('names a model of a known family by its words, an alias by its one spelling, any other model by its id', () => {
    assert.equal(modelName('veo3.1-fast'), 'Veo 3.1 Fast');
    assert.equal(modelName('veo_3_1-fast'), 'Veo 3.1 Fast');
    assert.equal(modelName('veo3.1-pro-4k'), 'Veo 3.1 Pro 4K');
    assert.equal(modelName('sora-2'), 'Sora 2');
    assert.equal(modelName('sora-2-pro'), 'Sora 2 Pro');
    assert.equal(modelName('grok-video-3'), 'Grok Video 3');
    assert.equal(modelName('jimeng-video-3.0'), 'Jimeng Video 3.0');
    assert.equal(modelName('hunyuan-video-x'), 'hunyuan-video-x', 'an unknown family keeps its id');
    assert.equal(modelName('kling-v2'), 'kling-v2', 'a family on its own route is not ours to name');
  });

  it('reads a new record by its aspect ratio and resolution', () => {
    assert.deepEqual(videoShape({ model: 'veo3.1-fast', orientation: 'portrait', size: 'small', aspectRatio: '9:16', resolution: '720p', duration: 8 }), {
      model: 'veo3.1-fast',
      modelName: 'Veo 3.1 Fast',
      aspectRatio: '9:16',
      resolution: '720p',
      duration: 8,
    });
    assert.equal(
      videoShape({ model: 'grok-video-3', orientation: 'landscape', size: 'small', aspectRatio: '3:2', resolution: '720p', duration: 6 }).aspectRatio,
      '3:2',
    );
    assert.equal(videoShape({ model: 'veo3.1-4k', size: 'large', aspectRatio: '16:9', resolution: '4k', duration: 8 }).resolution, '4k');
  });

  it('reads a record from the Sora days by its orientation and size', () => {
    const old = videoShape({ model: 'sora-2-pro', orientation: 'portrait', size: 'large', duration: 25 });
    assert.deepEqual([old.modelName, old.aspectRatio, old.resolution, old.duration], ['Sora 2 Pro', '9:16', '1080p', 25]);
    const landscape = videoShape({ model: 'sora-2', orientation: 'landscape', size: 'small', duration: 10 });
    assert.deepEqual([landscape.aspectRatio, landscape.resolution], ['16:9', '720p']);
  });

  it("says model, aspect ratio and length on one line, the length in the reader's words", () => {
    const shape = videoShape({ model: 'veo3.1-fast', aspectRatio: '16:9', resolution: '720p', duration: 8 });
    assert.equal(shapeLine(shape), 'Veo 3.1 Fast · 16:9 · 8 s');
    assert.equal(
      shapeLine(shape, (n) => `${n} 秒`),
      'Veo 3.1 Fast · 16:9 · 8 秒',
    );
  });
});
