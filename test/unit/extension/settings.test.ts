import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogAspectRatios, catalogModelIds, describeModel, RESOLUTIONS } from '../../../src/catalog';
import { DEFAULT_LIMITS, PRICE_KEY, readPrices } from '../../../src/core/spend';
import { baseUrlProblem } from '../../../src/juxin/http';

const ROOT = path.resolve(__dirname, '../../..');

describe('extension settings', () => {
  it("the base URL setting's pattern accepts exactly what the client accepts", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { pattern?: string }> } };
    };
    const pattern = new RegExp(pkg.contributes.configuration.properties['juxinSora.baseUrl'].pattern!);
    const samples = [
      'https://api.jxincm.cn',
      'https://api.jxincm.cn/v1',
      'https://relay.example:8443/juxin/',
      'http://127.0.0.1:8787',
      'http://localhost:3000/relay',
      'http://[::1]:8080',
      'http://api.jxincm.cn',
      'http://10.0.0.5',
      'https://user:pw@api.jxincm.cn',
      'https://token@api.jxincm.cn',
      'https://api.jxincm.cn/?token=1',
      'https://api.jxincm.cn/#frag',
      'ftp://api.jxincm.cn',
      'api.jxincm.cn',
    ];
    for (const url of samples) assert.equal(pattern.test(url), baseUrlProblem(url) === undefined, url);
  });

  it("declares the daily limits with the engine's defaults, and a prices schema that accepts exactly what the engine reads", () => {
    const props = (
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        contributes: { configuration: { properties: Record<string, { default?: unknown; scope?: string; propertyNames?: { pattern: string } }> } };
      }
    ).contributes.configuration.properties;
    assert.equal(props['juxinSora.dailyVideoLimit'].default, DEFAULT_LIMITS.dailyVideos);
    assert.equal(props['juxinSora.dailySecondsLimit'].default, DEFAULT_LIMITS.dailySeconds);
    // A workspace's settings must not lift the limits.
    for (const key of ['dailyVideoLimit', 'dailySecondsLimit', 'prices']) assert.equal(props[`juxinSora.${key}`].scope, 'machine', key);
    const pattern = new RegExp(props['juxinSora.prices'].propertyNames!.pattern);
    assert.equal(pattern.source, PRICE_KEY.source, 'one rule for a price key');
    const keys = ['sora-2', 'sora-2-pro', 'sora-2-all', 'sora-2/small', 'sora-2-pro/large', 'sora-3', 'gpt-4', 'sora-2/medium', 'Sora-2', 'sora-2-pro/'];
    for (const key of [
      ...keys,
      'veo3.1-fast',
      'veo_3_1-fast',
      'veo3.1/1080p',
      'veo3.1-4k/4k',
      'jimeng-video-3.0/1080p',
      'veo 3.1',
      '/720p',
      'grok-video-3/8k',
    ]) {
      assert.equal(pattern.test(key), readPrices({ [key]: { perVideo: 1 } }).problems.length === 0, key);
    }
  });

  it('suggests the models, ratios and resolutions of the catalog, yet takes any model id (free text), and marks the old shape settings deprecated', () => {
    type Prop = {
      type?: string;
      default?: unknown;
      enum?: unknown[];
      anyOf?: { enum?: unknown[]; type?: string; pattern?: string }[];
      markdownDeprecationMessage?: string;
    };
    const props = (
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, Prop> } } }
    ).contributes.configuration.properties;
    const model = props['juxinSora.defaultModel'];
    assert.equal(model.enum, undefined, 'not an enum: the relay may list models the catalog does not describe');
    assert.equal(model.default, '', 'unset: the engine chooses (Veo 3.1 fast first)');
    // Suggested: every model the catalog describes that was not retired; an empty value means "the engine's choice".
    const suggested = catalogModelIds().filter((id) => !describeModel(id)?.retiredOn);
    assert.deepEqual(model.anyOf?.[0].enum, ['', ...suggested]);
    const free = new RegExp(model.anyOf![1].pattern!);
    for (const id of ['veo3.1-fast', 'some-new-video-3', 'veo_3_1-fast']) assert.ok(free.test(id), id);
    assert.ok(!free.test('veo 3; rm'));
    assert.deepEqual(props['juxinSora.defaultAspectRatio'].anyOf?.[0].enum, ['', ...catalogAspectRatios()]);
    assert.deepEqual(props['juxinSora.defaultResolution'].enum, ['', ...RESOLUTIONS]);
    for (const old of ['defaultOrientation', 'defaultSize']) assert.match(props[`juxinSora.${old}`].markdownDeprecationMessage ?? '', /^%config\./, old);
  });
});
