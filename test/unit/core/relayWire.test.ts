import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VideoEngine } from '../../../src/core/engine';
import { ParamError } from '../../../src/core/params';
import { TaskStore } from '../../../src/core/store';
import type { TaskRecord } from '../../../src/core/types';
import { JuxinClient } from '../../../src/juxin/client';
import { JuxinError } from '../../../src/juxin/errors';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../src/simulator';
import { TestClock } from '../../helpers/clock';

/**
 * The engine, the real client and the simulator speaking the real wire, in one process on one
 * TestClock: every query shape and video place end to end, where the key goes on a download, and
 * what bad bodies do to a task. Simulated time moves only when `until` moves it.
 */

const KEY = 'sk-test-not-a-real-key-0001';
/** The simulator's 8 s sample: a Veo job's video lasts 8 s. */
const SAMPLE = readFileSync(path.join(__dirname, '../../../media/sample-8s.mp4'));
/** An 8 s veo3.1-fast job with no jitter: queued 150 s, generating 90 s × √(8/10) (ported from a 10 s sora-2 job: 150 + 90 s). */
const JOB_MS = 150_000 + 90_000 * Math.sqrt(0.8);

describe('core: the engine on the real wire (client + simulator)', function () {
  this.timeout(60_000);
  let home: string;
  let sim: Simulator;
  let engine: VideoEngine;
  let clock: TestClock;

  async function start(options: SimulatorOptions = {}, rateCap = 50): Promise<void> {
    clock = new TestClock();
    sim = await startSimulator({ clock, quiet: true, timingJitter: 0, ...options });
    const api = new JuxinClient({ apiKey: KEY, baseUrl: sim.url, clock, random: () => 0.5 });
    engine = new VideoEngine({
      api: () => api,
      store: new TaskStore(home),
      videosDir: path.join(home, 'videos'),
      clock,
      minPollIntervalMs: 5000,
      maxRequestsPerSecond: rateCap,
      // Veo 3.1 fast, the key's default too (Sora 2 is retired: tests about it opt in and name it).
      defaults: () => ({ model: 'veo3.1-fast' }),
    });
    await engine.start();
  }

  /** Lets simulated time pass (the real I/O of each step finished first) until `done` holds: the outcome, not the speed, is asserted. */
  const until = (done: () => boolean, what: string) => clock.runUntil(done, { what });

  const task = (id: string): TaskRecord => engine.get(id)!;
  const saved = (id: string) => task(id)?.download.state === 'done';

  beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'relay-wire-'))));
  afterEach(async () => {
    await engine?.dispose();
    await sim?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('follows and saves a task in every query shape and from every video place', async () => {
    await start();
    const shapes = ['record', 'record-bare', 'openai', 'unified'];
    const places = ['storage', 'content', 'content-redirect', 'signed'];
    const ids: Record<string, string> = {};
    for (const shape of shapes) {
      for (const place of places) {
        const created = await engine.generate({ prompt: `a cat #sim:shape-${shape} #sim:url-${place}` }, 'test');
        ids[`${shape}/${place}`] = created.id;
      }
    }
    ids['veo ids'] = (await engine.generate({ prompt: 'a fox #sim:id-veo' }, 'test')).id;
    assert.match(ids['veo ids'], /^veo3\.1-fast:\d+-[A-Za-z0-9]{10}$/);
    await until(() => Object.values(ids).every(saved), 'every video saved');
    for (const [dress, id] of Object.entries(ids)) {
      const record = task(id);
      assert.equal(record.status, 'completed', dress);
      assert.ok(readFileSync(record.download.localPath!).equals(SAMPLE), `${dress}: the bytes`);
    }
  });

  it('sends the key with a download from the relay\u2019s own /content route, and never to the storage host', async () => {
    await start({ queryShape: 'openai' });
    const storage = (await engine.generate({ prompt: 'a cat #sim:url-storage' }, 'test')).id;
    const content = (await engine.generate({ prompt: 'a dog #sim:url-content' }, 'test')).id;
    const redirected = (await engine.generate({ prompt: 'a bird #sim:url-content-redirect' }, 'test')).id;
    await until(() => [storage, content, redirected].every(saved), 'three videos saved');
    const downloads = (id: string) => sim.requests.filter((r) => r.target === 'download' && r.taskId === id).map((r) => [r.origin, r.authorized, r.status]);
    assert.deepEqual(downloads(storage), [['storage', false, 200]]);
    assert.deepEqual(downloads(content), [['relay', true, 200]]);
    assert.deepEqual(downloads(redirected), [
      ['relay', true, 302],
      ['storage', false, 200],
    ]);
    assert.ok(
      sim.requests.filter((r) => r.origin === 'storage').every((r) => !r.authorized),
      'no request to the storage host ever carried an Authorization header',
    );
    assert.ok(
      sim.requests.filter((r) => r.origin === 'relay').every((r) => r.authorized),
      'every request to the relay did',
    );
  });

  for (const kind of ['malformed_json', 'not_json', 'html_200', 'huge_body'] as const) {
    it(`a ${kind} answer to its queries is a recorded, explained problem of that task: no crash, nothing lost`, async () => {
      await start({ queryShape: 'record' });
      const id = (await engine.generate({ prompt: 'a cat' }, 'test')).id;
      // More bad answers than the client retries (5 attempts): the tracker sees the error.
      sim.faults.add({ kind, on: 'query', times: 12 });
      const problems: string[] = [];
      engine.onDidChange((t) => {
        if (t.id === id && t.lastError) problems.push(`${t.lastError.kind}: ${t.lastError.message}`);
      });
      await until(() => sim.faults.list().length === 0, 'the bad answers are used up');
      assert.ok(problems.length > 0, 'the problem was recorded on the task');
      assert.match(problems[0], /^malformed_response: .*(JSON|MB)/);
      assert.ok(
        problems.every((p) => p.startsWith('malformed_response')),
        problems.join('\n'),
      );
      const onDisk = JSON.parse(JSON.stringify(await new TaskStore(home).load())) as TaskRecord[];
      assert.deepEqual(
        onDisk.map((t) => t.id),
        [id],
        'still in the history on disk',
      );
      await until(() => saved(id), 'the task finishes once the relay answers properly again');
      assert.equal(task(id).lastError, undefined, 'the problem clears with the next good answer');
      assert.ok(clock.now() - task(id).createdAt >= JOB_MS);
    });
  }

  it('a truncated, non-JSON or huge answer to a create is refused plainly, and no task is invented', async () => {
    await start();
    for (const kind of ['malformed_json', 'not_json', 'huge_body'] as const) {
      sim.faults.add({ kind, on: 'create' });
      const error = await engine.generate({ prompt: 'a cat' }, 'test').then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof JuxinError, String(error));
      assert.equal(error.kind, 'malformed_response', kind);
      assert.match(error.message, /may have reached Juxin/, 'it says the create may have gone through: look before trying again');
    }
    assert.equal(engine.list({ limit: 100 }).length, 0);
    assert.equal(sim.requests.filter((r) => r.target === 'create').length, 3, 'never retried');
  });

  it('a model the relay does not list is refused before anything is sent, naming what the key can use', async () => {
    await start({ retireSora: true, models: ['sora-2', 'veo3.1-fast', 'grok-video-3', 'gpt-4o-mini'] });
    await assert.rejects(
      engine.generate({ prompt: 'a cat', model: 'sora-2' }, 'test'),
      (e: unknown) =>
        e instanceof ParamError &&
        e.field === 'model' &&
        /cannot use sora-2 \(Sora 2 was retired upstream on 2026-09-24\)\. It can use: veo3\.1-fast, grok-video-3\./.test(e.message) &&
        /veo3\.1-fast、grok-video-3/.test(e.messageZh),
    );
    assert.deepEqual(
      sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`),
      ['GET /v1/models 200'],
    );
    assert.equal(engine.list({ limit: 100 }).length, 0);
  });

  it('a model the key cannot use after all: one create, never retried, the error names the video models from GET /v1/models, every process asks again', async () => {
    // About Sora's refusal (its retirement named): a relay that still lists it.
    await start({ retireSora: false, models: ['sora-2', 'veo3.1-fast', 'grok-video-3', 'gpt-4o-mini'] });
    const error = await engine.generate({ prompt: 'a cat #sim:model-not-found', model: 'sora-2' }, 'test').then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof JuxinError);
    assert.equal(error.kind, 'model_unavailable');
    assert.deepEqual(error.videoModels, ['veo3.1-fast', 'grok-video-3']);
    assert.equal(error.retiredOn, '2026-09-24');
    assert.match(error.describe(), /cannot use the model sora-2 \(group default\).*Sora 2 was retired upstream on 2026-09-24.*veo3\.1-fast, grok-video-3/s);
    assert.deepEqual(
      sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`),
      ['GET /v1/models 200', 'POST /v1/video/create 503', 'GET /v1/models 200'],
    );
    assert.equal(engine.list({ limit: 100 }).length, 0);
    assert.equal(existsSync(path.join(home, 'models.json')), false, 'the shared answer is dropped: the next call reads the list again');
  });

  it('the look-up of what the key can use after a refusal waits its turn at the rate cap, like every other request', async () => {
    // One request every 2.1 s (0.5 a second): each request of the call, the one after the refusal too, gets its own slot.
    await start({ retireSora: false, models: ['sora-2', 'veo3.1-fast', 'gpt-4o-mini'] }, 0.5);
    let outcome: unknown;
    void engine.generate({ prompt: 'a cat #sim:model-not-found', model: 'sora-2' }, 'test').then(
      () => (outcome = 'made'),
      (e: unknown) => (outcome = e),
    );
    await until(() => outcome !== undefined, 'the refusal');
    assert.ok(outcome instanceof JuxinError && outcome.kind === 'model_unavailable', String(outcome));
    assert.deepEqual(outcome.videoModels, ['veo3.1-fast']);
    const sent = sim.requests.filter((r) => r.origin === 'relay');
    assert.deepEqual(
      sent.map((r) => `${r.method} ${r.path} ${r.status}`),
      ['GET /v1/models 200', 'POST /v1/video/create 503', 'GET /v1/models 200'],
    );
    for (let i = 1; i < sent.length; i++) {
      assert.ok(sent[i].at - sent[i - 1].at >= 2000, `request ${i + 1} came ${sent[i].at - sent[i - 1].at} ms after the one before: inside the cap`);
    }
  });
});
