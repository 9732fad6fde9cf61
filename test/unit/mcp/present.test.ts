import assert from 'node:assert/strict';
import { summarize, taskResult, taskUri, toTaskOutput } from '../../../src/mcp/present';
import { taskOutputSchema } from '../../../src/mcp/schemas';
import type { TaskRecord } from '../../../src/core/types';

const base: TaskRecord = {
  id: 'sora-2:task_01k6x15vhrff09dkkqjrzwhm60',
  source: 'mcp',
  createdAt: Date.UTC(2026, 10, 24),
  updatedAt: Date.UTC(2026, 10, 24),
  params: { prompt: '一只猫', model: 'sora-2', orientation: 'portrait', size: 'small', duration: 15, watermark: false, private: true, images: [] },
  status: 'processing',
  progress: 41.6,
  download: { state: 'none' },
};
const task = (patch: Partial<TaskRecord>): TaskRecord => ({ ...base, ...patch });

describe('mcp/present', () => {
  it('encodes the task id in the resource URI', () => {
    assert.equal(taskUri(base.id), 'juxin-sora://tasks/sora-2%3Atask_01k6x15vhrff09dkkqjrzwhm60');
  });

  it('produces output that satisfies the declared output schema in every state', () => {
    const states: TaskRecord[] = [
      task({ status: 'queued', progress: 0, queuePosition: 3 }),
      task({}),
      task({ status: 'failed', failureReason: 'moderation' }),
      task({ status: 'completed', progress: 100, videoUrl: 'https://x/v.mp4', download: { state: 'done', localPath: '/tmp/v.mp4' } }),
      task({ status: 'completed', progress: 100, videoUrl: 'https://x/v.mp4', download: { state: 'expired', error: 'link expired' } }),
    ];
    for (const s of states) assert.ok(taskOutputSchema.safeParse(toTaskOutput(s)).success, s.status);
  });

  it('reports a failure as a tool error with the reason and what to do, in both languages', () => {
    const result = taskResult(task({ status: 'failed', failureReason: undefined }));
    assert.equal(result.isError, true);
    const out = result.structuredContent as { error: string };
    assert.match(out.error, /no reason given/);
    assert.match(out.error, /生成失败/);
  });

  it('links the downloaded MP4 as a file resource and the task as a juxin-sora resource', () => {
    const result = taskResult(
      task({ status: 'completed', progress: 100, videoUrl: 'https://x/v.mp4', download: { state: 'done', localPath: '/tmp/videos/a b.mp4' } }),
    );
    const links = result.content.filter((c) => c.type === 'resource_link');
    assert.deepEqual(
      links.map((l) => (l.type === 'resource_link' ? [l.uri, l.mimeType] : [])),
      [
        ['file:///tmp/videos/a%20b.mp4', 'video/mp4'],
        [taskUri(base.id), 'application/json'],
      ],
    );
    assert.equal(result.isError, undefined);
  });

  it('says what a timed-out wait should do next', () => {
    assert.match(summarize(task({}), { timedOut: true }), /wait_for_video/);
    assert.match(summarize(task({ status: 'queued', queuePosition: 2 })), /position 2/);
    assert.match(summarize(task({ status: 'completed', progress: 100, download: { state: 'downloading' } })), /downloading/);
  });

  it('only shows the queue position while queued and rounds progress', () => {
    const out = toTaskOutput(task({ queuePosition: 5 }));
    assert.equal(out.queue_position, undefined);
    assert.equal(out.progress, 42);
    assert.equal(out.params.duration, 15);
  });

  it('gives a record from the Sora days its aspect ratio and resolution, derived from orientation and size; a new record keeps its own', () => {
    const old = toTaskOutput(base).params;
    assert.deepEqual([old.model, old.aspect_ratio, old.resolution, old.duration], ['sora-2', '9:16', '720p', 15]);
    const veo = toTaskOutput(
      task({ params: { ...base.params, model: 'veo3.1-4k', orientation: 'landscape', size: 'large', aspectRatio: '16:9', resolution: '4k', duration: 8 } }),
    ).params;
    assert.deepEqual([veo.model, veo.aspect_ratio, veo.resolution, veo.duration], ['veo3.1-4k', '16:9', '4k', 8]);
  });
});
