import assert from 'node:assert/strict';
import { FormData } from 'undici';
import { harness, type Harness, TEN_SECOND_JOB } from './helpers';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really the rest of a png')]);

function videoForm(fields: Record<string, string> = {}, files: { name: string; type: string; bytes: Buffer }[] = []): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries({
    model: 'sora-2',
    prompt: 'the cat in the photo waves',
    seconds: '10',
    size: '720x1280',
    watermark: 'false',
    private: 'false',
    ...fields,
  }))
    form.set(k, v);
  for (const f of files) form.append('input_reference', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  return form;
}

describe('simulator: endpoints', () => {
  let h: Harness;
  afterEach(() => h?.close());

  describe('auth', () => {
    it('answers the gateway\'s Chinese 401 "无效的令牌 (request id: …)" for a missing, malformed or refused key', async () => {
      h = await harness();
      for (const key of [null, '', 'sk-short', 'not-a-key-at-all', 'sk-invalid-test-key-0001']) {
        const r = await h.call('POST', '/v1/video/create', { key, json: { prompt: 'x', images: [] } });
        assert.equal(r.status, 401, String(key));
        assert.deepEqual(Object.keys(r.json.error), ['message', 'type']);
        assert.match(r.json.error.message, /^无效的令牌 \(request id: \d{14}[A-Za-z0-9]+\)$/);
        assert.equal(r.json.error.type, 'new_api_error');
      }
      assert.equal(h.sim.tasks.size, 0);
    });

    it('brochure: answers 401 "Invalid token" with a message_zh', async () => {
      h = await harness({ wire: 'brochure' });
      const r = await h.call('POST', '/v1/video/create', { key: null, json: { prompt: 'x', images: [] } });
      assert.equal(r.status, 401);
      assert.deepEqual(r.json, { error: { message: 'Invalid token', message_zh: '无效的令牌', type: 'invalid_request_error' } });
    });

    it('takes a custom acceptKey', async () => {
      h = await harness({ acceptKey: (key) => key === 'sk-test-only-this-one' });
      assert.equal((await h.create()).status, 401);
      assert.equal((await h.call('POST', '/v1/video/create', { key: 'sk-test-only-this-one', json: { prompt: 'x', images: [] } })).status, 200);
    });
  });

  describe('POST /v1/video/create validation', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['missing prompt', { prompt: undefined }, /prompt/],
      ['blank prompt', { prompt: '   ' }, /prompt/],
      ['missing images', { images: undefined }, /images/],
      ['images not URLs', { images: ['/home/me/cat.png'] }, /images/],
      ['bad orientation', { orientation: 'square' }, /orientation/],
      ['bad size', { size: 'huge' }, /size/],
      ['large without pro', { size: 'large' }, /large/],
      ['25 s on sora-2', { duration: 25 }, /duration/],
      ['12 s on pro', { model: 'sora-2-pro', duration: 12 }, /duration/],
      ['watermark as a string', { watermark: 'no' }, /watermark/],
      ['timestamps without url', { character_timestamps: '1,3' }, /character_url/],
      ['character span too long', { character_url: 'https://example.com/v.mp4', character_timestamps: '1,5' }, /character_timestamps/],
      ['character span too short', { character_url: 'https://example.com/v.mp4', character_timestamps: '2,2.5' }, /character_timestamps/],
    ];
    let shared: Harness;
    before(async () => (shared = await harness()));
    after(() => shared.close());
    for (const [name, patch, field] of cases) {
      it(`400 for ${name}`, async () => {
        const r = await shared.create(patch);
        assert.equal(r.status, 400, r.text);
        assert.match(r.json.error.message, field);
        assert.match(r.json.error.message_zh, /[\u4e00-\u9fff]/, 'a Chinese message too');
        assert.equal(r.json.error.type, 'invalid_request_error');
      });
    }

    it('an unknown model: the relay has no channel for it (503 model_not_found); the brochure said 400', async () => {
      h = await harness();
      const r = await h.create({ model: 'sora-3' });
      assert.equal(r.status, 503);
      assert.equal(r.json.error.code, 'model_not_found');
      assert.match(r.json.error.message, /^No available channel for model sora-3 under group default \(distributor\) \(request id: /);
      await h.close();
      h = await harness({ wire: 'brochure' });
      const brochure = await h.create({ model: 'sora-3' });
      assert.equal(brochure.status, 400);
      assert.match(brochure.json.error.message, /model/);
      assert.match(brochure.json.error.message_zh, /[\u4e00-\u9fff]/);
    });

    it('accepts every documented duration, sora-2-all and a character', async () => {
      h = await harness();
      for (const body of [
        { duration: 15 },
        { model: 'sora-2-pro', duration: 25, size: 'large' },
        { model: 'sora-2-all' },
        { images: ['https://example.com/cat.png'], orientation: 'portrait', watermark: false, private: true },
        { character_url: 'https://example.com/v.mp4', character_timestamps: '1,3', prompt: '@abc.def waves' },
      ]) {
        const r = await h.create(body);
        assert.equal(r.status, 200, `${JSON.stringify(body)}: ${r.text}`);
      }
    });

    it('400 for a body that is not a JSON object', async () => {
      h = await harness();
      for (const json of ['{"prompt": "x", ', '[1,2]', '"text"']) {
        const r = await h.call('POST', '/v1/video/create', { json });
        assert.equal(r.status, 400, json);
        assert.match(r.json.error.message, /JSON/);
      }
    });
  });

  describe('POST /v1/videos (multipart)', () => {
    it('creates a shape C task from an uploaded image', async () => {
      h = await harness({ idStyle: 'task' }); // the multipart path always answers with video ids
      const r = await h.call('POST', '/v1/videos', { form: videoForm({}, [{ name: 'cat.png', type: 'image/png', bytes: PNG }]) });
      assert.equal(r.status, 200, r.text);
      assert.match(r.json.id, /^video_/);
      assert.equal(r.json.status, 'queued');
      assert.equal(r.json.progress, 0);
      assert.equal(r.json.size, '720x1280');
      const task = h.sim.tasks.get(r.json.id)!;
      assert.deepEqual([task.orientation, task.images, task.private], ['portrait', ['upload://cat.png'], false]);
    });

    it('judges an upload by its bytes, not its declared type', async () => {
      h = await harness();
      const pdf = await h.call('POST', '/v1/videos', { form: videoForm({}, [{ name: 'cat.png', type: 'image/png', bytes: Buffer.from('%PDF-1.7 ...') }]) });
      assert.equal(pdf.status, 400);
      assert.match(pdf.json.error.message, /not an image/);
      const octets = await h.call('POST', '/v1/videos', { form: videoForm({}, [{ name: 'cat', type: 'application/octet-stream', bytes: PNG }]) });
      assert.equal(octets.status, 200, octets.text);
    });

    it('validates the form fields like the JSON path', async () => {
      h = await harness();
      for (const [fields, field] of [
        [{ prompt: '' }, /prompt/],
        [{ seconds: '25' }, /duration/],
        [{ size: 'wide' }, /size/],
        [{ private: 'yes' }, /private/],
        [{ size: '1920x1080' }, /large/],
      ] as const) {
        const r = await h.call('POST', '/v1/videos', { form: videoForm(fields) });
        assert.equal(r.status, 400, JSON.stringify(fields));
        assert.match(r.json.error.message, field);
      }
      const url = await h.call('POST', '/v1/videos', {
        form: (() => {
          const f = videoForm();
          f.set('input_reference', 'https://example.com/cat.png');
          return f;
        })(),
      });
      assert.equal(url.status, 400);
      const garbage = await h.call('POST', '/v1/videos', { headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, json: 'not multipart at all' });
      assert.equal(garbage.status, 400);
      assert.match(garbage.json.error.message, /not valid multipart/);
      const json = await h.call('POST', '/v1/videos', { json: { prompt: 'x' } });
      assert.equal(json.status, 400);
      assert.match(json.json.error.message, /multipart/);
    });
  });

  describe('remix', () => {
    it('remixes a completed public video into a new shape C task', async () => {
      h = await harness({ idStyle: 'task' });
      const { id } = (await h.create({ orientation: 'portrait' })).json;
      const early = await h.call('POST', `/v1/videos/${encodeURIComponent(id)}/remix`, { json: { prompt: 'purple background' } });
      assert.equal(early.status, 400, 'not before it is completed');
      await h.advance(TEN_SECOND_JOB.queue + TEN_SECOND_JOB.generate);
      const r = await h.call('POST', `/v1/videos/${encodeURIComponent(id)}/remix`, { json: { prompt: 'purple background' } });
      assert.equal(r.status, 200, r.text);
      assert.match(r.json.id, /^video_/);
      assert.equal(r.json.remixed_from_video_id, id);
      assert.equal(r.json.status, 'queued');
      assert.equal(r.json.size, '720x1280', 'keeps the source settings');
      assert.equal(h.sim.tasks.get(r.json.id)!.prompt, 'purple background');
      assert.equal((await h.call('GET', `/v1/videos/${r.json.id}`)).json.remixed_from_video_id, id);
    });

    it('refuses a private video with a clear message, an unknown one with 404, an empty prompt with 400', async () => {
      h = await harness();
      const { id } = (await h.create({ private: true })).json;
      await h.advance(TEN_SECOND_JOB.queue + TEN_SECOND_JOB.generate);
      const r = await h.call('POST', `/v1/videos/${encodeURIComponent(id)}/remix`, { json: { prompt: 'again' } });
      assert.equal(r.status, 400);
      assert.match(r.json.error.message, /private/);
      assert.match(r.json.error.message_zh, /remix/);
      const unknown = await h.call('POST', '/v1/videos/video_unknown/remix', { json: { prompt: 'x' } });
      assert.equal(unknown.status, 400);
      assert.deepEqual(unknown.json, { code: 'task_not_exist', message: 'task_not_exist', data: null });
      const { id: open } = (await h.create()).json;
      assert.equal((await h.call('POST', `/v1/videos/${encodeURIComponent(open)}/remix`, { json: {} })).status, 400);
    });
  });

  describe('POST /sora/v1/characters', () => {
    it('creates a character from a URL or a completed task', async () => {
      h = await harness();
      const r = await h.call('POST', '/sora/v1/characters', { json: { url: 'https://example.com/v.mp4', timestamps: '1,3' } });
      assert.equal(r.status, 200, r.text);
      assert.match(r.json.id, /^ch_[0-9a-f]{32}$/);
      assert.match(r.json.username, /^[a-z]{9}\.[a-z]{10}$/);
      assert.equal(r.json.permalink, `https://sora.chatgpt.com/profile/${r.json.username}`);
      const picture = await h.call('GET', new URL(r.json.profile_picture_url).pathname, { key: null });
      assert.equal(picture.status, 200);
      assert.equal(picture.headers['content-type'], 'image/webp');

      const { id } = (await h.create()).json;
      const early = await h.call('POST', '/sora/v1/characters', { json: { from_task: id, timestamps: '0,2' } });
      assert.equal(early.status, 400);
      await h.advance(TEN_SECOND_JOB.queue + TEN_SECOND_JOB.generate);
      assert.equal((await h.call('POST', '/sora/v1/characters', { json: { from_task: id, timestamps: '0,2' } })).status, 200);
      assert.equal((await h.call('POST', '/sora/v1/characters', { json: { from_task: 'video_unknown', timestamps: '0,2' } })).json.code, 'task_not_exist');
    });

    it('answers 404 "channel not found" when the body names a model, as the relay does', async () => {
      h = await harness();
      const r = await h.call('POST', '/sora/v1/characters', { json: { model: 'sora-2', url: 'https://example.com/v.mp4', timestamps: '1,3' } });
      assert.equal(r.status, 404);
      assert.equal(r.json.error.message, 'channel not found');
    });

    it('400 for bad timestamps or no source', async () => {
      h = await harness();
      for (const body of [
        { url: 'https://example.com/v.mp4', timestamps: '1,5' },
        { url: 'https://example.com/v.mp4', timestamps: '3,1' },
        { url: 'https://example.com/v.mp4' },
        { timestamps: '1,3' },
        { url: 'file:///v.mp4', timestamps: '1,3' },
      ]) {
        const r = await h.call('POST', '/sora/v1/characters', { json: body });
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.ok(r.json.error.message_zh);
      }
    });
  });

  describe('wrong paths', () => {
    it('answers the gateway\'s 404 "Invalid URL (…)" for a /v1 path it does not route, key or not; HTML with 200 outside /v1', async () => {
      h = await harness();
      for (const [method, path, key] of [
        ['POST', '/v1/video/generate', undefined],
        ['GET', '/v1/video/create', undefined],
        ['DELETE', '/v1/videos/video_x', null],
        ['POST', '/v1/chat/nothing', null],
      ] as const) {
        const r = await h.call(method, path, { key, json: method === 'POST' ? { prompt: 'x' } : undefined });
        assert.equal(r.status, 404, path);
        assert.deepEqual(r.json, { error: { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: '', code: '' } });
      }
      for (const path of ['/', '/api/status', '/console/token']) {
        const r = await h.call('GET', path, { key: null });
        assert.equal(r.status, 200, path);
        assert.match(r.text, /^<!DOCTYPE html>/);
      }
      assert.equal(h.sim.tasks.size, 0);
    });

    it('brochure: answers an HTML page with status 200, with or without a key, for any other path or method', async () => {
      h = await harness({ wire: 'brochure' });
      for (const [method, path, key] of [
        ['GET', '/', undefined],
        ['POST', '/v1/video/generate', undefined],
        ['GET', '/v1/video/create', undefined],
        ['DELETE', '/v1/videos/video_x', undefined],
        ['GET', '/api/status', null],
      ] as const) {
        const r = await h.call(method, path, { key, json: method === 'POST' ? { prompt: 'x' } : undefined });
        assert.equal(r.status, 200, path);
        assert.match(String(r.headers['content-type']), /^text\/html/);
        assert.match(r.text, /^<!DOCTYPE html>/);
        assert.throws(() => r.json, SyntaxError);
      }
    });
  });
});
