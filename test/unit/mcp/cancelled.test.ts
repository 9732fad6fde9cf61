import assert from 'node:assert/strict';
import path from 'node:path';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import lockfile from 'proper-lockfile';
import { CallCancelledError } from '../../../src/core/cancelledCalls';
import type { VideoEngine } from '../../../src/core/engine';
import type { SpendGate } from '../../../src/core/spendGate';
import type { GenerationParams, JuxinApi } from '../../../src/juxin/types';
import { waitUntil } from '../../helpers/wait';
import { inProcess, type InProcess, textOf } from './helpers';

/** Holds every create until `open()`: a relay slow to create, as a client with a short timeout meets it. */
function slowToCreate() {
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  const state = {
    seen: 0,
    open: () => release(),
    close: () => (gate = new Promise<void>((r) => (release = r))),
    wrap: (api: JuxinApi): JuxinApi => ({
      createVideo: async (params: GenerationParams, options) => {
        state.seen++;
        await gate;
        return api.createVideo(params, options);
      },
      queryVideo: (id, options) => api.queryVideo(id, options),
      remixVideo: (id, prompt, options) => api.remixVideo(id, prompt, options),
      createCharacter: (source, timestamps, options) => api.createCharacter(source, timestamps, options),
      listModels: (options) => api.listModels(options),
      downloadHeaders: (url) => api.downloadHeaders(url),
    }),
  };
  return state;
}

/** The real events these tests wait for (a call reaching the engine over the in-memory transport): a bound for a failure, generous for a busy machine. */
const REAL_MS = 30_000;

/** Records every promise `engine[method]` returns from now on: what the tool handlers asked of the engine, and when it answered. */
function spy<K extends 'generate' | 'cancelledTwin'>(engine: VideoEngine, method: K): Promise<unknown>[] {
  const calls: Promise<unknown>[] = [];
  const original = (engine[method] as (...args: unknown[]) => Promise<unknown>).bind(engine);
  (engine as unknown as Record<K, unknown>)[method] = (...args: unknown[]) => {
    const result = original(...args);
    calls.push(result);
    return result;
  };
  return calls;
}

describe('mcp/generate_video: a cancelled call pays at most once, and loses nothing', function () {
  this.timeout(120_000);
  let t: InProcess | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** A generate_video call the client gives up on (as a client timeout does): the SDK sends notifications/cancelled. */
  const cancellable = (prompt: string) => {
    const controller = new AbortController();
    const outcome = t!.client
      .callTool({ name: 'generate_video', arguments: { prompt, wait: false } }, CallToolResultSchema, { signal: controller.signal, timeout: 30_000 })
      .then(
        (r) => r as CallToolResult,
        (e: Error) => e,
      );
    return { cancel: () => controller.abort('the client gave up'), outcome };
  };

  it('keeps a create that was on its way when the call was cancelled, and answers an identical call from the same client with it, saying so', async () => {
    const relay = slowToCreate();
    t = await inProcess({ wrapApi: relay.wrap, engine: { spendLimits: () => ({ dailyVideos: 0, dailySeconds: 0, prices: {} }) } });
    const first = cancellable('a lighthouse at dusk');
    await waitUntil(() => relay.seen === 1, REAL_MS, 'the create is on its way', 5);
    first.cancel();
    assert.ok((await first.outcome) instanceof Error, 'the client gave up');
    // The same call again while the first create is still on its way: it waits for that task, it does not pay again.
    const lookups = spy(t.engine, 'cancelledTwin');
    let found = false;
    const again = t.call('generate_video', { prompt: 'a lighthouse at dusk', wait: false });
    await waitUntil(() => lookups.length === 1, REAL_MS, 'the second call looking for a cancelled twin', 5);
    void lookups[0].then(() => (found = true));
    // Nothing left to run but the held create: the lookup is still waiting for it (it did not answer "none" and move on).
    await t.clock.settle();
    assert.equal(found, false, 'the identical call waits for the create on its way');
    assert.equal(relay.seen, 1, 'and sends none of its own');
    relay.open();
    const answered = await again;
    assert.ok(!answered.isError, textOf(answered));
    assert.equal(relay.seen, 1, 'one create for the two calls');
    assert.equal(t.posts(), 1, 'one paid request for the two calls');
    assert.equal(t.engine.list({}).length, 1, 'the cancelled call’s task is in the history');
    const id = (answered.structuredContent as { task_id: string }).task_id;
    assert.equal(id, t.engine.list({})[0].id);
    assert.match(textOf(answered), /identical generate_video call from this client was cancelled/);
    assert.match(textOf(answered), /nothing was paid again/);
    assert.match(textOf(answered), /未重复付费/);
    assert.equal((answered.structuredContent as { reused_cancelled_call?: boolean }).reused_cancelled_call, true);

    // And once it has landed, a third identical call gets it from the history; another prompt is a new video.
    const third = await t.call('generate_video', { prompt: 'a lighthouse at dusk', wait: false });
    assert.equal((third.structuredContent as { task_id: string }).task_id, id);
    const other = await t.call('generate_video', { prompt: 'a lighthouse at dawn', wait: false });
    assert.notEqual((other.structuredContent as { task_id: string }).task_id, id);
    assert.equal(t.posts(), 2);
  });

  it('never sends the create of a call cancelled before it was sent (here: waiting for the spend lock)', async () => {
    t = await inProcess({ engine: { spendLimits: () => ({ dailyVideos: 0, dailySeconds: 0, prices: {} }) } });
    const release = await lockfile.lock(path.join(t.home, 'spend'), { realpath: false, stale: 10_000, update: 1_000 });
    const orders = spy(t.engine, 'generate');
    const idle = t.clock.pendingSleeps;
    const calls = [1, 2, 3, 4].map((n) => cancellable(`waiting in line ${n}`));
    // Simulated time stands still: the first call finds the lock taken and sleeps on the clock before trying
    // again; the three others wait in line behind it (one caller of a process tries the lock at a time).
    const gate = (t.engine as unknown as { spendGate: SpendGate }).spendGate;
    await waitUntil(
      () => orders.length === 4 && gate.waiting === 4 && t!.clock.pendingSleeps >= idle + 1,
      REAL_MS,
      'all four calls waiting for the spend lock',
      5,
    );
    for (const c of calls) c.cancel();
    for (const c of calls) assert.ok((await c.outcome) instanceof Error);
    await release();
    // With the lock free and simulated time running, each of the four orders ends: cancelled, nothing sent.
    const ended = await t.clock.run(Promise.allSettled(orders), { what: 'the four cancelled orders to end' });
    assert.deepEqual(
      ended.map((r) =>
        r.status === 'rejected' && r.reason instanceof CallCancelledError
          ? 'cancelled'
          : `${r.status}: ${String(r.status === 'rejected' ? r.reason : r.value)}`,
      ),
      ['cancelled', 'cancelled', 'cancelled', 'cancelled'],
    );
    assert.equal(t.posts(), 0, 'none of the cancelled calls was sent');
    // A later call goes through.
    const later = await t.call('generate_video', { prompt: 'after the line cleared', wait: false });
    assert.ok(!later.isError, textOf(later));
    assert.equal(t.posts(), 1, 'only the call still waiting for its answer was sent');
    assert.deepEqual(
      t.engine.list({}).map((task) => task.params.prompt),
      ['after the line cleared'],
    );
  });
});
