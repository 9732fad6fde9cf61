import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { seededRandom } from '../../src/util/random';
import { waitUntil } from '../helpers/wait';
import { call, out, removeHome, simulator, startServer, TEST_KEY, tempHome, type ServerHandle, type TaskOut } from './harness';

const SCALE = 30;
const GENERATIONS = 20;

/** The tasks a server says it follows (it holds their lease), from its debug log. */
function followed(server: ServerHandle): Set<string> {
  return new Set([...server.stderr().matchAll(/following task (\S+) \(process/g)].map((m) => m[1]));
}

async function listAll(server: ServerHandle): Promise<TaskOut[]> {
  return ((await call(server.client, 'list_videos', { limit: 200 })).result.structuredContent as { tasks: TaskOut[] }).tasks;
}

describe('chaos: servers killed with -9 while they own tasks', function () {
  this.timeout(900_000);

  it('every task ends completed and saved once, nothing stuck, nothing lost, no temporary file or duplicate video left', async () => {
    const random = seededRandom(20261125);
    const sim = await simulator({ timeScale: SCALE, seed: 11 });
    const home = tempHome();
    const env = { JUXIN_API_KEY: TEST_KEY, JUXIN_BASE_URL: sim.url, JUXIN_SORA_HOME: home, JUXIN_TIME_SCALE: String(SCALE) };
    const servers: ServerHandle[] = await Promise.all([startServer(env), startServer(env), startServer(env)]);
    const ids: string[] = [];
    let kills = 0;
    /** Kills a server with -9 and starts another in its place; resolves once every unfinished task it followed is followed by a live server (or done). */
    const kill = async (victim: ServerHandle) => {
      const orphans = [...followed(victim)];
      process.kill(victim.pid!, 'SIGKILL');
      kills++;
      await victim.close();
      servers[servers.indexOf(victim)] = await startServer(env);
      await waitUntil(
        async () => {
          const done = new Set((await listAll(servers[0])).filter((t) => t.download_state === 'done').map((t) => t.task_id));
          const live = new Set(servers.flatMap((s) => [...followed(s)]));
          return orphans.every((id) => done.has(id) || live.has(id));
        },
        120_000,
        `the tasks of a killed server taken over (${orphans.join(', ')})`,
        200,
      );
    };
    try {
      for (let i = 0; i < GENERATIONS; i++) {
        const server = servers[i % servers.length];
        ids.push(out((await call(server.client, 'generate_video', { prompt: `chaos ${i}`, wait: false })).result).task_id);
        // Now and then, kill a server that owns unfinished work, and start a new one in its place.
        if (i % 5 === 4) {
          const owners = servers.filter((s) => followed(s).size > 0);
          await kill(owners[Math.floor(random() * owners.length)]);
        }
      }
      // One more kill once downloads are under way, of a server that follows unfinished work.
      let tasks: TaskOut[] = [];
      await waitUntil(async () => (tasks = await listAll(servers[0])).some((t) => t.status === 'completed'), 120_000, 'a first task completed', 200);
      const unfinished = new Set(tasks.filter((t) => t.download_state !== 'done').map((t) => t.task_id));
      const late = servers.filter((s) => [...followed(s)].some((id) => unfinished.has(id)));
      if (late.length) await kill(late[Math.floor(random() * late.length)]);

      await waitUntil(
        async () => {
          tasks = await listAll(servers[0]);
          return tasks.length === ids.length && tasks.every((t) => t.download_state === 'done');
        },
        180_000,
        'every task done',
        500,
      ).catch(() => {
        throw new Error(
          `stuck after ${kills} kills: ${JSON.stringify(tasks.filter((t) => t.download_state !== 'done').map((t) => [t.task_id, t.status, t.download_state]))}`,
        );
      });
      // Every process ends before the folders are read: whatever one was still doing has landed by then.
      await Promise.all(servers.map((s) => s.close()));

      assert.ok(kills >= 4, `${kills} servers killed`);
      assert.deepEqual(tasks.map((t) => t.task_id).sort(), [...ids].sort(), 'no record lost');
      assert.ok(
        tasks.every((t) => t.status === 'completed'),
        'every task completed',
      );
      const videos = path.join(home, 'videos');
      const files = readdirSync(videos);
      const mp4 = files.filter((f) => f.endsWith('.mp4'));
      assert.equal(mp4.length, ids.length, `one video per task, no duplicate: ${mp4.join(', ')}`);
      assert.deepEqual(
        files.filter((f) => !f.endsWith('.mp4')),
        [],
        'no temporary file left',
      );
      assert.deepEqual(new Set(tasks.map((t) => path.basename(t.local_path!))), new Set(mp4), 'each record points at its own file');
      for (const f of mp4) assert.equal(readFileSync(path.join(videos, f)).toString('latin1', 4, 8), 'ftyp', `${f} is a whole MP4`);
      const stray = readdirSync(path.join(home, 'tasks')).filter((f) => !f.endsWith('.json') && !f.endsWith('.json.bak'));
      assert.deepEqual(stray, [], 'no half-written record left in the history');
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await sim.close();
      removeHome(home);
    }
  });
});
