import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DownloadError, downloadVideo, MAX_VIDEO_BYTES } from '../../../src/core/downloader';
import { ManualClock } from '../../../src/util/clock';
import { VirtualClock } from '../../helpers/clock';
import { waitUntil } from '../../helpers/wait';

// A fake MP4: an ftyp box, then bytes that spell their own offset (so a bad resume shows).
const VIDEO = Buffer.concat([
  Buffer.from('00000018667479706973736f0000020069736f6d6d703432', 'hex'),
  Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251)),
]);

/** The temporary files in `dir` (a download's `.part`, whatever its name). */
const parts = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.part'));

/** Cuts the connection once a `.part` file in `dir` holds `bytes` (the client wrote them: a real event, awaited with a generous deadline). */
function cutWhenPartSaved(dir: string, res: ServerResponse, bytes = 1): void {
  const saved = () => existsSync(dir) && parts(dir).some((f) => statSync(path.join(dir, f)).size >= bytes);
  // Past the deadline the cut comes anyway, and the test fails on what it sees.
  void waitUntil(saved, 30_000, `${bytes} bytes saved`, 5)
    .catch(() => undefined)
    .then(() => res.socket?.destroy());
}

describe('core/downloader', () => {
  let server: Server;
  let url: string;
  let dir: string;
  let mode:
    | 'ok'
    | 'cut-once'
    | 'html'
    | 'expired'
    | 'ignore-range'
    | 'gone'
    | 'busy-once'
    | 'bad-request'
    | 'all-then-416'
    | 'slow'
    | 'endless'
    | 'endless-html'
    | 'too-long'
    | 'together'
    | 'always-cut' = 'ok';
  const held: ServerResponse[] = [];
  /** Bytes the server managed to write in the last `endless` answer. */
  let endlessWritten = 0;
  /** The slow server moves this clock a minute forward with every chunk it sends. */
  let slowClock: ManualClock;

  /** 64 KB chunks, at most 50 MB (so a downloader without a limit ends, and the test fails rather than fills the disk). */
  function endless(res: ServerResponse, html: boolean): void {
    res.writeHead(200, { 'content-type': html ? 'text/html' : 'video/mp4' });
    endlessWritten = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const first = html ? Buffer.from('<!DOCTYPE html><html><body>'.padEnd(64 * 1024, ' ')) : Buffer.concat([VIDEO.subarray(0, 24), chunk.subarray(24)]);
    const pump = () => {
      while (endlessWritten < 50 * 1024 * 1024) {
        if (res.destroyed) return;
        const ok = res.write(endlessWritten ? chunk : first);
        endlessWritten += chunk.length;
        if (!ok) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  }

  /** 40 small chunks, each one simulated minute apart. */
  function slowly(res: ServerResponse): void {
    const chunks = Array.from({ length: 40 }, (_, i) => VIDEO.subarray(i * 5000, (i + 1) * 5000));
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 200_000 });
    let i = 0;
    const next = () => {
      if (res.destroyed) return;
      if (i === chunks.length) return void res.end();
      void slowClock.advance(60_000);
      res.write(chunks[i++], () => setTimeout(next, 2));
    };
    next();
  }
  let requests: { range?: string }[] = [];
  // No real waiting between attempts: the clock's sleeps return at once.
  const sleepless = new VirtualClock();

  before(async () => {
    server = createServer((req, res) => {
      requests.push({ range: req.headers.range });
      if (mode === 'expired') return void res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error>AuthenticationFailed</Error>');
      if (mode === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html>not a video</html>');
      if (mode === 'gone') return void res.writeHead(404).end('no such blob');
      if (mode === 'bad-request') return void res.writeHead(400).end('bad');
      if (mode === 'busy-once' && requests.length === 1) return void res.writeHead(503).end('busy');
      if (mode === 'all-then-416') {
        if (req.headers.range) return void res.writeHead(416, { 'content-range': `bytes */${VIDEO.length}` }).end();
        // Every byte, but one more announced: the client sees a short transfer and asks for the rest.
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': VIDEO.length + 1 });
        return void res.write(VIDEO, () => cutWhenPartSaved(dir, res, VIDEO.length));
      }
      if (mode === 'slow') return void slowly(res);
      if (mode === 'endless' || mode === 'endless-html') return void endless(res, mode === 'endless-html');
      if (mode === 'too-long') {
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 2 * 1024 * 1024 });
        return void res.end(Buffer.concat([VIDEO.subarray(0, 24), Buffer.alloc(2 * 1024 * 1024 - 24)]));
      }
      if (mode === 'together') {
        // Both calls are in flight before either gets a byte: they would share a temporary file.
        held.push(res);
        if (held.length < 2) return;
        for (const r of held.splice(0)) r.writeHead(200, { 'content-type': 'video/mp4', 'content-length': VIDEO.length }).end(VIDEO);
        return;
      }
      if (mode === 'always-cut') {
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': VIDEO.length });
        return void res.write(VIDEO.subarray(0, 1000), () => res.socket?.destroy());
      }
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
        res.write(body.subarray(0, 70_000), () => cutWhenPartSaved(dir, res));
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

  it('answers a range past the end (416) with what the same call already has', async () => {
    mode = 'all-then-416';
    const r = await downloadVideo({ url, destDir: dir, fileName: 'f.mp4', clock: sleepless });
    assert.deepEqual(readFileSync(r.path), VIDEO);
    assert.deepEqual(requests, [{ range: undefined }, { range: `bytes=${VIDEO.length}-` }]);
    assert.deepEqual(readdirSync(dir), ['f.mp4']);
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
  describe('limits (nothing endless, nothing foreign, nothing overwritten)', () => {
    it('refuses an answer that is not an MP4 from its first bytes, without reading on', async () => {
      mode = 'endless-html';
      await assert.rejects(
        downloadVideo({ url, destDir: dir, fileName: 'l.mp4', clock: sleepless }),
        (e: unknown) => e instanceof DownloadError && /not an MP4/.test(e.message),
      );
      assert.equal(requests.length, 1, 'a foreign answer is not retried');
      assert.ok(endlessWritten < 10 * 1024 * 1024, `the server got to write ${endlessWritten} bytes`);
      assert.deepEqual(readdirSync(dir), [], 'nothing left behind');
    });

    it('stops an endless MP4 body at the size ceiling and leaves nothing', async () => {
      mode = 'endless';
      await assert.rejects(
        downloadVideo({ url, destDir: dir, fileName: 'm.mp4', clock: sleepless, maxBytes: 1024 * 1024 }),
        (e: unknown) => e instanceof DownloadError && /larger than 1 MB/.test(e.message),
      );
      assert.equal(requests.length, 1, 'a video over the ceiling is not retried');
      assert.ok(endlessWritten < 10 * 1024 * 1024, `the server got to write ${endlessWritten} bytes`);
      assert.deepEqual(readdirSync(dir), []);
    });

    it('refuses a Content-Length over the ceiling before reading the body', async () => {
      mode = 'too-long';
      await assert.rejects(
        downloadVideo({ url, destDir: dir, fileName: 'n.mp4', clock: sleepless, maxBytes: 1024 * 1024 }),
        (e: unknown) => e instanceof DownloadError && /larger than 1 MB/.test(e.message),
      );
      assert.deepEqual(readdirSync(dir), []);
    });

    it('has a ceiling for a 25 s 1080p video by default', () => {
      assert.ok(MAX_VIDEO_BYTES >= 200 * 1024 * 1024 && MAX_VIDEO_BYTES <= 512 * 1024 * 1024, String(MAX_VIDEO_BYTES));
    });

    it('bounds the whole transfer in time (a server that drips)', async () => {
      mode = 'slow';
      slowClock = new ManualClock();
      await assert.rejects(
        downloadVideo({ url, destDir: dir, fileName: 'o.mp4', clock: slowClock, maxTransferMs: 10 * 60_000 }),
        (e: unknown) => e instanceof DownloadError && /10 minutes/.test(e.message),
      );
      assert.deepEqual(readdirSync(dir), []);
    });

    it('gives each call its own temporary file: two calls for one name both finish, neither overwrites', async () => {
      mode = 'together';
      const [a, b] = await Promise.all([
        downloadVideo({ url, destDir: dir, fileName: 'p.mp4', clock: sleepless }),
        downloadVideo({ url, destDir: dir, fileName: 'p.mp4', clock: sleepless }),
      ]);
      assert.deepEqual([path.basename(a.path), path.basename(b.path)].sort(), ['p-1.mp4', 'p.mp4']);
      assert.deepEqual(readFileSync(a.path), VIDEO);
      assert.deepEqual(readFileSync(b.path), VIDEO);
      assert.deepEqual(parts(dir), []);
    });

    it('never renames over a file that appeared while it downloaded', async () => {
      mode = 'ok';
      writeFileSync(path.join(dir, 'q.mp4'), 'a good video already here');
      const r = await downloadVideo({
        url,
        destDir: dir,
        fileName: 'q.mp4',
        clock: sleepless,
        onProgress: () => writeFileSync(path.join(dir, 'q-1.mp4'), 'appeared'),
      });
      assert.equal(path.basename(r.path), 'q-2.mp4');
      assert.equal(readFileSync(path.join(dir, 'q.mp4'), 'utf8'), 'a good video already here');
      assert.equal(readFileSync(path.join(dir, 'q-1.mp4'), 'utf8'), 'appeared');
    });

    it("clears a dead process's temporary files of the same name, never a live one's", async () => {
      mode = 'ok';
      const dead = path.join(dir, 's.mp4.0123456789ab.part');
      const live = path.join(dir, 's.mp4.ba9876543210.part');
      writeFileSync(dead, 'left by a crash');
      writeFileSync(live, 'being written');
      const longAgo = new Date(Date.now() - 2 * 60 * 60_000);
      utimesSync(dead, longAgo, longAgo);
      await downloadVideo({ url, destDir: dir, fileName: 's.mp4', clock: sleepless });
      assert.deepEqual(readdirSync(dir).sort(), ['s.mp4', 's.mp4.ba9876543210.part']);
    });

    it('removes its temporary file when it gives up', async () => {
      mode = 'always-cut';
      await assert.rejects(downloadVideo({ url, destDir: dir, fileName: 'r.mp4', clock: sleepless, maxAttempts: 2 }), DownloadError);
      assert.equal(requests.length, 2);
      assert.deepEqual(readdirSync(dir), []);
    });
  });
});
