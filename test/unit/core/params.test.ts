import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultHomeDir } from '../../../src/core/home';
import { checkLocalImages, DEFAULT_PARAMS, ParamError, validateGenerationParams } from '../../../src/core/params';

const rejects = (input: Parameters<typeof validateGenerationParams>[0], field: string, pattern: RegExp, zh?: RegExp) =>
  assert.throws(
    () => validateGenerationParams(input),
    (e: unknown) => {
      assert.ok(e instanceof ParamError, String(e));
      assert.equal(e.field, field);
      assert.match(e.message, pattern);
      assert.ok(e.messageZh.length > 3, 'a Chinese message too');
      if (zh) assert.match(e.messageZh, zh);
      return true;
    },
  );

describe('core/params: checked before anything is sent', () => {
  it("applies the defaults, then the caller's defaults, then the input", () => {
    assert.deepEqual(validateGenerationParams({ prompt: '  a cat  ' }), { ...DEFAULT_PARAMS, prompt: 'a cat' });
    const p = validateGenerationParams(
      { prompt: 'x', orientation: 'portrait' },
      { model: 'sora-2-pro', duration: 25, size: 'large', orientation: 'landscape' },
    );
    assert.deepEqual([p.model, p.duration, p.size, p.orientation], ['sora-2-pro', 25, 'large', 'portrait']);
  });

  it('names the rule and the way out for every bad value', () => {
    rejects({ prompt: '' }, 'prompt', /empty/, /提示词为空/);
    rejects({ prompt: 42 }, 'prompt', /empty/);
    rejects({ prompt: 'x'.repeat(4001) }, 'prompt', /4001 characters; the limit is 4000/);
    rejects({ prompt: 'x', model: 'sora-3' as never }, 'model', /sora-2 or sora-2-pro/);
    rejects({ prompt: 'x', orientation: 'square' as never }, 'orientation', /landscape or portrait/);
    rejects({ prompt: 'x', size: 'huge' as never }, 'size', /small or large/);
    rejects({ prompt: 'x', size: 'large' }, 'size', /only available with sora-2-pro/);
    rejects({ prompt: 'x', duration: 25 }, 'duration', /not available for sora-2: use 10 or 15 \(sora-2-pro also allows 25\)/, /25 秒/);
    rejects({ prompt: 'x', model: 'sora-2-pro', duration: 12 }, 'duration', /use 10 or 15 or 25/);
    rejects({ prompt: 'x', images: ['a', 'b', 'c', 'd', 'e'] }, 'images', /At most 4/);
    rejects({ prompt: 'x', images: ['https://x/a.png', '/tmp/b.png'] }, 'images', /not both/);
    rejects({ prompt: 'x', characterUrl: 'ftp://x/v.mp4', characterTimestamps: '1,3' }, 'characterUrl', /http\(s\) URL/);
    rejects({ prompt: 'x', characterUrl: 'https://x/v.mp4' }, 'characterTimestamps', /span of 1 to 3/);
    rejects({ prompt: 'x', characterUrl: 'https://x/v.mp4', characterTimestamps: '1,9' }, 'characterTimestamps', /span of 1 to 3/);
  });

  it('accepts a character with valid timestamps and trims image entries', () => {
    const p = validateGenerationParams({
      prompt: '@abc.def waves',
      characterUrl: 'https://x/v.mp4',
      characterTimestamps: ' 1,3 ',
      images: [' https://x/a.png ', ''],
    });
    assert.equal(p.characterTimestamps, '1,3');
    assert.deepEqual(p.images, ['https://x/a.png']);
  });

  it('checks local images on disk: exists, is an image, not too big', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'params-test-'));
    try {
      const png = path.join(dir, 'ok.png');
      writeFileSync(png, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(100)]));
      const fake = path.join(dir, 'fake.png');
      writeFileSync(fake, '<!DOCTYPE html>');
      await checkLocalImages(validateGenerationParams({ prompt: 'x', images: [png] }));
      await checkLocalImages(validateGenerationParams({ prompt: 'x', images: ['https://x/a.png'] }));
      await assert.rejects(
        checkLocalImages(validateGenerationParams({ prompt: 'x', images: [fake] })),
        (e: unknown) => e instanceof ParamError && /not a PNG/.test(e.message),
      );
      await assert.rejects(
        checkLocalImages(validateGenerationParams({ prompt: 'x', images: [dir] })),
        (e: unknown) => e instanceof ParamError && /folder/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('core/home: where history and videos live', () => {
  it("uses JUXIN_SORA_HOME, else the OS's usual place", () => {
    assert.equal(defaultHomeDir({ JUXIN_SORA_HOME: '/data/sora' }, 'linux', '/home/me'), path.resolve('/data/sora'));
    assert.equal(defaultHomeDir({}, 'linux', '/home/me'), '/home/me/.local/share/juxin-sora');
    assert.equal(defaultHomeDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/me'), '/xdg/juxin-sora');
    assert.equal(defaultHomeDir({}, 'darwin', '/Users/me'), '/Users/me/Library/Application Support/juxin-sora');
    assert.equal(defaultHomeDir({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32', 'C:\\Users\\me'), 'C:\\Users\\me\\AppData\\Local\\juxin-sora');
    assert.equal(defaultHomeDir({}, 'win32', 'C:\\Users\\me'), 'C:\\Users\\me\\AppData\\Local\\juxin-sora');
  });
});
