import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImageError, inspectLocalImage, isHttpUrl, sniffImageType } from '../../../src/juxin/images';

const HEADERS: [string, Buffer][] = [
  ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])],
  ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0, 0, 0, 0, 0, 0, 0, 0])],
  ['image/webp', Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 ')])],
  ['image/gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00', 'latin1')],
  ['image/gif', Buffer.from('GIF87a\x01\x00\x01\x00\x00\x00', 'latin1')],
];

describe('images', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'juxin-images-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('recognises PNG, JPEG, WebP and GIF by their first bytes, and nothing else', () => {
    for (const [type, head] of HEADERS) assert.equal(sniffImageType(head), type);
    for (const head of [Buffer.alloc(0), Buffer.from('%PDF-1.7 xxxxx'), Buffer.from('RIFF\0\0\0\0WAVEfmt '), Buffer.from('<html>')]) {
      assert.equal(sniffImageType(head), undefined);
    }
  });

  it('tells http(s) URLs from file paths', () => {
    assert.equal(isHttpUrl('https://example.com/a.png'), true);
    assert.equal(isHttpUrl(' HTTP://example.com/a.png '), true);
    for (const value of ['/home/me/a.png', 'C:\\pics\\a.png', 'file:///a.png', 'ftp://x/a.png', 'https://']) assert.equal(isHttpUrl(value), false, value);
  });

  it('describes a valid file with its real MIME type and an upload name that matches it', async () => {
    const cases: [string, Buffer, string, string][] = [
      ['still.webp', HEADERS[2][1], 'image/webp', 'still.webp'],
      ['loop.gif', HEADERS[3][1], 'image/gif', 'loop.gif'],
      ['no-extension', HEADERS[0][1], 'image/png', 'no-extension.png'],
      ['really-a-gif.jpeg', HEADERS[3][1], 'image/gif', 'really-a-gif.gif'],
    ];
    for (const [name, bytes, mimeType, fileName] of cases) {
      const file = path.join(tmp, name);
      await writeFile(file, bytes);
      assert.deepEqual(await inspectLocalImage(file), { path: file, fileName, mimeType, size: bytes.length });
    }
  });

  it('says when the content does not match an image extension', async () => {
    const file = path.join(tmp, 'photo.jpg');
    await writeFile(file, 'not an image at all');
    await assert.rejects(
      inspectLocalImage(file),
      (error: unknown) => error instanceof ImageError && /does not match its extension/.test(error.message) && /内容与扩展名不符/.test(error.messageZh),
    );
    const plain = path.join(tmp, 'notes.txt');
    await writeFile(plain, 'hello');
    await assert.rejects(inspectLocalImage(plain), (error: unknown) => error instanceof ImageError && !/extension/.test(error.message));
  });
});
