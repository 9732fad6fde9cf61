import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ModelsCache, MODELS_MAX_AGE_MS } from '../../../src/core/modelsCache';
import { JuxinError } from '../../../src/juxin/errors';
import { relayScope } from '../../../src/juxin/scope';
import type { JuxinApi, ListedModel } from '../../../src/juxin/types';
import { ManualClock } from '../../../src/util/clock';
import { REAL_DEADLINE_MS } from '../../helpers/clock';
import { waitUntil } from '../../helpers/wait';

const LISTED: ListedModel[] = [
  { id: 'gpt-4o-mini', endpointTypes: ['openai'] },
  { id: 'veo3.1-fast', endpointTypes: ['视频统一格式'] },
  { id: 'grok-video-3', endpointTypes: ['视频统一格式'] },
];

/** A relay that answers GET /v1/models with `answer` and counts the questions (for the key and relay of `scope`). */
function relay(answer: () => ListedModel[], scope?: string) {
  const asked = { count: 0 };
  const api = { scope, listModels: async () => (asked.count++, answer()) } as unknown as JuxinApi;
  return { api, asked };
}

const readCache = (home: string) => JSON.parse(readFileSync(path.join(home, 'models.json'), 'utf8'));

describe('core/modelsCache: what the key can use, one answer for every process', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'models-cache-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('two processes share one file: the second reads it instead of asking; both ask again once it is old', async () => {
    const clock = new ManualClock(1_000_000);
    const a = relay(() => LISTED);
    const b = relay(() => LISTED);
    const first = new ModelsCache(home, () => a.api, clock);
    const second = new ModelsCache(home, () => b.api, clock);
    assert.deepEqual((await first.models()).usable, ['veo3.1-fast', 'grok-video-3']);
    assert.deepEqual((await second.models()).usable, ['veo3.1-fast', 'grok-video-3']);
    assert.deepEqual([a.asked.count, b.asked.count], [1, 0]);
    assert.equal(readCache(home).answers[''].models.length, 3, 'every listed model is kept (list_models shows the video ones)');
    await Promise.all([first.models(), first.models()]);
    assert.equal(a.asked.count, 1, 'fresh in memory: not asked again');
    await clock.advance(MODELS_MAX_AGE_MS);
    await second.models();
    await first.models();
    assert.deepEqual([a.asked.count, b.asked.count], [1, 1], 'the first process takes the answer the second just wrote');
  });

  it("asks only in the key's turn (the shared rate cap): GET /v1/models waits like every other request", async () => {
    const clock = new ManualClock(1_000_000);
    const order: string[] = [];
    let open!: () => void;
    const turn = () => (order.push('turn asked'), new Promise<void>((resolve) => (open = () => (order.push('turn given'), resolve()))));
    const api = { listModels: async () => (order.push('listed'), LISTED) } as unknown as JuxinApi;
    const answer = new ModelsCache(home, () => api, clock, undefined, undefined, turn).models();
    // The shared file is read first (real I/O), then the turn is asked for.
    await waitUntil(() => order.length > 0, REAL_DEADLINE_MS, 'the turn asked for');
    assert.deepEqual(order, ['turn asked'], 'nothing sent before the turn');
    open();
    assert.deepEqual((await answer).usable, ['veo3.1-fast', 'grok-video-3']);
    assert.deepEqual(order, ['turn asked', 'turn given', 'listed']);
  });

  it('reads a damaged file as none, and asks the relay', async () => {
    writeFileSync(path.join(home, 'models.json'), '{"version":1,"fetchedAt":');
    const a = relay(() => LISTED);
    const cache = new ModelsCache(home, () => a.api, new ManualClock(5));
    assert.deepEqual((await cache.models()).usable, ['veo3.1-fast', 'grok-video-3']);
    assert.equal(a.asked.count, 1);
    writeFileSync(path.join(home, 'models.json'), JSON.stringify({ version: 1, fetchedAt: 5, models: [{ id: 7 }] }));
    const other = relay(() => []);
    assert.equal(
      (await new ModelsCache(home, () => other.api, new ManualClock(5)).models()).usable,
      undefined,
      'a list without video models: the catalog decides',
    );
    assert.equal(other.asked.count, 1, 'a file of the wrong shape is none too');
  });

  it('without /v1/models (an old relay, no key, an error) the catalog decides; an older answer is kept meanwhile', async () => {
    const clock = new ManualClock(0);
    let fail = true;
    const api = {
      listModels: async () => {
        if (fail) throw new JuxinError('no_route', 'Invalid URL (GET /v1/models)');
        return LISTED;
      },
    } as unknown as JuxinApi;
    const cache = new ModelsCache(home, () => api, clock);
    assert.deepEqual(await cache.models(), { usable: undefined });
    fail = false;
    assert.equal((await cache.models()).usable, undefined, 'not asked again at once: a relay without the route is not asked at every generation');
    await clock.advance(MODELS_MAX_AGE_MS);
    assert.deepEqual((await cache.models()).usable, ['veo3.1-fast', 'grok-video-3'], 'asked again once that answer is old');
    await clock.advance(MODELS_MAX_AGE_MS + 1);
    fail = true;
    assert.deepEqual((await new ModelsCache(home, () => api, clock).models()).usable, ['veo3.1-fast', 'grok-video-3'], 'the older shared answer');
  });

  it('after the relay refused a model, the next question asks again', async () => {
    const a = relay(() => LISTED);
    const cache = new ModelsCache(home, () => a.api, new ManualClock(0));
    await cache.models();
    await cache.invalidate();
    assert.equal(cache.current(), undefined);
    await cache.models();
    assert.equal(a.asked.count, 2);
  });

  it("two keys (or two relays) in one home never read each other's answer, and the file holds neither key", async () => {
    const clock = new ManualClock(1_000_000);
    const keyA = 'sk-test-models-key-aaaaaaaaaaaaaaaaaaaaaaaaaa';
    const keyB = 'sk-test-models-key-bbbbbbbbbbbbbbbbbbbbbbbbbb';
    const a = relay(() => LISTED, relayScope('http://127.0.0.1:9001', keyA));
    const b = relay(() => [{ id: 'jimeng-video-3.0', endpointTypes: ['视频统一格式'] }], relayScope('http://127.0.0.1:9001', keyB));
    const otherRelay = relay(() => [{ id: 'veo3.1', endpointTypes: ['视频统一格式'] }], relayScope('http://127.0.0.1:9002', keyA));
    assert.deepEqual((await new ModelsCache(home, () => a.api, clock).models()).usable, ['veo3.1-fast', 'grok-video-3']);
    assert.deepEqual((await new ModelsCache(home, () => b.api, clock).models()).usable, ['jimeng-video-3.0'], "key B asks for its own, never reads A's");
    assert.deepEqual((await new ModelsCache(home, () => otherRelay.api, clock).models()).usable, ['veo3.1'], 'the same key on another relay too');
    assert.deepEqual([a.asked.count, b.asked.count, otherRelay.asked.count], [1, 1, 1]);
    // Each key's answer stays shared with the other processes of that key.
    const againA = relay(() => [], a.api.scope);
    assert.deepEqual((await new ModelsCache(home, () => againA.api, clock).models()).usable, ['veo3.1-fast', 'grok-video-3']);
    assert.equal(againA.asked.count, 0);
    const text = readFileSync(path.join(home, 'models.json'), 'utf8');
    assert.equal(Object.keys(readCache(home).answers).length, 3);
    for (const key of [keyA, keyB]) {
      assert.ok(!text.includes(key), 'never the key');
      assert.ok(!text.includes(key.slice(0, 12)) && !text.includes(key.slice(-12)), 'nor a part of it');
    }
  });

  it("a refusal asks again for that key only: another key's answer stays", async () => {
    const clock = new ManualClock(0);
    const a = relay(() => LISTED, 'relay key:a');
    const b = relay(() => LISTED, 'relay key:b');
    const cacheA = new ModelsCache(home, () => a.api, clock);
    await cacheA.models();
    await new ModelsCache(home, () => b.api, clock).models();
    await cacheA.invalidate();
    assert.deepEqual(Object.keys(readCache(home).answers), ['relay key:b']);
    await new ModelsCache(home, () => b.api, clock).models();
    assert.equal(b.asked.count, 1, "B's answer was kept");
  });

  it("a process whose key changes stops using the old key's answer at once", async () => {
    const clock = new ManualClock(0);
    let api = relay(() => LISTED, 'relay key:a').api;
    const cache = new ModelsCache(home, () => api, clock);
    await cache.models();
    const b = relay(() => [{ id: 'veo3.1', endpointTypes: ['视频统一格式'] }], 'relay key:b');
    api = b.api;
    assert.equal(cache.current(), undefined, 'what key A could use is not what key B can');
    assert.deepEqual((await cache.models()).usable, ['veo3.1']);
    assert.equal(b.asked.count, 1);
  });
});
