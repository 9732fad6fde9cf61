import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { IMAGES } from '../../fixtures/images';
import { inProcess, textOf, type InProcess } from './helpers';

type ListOutput = {
  models: { id: string; described: boolean; family?: string; durations?: number[]; price?: { per_video?: number } }[];
  default_model: string;
  source: string;
};

describe('mcp: list_models and generating with any model the key can use', function () {
  this.timeout(300_000);
  let t: InProcess | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  // No model setting: the default is the relay's Veo 3.1 fast (the fixture otherwise plays a sora-2 user).
  const noSetting = { defaults: () => ({}) };

  it('lists the video models the key can use with what each takes and the user’s price; generate_video’s description follows', async () => {
    t = await inProcess({ engine: { ...noSetting, spendLimits: () => ({ dailyVideos: 0, dailySeconds: 0, prices: { 'veo3.1-fast': { perVideo: 2 } } }) } });
    const before = (await t.client.listTools()).tools.find((x) => x.name === 'generate_video')!;
    assert.doesNotMatch(JSON.stringify(before.inputSchema), /This key can use/);
    const result = await t.call('list_models', {});
    assert.ok(!result.isError, textOf(result));
    const out = result.structuredContent as ListOutput;
    assert.equal(out.source, 'relay');
    assert.equal(out.default_model, 'veo3.1-fast');
    const ids = out.models.map((m) => m.id);
    assert.ok(ids.includes('veo3.1-fast') && ids.includes('grok-video-3') && ids.includes('jimeng-video-3.0'), ids.join());
    assert.ok(!ids.includes('gpt-4o-mini') && !ids.includes('gpt-image-1'), 'chat and image models are left out');
    const veo = out.models.find((m) => m.id === 'veo3.1-fast')!;
    assert.deepEqual([veo.family, veo.durations, veo.price], ['Veo 3.x', [8], { per_video: 2 }]);
    assert.equal(
      out.models.find((m) => m.id === 'doubao-seedance-1-0-pro-250528')?.described,
      false,
      'a video model of no described family: common fields only',
    );
    assert.match(textOf(result), /veo3\.1-fast \(Veo 3\.x\): aspect ratio 16:9, 9:16/);
    const after = (await t.client.listTools()).tools.find((x) => x.name === 'generate_video')!;
    assert.match(
      (after.inputSchema.properties as Record<string, { description: string }>).model.description,
      /default "veo3\.1-fast"\)\. This key can use: .*veo3\.1-fast/,
    );
    const resource = await t.client.readResource({ uri: 'juxin-sora://models' });
    assert.equal((JSON.parse((resource.contents[0] as { text: string }).text) as ListOutput).default_model, 'veo3.1-fast');
  });

  it('generates with Veo 3.1 fast by default, from a local first frame, to a saved MP4; the record keeps the request sent', async () => {
    t = await inProcess({ engine: noSetting });
    const result = await t.call('generate_video', {
      prompt: 'the cat in the photo stretches',
      first_frame: IMAGES.png.path,
      aspect_ratio: '9:16',
      timeout_seconds: 3600,
    });
    assert.ok(!result.isError, textOf(result));
    const out = result.structuredContent as { task_id: string; local_path: string; download_state: string; params: Record<string, unknown> };
    assert.equal(out.download_state, 'done', textOf(result));
    assert.deepEqual([out.params.model, out.params.duration, out.params.aspect_ratio, out.params.first_frame], ['veo3.1-fast', 8, '9:16', IMAGES.png.path]);
    assert.ok(existsSync(out.local_path));
    assert.equal(readFileSync(out.local_path).subarray(4, 8).toString('latin1'), 'ftyp', 'an MP4');
    const record = t.engine.get(out.task_id)!;
    assert.deepEqual(record.request, {
      path: '/v1/video/create',
      json: { prompt: 'the cat in the photo stretches', model: 'veo3.1-fast', images: [IMAGES.png.path], aspect_ratio: '9:16' },
    });
    const sent = t.sim.tasks.get(out.task_id)!;
    assert.match(sent.images[0], /^data:image\/png;\d+ bytes$/, 'the local frame went inline');
    const remix = await t.call('remix_video', { task_id: out.task_id, prompt: 'again' });
    assert.equal(remix.isError, true);
    assert.match(textOf(remix), /only Sora videos can be remixed/);
  });

  it('refuses what the model does not take, and a model the relay does not list, before anything is sent', async () => {
    t = await inProcess({ engine: noSetting, simulator: { retireSora: true } });
    const duration = await t.call('generate_video', { prompt: 'x', model: 'veo3.1-fast', duration: 10, wait: false });
    assert.equal(duration.isError, true);
    assert.match(textOf(duration), /duration 10 is not available for veo3\.1-fast: use 8\./);
    assert.match(textOf(duration), /veo3\.1-fast 不支持 10 秒/);
    const sora = await t.call('generate_video', { prompt: 'x', model: 'sora-2', wait: false });
    assert.equal(sora.isError, true);
    assert.match(textOf(sora), /cannot use sora-2 \(Sora 2 was retired upstream on 2026-09-24\)\. It can use: .*veo3\.1-fast/);
    const frames = await t.call('generate_video', { prompt: 'x', model: 'grok-video-3', first_frame: 'https://x/a.png', wait: false });
    assert.match(textOf(frames), /grok-video-3 takes no first frame.*references/);
    assert.equal(t.posts(), 0);
  });

  it("says once that the user's default model is gone (a retired Sora in the settings), and uses the key's default instead", async () => {
    const settings = { model: 'sora-2' };
    t = await inProcess({ engine: { defaults: () => settings }, server: { defaults: settings }, simulator: { retireSora: true } });
    const first = await t.call('generate_video', { prompt: 'a lighthouse', wait: false });
    assert.ok(!first.isError, textOf(first));
    assert.equal((first.structuredContent as { params: { model: string } }).params.model, 'veo3.1-fast');
    assert.match(
      textOf(first),
      /Your default model sora-2 is not available to this API key \(Sora 2 was retired upstream on 2026-09-24\), so this video uses veo3\.1-fast\./,
    );
    assert.match(textOf(first), /默认模型 sora-2 此 API Key 无法使用/);
    const second = await t.call('generate_video', { prompt: 'a harbour', wait: false });
    assert.doesNotMatch(textOf(second), /default model/, 'said once');
  });
});
