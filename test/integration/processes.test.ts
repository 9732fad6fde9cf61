import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Simulator } from '../../src/simulator';
import { waitUntil } from '../helpers/wait';
import { call, out, removeHome, simulator, startServer, TEST_KEY, tempHome, type ServerHandle, type TaskOut } from './harness';

const SCALE = 20;

/** Status queries the simulator received for one task (either query endpoint). */
function queriesOf(sim: Simulator, id: string): number {
  return sim.requests.filter((r) => r.target === 'query' && r.taskId === id).length;
}

/** Downloads of the video itself (not its thumbnail) the simulator served for one task. */
function downloadsOf(sim: Simulator, id: string): number {
  return sim.requests.filter((r) => r.target === 'download' && r.taskId === id && r.path.endsWith('.mp4')).length;
}

async function listed(server: ServerHandle): Promise<TaskOut[]> {
  return ((await call(server.client, 'list_videos', { limit: 200 })).result.structuredContent as { tasks: TaskOut[] }).tasks;
}

async function waitAllDone(server: ServerHandle, ids: string[]): Promise<TaskOut[]> {
  let tasks: TaskOut[] = [];
  await waitUntil(
    async () => {
      tasks = (await listed(server)).filter((t) => ids.includes(t.task_id));
      return tasks.length === ids.length && tasks.every((t) => t.download_state === 'done');
    },
    150_000,
    'every task done',
    200,
  ).catch((error: Error) => {
    throw new Error(`${error.message}: ${JSON.stringify(tasks.map((t) => [t.task_id, t.status, t.download_state]))}`);
  });
  return tasks;
}

/**
 * `count` generations made by one server that then exits, picked up by `processes` servers started on the
 * same home (VS Code windows and MCP clients opened later): every one of them finds every unfinished task.
 */
async function run(processes: number, count: number) {
  // One seed: both runs get the same job timelines, varied (with identical jobs every query would sit on
  // the same side of the same boundary, and one run would differ from the other by one query per task).
  // A slower clock than the other tests: a few milliseconds of real scheduling noise must not move a query
  // across a job's end (at 120× they are seconds of simulated time).
  // The brochure's answers: queue positions and ETAs in every answer, so what one process and three
  // processes learn about the relay is comparable (this test is about owning tasks, not about shapes).
  const sim = await simulator({ seed: 7, timeScale: SCALE, wire: 'brochure' });
  const home = tempHome();
  // No process is killed here (the creator exits and lets go of its tasks at once): leases as long as in
  // real use, so no stall of a busy machine can move a task from one process to another.
  const env = {
    JUXIN_API_KEY: TEST_KEY,
    JUXIN_BASE_URL: sim.url,
    JUXIN_SORA_HOME: home,
    JUXIN_POLL_INTERVAL_MS: '5000',
    JUXIN_TIME_SCALE: String(SCALE),
    JUXIN_LEASE_MS: '20000',
  };
  const creator = await startServer(env);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(out((await call(creator.client, 'generate_video', { prompt: `shared history ${i}`, wait: false })).result).task_id);
  await creator.close();
  const servers = await Promise.all(Array.from({ length: processes }, () => startServer(env)));
  try {
    const tasks = await waitAllDone(servers[0], ids);
    // Every process ends before anything is counted: a second download, however late, is in the simulator's log by then.
    await Promise.all(servers.map((s) => s.close()));
    const files = readdirSync(path.join(home, 'videos'));
    // Which of the resuming processes tracked each task (each says so in its log when it takes the lease).
    const trackers = new Map(ids.map((id) => [id, new Set<string>()]));
    for (const server of servers) for (const m of server.stderr().matchAll(/following task (\S+) \(process (\d+)/g)) trackers.get(m[1])?.add(m[2]);
    return {
      trackers: ids.map((id) => trackers.get(id)!.size),
      queries: ids.map((id) => queriesOf(sim, id)),
      downloads: ids.map((id) => downloadsOf(sim, id)),
      files,
      paths: tasks.map((t) => t.local_path),
    };
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    await sim.close();
    removeHome(home);
  }
}

describe('several servers on one history (one home folder)', function () {
  this.timeout(600_000);

  it('three processes resuming one history: each task tracked by one of them only, downloaded once, one file', async () => {
    const one = await run(1, 12);
    const three = await run(3, 12);
    assert.deepEqual(one.trackers, Array(12).fill(1));
    assert.deepEqual(three.trackers, Array(12).fill(1), 'one tracker per task, never two: each queries alone');
    // How many queries each run took depends on how the machine kept pace with 20× time (a stalled process
    // asks later, so less often): a figure, printed, not a bound.
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    console.log(`      queries with 3 processes ${sum(three.queries)} vs 1 process ${sum(one.queries)} (${three.queries} vs ${one.queries})`);
    assert.deepEqual(three.downloads, Array(12).fill(1), 'each video downloaded once');
    assert.equal(three.files.filter((f) => f.endsWith('.mp4')).length, 12, `one file per task: ${three.files}`);
    assert.deepEqual(
      three.files.filter((f) => !f.endsWith('.mp4')),
      [],
      'no temporary file left',
    );
  });

  it('a task created in one process is listed by the others, without asking (their file watchers)', async () => {
    const sim = await simulator();
    const home = tempHome();
    const env = { JUXIN_API_KEY: TEST_KEY, JUXIN_BASE_URL: sim.url, JUXIN_SORA_HOME: home };
    const [a, b, c] = await Promise.all([startServer(env), startServer(env), startServer(env)]);
    try {
      const made = out((await call(a.client, 'generate_video', { prompt: 'seen everywhere', wait: false })).result);
      const t0 = Date.now();
      // Within 10 s: well before the 15 s rescan, so it came through the watcher. How soon is printed, not asserted.
      const seenAt = await Promise.all(
        [b, c].map(async (server) => {
          await waitUntil(async () => (await listed(server)).some((t) => t.task_id === made.task_id), 10_000, 'the task listed by another process', 25);
          return Date.now() - t0;
        }),
      );
      console.log(`      listed by the other processes after ${seenAt.join(' and ')} ms`);
      // And a wait in another process ends with the task, although that process never asks Juxin about it.
      const waited = out((await call(b.client, 'wait_for_video', { task_id: made.task_id, timeout_seconds: 3600 })).result);
      assert.equal(waited.download_state, 'done');
    } finally {
      await Promise.all([a, b, c].map((s) => s.close()));
      await sim.close();
      removeHome(home);
    }
  });
});
