import assert from 'node:assert/strict';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { serverFixture } from './harness';

describe('stdio server: MCP task-augmented execution of generate_video', function () {
  this.timeout(300_000);
  const f = serverFixture({}, { once: true });

  it('returns a task handle at once, then the final result when polled', async () => {
    const kinds: string[] = [];
    let final: { structuredContent?: Record<string, unknown> } | undefined;
    let mcpTaskId: string | undefined;
    const stream = f.server.client.experimental.tasks.callToolStream(
      { name: 'generate_video', arguments: { prompt: 'a lighthouse at dusk' } },
      CallToolResultSchema,
      { task: { ttl: 120_000 } },
    );
    for await (const message of stream) {
      kinds.push(message.type);
      if (message.type === 'taskCreated') mcpTaskId = message.task.taskId;
      if (message.type === 'result') final = message.result;
      if (message.type === 'error') throw message.error;
    }
    assert.equal(kinds[0], 'taskCreated');
    assert.equal(kinds.at(-1), 'result');
    assert.ok(mcpTaskId);
    assert.equal(final?.structuredContent?.status, 'completed');
    assert.equal(final?.structuredContent?.download_state, 'done');

    const task = await f.server.client.experimental.tasks.getTask(mcpTaskId!);
    assert.equal(task.status, 'completed');
  });

  it('still answers plain calls of the other tools', async () => {
    const result = await f.server.client.callTool({ name: 'list_videos', arguments: {} });
    assert.ok(!result.isError);
  });
});
