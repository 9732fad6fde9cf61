import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImageError, isHttpUrl, MAX_IMAGE_BYTES, readLocalImage } from '../../../src/juxin/images';
import { IMAGES, imageBytes } from '../../fixtures/images';

describe('images', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'juxin-images-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('tells http(s) URLs from file paths', () => {
    assert.equal(isHttpUrl('https://example.com/a.png'), true);
    assert.equal(isHttpUrl(' HTTP://example.com/a.png '), true);
    for (const value of ['/home/me/a.png', 'C:\\pics\\a.png', 'file:///a.png', 'ftp://x/a.png', 'https://']) assert.equal(isHttpUrl(value), false, value);
  });

  it('reads PNG, JPEG, WebP and GIF once: the type and dimensions from the decoded header, the bytes to send', async () => {
    for (const kind of ['png', 'jpg', 'webp', 'gif'] as const) {
      const image = await readLocalImage(IMAGES[kind].path);
      assert.equal(image.mimeType, IMAGES[kind].mimeType, kind);
      assert.deepEqual([image.width, image.height], [64, 36], kind);
      assert.deepEqual(Buffer.from(image.data), imageBytes(kind), kind);
      assert.equal(image.size, imageBytes(kind).length);
      assert.equal(image.fileName, path.basename(IMAGES[kind].path));
    }
  });

  it('names the upload by its real type when the extension lies or is missing', async () => {
    const lying = path.join(tmp, 'really-a-gif.jpeg');
    await writeFile(lying, imageBytes('gif'));
    assert.equal((await readLocalImage(lying)).fileName, 'really-a-gif.gif');
    const bare = path.join(tmp, 'no-extension');
    await writeFile(bare, imageBytes('png'));
    assert.equal((await readLocalImage(bare)).fileName, 'no-extension.png');
  });

  it('refuses a file whose first bytes only imitate an image', async () => {
    const fake = path.join(tmp, 'fake.png');
    await writeFile(fake, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('not the rest of a png at all')]));
    await assert.rejects(readLocalImage(fake), ImageError);
  });

  it('refuses relative paths, network shares and device paths before touching the disk', async () => {
    const existing = path.relative(process.cwd(), IMAGES.png.path);
    const cases: [string, RegExp, RegExp][] = [
      [existing, /absolute path/, /绝对路径/],
      ['pixel.png', /absolute path/, /绝对路径/],
      ['\\\\fileserver\\share\\cat.png', /network/, /网络/],
      ['//fileserver/share/cat.png', /network/, /网络/],
      ['\\\\?\\C:\\cat.png', /device/, /设备/],
      ['\\\\.\\PhysicalDrive0', /device/, /设备/],
    ];
    for (const [file, en, zh] of cases) {
      await assert.rejects(readLocalImage(file), (e: unknown) => e instanceof ImageError && en.test(e.message) && zh.test(e.messageZh), file);
    }
  });

  it('says the same about a missing file, a folder and a file that is not an image, whatever its size', async () => {
    const folder = path.join(tmp, 'folder.png');
    await mkdir(folder);
    const text = path.join(tmp, 'notes.png');
    await writeFile(text, 'hello');
    const big = path.join(tmp, 'big.png');
    await writeFile(big, 'x');
    await truncate(big, 30 * 1024 * 1024);
    const said = new Set<string>();
    for (const file of [path.join(tmp, 'missing.png'), folder, text, big, '/etc/passwd']) {
      const error = await readLocalImage(file).then(
        () => assert.fail(file),
        (e: unknown) => e as ImageError,
      );
      assert.ok(error instanceof ImageError, file);
      assert.ok(error.message.includes(JSON.stringify(file)), 'names the path as given');
      assert.doesNotMatch(error.message.replace(JSON.stringify(file), 'FILE'), /30|folder|does not exist|not found|too large/i, error.message);
      said.add(error.message.replace(JSON.stringify(file), 'FILE') + error.messageZh.replace(JSON.stringify(file), 'FILE'));
    }
    assert.equal(said.size, 1, [...said].join('\n'));
  });

  it('refuses an image over 20 MB without saying how large it is', async () => {
    const huge = path.join(tmp, 'huge.png');
    await writeFile(huge, imageBytes('png'));
    await truncate(huge, MAX_IMAGE_BYTES + 1024 * 1024);
    await assert.rejects(
      readLocalImage(huge),
      (e: unknown) => e instanceof ImageError && /20 MB/.test(e.message) && !/21/.test(e.message) && /20 MB/.test(e.messageZh),
    );
  });
});
