import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { call, ensureBuilt, out, removeHome, SERVER_JS, type ServerHandle, simulator, startServer, TEST_KEY, tempHome, text } from './harness';
import type { Simulator } from '../../src/simulator';
import { imageBytes } from '../fixtures/images';

describe('stdio server: bad input, keys and configuration', function () {
  this.timeout(300_000);
  let sim: Simulator;
  let home: string;
  let server: ServerHandle;

  beforeEach(async () => {
    sim = await simulator();
    home = tempHome();
  });

  afterEach(async () => {
    await server?.close();
    await sim.close();
    removeHome(home);
  });

  const creates = () => sim.requests.filter((r) => r.method === 'POST').length;

  describe('with a key', () => {
    beforeEach(async () => {
      server = await startServer({ JUXIN_API_KEY: TEST_KEY, JUXIN_BASE_URL: sim.url, JUXIN_SORA_HOME: home });
    });

    const rejects = async (args: Record<string, unknown>, pattern: RegExp) => {
      const { result } = await call(server.client, 'generate_video', args);
      assert.equal(result.isError, true, `expected an error for ${JSON.stringify(args).slice(0, 80)}`);
      assert.match(text(result), pattern);
      assert.equal(creates(), 0, 'nothing was sent to Juxin');
    };

    it('rejects an empty prompt', () => rejects({ prompt: '   ' }, /prompt/i));
    it('rejects a 20 000-character prompt, naming the limit', () => rejects({ prompt: 'x'.repeat(20_000) }, /4000/));
    it('rejects a duration the model does not offer, listing the allowed values', () => rejects({ prompt: 'ok', duration: 25 }, /10.*15/));
    it('accepts 25 s for sora-2-pro', async () => {
      const { result } = await call(server.client, 'generate_video', { prompt: 'ok', model: 'sora-2-pro', duration: 25, wait: false });
      assert.ok(!result.isError, text(result));
      assert.equal(out(result).params.duration, 25);
    });
    it('rejects a relative image path, naming it', () => rejects({ prompt: 'ok', images: ['not/a/file.png'] }, /not\/a\/file\.png.*absolute path/));
    it('rejects a ../ path that is not an image', () => rejects({ prompt: 'ok', images: ['../../../../etc/passwd'] }, /passwd/));
    it('rejects a 30 MB image, naming the limit', async () => {
      const big = path.join(home, 'big.png');
      const png = Buffer.alloc(30 * 1024 * 1024);
      imageBytes('png').copy(png);
      writeFileSync(big, png);
      await rejects({ prompt: 'ok', images: [big] }, /larger than 20 MB/);
    });
    it("rejects a wrong type with the SDK's schema error", async () => {
      const { result } = await call(server.client, 'generate_video', { prompt: 'ok', duration: 'ten' });
      assert.equal(result.isError, true);
      assert.equal(creates(), 0);
    });
    it('explains an unknown task id', async () => {
      const { result } = await call(server.client, 'get_video_status', { task_id: 'sora-2:task_doesnotexist' });
      assert.equal(result.isError, true);
      assert.match(text(result), /list_videos/);
    });
    it('refuses to save into a relative ../ directory', async () => {
      const done = out((await call(server.client, 'generate_video', { prompt: 'a bird' })).result);
      const { result } = await call(server.client, 'download_video', { task_id: done.task_id, directory: '../../escape' });
      assert.equal(result.isError, true, text(result));
      assert.deepEqual(
        readdirSync(home).filter((f) => f === 'escape'),
        [],
      );
    });
    it('refuses to remix a private video and explains why', async () => {
      const done = out((await call(server.client, 'generate_video', { prompt: 'a bird', wait: false })).result);
      const { result } = await call(server.client, 'remix_video', { task_id: done.task_id, prompt: 'purple sky' });
      assert.equal(result.isError, true);
      assert.match(text(result), /private/);
    });
    it('remixes a public video and creates a character without sending model', async () => {
      const done = out((await call(server.client, 'generate_video', { prompt: 'a dancer', private: false })).result);
      const remix = await call(server.client, 'remix_video', { task_id: done.task_id, prompt: 'make the background purple' });
      assert.ok(!remix.result.isError, text(remix.result));
      assert.notEqual(out(remix.result).task_id, done.task_id);
      const ch = await call(server.client, 'create_character', { from_task: done.task_id, timestamps: '1,3' });
      assert.ok(!ch.result.isError, text(ch.result));
      assert.match((ch.result.structuredContent as { mention: string }).mention, /^@\w+\.\w+$/);
      const bad = await call(server.client, 'create_character', { url: 'https://example.com/v.mp4', timestamps: '1,9' });
      assert.equal(bad.result.isError, true);
    });
  });

  it('reports a wrong key as an auth error with a next step, and never prints the key', async () => {
    const wrongKey = 'sk-invalid-made-up-key-0002';
    server = await startServer({ JUXIN_API_KEY: wrongKey, JUXIN_BASE_URL: sim.url, JUXIN_SORA_HOME: home });
    const { result } = await call(server.client, 'generate_video', { prompt: 'hello' });
    assert.equal(result.isError, true);
    assert.match(text(result), /key/i);
    assert.match(text(result), /下一步|Next step/);
    assert.ok(!text(result).includes(wrongKey));
    assert.ok(!server.stderr().includes(wrongKey));
  });

  it('starts without a key, lists its tools, and explains how to set the key', async () => {
    server = await startServer({ JUXIN_API_KEY: undefined, JUXIN_BASE_URL: sim.url, JUXIN_SORA_HOME: home });
    const { tools } = await server.client.listTools();
    assert.equal(tools.length, 11, 'ten tools and list_models');
    const { result } = await call(server.client, 'generate_video', { prompt: 'hello' });
    assert.equal(result.isError, true);
    assert.match(text(result), /JUXIN_API_KEY/);
    assert.equal(sim.requests.length, 0);
    const list = await call(server.client, 'list_videos', {});
    assert.ok(!list.result.isError, 'history is readable without a key');
    // Writing a storyboard costs nothing and needs no key; it goes into <home>/storyboards by default.
    const created = await call(server.client, 'create_storyboard', { title: 'Harbour', clips: [{ prompt: 'a harbour at dawn, boats coming in' }] });
    assert.ok(!created.result.isError, text(created.result));
    const file = (created.result.structuredContent as { path: string }).path;
    assert.equal(file, path.join(home, 'storyboards', 'harbour.storyboard.md'));
    const generated = await call(server.client, 'generate_storyboard', { file });
    assert.equal(generated.result.isError, true);
    assert.match(text(generated.result), /JUXIN_API_KEY/);
    assert.equal(sim.requests.length, 0);
  });

  it('refuses bad environment values at start-up with a clear message', () => {
    ensureBuilt();
    const r = spawnSync(process.execPath, [SERVER_JS], {
      env: { ...process.env, JUXIN_API_KEY: TEST_KEY, JUXIN_BASE_URL: 'ftp://nope', JUXIN_POLL_INTERVAL_MS: 'soon', JUXIN_SORA_HOME: home },
      encoding: 'utf8',
      input: '',
      timeout: 60_000,
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /JUXIN_BASE_URL/);
    assert.match(r.stderr, /JUXIN_POLL_INTERVAL_MS/);
    assert.equal(r.stdout, '', 'stdout stays clean for the protocol');
    server = undefined as unknown as ServerHandle;
  });

  it('refuses to start with credentials in JUXIN_BASE_URL, and does not print them', () => {
    ensureBuilt();
    const r = spawnSync(process.execPath, [SERVER_JS], {
      env: {
        ...process.env,
        JUXIN_API_KEY: TEST_KEY,
        JUXIN_BASE_URL: `http://user:secretpass@${new URL(sim.url).host}/?token=secrettoken`,
        JUXIN_SORA_HOME: home,
      },
      encoding: 'utf8',
      input: '',
      timeout: 60_000,
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /JUXIN_BASE_URL/);
    assert.ok(!/secretpass|secrettoken/.test(r.stderr), r.stderr);
    assert.equal(sim.requests.length, 0);
    server = undefined as unknown as ServerHandle;
  });
});
