import assert from 'node:assert/strict';
import { prepareGeneration } from '../../../src/core/params';
import { JuxinClient } from '../../../src/juxin/client';
import { JuxinError } from '../../../src/juxin/errors';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../src/simulator';
import { ManualClock } from '../../../src/util/clock';
import { IMAGES, imageBytes } from '../../fixtures/images';
import { TEST_KEY } from '../simulator/helpers';

/** The client's body of each family, sent over real HTTP to the simulator, which checks it as the relay would (§2). */
describe('JuxinClient: one body per family, built from the catalog', () => {
  let sim: Simulator;
  let api: JuxinClient;
  const open = async (options: SimulatorOptions = {}) => {
    const clock = new ManualClock();
    sim = await startSimulator({ clock, quiet: true, timingJitter: 0, ...options });
    api = new JuxinClient({ apiKey: TEST_KEY, baseUrl: sim.url, clock, timeoutClock: new ManualClock(), retry: { maxAttempts: 1 } });
  };
  beforeEach(() => open());
  afterEach(() => sim.close());

  const send = async (input: Parameters<typeof prepareGeneration>[0]) => {
    const { params, images } = await prepareGeneration(input);
    const task = await api.createVideo(params, { images });
    return sim.tasks.get(task.id)!;
  };

  it('Veo 3.1 fast: aspect_ratio, no duration, a local first frame inline (data: URI) and a URL last frame, through /v1/video/create', async () => {
    const task = await send({ prompt: 'a cat', model: 'veo3.1-fast', orientation: 'portrait', firstFrame: IMAGES.png.path, lastFrame: 'https://x/last.png' });
    assert.deepEqual([task.model, task.aspectRatio, task.duration], ['veo3.1-fast', '9:16', 8]);
    assert.deepEqual(task.images, [`data:image/png;${imageBytes('png').length} bytes`, 'https://x/last.png']);
    assert.deepEqual(
      sim.requests.filter((r) => r.method === 'POST').map((r) => r.path),
      ['/v1/video/create'],
    );
  });

  it('Grok references and Jimeng frames, with their size words and durations', async () => {
    const grok = await send({
      prompt: '@img1 and @img2 dance',
      model: 'grok-video-3',
      aspectRatio: '1:1',
      duration: 15,
      images: ['https://x/a.png', IMAGES.jpg.path],
    });
    assert.deepEqual([grok.aspectRatio, grok.size, grok.duration, grok.images[1]], ['1:1', 'small', 15, `data:image/jpeg;${imageBytes('jpg').length} bytes`]);
    const jimeng = await send({ prompt: 'a cat', model: 'jimeng-video-3.0', aspectRatio: '3:4', resolution: '1080p', duration: 5 });
    assert.deepEqual([jimeng.aspectRatio, jimeng.size, jimeng.duration, jimeng.orientation], ['3:4', 'large', 5, 'portrait']);
  });

  it('Sora keeps its own body, and its multipart route for local files', async () => {
    // About Sora's body: a relay that still carries it (retired by default).
    await sim.close();
    await open({ retireSora: false });
    const sora = await send({ prompt: 'a cat', model: 'sora-2-pro', aspectRatio: '9:16', resolution: '1080p', duration: 25 });
    assert.deepEqual([sora.orientation, sora.size, sora.duration], ['portrait', 'large', 25]);
    await send({ prompt: 'a cat', model: 'sora-2', images: [IMAGES.png.path] });
    assert.deepEqual(
      sim.requests.filter((r) => r.method === 'POST').map((r) => r.path),
      ['/v1/video/create', '/v1/videos'],
    );
  });

  it('a model the key cannot use is model_unavailable, naming what it can use', async () => {
    await sim.close();
    const clock = new ManualClock();
    sim = await startSimulator({ clock, quiet: true, models: ['veo3.1-fast', 'gpt-4o-mini'] });
    api = new JuxinClient({ apiKey: TEST_KEY, baseUrl: sim.url, clock, timeoutClock: new ManualClock(), retry: { maxAttempts: 1 } });
    const { params } = await prepareGeneration({ prompt: 'x', model: 'jimeng-video-3.0' });
    await assert.rejects(api.createVideo(params), (e: unknown) => e instanceof JuxinError && e.kind === 'model_unavailable' && /veo3\.1-fast/.test(e.message));
  });
});
