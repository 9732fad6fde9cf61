import assert from 'node:assert/strict';
import { existsSync, mkdirSync, realpathSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { VideoEngine } from '../../src/core/engine';
import { TaskStore } from '../../src/core/store';
import { JuxinClient } from '../../src/juxin/client';
import { relayScope } from '../../src/juxin/scope';
import { createSoraMcpServer } from '../../src/mcp/server';
import type { Simulator } from '../../src/simulator';
import { scaledClock } from '../../src/util/clock';
import { call, out, removeHome, simulator, startServer, TEST_KEY, tempHome, text, TIME_SCALE, type ServerHandle, type TaskOut } from './harness';
import { REAL_DEADLINE_MS } from '../helpers/clock';
import { waitUntil } from '../helpers/wait';
import { slowRelay, type SlowRelay } from './slowRelay';

/** Waits for something the servers do (real processes, real time), within a generous deadline (a busy 2-core machine). */
const until = (check: () => boolean | Promise<boolean>, what: string) => waitUntil(check, REAL_DEADLINE_MS, what);

async function listed(server: ServerHandle): Promise<TaskOut[]> {
  return ((await call(server.client, 'list_videos', { limit: 200 })).result.structuredContent as { tasks: TaskOut[] }).tasks;
}

const creates = (sim: Simulator) => sim.requests.filter((r) => r.method === 'POST' && (r.path === '/v1/video/create' || r.path === '/v1/videos')).length;

/** Three clips, each its own simulator clip. */
const STORYBOARD =
  '---\ntitle: Harbour\nmodel: sora-2\nduration: 10\n---\n' +
  '## Dawn {#c1}\nShot 1: boats at dawn. #sim:clip-1\n\n## Noon {#c2}\nShot 1: the market. #sim:clip-2\n\n## Dusk {#c3}\nShot 1: lights on the water. #sim:clip-3\n';

describe('money across real processes: nothing paid without a yes, nothing paid twice', function () {
  this.timeout(240_000);
  let sim: Simulator;
  let relay: SlowRelay | undefined;
  let home: string;
  const servers: ServerHandle[] = [];
  const cleanup: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    sim = await simulator();
    home = tempHome();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => undefined);
    await relay?.close();
    relay = undefined;
    await sim.close();
    removeHome(home);
  });

  /**
   * Servers that contend for the spend lock run on real time: they wait for the lock on their clock, and
   * at the harness's 120× its longest wait (16 s with JUXIN_LEASE_MS 3 s) is 133 ms of real time, less
   * than a busy machine may take to check and reserve under it.
   */
  const REAL_TIME = { JUXIN_TIME_SCALE: '1' };
  const start = async (env: Record<string, string> = {}) => {
    const server = await startServer({ JUXIN_API_KEY: TEST_KEY, JUXIN_BASE_URL: relay?.url ?? sim.url, JUXIN_SORA_HOME: home, ...env });
    servers.push(server);
    return server;
  };

  it('three servers at a limit of 1, a dead process’s spend lock in the home, a relay slow to create: one paid, two refused, and no lock held across the create', async () => {
    // What a process killed while it held the lock leaves behind.
    mkdirSync(path.join(home, 'spend.lock'), { recursive: true });
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(path.join(home, 'spend.lock'), old, old);
    relay = await slowRelay(sim.url, 8000);
    const three = await Promise.all([1, 2, 3].map(() => start({ ...REAL_TIME, JUXIN_DAILY_VIDEO_LIMIT: '1', JUXIN_DAILY_SECONDS_LIMIT: '0' })));
    const results: Awaited<ReturnType<typeof call>>[] = [];
    const calls = three.map((s, i) => call(s.client, 'generate_video', { prompt: `one of three ${i}`, wait: false }).then((r) => (results.push(r), r)));
    await until(() => results.filter((r) => r.result.isError).length === 2, 'two refusals');
    // Decided while the paid create is still on its way: nobody waited for it, nobody holds the lock across it.
    assert.equal(relay.inFlight(), 1, 'the paid create is still on its way');
    assert.equal(existsSync(path.join(home, 'spend.lock')), false, 'no process holds the spend lock while a create is on its way');
    await Promise.all(calls);
    const paid = results.filter((r) => !r.result.isError);
    assert.equal(paid.length, 1, results.map((r) => text(r.result)).join('\n---\n'));
    for (const r of results.filter((r) => r.result.isError)) assert.match(text(r.result), /over your limit of 1.*Nothing was sent/s);
    assert.equal(relay.creates.length, 1, 'one create reached the relay');
  });

  it('a server killed -9 while its create is on its way blocks nobody: the order counts as a failed video (it may have been billed)', async () => {
    relay = await slowRelay(sim.url, 6000);
    const env = { ...REAL_TIME, JUXIN_DAILY_VIDEO_LIMIT: '2', JUXIN_DAILY_SECONDS_LIMIT: '0' };
    const [victim, survivor] = await Promise.all([start(env), start(env)]);
    void call(victim.client, 'generate_video', { prompt: 'ordered by a server about to die', wait: false }).catch(() => undefined);
    await until(() => relay!.inFlight() === 1, 'the create on its way');
    process.kill(victim.pid!, 'SIGKILL');
    // The survivor decides at once (the dead server's request is still counted): the second of two passes.
    const second = (await call(survivor.client, 'generate_video', { prompt: 'the second today', wait: false })).result;
    assert.ok(!second.isError, text(second));
    const third = (await call(survivor.client, 'generate_video', { prompt: 'the third today', wait: false })).result;
    assert.equal(third.isError, true);
    assert.match(text(third), /over your limit of 2/);
    // Once the dead server's reservation is stale (JUXIN_LEASE_MS, 3 s here) it counts as a failed video: asked
    // again until the answer says so (each answer before it is a refusal too, nothing sent; a yes ends the wait and fails below).
    const later = await waitUntil(
      async () => {
        const answer = (await call(survivor.client, 'generate_video', { prompt: 'the third today', wait: false })).result;
        return !answer.isError || /failed/.test(text(answer)) ? answer : undefined;
      },
      REAL_DEADLINE_MS,
      "the dead server's order counted as a failed video",
      250,
    );
    assert.equal(later.isError, true, text(later));
    assert.match(text(later), /This would be video 3 today \(1 of them failed: the relay may have billed it\), over your limit of 2/);
  });

  it('four calls a client gives up on: none sent after its call was cancelled; the one already on its way lands in the history, and the same call again returns it', async () => {
    relay = await slowRelay(sim.url, 5000);
    // What the key can use was asked a moment ago by another process on this machine (the shared models.json):
    // the first call's turn at the rate cap goes to its create, not to GET /v1/models.
    mkdirSync(home, { recursive: true });
    writeFileSync(
      path.join(home, 'models.json'),
      JSON.stringify({
        version: 2,
        // Filed under the relay and key the server uses (the base URL and a fingerprint of the key).
        answers: {
          [relayScope(relay.url, TEST_KEY)]: {
            fetchedAt: Date.now(),
            models: [
              { id: 'sora-2', endpointTypes: ['openai-video'] },
              { id: 'veo3.1-fast', endpointTypes: ['openai-video'] },
            ],
          },
        },
      }),
    );
    // One request every 4 s (the shared rate cap), on the real clock: calls 2–4 wait their turn past the client's timeout.
    const server = await start({ ...REAL_TIME, JUXIN_MAX_REQUESTS_PER_SECOND: '0.25', JUXIN_DAILY_VIDEO_LIMIT: '0', JUXIN_DAILY_SECONDS_LIMIT: '0' });
    const prompts = [1, 2, 3, 4].map((n) => `given up on ${n}`);
    const outcomes = await Promise.all(
      prompts.map((prompt) =>
        call(server.client, 'generate_video', { prompt, wait: false }, { timeout: 2000 }).then(
          () => 'answered',
          (e: Error) => e.message,
        ),
      ),
    );
    assert.ok(
      outcomes.every((o) => /timed out/i.test(o)),
      outcomes.join(' | '),
    );
    // The create already on its way arrives, and is kept.
    await until(async () => (await listed(server)).length === 1, 'the create on its way lands in the history');
    // A later call waits its turn at the rate cap behind every call before it (callers are served in order):
    // once it was sent and answered, the cancelled ones had their turns, and none of them went out.
    const after = (await call(server.client, 'generate_video', { prompt: 'after the line cleared', wait: false })).result;
    assert.ok(!after.isError, text(after));
    assert.equal(relay.creates.length, 2, `creates sent: ${relay.creates.join(', ')}`);
    assert.ok(prompts.includes(relay.creates[0]), `creates sent: ${relay.creates.join(', ')}`);
    assert.equal(relay.creates[1], 'after the line cleared');
    // Whichever call had the first turn: its create was on its way when the client gave up.
    const task = (await listed(server)).find((t) => t.params.prompt !== 'after the line cleared')!;
    assert.equal(task.params.prompt, relay.creates[0]);
    const again = (await call(server.client, 'generate_video', { prompt: task.params.prompt, wait: false })).result;
    assert.ok(!again.isError, text(again));
    assert.equal(out(again).task_id, task.task_id, 'the same task');
    assert.match(text(again), /was cancelled.*nothing was paid again/s);
    assert.match(text(again), /未重复付费/);
    assert.equal(relay.creates.length, 2, 'and nothing paid again');
  });

  it('one storyboard generated from two servers at once pays each clip once', async () => {
    relay = await slowRelay(sim.url, 1500);
    const file = path.join(home, 'harbour.storyboard.md');
    writeFileSync(file, STORYBOARD);
    const [a, b] = await Promise.all([start({ ...REAL_TIME, JUXIN_DAILY_VIDEO_LIMIT: '0' }), start({ ...REAL_TIME, JUXIN_DAILY_VIDEO_LIMIT: '0' })]);
    const results = await Promise.all([a, b].map((s) => call(s.client, 'generate_storyboard', { file, wait: false })));
    for (const r of results) assert.ok(!r.result.isError, text(r.result));
    // With wait=false a call answers once every clip it started has its create answered or was skipped (all
    // three start at once: JUXIN_MAX_CONCURRENT_CLIPS is 3): no create of either call can come after this.
    for (const r of results) assert.equal((r.result.structuredContent as { timed_out?: boolean }).timed_out, undefined, text(r.result));
    // Every clip's task is in the history, seen by both.
    await until(async () => (await listed(a)).length >= 3 && (await listed(b)).length >= 3, 'the clips in the history');
    assert.equal(relay.creates.length, 3, `3 clips, ${relay.creates.length} creates: ${relay.creates.join(' | ')}`);
    assert.equal((await listed(a)).length, 3);
  });

  it('clips made in VS Code (a workspace) are the standalone server’s clips too: nothing generated again, old relative links included', async () => {
    const workspace = realpathSync(tempHome());
    cleanup.push(async () => removeHome(workspace));
    mkdirSync(path.join(workspace, 'films'));
    const file = path.join(workspace, 'films', 'harbour.storyboard.md');
    writeFileSync(file, STORYBOARD);

    // The server VS Code runs in its extension host: the same factory, with the workspace folders as roots.
    const clock = scaledClock(TIME_SCALE);
    const api = new JuxinClient({ apiKey: TEST_KEY, baseUrl: sim.url, clock });
    const engine = new VideoEngine({
      api: () => api,
      store: new TaskStore(home),
      videosDir: path.join(home, 'videos'),
      clock,
      maxRequestsPerSecond: 100,
      minPollIntervalMs: 2000,
    });
    await engine.start();
    const vscodeServer = createSoraMcpServer({
      engine,
      version: 'test',
      host: 'vscode',
      storyboards: { roots: () => [workspace], maxConcurrentClips: () => 3 },
    });
    const [x, y] = InMemoryTransport.createLinkedPair();
    const vscodeClient = new Client({ name: 'Visual Studio Code', version: '1.139.0' });
    await Promise.all([vscodeServer.connect(x), vscodeClient.connect(y)]);
    cleanup.push(
      () => engine.dispose(),
      () => vscodeServer.close(),
      () => vscodeClient.close(),
    );
    const made = await call(vscodeClient, 'generate_storyboard', { file, timeout_seconds: 3600 }, { timeout: 120_000 });
    assert.ok(!made.result.isError, text(made.result));
    assert.deepEqual(
      (made.result.structuredContent as { clips: { status: string }[] }).clips.map((c) => c.status),
      ['ready', 'ready', 'ready'],
    );
    const paid = creates(sim);

    const standalone = await start();
    const again = await call(standalone.client, 'generate_storyboard', { file, timeout_seconds: 60 });
    assert.ok(!again.result.isError, text(again.result));
    const structured = again.result.structuredContent as { started: string[]; clips: { status: string }[] };
    assert.deepEqual(structured.started, [], text(again.result));
    assert.deepEqual(
      structured.clips.map((c) => c.status),
      ['ready', 'ready', 'ready'],
    );
    assert.equal(creates(sim), paid, 'nothing paid again');

    // A record an older version wrote, naming the storyboard relative to the workspace: still this storyboard's.
    const older = path.join(workspace, 'films', 'older.storyboard.md');
    writeFileSync(older, STORYBOARD.replace('Harbour', 'Older'));
    for (const record of engine.list({})) {
      await new TaskStore(home).put({ ...record, id: `${record.id}-older`, storyboard: { ...record.storyboard!, file: 'films/older.storyboard.md' } });
    }
    await until(async () => (await listed(standalone)).length === 6, 'the standalone server sees the older records');
    const fromOlder = await call(standalone.client, 'generate_storyboard', { file: older, timeout_seconds: 60 });
    assert.deepEqual((fromOlder.result.structuredContent as { started: string[] }).started, [], text(fromOlder.result));
    assert.equal(creates(sim), paid, 'an old relative link is found without the workspace');
  });
});
