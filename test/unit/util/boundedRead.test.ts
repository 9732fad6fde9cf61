import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BoundedReadError, readBoundedFile } from '../../../src/util/boundedRead';

const what = { en: 'The file', zh: '文件' };

/** Counts the bytes every FileHandle read returns while `body` runs. */
async function bytesReadDuring<T>(body: () => Promise<T>): Promise<{ value: T | Error; bytes: number }> {
  const handle = await fsp.open(__filename);
  const proto = Object.getPrototypeOf(handle) as { read: (...args: unknown[]) => Promise<{ bytesRead: number }> };
  await handle.close();
  const original = proto.read;
  let bytes = 0;
  proto.read = async function (this: unknown, ...args: unknown[]) {
    const result = await original.apply(this, args);
    bytes += result.bytesRead;
    return result;
  };
  try {
    return { value: await body().catch((e: Error) => e), bytes };
  } finally {
    proto.read = original;
  }
}

describe('util/boundedRead: a file named by a caller, read within bounds', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'bounded-read-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a plain file whole, with what it was when opened', async () => {
    const file = path.join(dir, 'a.srt');
    writeFileSync(file, 'hello');
    const { data, info } = await readBoundedFile(file, { maxBytes: 5, what });
    assert.equal(data.toString(), 'hello');
    assert.equal(info.size, 5);
  });

  it('refuses a file over the bound without reading it, and one that reports no size (/proc) after the bound', async () => {
    const huge = path.join(dir, 'huge.srt');
    writeFileSync(huge, '');
    truncateSync(huge, 80 * 1024 * 1024);
    const refused = await bytesReadDuring(() => readBoundedFile(huge, { maxBytes: 1024, what }));
    assert.ok(refused.value instanceof BoundedReadError && refused.value.reason === 'too-large', String(refused.value));
    assert.match(refused.value.message, /is larger than 1 KB/);
    assert.equal(refused.bytes, 0, 'not a byte read');
    if (existsSync('/proc/self/environ')) {
      const environ = await bytesReadDuring(() => readBoundedFile('/proc/self/environ', { maxBytes: 8, what }));
      assert.ok(environ.value instanceof BoundedReadError && environ.value.reason === 'too-large');
      assert.ok(environ.bytes <= 9, `${environ.bytes} bytes read`);
    }
  });

  it('refuses devices, folders, links and pipes before reading, and never blocks on a pipe', async function () {
    for (const file of ['/dev/zero', dir]) {
      await assert.rejects(readBoundedFile(file, { maxBytes: 1024, what }), (e: unknown) => e instanceof BoundedReadError && e.reason === 'not-a-file');
    }
    const target = path.join(dir, 'real.srt');
    writeFileSync(target, 'x');
    const link = path.join(dir, 'link.srt');
    symlinkSync(target, link);
    await assert.rejects(
      readBoundedFile(link, { maxBytes: 1024, what }),
      (e: BoundedReadError) => e.reason === 'not-a-file' && /不是普通文件/.test(e.messageZh),
    );
    assert.equal((await readBoundedFile(link, { maxBytes: 1024, what, followLinks: true })).data.toString(), 'x', 'followed when asked to');
    await assert.rejects(readBoundedFile(path.join(dir, 'none.srt'), { maxBytes: 1024, what }), (e: BoundedReadError) => e.reason === 'missing');
    if (process.platform === 'win32') return;
    const pipe = path.join(dir, 'pipe.srt');
    execFileSync('mkfifo', [pipe]);
    // More than libuv has file threads: a blocking open would hang every one of them.
    const all = await Promise.allSettled(Array.from({ length: 6 }, () => readBoundedFile(pipe, { maxBytes: 1024, what })));
    for (const r of all) assert.ok(r.status === 'rejected' && (r.reason as BoundedReadError).reason === 'not-a-file');
  });
});
