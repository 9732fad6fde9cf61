import assert from 'node:assert/strict';
import { fill, shorten } from '../../../src/webview/model/format';
import {
  ACTION_ICONS,
  advice,
  compactSummary,
  inlineActions,
  parameterSummary,
  previewActions,
  progressModel,
  sourceLabel,
  statusText,
  taskActions,
  toTaskModel,
} from '../../../src/webview/model/taskModel';
import { completed, snapshot, STRINGS as S } from './helpers';

describe('webview/model/taskModel: a task as an item shows it', () => {
  it('says where a task is, with the queue position and the percentage', () => {
    assert.equal(statusText(snapshot({ status: 'queued' }), S), 'Queued');
    assert.equal(statusText(snapshot({ status: 'queued', queuePosition: 3 }), S), 'Queued · position 3');
    assert.equal(statusText(snapshot({ status: 'processing', progress: 41.6 }), S), 'Generating · 42%');
    assert.equal(statusText(completed('downloading'), S), 'Downloading…');
    assert.equal(statusText(completed('none'), S), 'Downloading…');
    assert.equal(statusText(completed('done'), S), 'Ready');
    assert.equal(statusText(completed('failed'), S), 'Ready, but not saved');
    assert.equal(statusText(completed('expired'), S), 'Ready, but not saved');
    assert.equal(statusText(snapshot({ status: 'failed', failureReason: 'x' }), S), 'Failed');
  });

  it('shows a bar only while something runs: no percentage when queued or downloading', () => {
    assert.deepEqual(progressModel(snapshot({ status: 'queued', queuePosition: 2 }), S), { value: undefined, label: 'Queued · position 2' });
    assert.deepEqual(progressModel(snapshot({ status: 'processing', progress: 55.4 }), S), { value: 55, label: 'Generating · 55%' });
    assert.deepEqual(progressModel(snapshot({ status: 'processing', progress: 140 }), S)?.value, 100);
    assert.deepEqual(progressModel(snapshot({ status: 'processing', progress: Number.NaN }), S)?.value, 0);
    assert.deepEqual(progressModel(completed('downloading'), S), { value: undefined, label: 'Downloading…' });
    assert.equal(progressModel(completed('done'), S), undefined);
    assert.equal(progressModel(completed('failed'), S), undefined);
    assert.equal(progressModel(snapshot({ status: 'failed' }), S), undefined);
  });

  it("summarizes the parameters in the UI language: the model by name, aspect ratio, resolution, length, then Sora's switches", () => {
    assert.equal(parameterSummary(snapshot(), S), 'Sora 2 · 16:9 · 720p · 10 seconds · private');
    const all = snapshot({
      params: {
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
      },
      remixOf: 'sora-2:task_0',
    });
    assert.equal(parameterSummary(all, S), 'Sora 2 Pro · 9:16 · 1080p · 25 seconds · public · watermark · 2 image(s) · with a character · remix');
  });

  it("summarizes a Veo video without Sora's switches (its record carries them unused), and an unknown family by its id", () => {
    const veo = snapshot({
      params: {
        model: 'veo3.1-fast',
        orientation: 'portrait',
        size: 'small',
        aspectRatio: '9:16',
        resolution: '720p',
        duration: 8,
        private: true,
        watermark: false,
        images: 2,
        character: false,
      },
    });
    assert.equal(parameterSummary(veo, S), 'Veo 3.1 Fast · 9:16 · 720p · 8 seconds · 2 image(s)');
    assert.equal(compactSummary(veo, S), 'Veo 3.1 Fast · 9:16 · 8 seconds · Command Palette');
    const unknown = snapshot({
      params: {
        model: 'hunyuan-video-x',
        orientation: 'landscape',
        size: 'small',
        aspectRatio: '16:9',
        resolution: '720p',
        duration: 5,
        private: true,
        watermark: false,
        images: 0,
        character: false,
      },
    });
    assert.equal(parameterSummary(unknown, S), 'hunyuan-video-x · 16:9 · 720p · 5 seconds');
    assert.equal(compactSummary(unknown, S), 'hunyuan-video-x · 16:9 · 5 seconds · Command Palette');
  });

  it('names where a task came from: the palette, Copilot, another app by its name, a storyboard by its file', () => {
    assert.equal(sourceLabel({ kind: 'palette', host: 'vscode' }, S), 'Command Palette');
    assert.equal(sourceLabel({ kind: 'mcp', client: 'Visual Studio Code' }, S), 'Copilot');
    assert.equal(sourceLabel({ kind: 'mcp' }, S), 'Copilot');
    assert.equal(sourceLabel({ kind: 'mcp', client: 'Claude Desktop', host: 'stdio' }, S), 'Claude Desktop');
    assert.equal(sourceLabel({ kind: 'mcp', host: 'stdio' }, S), 'Other AI apps');
    assert.equal(sourceLabel({ kind: 'storyboard', storyboard: 'stories/boat.storyboard.md' }, S), 'boat.storyboard.md');
    assert.equal(sourceLabel({ kind: 'cli' }, S), 'Command line');
    assert.equal(compactSummary(snapshot({ origin: { kind: 'mcp', client: 'Cursor' } }), S), 'Sora 2 · 16:9 · 10 seconds · Cursor');
  });

  it('puts at most two actions on a card as icons, the rest in its menus', () => {
    assert.deepEqual(inlineActions(taskActions(completed('done'))), ['play', 'openFile']);
    assert.deepEqual(inlineActions(taskActions(completed('failed'))), ['play', 'download']);
    assert.deepEqual(inlineActions(taskActions(snapshot({ status: 'failed' }))), ['retry']);
    assert.deepEqual(inlineActions(taskActions(snapshot({ status: 'processing' }))), []);
    for (const action of Object.keys(ACTION_ICONS)) assert.match(ACTION_ICONS[action as keyof typeof ACTION_ICONS], /^[a-z-]+$/);
  });

  it('says what to do after each kind of failure', () => {
    for (const reason of [
      'Content moderation: the prompt violates our policy',
      'This content may violate our guardrails',
      '内容审核未通过',
      '涉及真人',
      'copyright',
    ]) {
      assert.equal(advice(snapshot({ status: 'failed', failureReason: reason }), S), 'HINT-MODERATION', reason);
    }
    assert.equal(advice(snapshot({ status: 'failed', failureReason: 'timed out: Juxin did not finish the task within 60 minutes' }), S), 'HINT-TIMED-OUT');
    assert.equal(advice(snapshot({ status: 'failed', failureReason: 'Juxin no longer knows this task (404); check the Juxin console' }), S), 'HINT-TIMED-OUT');
    assert.equal(advice(snapshot({ status: 'failed', failureReason: 'upstream error' }), S), 'HINT-FAILED');
    assert.equal(advice(snapshot({ status: 'failed' }), S), 'HINT-FAILED');
    assert.equal(advice(completed('failed'), S), 'HINT-DOWNLOAD-FAILED');
    assert.equal(advice(completed('expired'), S), 'HINT-EXPIRED');
    assert.equal(advice(completed('done'), S), undefined);
    assert.equal(advice(snapshot({ status: 'processing' }), S), undefined);
  });

  it('offers only the actions that can work, with one primary', () => {
    assert.deepEqual(taskActions(snapshot({ status: 'queued' })), ['remove']);
    assert.deepEqual(taskActions(snapshot({ status: 'processing', hasVideoUrl: false })), ['remove']);
    // Private (the default) cannot be remixed; a saved video plays from disk.
    assert.deepEqual(taskActions(completed('done')), ['play', 'openFile', 'reveal', 'copyUrl', 'retry', 'remove']);
    assert.deepEqual(taskActions(completed('done', { params: { ...snapshot().params, private: false } })), [
      'play',
      'openFile',
      'reveal',
      'copyUrl',
      'remix',
      'retry',
      'remove',
    ]);
    // Not saved yet: play from the URL, download again; nothing to open.
    assert.deepEqual(taskActions(completed('failed')), ['play', 'copyUrl', 'download', 'retry', 'remove']);
    assert.deepEqual(taskActions(completed('downloading')), ['play', 'copyUrl', 'retry', 'remove']);
    assert.deepEqual(taskActions(snapshot({ status: 'failed', failureReason: 'x' })), ['retry', 'remove']);
    assert.equal(toTaskModel(completed('done'), S).primary, 'play');
    assert.equal(toTaskModel(snapshot({ status: 'failed' }), S).primary, 'retry');
    assert.equal(toTaskModel(completed('failed', { hasVideoUrl: false }), S).primary, undefined);
    assert.equal(toTaskModel(snapshot({ status: 'processing' }), S).primary, undefined);
  });

  it('gives the preview its buttons', () => {
    assert.deepEqual(previewActions(completed('done')), ['openFile', 'reveal', 'copyUrl']);
    assert.deepEqual(previewActions(completed('failed')), ['copyUrl', 'download']);
    assert.deepEqual(previewActions(completed('downloading')), ['copyUrl']);
    assert.deepEqual(previewActions(snapshot({ status: 'processing' })), []);
  });

  it('shows a tracking problem with its next step, and offers the key when the key is the problem', () => {
    const paused = toTaskModel(
      snapshot({ status: 'processing', progress: 30, problem: { kind: 'auth', message: 'Juxin rejected the API key (401).', nextStep: 'Set it again.' } }),
      S,
    );
    assert.equal(paused.problem, 'Juxin rejected the API key (401). Set it again.');
    assert.equal(paused.needsKey, true);
    const limited = toTaskModel(snapshot({ status: 'queued', problem: { kind: 'rate_limit', message: 'Slow down.', nextStep: 'Wait.' } }), S);
    assert.equal(limited.needsKey, false);
    // Once the video is saved, an old problem is history.
    assert.equal(toTaskModel(completed('done', { problem: { kind: 'network', message: 'm', nextStep: 'n' } }), S).problem, undefined);
  });

  it('carries the failure as Juxin said it, and the prompt untouched', () => {
    const xss = '<img src=x onerror=alert(1)>';
    const model = toTaskModel(snapshot({ status: 'failed', prompt: xss, failureReason: `moderation: ${xss}` }), S);
    assert.equal(model.prompt, xss);
    assert.equal(model.failure, `moderation: ${xss}`);
    assert.equal(toTaskModel(completed('failed', { download: { state: 'failed', error: 'disk full' } }), S).failure, 'disk full');
    assert.equal(toTaskModel(completed('done'), S).failure, undefined);
  });

  it('fills placeholders and shortens labels', () => {
    assert.equal(fill('Queued · position {0}', 4), 'Queued · position 4');
    assert.equal(fill('{1} of {0}', 'a', 'b'), 'b of a');
    assert.equal(fill('left {1} as is', 'a'), 'left {1} as is');
    assert.equal(shorten('  a\n  b  ', 10), 'a b');
    assert.equal(shorten('abcdefghijkl', 5), 'abcd…');
  });
});
