import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CallToolResultSchema, CreateTaskResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { IMAGES } from '../../fixtures/images';
import { inProcess, type InProcess, textOf } from './helpers';

const SETTINGS = { model: 'sora-2-pro', duration: 25, orientation: 'portrait', size: 'small', watermark: false, private: true } as const;

describe('mcp tools, in process', function () {
  this.timeout(300_000);
  let t: InProcess | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  describe('generate_video: parameters have one owner', () => {
    it("applies the user's defaults (VS Code settings) to what the model leaves out, and says so in its description", async () => {
      t = await inProcess({ engine: { defaults: () => SETTINGS }, server: { defaults: SETTINGS } });
      const { tools } = await t.client.listTools();
      const generate = tools.find((x) => x.name === 'generate_video')!;
      assert.match(generate.description!, /Defaults: sora-2-pro, portrait, small, 25 s/);
      const props = generate.inputSchema.properties as Record<string, { description?: string }>;
      assert.match(props.duration.description!, /Default 25/);
      assert.match(props.model.description!, /\(default "sora-2-pro"\)/);
      const result = await t.call('generate_video', { prompt: 'a lighthouse at dusk', wait: false });
      assert.ok(!result.isError, textOf(result));
      const params = (result.structuredContent as { params: Record<string, unknown> }).params;
      assert.deepEqual([params.model, params.duration, params.orientation], ['sora-2-pro', 25, 'portrait']);
      const explicit = await t.call('generate_video', { prompt: 'a boat', model: 'sora-2', duration: 10, wait: false });
      assert.deepEqual(
        [
          (explicit.structuredContent as { params: Record<string, unknown> }).params.model,
          (explicit.structuredContent as { params: Record<string, unknown> }).params.duration,
        ],
        ['sora-2', 10],
      );
    });

    it('answers a task-augmented call (as VS Code makes it) that fails at once with a task holding the readable error', async () => {
      t = await inProcess();
      const created = await t.client.request(
        { method: 'tools/call', params: { name: 'generate_video', arguments: { prompt: 'x', duration: 25 }, task: { ttl: 60_000 } } },
        CreateTaskResultSchema,
      );
      assert.equal(created.task.status, 'completed', 'over at once, the error in its result');
      const result = (await t.client.request({ method: 'tasks/result', params: { taskId: created.task.taskId } }, CallToolResultSchema)) as CallToolResult;
      assert.equal(result.isError, true);
      assert.match(textOf(result), /duration 25 is not available for sora-2/);
      assert.match(textOf(result), /[\u4e00-\u9fff]/);
      assert.equal(t.posts(), 0);
    });

    it('states the built-in defaults when no settings are given (the standalone server)', async () => {
      t = await inProcess();
      const { tools } = await t.client.listTools();
      assert.match(tools.find((x) => x.name === 'generate_video')!.description!, /Defaults: sora-2, landscape, small, 10 s/);
    });
  });

  describe('a model the key cannot use', () => {
    it('is said plainly in both languages: the model, the group, Sora 2 retired, the video models the key can use; never "temporary"', async () => {
      t = await inProcess();
      const result = await t.call('generate_video', { prompt: 'a cat #sim:model-not-found', model: 'sora-2', wait: false });
      assert.equal(result.isError, true);
      const text = textOf(result);
      assert.match(text, /This API key cannot use the model sora-2 \(group default\)/);
      assert.match(text, /此 API Key 无法使用模型 sora-2（分组 default）/);
      assert.match(text, /Sora 2 was retired upstream on 2026-09-24/);
      assert.match(text, /Sora 2 已于 2026-09-24 被上游下线/);
      assert.match(text, /Video models this key can use: sora-2-pro, sora-2-all, veo3\.1, veo3\.1-fast, veo3\.1-pro, grok-video-3/, 'not the one refused');
      assert.match(text, /此 Key 可用的视频模型：sora-2-pro、sora-2-all/);
      assert.match(text, /Next step: This is not temporary/);
      assert.doesNotMatch(text, /usually temporary|通常是暂时的|may have reached Juxin/);
      assert.equal(t.engine.list({}).length, 0, 'no task');
      assert.equal(t.posts(), 1, 'one create, never retried');
    });
  });

  describe('local images', () => {
    it('asks before reading images from a folder, once per call and folder, and sends nothing when refused', async () => {
      const asked: unknown[] = [];
      let allow = false;
      t = await inProcess({
        server: {
          confirm: async (request) => {
            asked.push(request);
            return allow;
          },
        },
      });
      const refused = await t.call('generate_video', { prompt: 'animate it', images: [IMAGES.png.path, IMAGES.jpg.path], wait: false });
      assert.equal(refused.isError, true);
      assert.match(textOf(refused), /not allowed|did not allow/i);
      assert.match(textOf(refused), /[\u4e00-\u9fff]/);
      assert.equal(t.posts(), 0, 'nothing was sent');
      assert.deepEqual(asked, [{ kind: 'readImages', folder: path.dirname(IMAGES.png.path), client: 'in-process-test' }]);
      allow = true;
      const allowed = await t.call('generate_video', { prompt: 'animate it', images: [IMAGES.png.path], wait: false });
      assert.ok(!allowed.isError, textOf(allowed));
      assert.equal(t.posts(), 1);
      await t.call('generate_video', { prompt: 'from the web', images: ['https://example.com/a.png'], wait: false });
      assert.equal(asked.length, 2, 'URLs need no confirmation');
    });

    it('refuses a relative image path with a message, before anything is read or sent', async () => {
      const asked: unknown[] = [];
      t = await inProcess({ server: { confirm: async (r) => Boolean(asked.push(r)) } });
      const result = await t.call('generate_video', { prompt: 'x', images: [path.relative(process.cwd(), IMAGES.png.path)], wait: false });
      assert.equal(result.isError, true);
      assert.match(textOf(result), /absolute path/);
      assert.deepEqual(asked, []);
      assert.equal(t.posts(), 0);
    });
  });

  describe('download_video into a directory', () => {
    const finished = async (x: InProcess) => {
      const done = await x.call('generate_video', { prompt: 'a bird', timeout_seconds: 3600 });
      assert.equal((done.structuredContent as { download_state: string }).download_state, 'done', textOf(done));
      return done.structuredContent as { task_id: string; local_path: string };
    };

    it("returns the copy's path and never overwrites a file of the same name", async () => {
      t = await inProcess();
      const task = await finished(t);
      const out = path.join(t.home, 'exports');
      mkdirSync(out);
      const existing = path.join(out, path.basename(task.local_path));
      writeFileSync(existing, 'precious');
      const result = await t.call('download_video', { task_id: task.task_id, directory: out });
      assert.ok(!result.isError, textOf(result));
      const copy = (result.structuredContent as { copied_to?: string }).copied_to;
      assert.ok(copy && copy !== existing && path.dirname(copy) === out, String(copy));
      assert.equal(readFileSync(existing, 'utf8'), 'precious');
      assert.deepEqual(readFileSync(copy), readFileSync(task.local_path));
      assert.match(textOf(result), new RegExp(path.basename(copy).replace(/[.]/g, '\\.')));
    });

    it('asks before writing into a folder, and writes nothing when refused; a UNC path is refused without asking', async () => {
      const asked: unknown[] = [];
      let allow = false;
      t = await inProcess({ server: { confirm: async (r) => (asked.push(r), allow) } });
      const task = await finished(t);
      const out = path.join(t.home, 'exports');
      const refused = await t.call('download_video', { task_id: task.task_id, directory: out });
      assert.equal(refused.isError, true);
      assert.match(textOf(refused), /did not allow/);
      assert.ok(!existsSync(out), 'nothing was written');
      assert.deepEqual(asked, [{ kind: 'saveCopy', directory: out, client: 'in-process-test' }]);
      const unc = await t.call('download_video', { task_id: task.task_id, directory: '\\\\evil-host\\share' });
      assert.equal(unc.isError, true);
      assert.match(textOf(unc), /network share/);
      assert.equal(asked.length, 1, 'a refused path is not even asked about');
      allow = true;
      const allowed = await t.call('download_video', { task_id: task.task_id, directory: out });
      assert.ok(!allowed.isError, textOf(allowed));
      assert.equal(readdirSync(out).length, 1);
    });
  });

  describe('remix_video', () => {
    it('sends nothing for an id outside the history, ".." included', async () => {
      t = await inProcess();
      for (const task_id of ['..', '.', 'video_not_in_history']) {
        const result = await t.call('remix_video', { task_id, prompt: 'purple' });
        assert.equal(result.isError, true, task_id);
        assert.match(textOf(result), /list_videos/);
      }
      assert.equal(t.posts(), 0);
    });
  });
});
