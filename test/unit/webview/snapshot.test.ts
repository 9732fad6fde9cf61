import assert from 'node:assert/strict';
import path from 'node:path';
import { toSnapshot } from '../../../src/extension/views/snapshot';
import { taskRecord } from '../../fixtures/tasks';

const KEY = 'sk-test-not-a-real-key-0001';
const en = { baseUrl: 'https://api.jxincm.cn', chinese: false };

describe('extension/views/snapshot: what a page may see of a task', () => {
  it('leaves out the local path and the video URL, keeps the file name and whether a URL exists', () => {
    const file = path.join('/home/me/videos', '2026-11-24 boat abcd.mp4');
    const s = toSnapshot(
      taskRecord({
        status: 'completed',
        progress: 100,
        videoUrl: 'https://cdn.example/v.mp4?sig=secret',
        download: { state: 'done', localPath: file, bytes: 10 },
      }),
      en,
    );
    const json = JSON.stringify(s);
    assert.ok(!json.includes('/home/me'), 'no local path');
    assert.ok(!json.includes('sig=secret'), 'no (signed) video URL');
    assert.equal(s.download.fileName, '2026-11-24 boat abcd.mp4');
    assert.equal(s.hasVideoUrl, true);
    assert.ok(!json.includes(KEY));
  });

  it('passes a thumbnail only from https or the configured API origin', () => {
    const thumb = (thumbnailUrl: string, baseUrl = 'http://127.0.0.1:8787') => toSnapshot(taskRecord({ thumbnailUrl }), { baseUrl, chinese: false }).thumbnail;
    assert.equal(thumb('https://cdn.example/t.webp'), 'https://cdn.example/t.webp');
    assert.equal(thumb('http://127.0.0.1:8787/files/t.webp'), 'http://127.0.0.1:8787/files/t.webp');
    assert.equal(thumb('http://192.0.2.1/t.webp'), undefined);
    assert.equal(thumb('javascript:alert(1)'), undefined);
    assert.equal(thumb('data:image/svg+xml,<svg onload=alert(1)>'), undefined);
  });

  it('copies the parameters as counts and flags', () => {
    const s = toSnapshot(
      taskRecord({
        params: {
          prompt: '<b>hi</b>',
          model: 'sora-2-pro',
          orientation: 'portrait',
          size: 'large',
          duration: 25,
          watermark: true,
          private: false,
          images: ['/tmp/a.png', 'https://x/b.png'],
          characterUrl: 'https://x/c.mp4',
          characterTimestamps: '1,3',
        },
        remixOf: 'sora-2:task_0',
        source: 'mcp',
      }),
      en,
    );
    assert.deepEqual(s.params, {
      model: 'sora-2-pro',
      orientation: 'portrait',
      size: 'large',
      aspectRatio: '9:16',
      resolution: '1080p',
      duration: 25,
      private: false,
      watermark: true,
      images: 2,
      character: true,
    });
    assert.equal(s.prompt, '<b>hi</b>', 'raw text: the page renders it as text');
    assert.equal(s.remixOf, 'sora-2:task_0');
    assert.equal(s.source, 'mcp');
    assert.ok(!JSON.stringify(s).includes('/tmp/a.png'), 'no local image path');
  });

  it('gives a new record its own aspect ratio and resolution, and derives them for a record from the Sora days', () => {
    const veo = toSnapshot(
      taskRecord({
        params: {
          prompt: 'p',
          model: 'veo3.1-4k',
          orientation: 'portrait',
          size: 'large',
          aspectRatio: '9:16',
          resolution: '4k',
          duration: 8,
          watermark: false,
          private: true,
          images: [],
        },
      }),
      en,
    );
    assert.deepEqual([veo.params.model, veo.params.aspectRatio, veo.params.resolution, veo.params.duration], ['veo3.1-4k', '9:16', '4k', 8]);
    const old = toSnapshot(
      taskRecord({
        params: { prompt: 'p', model: 'sora-2', orientation: 'landscape', size: 'small', duration: 15, watermark: false, private: true, images: [] },
      }),
      en,
    );
    assert.deepEqual([old.params.aspectRatio, old.params.resolution, old.params.duration], ['16:9', '720p', 15]);
  });

  it('reports the failure reason only for a failed task, and 100% once completed', () => {
    assert.equal(toSnapshot(taskRecord({ status: 'failed', failureReason: 'moderation' }), en).failureReason, 'moderation');
    assert.equal(toSnapshot(taskRecord({ status: 'processing', progress: 30, failureReason: 'stale' }), en).failureReason, undefined);
    assert.equal(toSnapshot(taskRecord({ status: 'completed', progress: 97 }), en).progress, 100);
    assert.equal(toSnapshot(taskRecord({ status: 'queued', queuePosition: 4 }), en).queuePosition, 4);
  });

  it('adds the next step to a tracking problem, in the UI language', () => {
    const task = taskRecord({ status: 'processing', lastError: { kind: 'rate_limit', message: 'Juxin is rate-limiting requests (429).', at: 1 } });
    const english = toSnapshot(task, en).problem!;
    assert.equal(english.kind, 'rate_limit');
    assert.equal(english.message, 'Juxin is rate-limiting requests (429).');
    assert.match(english.nextStep, /Wait a minute/);
    assert.match(toSnapshot(task, { ...en, chinese: true }).problem!.nextStep, /限流/);
    assert.equal(toSnapshot(taskRecord({ lastError: { kind: 'weird', message: 'm', at: 1 } }), en).problem!.nextStep, '');
    assert.equal(toSnapshot(taskRecord(), en).problem, undefined);
  });
});
