import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { mkdtemp, mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, buildConnector } from 'undici';
import { JuxinClient, type JuxinClientOptions, parseTimestamps } from '../../../src/juxin/client';
import { JuxinError } from '../../../src/juxin/errors';
import { baseUrlProblem, parseBaseUrl } from '../../../src/juxin/http';
import { MAYBE_CREATED_ZH } from '../../../src/juxin/retry';
import type { GenerationParams } from '../../../src/juxin/types';
import { readLocalImage } from '../../../src/juxin/images';
import { ManualClock } from '../../../src/util/clock';
import { imageBytes } from '../../fixtures/images';
import { waitUntil } from '../../helpers/wait';
import {
  captureLogger,
  type CapturedRequest,
  fixture,
  fixtureText,
  hang,
  json,
  reset,
  type Responder,
  startServer,
  TEST_KEY,
  text,
  VirtualClock,
} from './helpers';

const PARAMS: GenerationParams = {
  prompt: 'a cat surfing at sunset',
  model: 'sora-2',
  orientation: 'landscape',
  size: 'small',
  duration: 10,
  watermark: false,
  private: false,
  images: [],
};

// Real images: the client decodes their headers.
const PNG = imageBytes('png');
const JPEG = imageBytes('jpg');

let servers: { close(): Promise<void> }[] = [];
let tmp: string;

async function serve(...responders: Responder[]) {
  const server = await startServer(...responders);
  servers.push(server);
  return server;
}

function client(url: string, options: Partial<JuxinClientOptions> = {}) {
  const clock = new VirtualClock();
  // Request timeouts run out only when a test moves this clock (`timeOut`): never because the machine is slow.
  const timeouts = new ManualClock();
  const logger = captureLogger();
  const api = new JuxinClient({
    apiKey: TEST_KEY,
    baseUrl: url,
    clock,
    timeoutClock: timeouts,
    logger,
    random: () => 1,
    retry: { maxAttempts: 3 },
    ...options,
  });
  return { api, clock, timeouts, logger };
}

/** Once the server holds its `count`-th request, lets that request's timeout run out. */
async function timeOut(server: { requests: unknown[] }, timeouts: ManualClock, count: number, ms: number): Promise<void> {
  await waitUntil(() => server.requests.length >= count, 30_000, `request ${count} at the server`, 5);
  await timeouts.advance(ms);
}

async function failure(promise: Promise<unknown>): Promise<JuxinError> {
  const error = await promise.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof JuxinError, `expected a JuxinError, got ${String(error)}`);
  return error;
}

function bodyOf(request: CapturedRequest): unknown {
  return JSON.parse(request.body.toString('utf8'));
}

async function formOf(request: CapturedRequest): Promise<FormData> {
  return new Response(new Uint8Array(request.body), { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
}

beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'juxin-client-'));
});

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  await rm(tmp, { recursive: true, force: true });
});

describe('JuxinClient', () => {
  describe('configuration', () => {
    it('refuses to send anything without a key', async () => {
      const server = await serve(json(200, fixture('create-pending.json')));
      for (const apiKey of ['', '   ', undefined as unknown as string]) {
        const error = await failure(client(server.url, { apiKey }).api.queryVideo('x'));
        assert.equal(error.kind, 'config');
        assert.match(error.messageZh!, /API Key/);
      }
      assert.equal(server.requests.length, 0);
    });

    it('refuses a key with line breaks or non-ASCII characters, without echoing it', async () => {
      const server = await serve(json(200, fixture('create-pending.json')));
      const error = await failure(client(server.url, { apiKey: `${TEST_KEY}\nx` }).api.queryVideo('x'));
      assert.equal(error.kind, 'config');
      assert.ok(!error.describe().includes(TEST_KEY));
      assert.equal((await failure(client(server.url, { apiKey: `${TEST_KEY}“` }).api.queryVideo('x'))).kind, 'config');
      assert.equal(server.requests.length, 0);
    });

    it('refuses a base URL that is not plain http(s)', async () => {
      for (const baseUrl of ['ftp://api.jxincm.cn', 'api.jxincm.cn', 'https://api.jxincm.cn/?x=1', 'https://user:pw@api.jxincm.cn']) {
        const error = await failure(client(baseUrl).api.queryVideo('x'));
        assert.equal(error.kind, 'config', baseUrl);
        assert.match(error.message, /base URL/);
      }
    });

    it('never repeats the credentials of a base URL in its errors', async () => {
      for (const [baseUrl, secret] of [
        ['https://user:hunter2@api.jxincm.cn', 'hunter2'],
        ['https://api.jxincm.cn/?token=hunter3', 'hunter3'],
        ['http://u:hunter4@127.0.0.1:1', 'hunter4'],
        ['https://api.jxincm.cn/#hunter5', 'hunter5'],
      ]) {
        const error = await failure(client(baseUrl).api.queryVideo('x'));
        assert.equal(error.kind, 'config', baseUrl);
        for (const text of [error.message, error.messageZh ?? '', error.describe(), JSON.stringify(error)]) assert.ok(!text.includes(secret), text);
      }
    });

    it('sends the key over plain http only to this machine', async () => {
      for (const baseUrl of ['http://api.jxincm.cn', 'http://10.0.0.5:8080', 'http://127.0.0.1.evil.example', 'http://localhost.evil.example']) {
        const problem = baseUrlProblem(baseUrl);
        assert.ok(problem, baseUrl);
        assert.match(problem.en, /https/);
        assert.match(problem.zh, /https/);
        assert.equal((await failure(client(baseUrl).api.queryVideo('x'))).kind, 'config');
      }
      for (const baseUrl of ['http://127.0.0.1:8787', 'http://localhost:3000/relay', 'http://[::1]:8080', 'http://127.5.6.7', 'https://api.jxincm.cn/v1']) {
        assert.equal(baseUrlProblem(baseUrl), undefined, baseUrl);
        assert.ok(parseBaseUrl(baseUrl) instanceof URL, baseUrl);
      }
    });

    it('tolerates trailing slashes and a pasted /v1, and keeps a path prefix', async () => {
      const server = await serve(json(200, fixture('create-pending.json')));
      await client(`${server.url}///`).api.queryVideo('a');
      await client(`${server.url}/v1/`).api.queryVideo('b');
      await client(`${server.url}/relay`).api.queryVideo('c');
      assert.deepEqual(
        server.requests.map((r) => r.url),
        ['/v1/video/query?id=a', '/v1/video/query?id=b', '/relay/v1/video/query?id=c'],
      );
    });

    it('talks through an injected undici dispatcher', async () => {
      const server = await serve(json(200, fixture('create-pending.json')));
      let connections = 0;
      const connect = buildConnector({});
      const dispatcher = new Agent({
        connect: (options, callback) => {
          connections++;
          connect(options, callback);
        },
      });
      try {
        await client(server.url, { dispatcher }).api.queryVideo('x');
        assert.equal(connections, 1);
      } finally {
        await dispatcher.close();
      }
    });
  });

  describe('createVideo (URL images → unified JSON)', () => {
    it('posts the unified body with the headers', async () => {
      const server = await serve(json(200, fixture('create-pending.json')));
      const images = ['https://example.com/a.png', 'http://example.com/b.jpg'];
      const task = await client(server.url).api.createVideo({ ...PARAMS, images, characterUrl: 'https://example.com/c.mp4', characterTimestamps: '1,3' });
      assert.equal(task.id, 'sora-2:task_01k6x15vhrff09dkkqjrzwhm60');
      assert.equal(task.status, 'queued');
      const [request] = server.requests;
      assert.equal(request.method, 'POST');
      assert.equal(request.url, '/v1/video/create');
      assert.equal(request.headers.authorization, `Bearer ${TEST_KEY}`);
      assert.equal(request.headers.accept, 'application/json');
      assert.equal(request.headers['content-type'], 'application/json');
      assert.deepEqual(bodyOf(request), {
        prompt: 'a cat surfing at sunset',
        model: 'sora-2',
        images,
        orientation: 'landscape',
        size: 'small',
        duration: 10,
        watermark: false,
        private: false,
        character_url: 'https://example.com/c.mp4',
        character_timestamps: '1,3',
      });
    });

    it('sends images: [] for text-to-video and no character fields when unset', async () => {
      const server = await serve(json(200, fixture('create-queued.json')));
      const task = await client(server.url).api.createVideo(PARAMS);
      assert.equal(task.id, 'video_5c6a605a-30c0-4a6a-9dbd-d1d6cfdd9980');
      const body = bodyOf(server.requests[0]) as Record<string, unknown>;
      assert.deepEqual(body.images, []);
      assert.ok(!('character_url' in body) && !('character_timestamps' in body));
    });
  });

  describe('createVideo (local files → multipart)', () => {
    it('posts model, prompt, seconds, pixel size, flags and one input_reference per file', async () => {
      const server = await serve(json(200, fixture('create-queued.json')));
      const png = path.join(tmp, 'first frame.png');
      const jpg = path.join(tmp, 'second.JPEG');
      await writeFile(png, PNG);
      await writeFile(jpg, JPEG);
      const task = await client(server.url).api.createVideo({
        ...PARAMS,
        images: [png, jpg],
        watermark: true,
        characterUrl: 'https://example.com/c.mp4',
        characterTimestamps: '2,4',
      });
      assert.equal(task.status, 'queued');
      const [request] = server.requests;
      assert.equal(request.url, '/v1/videos');
      assert.equal(request.headers.authorization, `Bearer ${TEST_KEY}`);
      assert.match(String(request.headers['content-type']), /^multipart\/form-data; boundary=/);
      const form = await formOf(request);
      assert.equal(form.get('model'), 'sora-2');
      assert.equal(form.get('prompt'), 'a cat surfing at sunset');
      assert.equal(form.get('seconds'), '10');
      assert.equal(form.get('size'), '1280x720');
      assert.equal(form.get('watermark'), 'true');
      assert.equal(form.get('private'), 'false');
      assert.equal(form.get('character_url'), 'https://example.com/c.mp4');
      assert.equal(form.get('character_timestamps'), '2,4');
      const files = form.getAll('input_reference') as File[];
      assert.deepEqual(
        files.map((f) => [f.name, f.type]),
        [
          ['first frame.png', 'image/png'],
          ['second.JPEG', 'image/jpeg'],
        ],
      );
      assert.deepEqual(Buffer.from(await files[0].arrayBuffer()), PNG);
      assert.deepEqual(Buffer.from(await files[1].arrayBuffer()), JPEG);
      assert.equal(form.get('images'), null);
    });

    it('maps size and orientation to pixels', async () => {
      const server = await serve(json(200, fixture('create-queued.json')));
      const png = path.join(tmp, 'a.png');
      await writeFile(png, PNG);
      const { api } = client(server.url);
      await api.createVideo({ ...PARAMS, images: [png], orientation: 'portrait', size: 'small' });
      await api.createVideo({ ...PARAMS, images: [png], orientation: 'landscape', size: 'large', model: 'sora-2-pro' });
      await api.createVideo({ ...PARAMS, images: [png], orientation: 'portrait', size: 'large', model: 'sora-2-pro' });
      const sizes = await Promise.all(server.requests.map(async (r) => (await formOf(r)).get('size')));
      assert.deepEqual(sizes, ['720x1280', '1920x1080', '1080x1920']);
    });

    it('names the part by its real type when the extension lies', async () => {
      const server = await serve(json(200, fixture('create-queued.json')));
      const file = path.join(tmp, 'photo.png');
      await writeFile(file, JPEG);
      await client(server.url).api.createVideo({ ...PARAMS, images: [file] });
      const part = (await formOf(server.requests[0])).get('input_reference') as File;
      assert.deepEqual([part.name, part.type], ['photo.jpg', 'image/jpeg']);
    });

    it('sends the prepared images it is given, without reading the disk again', async () => {
      const server = await serve(json(200, fixture('create-queued.json')));
      const png = path.join(tmp, 'a.png');
      await writeFile(png, PNG);
      const prepared = await readLocalImage(png);
      await rm(png);
      await client(server.url).api.createVideo({ ...PARAMS, images: [png] }, { images: [prepared] });
      const part = (await formOf(server.requests[0])).get('input_reference') as File;
      assert.deepEqual([part.name, part.type], ['a.png', 'image/png']);
      assert.deepEqual(Buffer.from(await part.arrayBuffer()), PNG);
    });

    it('refuses missing files, folders, non-images and files over 20 MB, naming the file, in both languages', async () => {
      const server = await serve(json(200, fixture('create-queued.json')));
      const folder = path.join(tmp, 'folder.png');
      await mkdir(folder);
      const notImage = path.join(tmp, 'page.png');
      await writeFile(notImage, '<!DOCTYPE html><html></html>');
      const huge = path.join(tmp, 'huge.png');
      await writeFile(huge, PNG);
      await truncate(huge, 21 * 1024 * 1024);
      const cases: [string, RegExp, RegExp][] = [
        [path.join(tmp, 'missing.png'), /missing\.png.*PNG, JPEG, WebP or GIF/, /missing\.png/],
        [folder, /folder\.png.*PNG, JPEG, WebP or GIF/, /PNG/],
        [notImage, /page\.png.*PNG, JPEG, WebP or GIF/, /PNG/],
        [huge, /huge\.png.*larger than 20 MB/, /20 MB/],
      ];
      for (const [file, en, zh] of cases) {
        const error = await failure(client(server.url).api.createVideo({ ...PARAMS, images: [file] }));
        assert.equal(error.kind, 'bad_request');
        assert.match(error.message, en);
        assert.match(error.messageZh!, zh);
      }
      assert.equal(server.requests.length, 0);
    });
  });

  describe('queryVideo', () => {
    it('URL-encodes the id (it can contain ":") and keeps the id it asked about', async () => {
      const server = await serve(json(200, { ...fixture('shape-b-completed.json'), id: 'task_01k6x15vhrff09dkkqjrzwhm60' }));
      const task = await client(server.url).api.queryVideo('sora-2:task_01k6x15vhrff09dkkqjrzwhm60');
      const [request] = server.requests;
      assert.equal(request.method, 'GET');
      assert.equal(request.url, '/v1/video/query?id=sora-2%3Atask_01k6x15vhrff09dkkqjrzwhm60');
      assert.equal(request.headers['content-type'], undefined);
      assert.equal(request.headers.accept, 'application/json');
      assert.equal(task.id, 'sora-2:task_01k6x15vhrff09dkkqjrzwhm60');
      assert.equal(task.status, 'completed');
      assert.match(task.videoUrl!, /src\.mp4/);
    });

    it('encodes characters that would break the query', async () => {
      const server = await serve(json(200, fixture('shape-c-in-progress.json')));
      await client(server.url).api.queryVideo('a&b=c d/e?');
      assert.equal(server.requests[0].url, '/v1/video/query?id=a%26b%3Dc%20d%2Fe%3F');
    });

    it('retries 502/503/504 and a malformed body, then succeeds', async () => {
      const upstream = fixtureText('error-upstream.json');
      const server = await serve(
        json(502, upstream),
        json(503, upstream),
        json(504, upstream),
        text(200, fixtureText('wrong-path.html')),
        json(200, fixture('shape-a-pending.json')),
      );
      const { api, clock } = client(server.url, { retry: { maxAttempts: 5 } });
      const task = await api.queryVideo('sora-2:task_01k6x15vhrff09dkkqjrzwhm60');
      assert.equal(task.status, 'queued');
      assert.equal(server.requests.length, 5);
      assert.deepEqual(clock.sleeps, [1000, 2000, 4000, 8000]);
    });

    it('retries an answer without a task id (malformed), up to maxAttempts', async () => {
      const server = await serve(json(200, { status: 'queued' }));
      const error = await failure(client(server.url).api.queryVideo('x'));
      assert.equal(error.kind, 'malformed_response');
      assert.equal(server.requests.length, 3);
    });

    it('maps JSON that is not an object to malformed_response', async () => {
      const server = await serve(json(200, [1, 2]));
      const error = await failure(client(server.url, { retry: { maxAttempts: 1 } }).api.queryVideo('x'));
      assert.equal(error.kind, 'malformed_response');
    });

    it('honours Retry-After on 429', async () => {
      const server = await serve(json(429, fixtureText('error-rate-limit.json'), { 'retry-after': '4' }), json(200, fixture('shape-c-in-progress.json')));
      const { api, clock } = client(server.url);
      assert.equal((await api.queryVideo('video_1')).progress, 42);
      assert.deepEqual(clock.sleeps, [4000]);
    });

    it('never retries 401, 403 or 404', async () => {
      for (const [status, file, kind] of [
        [401, 'error-401.json', 'auth'],
        [403, 'error-quota.json', 'quota'],
        [404, 'error-channel-not-found.json', 'not_found'],
      ] as const) {
        const server = await serve(json(status, fixtureText(file)), json(200, fixture('shape-c-in-progress.json')));
        const error = await failure(client(server.url).api.queryVideo('x'));
        assert.equal(error.kind, kind);
        assert.equal(error.status, status);
        assert.equal(server.requests.length, 1);
      }
    });

    it('retries a connection reset, then succeeds', async () => {
      const server = await serve(reset, json(200, fixture('shape-c-in-progress.json')));
      const task = await client(server.url).api.queryVideo('video_1');
      assert.equal(task.progress, 42);
      assert.equal(server.requests.length, 2);
    });

    it('reports a network error when nothing listens', async () => {
      const server = await startServer(json(200, {}));
      await server.close();
      const error = await failure(client(server.url, { retry: { maxAttempts: 2 } }).api.queryVideo('x'));
      assert.equal(error.kind, 'network');
      assert.match(error.message, /ECONNREFUSED/);
    });

    it('times out a request that gets no answer, and retries it', async () => {
      const server = await serve(hang);
      const { api, timeouts } = client(server.url, { requestTimeoutMs: 40, retry: { maxAttempts: 2 } });
      const pending = failure(api.queryVideo('x'));
      await timeOut(server, timeouts, 1, 40);
      await timeOut(server, timeouts, 2, 40);
      const error = await pending;
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /GET \/v1\/video\/query: Juxin did not answer within 40 ms/);
      assert.equal(server.requests.length, 2);
    });

    it('rethrows the caller abort as an AbortError, not a timeout', async () => {
      const controller = new AbortController();
      const server = await serve(() => controller.abort());
      const error = await client(server.url, { requestTimeoutMs: 10_000 })
        .api.queryVideo('x', { signal: controller.signal })
        .catch((e: unknown) => e);
      assert.ok(!(error instanceof JuxinError));
      assert.equal((error as Error).name, 'AbortError');
      assert.equal(server.requests.length, 1);
    });

    it('times out with a live caller signal too, and leaves no listener on that signal', async () => {
      const controller = new AbortController();
      const server = await serve(json(200, fixture('shape-c-in-progress.json')), hang);
      const { api, timeouts } = client(server.url, { requestTimeoutMs: 40, retry: { maxAttempts: 1 } });
      assert.equal((await api.queryVideo('x', { signal: controller.signal })).progress, 42);
      const pending = failure(api.queryVideo('x', { signal: controller.signal }));
      await timeOut(server, timeouts, 2, 40);
      const error = await pending;
      assert.equal(error.kind, 'timeout');
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    });

    it('sends nothing when the signal is already aborted', async () => {
      const server = await serve(json(200, fixture('shape-c-in-progress.json')));
      const error = await client(server.url)
        .api.queryVideo('x', { signal: AbortSignal.abort() })
        .catch((e: unknown) => e);
      assert.equal((error as Error).name, 'AbortError');
      assert.equal(server.requests.length, 0);
    });

    it('refuses an answer too large to be an API answer', async () => {
      const server = await serve(text(200, 'x'.repeat(6 * 1024 * 1024), 'application/octet-stream'));
      const error = await failure(client(server.url, { retry: { maxAttempts: 1 } }).api.queryVideo('x'));
      assert.equal(error.kind, 'malformed_response');
      assert.match(error.message, /more than 5 MB/);
    });
  });

  describe('create retry rule', () => {
    const maybeCreated = (error: JuxinError) => {
      assert.match(error.message, /may have .*created a task.*list_videos/);
      assert.match(error.messageZh!, /list_videos/);
      assert.ok(error.messageZh!.includes(MAYBE_CREATED_ZH));
      assert.match(error.describe(), /list_videos.*\n.*\n.*$/);
    };

    it('does not retry a create after a 5xx, and says the task may exist', async () => {
      const server = await serve(json(502, fixtureText('error-upstream.json')), json(200, fixture('create-pending.json')));
      const error = await failure(client(server.url).api.createVideo(PARAMS));
      assert.equal(error.kind, 'upstream');
      assert.equal(error.vendorMessageZh, '请求上游地址失败');
      assert.equal(server.requests.length, 1);
      maybeCreated(error);
    });

    it('does not retry a create that timed out after it was sent', async () => {
      const server = await serve(hang, json(200, fixture('create-pending.json')));
      const { api, timeouts } = client(server.url, { requestTimeoutMs: 40 });
      const pending = failure(api.createVideo(PARAMS));
      await timeOut(server, timeouts, 1, 40);
      const error = await pending;
      assert.equal(error.kind, 'timeout');
      assert.equal(server.requests.length, 1);
      maybeCreated(error);
    });

    it('does not retry a create whose connection was reset mid-response', async () => {
      const server = await serve(reset, json(200, fixture('create-pending.json')));
      const error = await failure(client(server.url).api.createVideo(PARAMS));
      assert.equal(error.kind, 'network');
      assert.equal(server.requests.length, 1);
      maybeCreated(error);
    });

    it('does not retry a create answered with HTML', async () => {
      const server = await serve(text(200, fixtureText('wrong-path.html')), json(200, fixture('create-pending.json')));
      const error = await failure(client(server.url).api.createVideo(PARAMS));
      assert.equal(error.kind, 'malformed_response');
      assert.equal(server.requests.length, 1);
      maybeCreated(error);
    });

    it('does not retry a remix or a character after a 5xx either', async () => {
      const server = await serve(json(503, fixtureText('error-upstream.json')));
      const { api } = client(server.url);
      maybeCreated(await failure(api.remixVideo('video_1', 'purple')));
      maybeCreated(await failure(api.createCharacter({ url: 'https://example.com/v.mp4' }, '1,3')));
      assert.equal(server.requests.length, 2);
    });

    it('retries a create after 429 (rejected before billing)', async () => {
      const server = await serve(json(429, fixtureText('error-rate-limit.json'), { 'retry-after': '2' }), json(200, fixture('create-pending.json')));
      const { api, clock } = client(server.url);
      const task = await api.createVideo(PARAMS);
      assert.equal(task.status, 'queued');
      assert.equal(server.requests.length, 2);
      assert.deepEqual(clock.sleeps, [2000]);
    });

    it('retries a create whose connection was refused (nothing was sent)', async () => {
      const server = await serve(json(200, fixture('create-pending.json')));
      const connect = buildConnector({});
      let refusals = 1;
      const dispatcher = new Agent({
        connect: (options, callback) => {
          if (refusals-- > 0) return callback(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), null);
          connect(options, callback);
        },
      });
      try {
        const { api, clock } = client(server.url, { dispatcher });
        const task = await api.createVideo(PARAMS);
        assert.equal(task.id, 'sora-2:task_01k6x15vhrff09dkkqjrzwhm60');
        assert.equal(server.requests.length, 1);
        assert.deepEqual(clock.sleeps, [1000]);
      } finally {
        await dispatcher.close();
      }
    });

    it('says plainly that nothing was created when the create never got through', async () => {
      const server = await startServer(json(200, {}));
      await server.close();
      const error = await failure(client(server.url, { retry: { maxAttempts: 2 } }).api.createVideo(PARAMS));
      assert.equal(error.kind, 'network');
      assert.doesNotMatch(error.message, /list_videos/);
    });
  });

  describe('remixVideo', () => {
    it('posts {prompt} to the encoded id and reports what it remixes', async () => {
      const server = await serve(json(200, fixture('shape-c-remix.json')), json(200, fixture('create-queued.json')));
      const { api } = client(server.url);
      const task = await api.remixVideo('video_5c6a605a-30c0-4a6a-9dbd-d1d6cfdd9980', 'make the background purple');
      assert.equal(server.requests[0].url, '/v1/videos/video_5c6a605a-30c0-4a6a-9dbd-d1d6cfdd9980/remix');
      assert.deepEqual(bodyOf(server.requests[0]), { prompt: 'make the background purple' });
      assert.equal(server.requests[0].headers['content-type'], 'application/json');
      assert.equal(task.remixedFrom, 'video_5c6a605a-30c0-4a6a-9dbd-d1d6cfdd9980');
      assert.equal(task.id, 'video_9e1f0000-1111-4222-8333-444455556666');
      // Without remixed_from_video_id in the answer, the id we remixed is reported.
      const second = await api.remixVideo('sora-2:task_a/b', 'again');
      assert.equal(server.requests[1].url, '/v1/videos/sora-2%3Atask_a%2Fb/remix');
      assert.equal(second.remixedFrom, 'sora-2:task_a/b');
    });
  });

  describe('path segments', () => {
    it('refuses "." and ".." as a task id: they would reach another endpoint (POST /v1/remix)', async () => {
      const server = await serve(json(200, fixture('shape-c-remix.json')));
      const { api } = client(server.url);
      for (const id of ['..', '.', ' .. ']) {
        const error = await failure(api.remixVideo(id, 'purple'));
        assert.equal(error.kind, 'bad_request');
        assert.match(error.message, /task id/);
        assert.ok(error.messageZh);
      }
      assert.deepEqual(server.requests, [], 'nothing was sent');
    });
  });

  describe('createCharacter', () => {
    it('posts {url, timestamps} or {from_task, timestamps}, never a model', async () => {
      const server = await serve(json(200, fixture('character.json')));
      const { api } = client(server.url);
      const fromUrl = await api.createCharacter({ url: 'https://example.com/v.mp4' }, '1,3');
      await api.createCharacter({ fromTask: 'sora-2:task_01k6x15vhrff09dkkqjrzwhm60' }, '0.5,2');
      assert.equal(fromUrl.username, 'hfspncadz.mooflapand');
      assert.deepEqual(
        server.requests.map((r) => [r.method, r.url, bodyOf(r)]),
        [
          ['POST', '/sora/v1/characters', { url: 'https://example.com/v.mp4', timestamps: '1,3' }],
          ['POST', '/sora/v1/characters', { from_task: 'sora-2:task_01k6x15vhrff09dkkqjrzwhm60', timestamps: '0.5,2' }],
        ],
      );
      for (const request of server.requests) assert.ok(!('model' in (bodyOf(request) as object)));
    });

    it('checks the timestamps and the source before sending', async () => {
      const server = await serve(json(200, fixture('character.json')));
      const { api } = client(server.url);
      for (const timestamps of ['1,1.5', '1,5', '3,1', '1', 'a,b', '', '1,2,3']) {
        const error = await failure(api.createCharacter({ url: 'https://example.com/v.mp4' }, timestamps));
        assert.equal(error.kind, 'bad_request');
        assert.match(error.message, /between 1 and 3/);
        assert.match(error.messageZh!, /1～3 秒/);
      }
      for (const source of [{ url: 'file:///tmp/v.mp4' }, { url: '' }, { fromTask: '  ' }]) {
        assert.equal((await failure(api.createCharacter(source, '1,3'))).kind, 'bad_request');
      }
      assert.equal(server.requests.length, 0);
    });

    it('maps the relay refusing a model to not_found', async () => {
      const server = await serve(json(404, fixtureText('error-channel-not-found.json')));
      const error = await failure(client(server.url).api.createCharacter({ fromTask: 't' }, '1,3'));
      assert.equal(error.kind, 'not_found');
      assert.match(error.message, /channel not found/);
    });
  });

  describe('secrets', () => {
    it('never puts the key into errors or log lines, even when the vendor echoes it', async () => {
      const echo = `Invalid token: ${TEST_KEY} (Authorization: Bearer ${TEST_KEY})`;
      const server = await serve(
        json(401, { error: { message: echo, message_zh: `无效的令牌 ${TEST_KEY}` } }),
        json(502, { message: echo }),
        text(200, `<html>${TEST_KEY}</html>`),
        text(400, `bad key ${TEST_KEY}`),
        reset,
        hang,
      );
      const { api, logger, timeouts } = client(server.url, { requestTimeoutMs: 40, retry: { maxAttempts: 1 } });
      const errors: JuxinError[] = [];
      for (let i = 0; i < 6; i++) {
        const pending = failure(i % 2 ? api.createVideo(PARAMS) : api.queryVideo('x'));
        if (i === 5) await timeOut(server, timeouts, 6, 40); // the last one hangs until its timeout
        errors.push(await pending);
      }
      assert.deepEqual(
        errors.map((e) => e.kind),
        ['auth', 'upstream', 'malformed_response', 'bad_request', 'network', 'timeout'],
      );
      const secretPart = TEST_KEY.slice(3);
      for (const error of errors) {
        for (const shown of [
          error.message,
          error.describe(),
          JSON.stringify(error),
          String(error),
          error.messageZh ?? '',
          error.vendorMessage ?? '',
          error.vendorMessageZh ?? '',
        ]) {
          assert.ok(!shown.includes(secretPart), `key leaked in a ${error.kind} error`);
        }
      }
      assert.ok(logger.lines.length >= 6);
      for (const line of logger.lines) {
        assert.ok(!line.includes(secretPart), 'key leaked in the log');
        assert.ok(!/authorization|bearer/i.test(line), 'a header was logged');
      }
    });

    it('logs method, path, status and duration only', async () => {
      const server = await serve(json(200, fixture('shape-c-in-progress.json')));
      const { api, logger } = client(server.url);
      await api.queryVideo('sora-2:task_secretish');
      assert.deepEqual(logger.lines, ['debug: GET /v1/video/query → 200 in 0 ms']);
    });
  });
});

describe('parseTimestamps', () => {
  it('accepts "start,end" with a span of 1 to 3 seconds', () => {
    assert.deepEqual(parseTimestamps('1,3'), { start: 1, end: 3 });
    assert.deepEqual(parseTimestamps(' 0.5 , 1.5 '), { start: 0.5, end: 1.5 });
    assert.deepEqual(parseTimestamps('10,13'), { start: 10, end: 13 });
    assert.equal(parseTimestamps('1,4.5'), undefined);
    assert.equal(parseTimestamps('-1,1'), undefined);
  });
});
