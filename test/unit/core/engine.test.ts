import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VideoEngine } from '../../../src/core/engine';
import { DownloadError, type DownloadOptions } from '../../../src/core/downloader';
import { TaskStore } from '../../../src/core/store';
import { JuxinError } from '../../../src/juxin/errors';
import type { GenerationParams, JuxinApi, NormalizedTask } from '../../../src/juxin/types';
import { scaledClock } from '../../../src/util/clock';

const KEY = 'sk-test-not-a-real-key-0001';

/** A Juxin that finishes each task after `queries` status queries. */
class FakeApi implements JuxinApi {
  queries = new Map<string, number>();
  creates = 0;
  failWith?: JuxinError;
  constructor(private readonly doneAfter = 3) {}
  async createVideo(params: GenerationParams): Promise<NormalizedTask> {
    this.creates++;
    return { id: `sora-2:task_${this.creates}_${params.prompt.length}`, status: 'queued', progress: 0, rawStatus: 'pending' };
  }
  attempts = 0;
  async queryVideo(id: string): Promise<NormalizedTask> {
    this.attempts++;
    if (this.failWith) throw this.failWith;
    const n = (this.queries.get(id) ?? 0) + 1;
    this.queries.set(id, n);
    if (n >= this.doneAfter) return { id, status: 'completed', progress: 100, rawStatus: 'completed', videoUrl: `https://cdn.test/${encodeURIComponent(id)}.mp4?n=${n}` };
    return { id, status: 'processing', progress: (100 * n) / this.doneAfter - (n === 2 ? 50 : 0), rawStatus: 'in_progress' };
  }
  async remixVideo(id: string): Promise<NormalizedTask> {
    return { id: `video_remix_of_${id}`, status: 'queued', progress: 0, rawStatus: 'queued', remixedFrom: id };
  }
  async createCharacter() {
    return { id: 'ch_1', username: 'abc.def' };
  }
}

/** Writes a small "MP4" instead of downloading. `expiredOnce` makes the first URL fail like a 403. */
function fakeDownload(state: { calls: string[]; expiredOnce?: boolean }) {
  return async (o: DownloadOptions) => {
    state.calls.push(o.url);
    if (state.expiredOnce) {
      state.expiredOnce = false;
      throw new DownloadError('the video link was refused (403)', true);
    }
    const file = path.join(o.destDir, o.fileName);
    writeFileSync(file, Buffer.from('00000018667479706d703432', 'hex'));
    return { path: file, bytes: 12 };
  };
}

describe('core/engine', function () {
  this.timeout(20_000);
  let home: string;
  const clock = scaledClock(2000); // tracking minutes pass in tens of milliseconds
  const engines: VideoEngine[] = [];
  const make = (api: JuxinApi, download = fakeDownload({ calls: [] })) => {
    const engine = new VideoEngine({ api: () => api, store: new TaskStore(home), videosDir: path.join(home, 'videos'), clock, minPollIntervalMs: 1000, maxRequestsPerSecond: 50, download });
    engines.push(engine);
    return engine;
  };

  beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'engine-test-'))));
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.dispose()));
    rmSync(home, { recursive: true, force: true });
  });

  it('creates, tracks with progress that never goes backwards, and downloads at once', async () => {
    const engine = make(new FakeApi(4));
    await engine.start();
    const seen: number[] = [];
    engine.onDidChange((t) => seen.push(t.progress));
    const task = await engine.generate({ prompt: 'a boat' }, 'test');
    assert.equal(task.params.private, true, 'defaults applied');
    const { task: done, timedOut } = await engine.waitFor(task.id, { timeoutMs: 60 * 60_000 });
    assert.equal(timedOut, false);
    assert.equal(done.status, 'completed');
    assert.equal(done.download.state, 'done');
    assert.ok(existsSync(done.download.localPath!));
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], `progress ${seen.join(',')}`);
  });

  it('picks up unfinished tasks after a restart, finishes and downloads them', async () => {
    const api = new FakeApi(3);
    const first = make(api);
    await first.start();
    const task = await first.generate({ prompt: 'survive' }, 'test');
    await first.dispose(); // the process dies before the task finishes

    const calls = { calls: [] as string[] };
    const second = make(api, fakeDownload(calls));
    await second.start();
    const { task: done } = await second.waitFor(task.id, { timeoutMs: 60 * 60_000 });
    assert.equal(done.download.state, 'done');
    assert.equal(calls.calls.length, 1);
  });

  it('asks for a fresh URL once when the signed one expired', async () => {
    const state = { calls: [] as string[], expiredOnce: true };
    const engine = make(new FakeApi(2), fakeDownload(state));
    await engine.start();
    const task = await engine.generate({ prompt: 'late' }, 'test');
    const { task: done } = await engine.waitFor(task.id, { timeoutMs: 60 * 60_000 });
    assert.equal(done.download.state, 'done');
    assert.equal(state.calls.length, 2);
    assert.notEqual(state.calls[0], state.calls[1], 'the second try used a new URL');
  });

  it('stops waiting at the timeout or when aborted, while tracking goes on', async () => {
    const engine = make(new FakeApi(1000));
    await engine.start();
    const task = await engine.generate({ prompt: 'slow' }, 'test');
    const timed = await engine.waitFor(task.id, { timeoutMs: 5000 });
    assert.equal(timed.timedOut, true);
    const abort = new AbortController();
    const waiting = engine.waitFor(task.id, { timeoutMs: 60 * 60_000, signal: abort.signal });
    abort.abort();
    assert.equal((await waiting).aborted, true);
  });

  it('pauses tracking on a bad key instead of hammering, and resumes when the key changes', async () => {
    const api = new FakeApi(2);
    const engine = make(api);
    await engine.start();
    const task = await engine.generate({ prompt: 'paused' }, 'test');
    api.failWith = new JuxinError('auth', 'Juxin rejected the API key (401)');
    await new Promise((r) => setTimeout(r, 150));
    const tried = api.attempts;
    assert.ok(tried >= 1, 'it did ask, and got the 401');
    await new Promise((r) => setTimeout(r, 300)); // about ten simulated minutes
    assert.equal(api.attempts, tried, 'no more queries while paused');
    api.failWith = undefined;
    engine.resumeTracking();
    const { task: done } = await engine.waitFor(task.id, { timeoutMs: 60 * 60_000 });
    assert.equal(done.status, 'completed');
  });

  it('validates before sending anything, and never writes the key', async () => {
    const api = new FakeApi();
    const engine = make(api);
    await engine.start();
    await assert.rejects(engine.generate({ prompt: 'x', duration: 25 }, 'test'), /10 or 15/);
    await assert.rejects(engine.generate({ prompt: 'x', images: [path.join(home, 'missing.png')] }, 'test'), /neither an http\(s\) URL nor an existing file/);
    assert.equal(api.creates, 0);
    await engine.generate({ prompt: 'fine' }, 'test');
    for (const f of readdirSync(path.join(home, 'tasks'))) assert.ok(!readFileSync(path.join(home, 'tasks', f), 'utf8').includes(KEY));
  });

  it('remixes into a new tracked task and removes tasks from the history', async () => {
    const engine = make(new FakeApi(1000)); // nothing finishes during this test
    await engine.start();
    const original = await engine.generate({ prompt: 'dancer', private: false }, 'test');
    const remix = await engine.remix(original.id, 'purple', 'test');
    assert.equal(remix.remixOf, original.id);
    assert.equal(remix.params.prompt, 'purple');
    const removed: string[] = [];
    engine.onDidRemove((id) => removed.push(id));
    const waiting = engine.waitFor(original.id, { timeoutMs: 60 * 60_000 });
    await engine.remove(original.id);
    assert.equal((await waiting).removed, true, 'a wait on a removed task ends');
    assert.deepEqual(removed, [original.id]);
    assert.equal(engine.get(original.id), undefined);
    assert.deepEqual(engine.list({}).map((t) => t.id), [remix.id]);
  });
});
