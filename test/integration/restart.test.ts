import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { call, out, removeHome, simulator, startServer, TEST_KEY, tempHome, type TaskOut } from './harness';

describe('stdio server: restart safety', function () {
  this.timeout(60_000);

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
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline) {
          const list = (await call(second.client, 'list_videos', {})).result.structuredContent as { tasks: TaskOut[] };
          task = list.tasks.find((t) => t.task_id === started.task_id);
          if (task?.download_state === 'done') break;
          await new Promise((r) => setTimeout(r, 200));
        }
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
