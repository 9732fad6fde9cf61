import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultHomeDir } from '../../../src/core/home';
import { DEFAULT_PARAMS, ParamError, prepareGeneration, validateGenerationParams } from '../../../src/core/params';
import { IMAGES, imageBytes } from '../../fixtures/images';

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
    rejects({ prompt: 'x', model: 'sora-3' as never }, 'model', /Unknown model "sora-3".*veo3\.1-fast.*sora-2-pro/);
    rejects({ prompt: 'x', orientation: 'square' as never }, 'orientation', /landscape or portrait/);
    rejects({ prompt: 'x', size: 'huge' as never }, 'size', /small or large/);
    rejects({ prompt: 'x', size: 'large' }, 'size', /sora-2 does not take size "large".*resolution 720p;/);
    rejects({ prompt: 'x', duration: 25 }, 'duration', /not available for sora-2: use 10 or 15\. sora-2 \(Sora 2\):/, /25 秒/);
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

  it('prepares a generation: the defaults applied once, each local image read once into the request', async () => {
    const prepared = await prepareGeneration({ prompt: 'x', images: [IMAGES.png.path, IMAGES.jpg.path] }, { model: 'sora-2-pro', duration: 25 });
    assert.equal(prepared.params.model, 'sora-2-pro');
    assert.equal(prepared.params.duration, 25);
    assert.deepEqual(prepared.params.images, [IMAGES.png.path, IMAGES.jpg.path]);
    assert.deepEqual(
      prepared.images.map((i) => [i.path, i.mimeType, Buffer.from(i.data).equals(imageBytes(i.path.endsWith('.png') ? 'png' : 'jpg'))]),
      [
        [IMAGES.png.path, 'image/png', true],
        [IMAGES.jpg.path, 'image/jpeg', true],
      ],
    );
    assert.deepEqual((await prepareGeneration({ prompt: 'x', images: ['https://x/a.png'] })).images, [], "URLs are Juxin's to fetch");
  });

  it('refuses an unusable local image as a parameter error, in both languages', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'params-test-'));
    try {
      const fake = path.join(dir, 'fake.png');
      writeFileSync(fake, '<!DOCTYPE html>');
      for (const image of [fake, dir, 'relative/cat.png']) {
        await assert.rejects(
          prepareGeneration({ prompt: 'x', images: [image] }),
          (e: unknown) => e instanceof ParamError && e.field === 'images' && e.message.length > 20 && /[\u4e00-\u9fff]/.test(e.messageZh),
        );
      }
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
