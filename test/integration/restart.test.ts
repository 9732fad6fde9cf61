import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitUntil } from '../helpers/wait';
import { call, out, removeHome, simulator, startServer, TEST_KEY, tempHome, type TaskOut } from './harness';

describe('stdio server: restart safety', function () {
  this.timeout(600_000);

  it('picks up a task after the server is killed mid-generation, completes and downloads it', async () => {
    const sim = await simulator();
    const home = tempHome();
    const env = { JUXIN_API_KEY: TEST_KEY, JUXIN_BASE_URL: sim.url, JUXIN_SORA_HOME: home };
    try {
      const first = await startServer(env);
      const started = out((await call(first.client, 'generate_video', { prompt: 'survive a crash', wait: false })).result);
      assert.ok(['queued', 'processing'].includes(started.status));
      process.kill(first.pid!, 'SIGKILL');
      await first.close();

      const second = await startServer(env);
      try {
        // Nobody asks for it: the restarted server finds it in the store, tracks it and downloads it.
        let task: TaskOut | undefined;
        await waitUntil(
          async () => {
            const list = (await call(second.client, 'list_videos', {})).result.structuredContent as { tasks: TaskOut[] };
            task = list.tasks.find((t) => t.task_id === started.task_id);
            return task?.download_state === 'done';
          },
          90_000,
          'the restarted server to finish and save the task',
          200,
        ).catch(() => undefined); // the assertions below say what state it was in
        assert.equal(task?.status, 'completed');
        assert.equal(task?.download_state, 'done');
        assert.ok(task?.local_path && existsSync(task.local_path));
      } finally {
        await second.close();
      }
    } finally {
      await sim.close();
      removeHome(home);
    }
  });
});

describe('stdio server: a failed download is recorded, never the end of the server', function () {
  this.timeout(300_000);

  it('with a file where the videos folder should be: the task ends "not saved" with the reason and what to do, and the server keeps serving', async () => {
    const sim = await simulator();
    const home = tempHome();
    writeFileSync(path.join(home, 'videos'), 'a file where the videos folder should be');
    const server = await startServer({ JUXIN_API_KEY: TEST_KEY, JUXIN_BASE_URL: sim.url, JUXIN_SORA_HOME: home });
    try {
      const done = out((await call(server.client, 'generate_video', { prompt: 'nowhere to save it', timeout_seconds: 3600 }, { timeout: 60_000 })).result);
      assert.equal(done.status, 'completed');
      assert.equal(done.download_state, 'failed');
      assert.match(done.error ?? '', /a file is in the way of that folder/);
      assert.match(done.error ?? '', /download_video/, 'and what to do next');
      // Still serving: another call is answered.
      const list = (await call(server.client, 'list_videos', {})).result.structuredContent as { total: number };
      assert.equal(list.total, 1);
      assert.doesNotMatch(server.stderr(), /unhandled rejection/);
    } finally {
      await server.close();
      await sim.close();
      removeHome(home);
    }
  });
});
