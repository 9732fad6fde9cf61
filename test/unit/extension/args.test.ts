import assert from 'node:assert/strict';
import { generateArg, parseArg, remixArg, removeKeyArg, taskRefArg } from '../../../src/extension/commands/args';

describe('extension/commands/args: what another extension or a link may pass', () => {
  it('reads a task reference from an id or { taskId }, and nothing else', () => {
    assert.deepEqual(parseArg(taskRefArg, 'sora-2:task_1'), { ok: true, value: 'sora-2:task_1' });
    assert.deepEqual(parseArg(taskRefArg, { taskId: 'video_1', confirm: false }), { ok: true, value: 'video_1' }, '`confirm` is read past, never obeyed');
    for (const bad of [undefined, null, 42, '', '   ', 'x'.repeat(301), { id: 'x' }, ['x'], { taskId: 5 }]) {
      assert.equal(parseArg(taskRefArg, bad).ok, false, JSON.stringify(bad));
    }
  });

  it('reads generation answers strictly: known fields of the right type, a bounded prompt', () => {
    const ok = parseArg(generateArg, { prompt: ' a lighthouse ', model: 'sora-2-pro', duration: 25, images: ['/tmp/a.png'] });
    assert.deepEqual(ok, { ok: true, value: { prompt: 'a lighthouse', model: 'sora-2-pro', duration: 25, images: ['/tmp/a.png'] } });
    const veo = parseArg(generateArg, {
      prompt: 'a lighthouse',
      model: 'veo3.1-fast',
      aspectRatio: '9:16',
      resolution: '720p',
      firstFrame: '/tmp/a.png',
      enhancePrompt: true,
    });
    assert.deepEqual(veo, {
      ok: true,
      value: { prompt: 'a lighthouse', model: 'veo3.1-fast', aspectRatio: '9:16', resolution: '720p', firstFrame: '/tmp/a.png', enhancePrompt: true },
    });
    for (const bad of [
      {},
      { prompt: '' },
      { prompt: 'x'.repeat(4001) },
      // Any model id is read (the engine checks it against what the key can use); a value that is no id is not.
      { prompt: 'x', model: 'sora 3; rm -rf' },
      { prompt: 'x', model: 42 },
      { prompt: 'x', aspectRatio: 'wide' },
      { prompt: 'x', resolution: '8k' },
      { prompt: 'x', duration: '10' },
      // More images than any model takes (Grok's six references).
      { prompt: 'x', images: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] },
      { prompt: 'x', skipConfirmation: true },
      'a prompt as a string',
      [{ prompt: 'x' }],
    ]) {
      const parsed = parseArg(generateArg, bad);
      assert.equal(parsed.ok, false, JSON.stringify(bad).slice(0, 60));
      assert.ok(!parsed.ok && parsed.problem.length > 5);
    }
  });

  it('reads a remix as a task, with or without the change', () => {
    assert.deepEqual(parseArg(remixArg, 'video_1'), { ok: true, value: { taskId: 'video_1', prompt: undefined } });
    assert.deepEqual(parseArg(remixArg, { taskId: 'video_1', prompt: 'purple' }), { ok: true, value: { taskId: 'video_1', prompt: 'purple' } });
    assert.equal(parseArg(remixArg, { taskId: 'video_1', prompt: '' }).ok, false);
    assert.equal(parseArg(remixArg, { taskId: 'video_1', confirm: false }).ok, false);
  });

  it('accepts the old { confirm: false } for the key removal only as a shape', () => {
    assert.equal(parseArg(removeKeyArg, undefined).ok, true);
    assert.equal(parseArg(removeKeyArg, { confirm: false }).ok, true);
    assert.equal(parseArg(removeKeyArg, { confirm: 'no' }).ok, false);
  });
});
