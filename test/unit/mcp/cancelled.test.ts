import assert from 'node:assert/strict';
import path from 'node:path';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import lockfile from 'proper-lockfile';
import type { GenerationParams, JuxinApi } from '../../../src/juxin/types';
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

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('mcp/generate_video: a cancelled call pays at most once, and loses nothing', function () {
  this.timeout(30_000);
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
    await until(() => relay.seen === 1, 'the create is on its way');
    first.cancel();
    assert.ok((await first.outcome) instanceof Error, 'the client gave up');
    // The same call again while the first create is still on its way: it waits for that task, it does not pay again.
    const again = t.call('generate_video', { prompt: 'a lighthouse at dusk', wait: false });
    await new Promise((r) => setTimeout(r, 200));
    relay.open();
    const answered = await again;
    assert.ok(!answered.isError, textOf(answered));
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
    const calls = [1, 2, 3, 4].map((n) => cancellable(`waiting in line ${n}`));
    await new Promise((r) => setTimeout(r, 300));
    for (const c of calls) c.cancel();
    for (const c of calls) assert.ok((await c.outcome) instanceof Error);
    await release();
    // A later call goes through; by the time it is answered, the cancelled ones had every chance to be sent.
    const later = await t.call('generate_video', { prompt: 'after the line cleared', wait: false });
    assert.ok(!later.isError, textOf(later));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(t.posts(), 1, 'only the call still waiting for its answer was sent');
    assert.deepEqual(
      t.engine.list({}).map((task) => task.params.prompt),
      ['after the line cleared'],
    );
  });
});
