import assert from 'node:assert/strict';
import type { ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import { ProgressReporter, progressMessage, progressValue } from '../../../src/mcp/progress';
import type { TaskRecord } from '../../../src/core/types';
import { TestClock } from '../../helpers/clock';
import { taskRecord } from '../../fixtures/tasks';

const task = (patch: Partial<TaskRecord> = {}) => taskRecord({ id: 'sora-2:task_x', ...patch });

describe('mcp/progress', () => {
  it('says where a task is in words a person reads', () => {
    assert.equal(progressMessage(task({ queuePosition: 3 })), 'queued, position 3');
    assert.equal(progressMessage(task()), 'queued');
    assert.equal(progressMessage(task({ status: 'processing', progress: 41.6 })), 'generating 42%');
    assert.equal(progressMessage(task({ status: 'completed', progress: 100, download: { state: 'downloading' } })), 'downloading');
    assert.equal(progressMessage(task({ status: 'completed', progress: 100, download: { state: 'done' } })), 'done');
    assert.equal(progressMessage(task({ status: 'failed' })), 'failed: no reason given');
  });

  it('maps generation to 0–90 and the download to 90–100', () => {
    assert.equal(progressValue(task({ status: 'processing', progress: 50 })), 45);
    assert.equal(progressValue(task({ status: 'completed', progress: 100, download: { state: 'downloading' } })), 95);
    assert.equal(progressValue(task({ status: 'completed', progress: 100, download: { state: 'done' } })), 100);
  });

  it('sends strictly increasing progress, skips repeats, and nudges keep-alives up', async () => {
    const clock = new TestClock();
    const sent: ServerNotification[] = [];
    const reporter = new ProgressReporter({ progressToken: 'tok', send: async (n) => void sent.push(n), keepAliveMs: 10, clock });
    reporter.update(task({ queuePosition: 2 }));
    reporter.update(task({ queuePosition: 2 })); // no change: nothing sent
    reporter.update(task({ status: 'processing', progress: 10 }));
    reporter.update(task({ status: 'processing', progress: 5 })); // a lower report never moves the bar back
    assert.equal(sent.length, 3, 'each change once, the repeat not at all');
    reporter.start();
    await clock.advance(55);
    reporter.stop();
    const values = sent.map((n) => (n.params as { progress: number }).progress);
    assert.equal(values.length, 8, `three changes, then a keep-alive every 10 ms for 55 ms: ${values.join(', ')}`);
    for (let i = 1; i < values.length; i++) assert.ok(values[i] > values[i - 1], `value ${i}: ${values[i]} after ${values[i - 1]}`);
    assert.equal((sent[0].params as { message: string }).message, 'queued, position 2');
    assert.ok(values.every((v) => v < 100));
    await clock.advance(60_000);
    assert.equal(sent.length, 8, 'stop() ends the keep-alives');
  });

  it('sends nothing without a progress token', () => {
    const sent: unknown[] = [];
    const reporter = new ProgressReporter({ progressToken: undefined, send: async (n) => void sent.push(n), keepAliveMs: 10 });
    reporter.update(task());
    reporter.start();
    reporter.stop();
    assert.equal(sent.length, 0);
  });
});
