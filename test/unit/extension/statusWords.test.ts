import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { statusBarWords, type RunningTask } from '../../../src/extension/statusWords';
import type { L10n } from '../../../src/extension/spendWords';

const ROOT = path.resolve(__dirname, '../../..');
const ZH = JSON.parse(readFileSync(path.join(ROOT, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const fill = (template: string, args: unknown[]) => template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
const english: L10n = { t: (message, ...args) => fill(message, args) };
const chinese: L10n = {
  t: (message, ...args) => {
    assert.ok(ZH[message], `no Chinese for "${message}"`);
    return fill(ZH[message], args);
  },
};

const veo: RunningTask = {
  status: 'processing',
  progress: 41.6,
  params: { model: 'veo3.1-fast', orientation: 'portrait', size: 'small', aspectRatio: '9:16', resolution: '720p', duration: 8 },
};
// A record from the Sora days: orientation and size only.
const oldSora: RunningTask = { status: 'completed', progress: 100, params: { model: 'sora-2', orientation: 'landscape', size: 'small', duration: 10 } };

describe('extension/statusWords: the status bar while videos generate', () => {
  it('shows one video by its model, aspect ratio and length', () => {
    assert.deepEqual(statusBarWords([veo], english), {
      text: '$(loading~spin) Veo 3.1 Fast · 9:16 · 8 s · 42%',
      tooltip: '1 video(s) generating — click to show the videos\nVeo 3.1 Fast · 9:16 · 8 s · 42%',
    });
    assert.equal(statusBarWords([veo], chinese)?.text, '$(loading~spin) Veo 3.1 Fast · 9:16 · 8 秒 · 42%');
  });

  it('shows several by count and mean progress, each in the tooltip (an old Sora record by its derived aspect ratio)', () => {
    const words = statusBarWords([veo, oldSora], english)!;
    assert.equal(words.text, '$(loading~spin) 2 videos · 71%');
    assert.equal(words.tooltip.split('\n').slice(1).join('\n'), 'Veo 3.1 Fast · 9:16 · 8 s · 42%\nSora 2 · 16:9 · 10 s · 100%');
    assert.match(statusBarWords([veo, oldSora], chinese)!.tooltip, /^2 个视频生成中/);
  });

  it('is hidden when nothing runs', () => {
    assert.equal(statusBarWords([], english), undefined);
  });
});
