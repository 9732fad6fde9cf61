import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DownloadError, downloadVideo } from '../../../src/core/downloader';
import { ManualClock } from '../../../src/util/clock';

// A fake MP4: an ftyp box, then bytes that spell their own offset (so a bad resume shows).
const VIDEO = Buffer.concat([
  Buffer.from('00000018667479706973736f0000020069736f6d6d703432', 'hex'),
  Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251)),
]);

/** Resolves once `file` holds some bytes (or after 5 s, when the test will fail on its own). */
async function whenSaved(file: string): Promise<void> {
  for (let i = 0; i < 500 && !(existsSync(file) && statSync(file).size > 0); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('core/downloader', () => {
  let server: Server;
  let url: string;
  let dir: string;
  let mode: 'ok' | 'cut-once' | 'html' | 'expired' | 'ignore-range' | 'gone' | 'busy-once' | 'bad-request' | 'satisfied' = 'ok';
  let requests: { range?: string }[] = [];
  const clock = new ManualClock();
  // No real waiting between attempts: the injected clock's sleeps are advanced by hand.
  const sleepless = { ...clock, sleep: async () => undefined, now: () => clock.now() };

  before(async () => {
    server = createServer((req, res) => {
      requests.push({ range: req.headers.range });
      if (mode === 'expired') return void res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error>AuthenticationFailed</Error>');
      if (mode === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html>not a video</html>');
      if (mode === 'gone') return void res.writeHead(404).end('no such blob');
      if (mode === 'bad-request') return void res.writeHead(400).end('bad');
      if (mode === 'busy-once' && requests.length === 1) return void res.writeHead(503).end('busy');
      if (mode === 'satisfied' && req.headers.range) return void res.writeHead(416, { 'content-range': `bytes */${VIDEO.length}` }).end();
      const m = /bytes=(\d+)-/.exec(req.headers.range ?? '');
      const start = m && mode !== 'ignore-range' ? Number(m[1]) : 0;
      const body = VIDEO.subarray(start);
      res.writeHead(start ? 206 : 200, {
        'content-type': 'video/mp4',
        'content-length': body.length,
        ...(start ? { 'content-range': `bytes ${start}-${VIDEO.length - 1}/${VIDEO.length}` } : {}),
      });
      if (mode === 'cut-once' && requests.length === 1) {
        // Cut only once the client has saved some of it: a cut that lands before the first chunk is
        // written leaves nothing to resume, and the test would depend on timing.
        res.write(body.subarray(0, 70_000), () => void whenSaved(path.join(dir, `${path.basename(req.url ?? '')}.part`)).then(() => res.socket?.destroy()));
        return;
      }
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v.mp4`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-test-'));
    requests = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('streams into place and reports progress', async () => {
    mode = 'ok';
    const seen: number[] = [];
    const r = await downloadVideo({ url, destDir: dir, fileName: 'a.mp4', clock: sleepless, onProgress: (b) => seen.push(b) });
    assert.deepEqual(readFileSync(r.path), VIDEO);
    assert.equal(r.bytes, VIDEO.length);
    assert.equal(seen.at(-1), VIDEO.length);
    assert.deepEqual(readdirSync(dir), ['a.mp4'], 'no .part left behind');
  });

  it('resumes a cut transfer with a Range request and gets every byte right', async () => {
    mode = 'cut-once';
    const r = await downloadVideo({ url: url.replace('v.mp4', 'b.mp4'), destDir: dir, fileName: 'b.mp4', clock: sleepless, random: () => 0 });
    assert.deepEqual(readFileSync(r.path), VIDEO);
    assert.equal(requests.length, 2);
    assert.match(requests[1].range ?? '', /^bytes=\d+-$/);
  });

  it('starts over when the server ignores the Range header', async () => {
    mode = 'ok';
    await downloadVideo({ url, destDir: dir, fileName: 'c.mp4', clock: sleepless });
    mode = 'ignore-range';
    const r = await downloadVideo({ url, destDir: dir, fileName: 'c.mp4', clock: sleepless });
    assert.equal(path.basename(r.path), 'c-1.mp4', 'an existing file is never overwritten');
    assert.deepEqual(readFileSync(r.path), VIDEO);
  });

  it('refuses an HTML page served as the video and leaves no file', async () => {
    mode = 'html';
    await assert.rejects(
      downloadVideo({ url, destDir: dir, fileName: 'd.mp4', clock: sleepless }),
      (e: unknown) => e instanceof DownloadError && /not an MP4/.test(e.message),
    );
    assert.deepEqual(readdirSync(dir), []);
  });

  it('says an expired link is expired, without retrying it', async () => {
    mode = 'expired';
    await assert.rejects(downloadVideo({ url, destDir: dir, fileName: 'e.mp4', clock: sleepless }), (e: unknown) => e instanceof DownloadError && e.expired);
    assert.equal(requests.length, 1);
    assert.ok(!existsSync(path.join(dir, 'e.mp4')));
  });

  it('refuses a file name that leaves the folder', async () => {
    mode = 'ok';
    await assert.rejects(downloadVideo({ url, destDir: dir, fileName: '../escape.mp4', clock: sleepless }), /Refusing the file name/);
    assert.equal(requests.length, 0);
  });

  it('answers a range past the end (416) with the file it already has', async () => {
    mode = 'satisfied';
    writeFileSync(path.join(dir, 'f.mp4.part'), VIDEO);
    const r = await downloadVideo({ url, destDir: dir, fileName: 'f.mp4', clock: sleepless });
    assert.deepEqual(readFileSync(r.path), VIDEO);
    assert.deepEqual(requests, [{ range: `bytes=${VIDEO.length}-` }]);
  });

  it('retries a 503, refuses a 400 at once, and treats a 404 as a link that is gone', async () => {
    mode = 'busy-once';
    const r = await downloadVideo({ url, destDir: dir, fileName: 'g.mp4', clock: sleepless });
    assert.deepEqual(readFileSync(r.path), VIDEO);
    assert.equal(requests.length, 2);

    mode = 'bad-request';
    requests = [];
    await assert.rejects(
      downloadVideo({ url, destDir: dir, fileName: 'h.mp4', clock: sleepless }),
      (e: unknown) => e instanceof DownloadError && !e.expired && /answered 400/.test(e.message),
    );
    assert.equal(requests.length, 1);

    mode = 'gone';
    requests = [];
    await assert.rejects(
      downloadVideo({ url, destDir: dir, fileName: 'i.mp4', clock: sleepless }),
      (e: unknown) => e instanceof DownloadError && e.expired && /404/.test(e.message),
    );
    assert.equal(requests.length, 1);
  });

  it('gives up after its attempts when the server is unreachable, naming the cause', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await assert.rejects(
      downloadVideo({ url: `http://127.0.0.1:${closed}/v.mp4`, destDir: dir, fileName: 'k.mp4', clock: sleepless, maxAttempts: 3 }),
      (e: unknown) => e instanceof DownloadError && /after 3 attempts/.test(e.message) && /ECONNREFUSED/.test(e.message),
    );
    assert.deepEqual(readdirSync(dir), []);
  });
});
