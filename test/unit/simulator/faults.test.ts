import assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import { FaultController } from '../../../src/simulator';
import { download, harness, type Harness, PLAIN, TEN_SECOND_JOB } from './helpers';
import { waitUntil } from '../../helpers/wait';

const JOB = TEN_SECOND_JOB.queue + TEN_SECOND_JOB.generate;

describe('simulator: fault injection', () => {
  let h: Harness;
  afterEach(() => h?.close());

  async function completedUrl(): Promise<{ id: string; url: string }> {
    const { id } = (await h.create()).json;
    await h.advance(JOB);
    return { id, url: (await h.query(id)).json.video_url };
  }

  it("rate_limit: the gateway's Chinese 429, without Retry-After unless asked, as many times as asked", async () => {
    h = await harness(PLAIN);
    h.sim.faults.add({ kind: 'rate_limit', on: 'create', times: 2 });
    h.sim.faults.add({ kind: 'rate_limit', on: 'create', retryAfterSeconds: 7 });
    for (let i = 0; i < 3; i++) {
      const r = await h.create();
      assert.equal(r.status, 429);
      assert.equal(r.headers['retry-after'], i < 2 ? undefined : '7');
      assert.deepEqual(r.json, { error: { message: '您已达到请求数限制：1分钟内最多请求60次', type: 'new_api_error' } });
    }
    assert.equal((await h.create()).status, 200, 'used up');
    assert.equal(h.sim.tasks.size, 1, 'a refused create creates nothing');
    assert.deepEqual(
      h.sim.requests.map((r) => r.status),
      [429, 429, 429, 200],
    );
  });

  it('brochure rate_limit: 429 with Retry-After (1 s unless asked) and the vendor error', async () => {
    h = await harness({ wire: 'brochure' });
    h.sim.faults.add({ kind: 'rate_limit', on: 'create', retryAfterSeconds: 7 });
    h.sim.faults.add({ kind: 'rate_limit', on: 'create' });
    for (const seconds of ['7', '1']) {
      const r = await h.create();
      assert.equal(r.status, 429);
      assert.equal(r.headers['retry-after'], seconds);
      assert.equal(r.json.error.type, 'rate_limit_error');
      assert.ok(r.json.error.message_zh);
    }
  });

  it('server_error: the chosen 5xx with 请求上游地址失败 (the brochure adds a message_zh)', async () => {
    h = await harness(PLAIN);
    const { id } = (await h.create()).json;
    for (const status of [500, 502, 503, 504] as const) {
      h.sim.faults.add({ kind: 'server_error', on: 'query', status });
      const r = await h.query(id);
      assert.equal(r.status, status);
      assert.match(r.json.error.message, /请求上游地址失败.*\(request id: /);
      assert.equal(r.json.error.type, 'new_api_error');
    }
    h.sim.faults.add({ kind: 'server_error' });
    assert.equal((await h.query(id)).status, 502, 'default 502');
    await h.close();
    h = await harness({ wire: 'brochure' });
    h.sim.faults.add({ kind: 'server_error', on: 'create' });
    assert.equal((await h.create()).json.error.message_zh, '请求上游地址失败');
  });

  it('html_200 and malformed_json: a 200 that is not the JSON asked for', async () => {
    h = await harness(PLAIN);
    const { id } = (await h.create()).json;
    h.sim.faults.add({ kind: 'html_200', on: 'query' });
    h.sim.faults.add({ kind: 'malformed_json', on: 'query' });
    const html = await h.query(id);
    assert.equal(html.status, 200);
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.match(html.text, /<html/);
    const broken = await h.query(id);
    assert.equal(broken.status, 200);
    assert.match(String(broken.headers['content-type']), /^application\/json/);
    assert.throws(() => JSON.parse(broken.text), SyntaxError);
    assert.equal((await h.query(id)).json.id, id);
  });

  it('aims faults at create, query, remix, character or download, and "any" at the next request', async () => {
    h = await harness(PLAIN);
    const { id, url } = await completedUrl();
    for (const on of ['remix', 'character', 'download', 'query', 'create'] as const) h.sim.faults.add({ kind: 'rate_limit', on });
    assert.equal((await h.create()).status, 429);
    assert.equal((await h.query(id)).status, 429);
    assert.equal((await download(url)).status, 429);
    assert.equal((await h.call('POST', '/sora/v1/characters', { json: { url: 'https://example.com/v.mp4', timestamps: '1,3' } })).status, 429);
    assert.equal((await h.call('POST', `/v1/videos/${encodeURIComponent(id)}/remix`, { json: { prompt: 'again' } })).status, 429);
    assert.deepEqual(h.sim.faults.list(), []);
    h.sim.faults.add({ kind: 'server_error', on: 'any', times: 2 });
    assert.equal((await h.call('POST', '/sora/v1/characters', { json: { url: 'https://example.com/v.mp4', timestamps: '1,3' } })).status, 502);
    assert.equal((await download(url)).status, 502);
    assert.equal((await download(url)).status, 200);
  });

  it('does not spend a fault on a request refused for its key, or on a wrong path', async () => {
    h = await harness(PLAIN);
    h.sim.faults.add({ kind: 'rate_limit' });
    assert.equal((await h.call('POST', '/v1/video/create', { key: 'sk-invalid-key-0001', json: {} })).status, 401);
    assert.equal((await h.call('GET', '/nowhere')).status, 200);
    assert.equal(h.sim.faults.list().length, 1);
  });

  it('cut_download: the body stops after afterBytes; it waits for a download even when aimed at "any"', async () => {
    h = await harness(PLAIN);
    const { id, url } = await completedUrl();
    h.sim.faults.add({ kind: 'cut_download', on: 'any', afterBytes: 5000 });
    assert.equal((await h.query(id)).status, 200, 'a query does not use it up');
    const cut = await download(url);
    assert.equal(cut.status, 200);
    assert.equal(cut.complete, false);
    assert.equal(cut.body.length, 5000);
    const resumed = await download(url, { range: 'bytes=5000-' });
    assert.equal(resumed.status, 206);
    assert.equal(resumed.complete, true);
    h.sim.faults.add({ kind: 'cut_download' });
    const half = await download(url);
    assert.equal(half.body.length, Math.floor(Number(half.headers['content-length']) / 2), 'default: half the file');
    h.sim.faults.add({ kind: 'cut_download', afterBytes: 0 });
    const none = await download(url);
    assert.equal(none.status, 200);
    assert.deepEqual([none.complete, none.body.length], [false, 0], 'headers, then the connection drops');
  });

  it('expired_url: 403 on the next download only', async () => {
    h = await harness(PLAIN);
    const { url } = await completedUrl();
    h.sim.faults.add({ kind: 'expired_url' });
    assert.equal((await download(url)).status, 403);
    assert.equal((await download(url)).status, 200);
  });

  it('hang: never answers, and close() still ends the request and the server promptly', async () => {
    h = await harness(PLAIN);
    h.sim.faults.add({ kind: 'hang', on: 'create' });
    const agent = new Agent();
    const pending = request(`${h.sim.url}/v1/video/create`, {
      method: 'POST',
      dispatcher: agent,
      headers: { authorization: 'Bearer sk-test-not-a-real-key-0001', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x', images: [] }),
    });
    const outcome = pending.then(
      () => 'answered',
      () => 'connection ended',
    );
    let ended = false;
    void outcome.then(() => (ended = true));
    await waitUntil(() => h.sim.requests.length > 0, 30_000, 'the request at the simulator', 5);
    // The simulator decides to hang as the request arrives: nothing is sent, so nothing can have arrived.
    assert.equal(h.sim.requests[0].status, 0, 'no answer sent');
    assert.equal(ended, false, 'no answer received');
    // close() ends the hanging request rather than wait for it (if it waited, neither would ever end).
    await Promise.all([h.close(), outcome]);
    assert.equal(await outcome, 'connection ended');
    assert.equal(h.sim.requests[0].status, 0);
    await agent.destroy();
  });

  it('FaultController refuses specs it cannot honour, with the reason', () => {
    const faults = new FaultController();
    assert.throws(() => faults.add({ kind: 'explode' } as never), /kind/);
    assert.throws(() => faults.add({ kind: 'rate_limit', on: 'everything' } as never), /on/);
    assert.throws(() => faults.add({ kind: 'server_error', status: 418 } as never), /status/);
    assert.throws(() => faults.add({ kind: 'rate_limit', times: 0 }), /times/);
    assert.throws(() => faults.add({ kind: 'rate_limit', typo: 1 } as never), /typo/);
    faults.add({ kind: 'cut_download', times: 3 });
    assert.deepEqual(faults.list(), [{ kind: 'cut_download', on: 'download', times: 3 }]);
    faults.clear();
    assert.deepEqual(faults.list(), []);
  });

  describe('over HTTP (/__sim, no key needed)', () => {
    it('adds, lists and clears faults', async () => {
      h = await harness(PLAIN);
      const post = await h.call('POST', '/__sim/faults', {
        key: null,
        json: [
          { kind: 'rate_limit', on: 'query', times: 2 },
          { kind: 'hang', on: 'remix' },
        ],
      });
      assert.equal(post.status, 200);
      assert.deepEqual(post.json.faults, [
        { kind: 'rate_limit', on: 'query', times: 2 },
        { kind: 'hang', on: 'remix', times: 1 },
      ]);
      assert.equal((await h.query('video_x')).status, 429);
      assert.equal((await h.call('GET', '/__sim/faults', { key: null })).json.faults[0].times, 1);
      const bad = await h.call('POST', '/__sim/faults', { key: null, json: { kind: 'nope' } });
      assert.equal(bad.status, 400);
      assert.match(bad.json.error.message, /kind/);
      assert.equal((await h.call('POST', '/__sim/faults', { key: null, json: 'x' })).status, 400);
      assert.deepEqual((await h.call('DELETE', '/__sim/faults', { key: null })).json, { faults: [] });
      assert.deepEqual(h.sim.faults.list(), []);
    });

    it('shows requests and tasks, and is not itself recorded', async () => {
      h = await harness({ idStyle: 'task' });
      const { id } = (await h.create({ prompt: 'forever #sim:never' })).json;
      await h.call('GET', '/__sim/faults', { key: null });
      const requests = (await h.call('GET', '/__sim/requests', { key: null })).json.requests;
      assert.deepEqual(
        requests.map((r: { method: string; path: string; status: number }) => [r.method, r.path, r.status]),
        [['POST', '/v1/video/create', 200]],
      );
      const tasks = (await h.call('GET', '/__sim/tasks', { key: null })).json;
      assert.equal(tasks.now, h.sim.now());
      assert.equal(tasks.tasks[0].id, id);
      assert.equal(tasks.tasks[0].completesAt, null, 'a task that never ends');
      assert.equal(tasks.tasks[0].state.status, 'queued');
      await h.call('DELETE', '/__sim/requests', { key: null });
      assert.equal(h.sim.requests.length, 0);
      assert.equal((await h.call('GET', '/__sim/unknown', { key: null })).status, 404);
    });
  });
});
