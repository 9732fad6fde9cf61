import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EngineOptions } from '../../../src/core/engine';
import { DownloadError, type DownloadOptions } from '../../../src/core/downloader';
import { LeaseFolderError } from '../../../src/core/leases';
import { videoFileName } from '../../../src/core/naming';
import { validateGenerationParams } from '../../../src/core/params';
import { TaskStore } from '../../../src/core/store';
import type { TaskRecord } from '../../../src/core/types';
import { JuxinError } from '../../../src/juxin/errors';
import type { GenerationParams, JuxinApi, NormalizedTask } from '../../../src/juxin/types';
import { IMAGES, imageBytes } from '../../fixtures/images';
import type { TestClock } from '../../helpers/clock';
import { EngineFixture } from '../../helpers/engine';
import { waitUntil } from '../../helpers/wait';

const KEY = 'sk-test-not-a-real-key-0001';

/** A Juxin that finishes each task after `queries` status queries. */
class FakeApi implements JuxinApi {
  queries = new Map<string, number>();
  creates = 0;
  failWith?: JuxinError;
  constructor(public doneAfter = 3) {}
  async createVideo(params: GenerationParams): Promise<NormalizedTask> {
    this.creates++;
    return { id: `sora-2:task_${this.creates}_${params.prompt.length}`, status: 'queued', progress: 0, rawStatus: 'pending' };
  }
  attempts = 0;
  /** Answers a query instead of the script above when set: a value is returned, an Error thrown. */
  answer?: (id: string, attempt: number) => NormalizedTask | Error | undefined;
  async queryVideo(id: string): Promise<NormalizedTask> {
    this.attempts++;
    if (this.failWith) throw this.failWith;
    const scripted = this.answer?.(id, this.attempts);
    if (scripted instanceof Error) throw scripted;
    if (scripted) return scripted;
    const n = (this.queries.get(id) ?? 0) + 1;
    this.queries.set(id, n);
    if (n >= this.doneAfter)
      return { id, status: 'completed', progress: 100, rawStatus: 'completed', videoUrl: `https://cdn.test/${encodeURIComponent(id)}.mp4?n=${n}` };
    return { id, status: 'processing', progress: (100 * n) / this.doneAfter - (n === 2 ? 50 : 0), rawStatus: 'in_progress' };
  }
  async remixVideo(id: string, _prompt?: string): Promise<NormalizedTask> {
    return { id: `video_remix_of_${id}`, status: 'queued', progress: 0, rawStatus: 'queued', remixedFrom: id };
  }
  characters: unknown[] = [];
  async createCharacter(source: unknown, timestamps: string) {
    this.characters.push({ source, timestamps });
    return { id: 'ch_1', username: 'abc.def' };
  }
  async listModels() {
    return [];
  }
  downloadHeaders() {
    return {};
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

/** Other processes' changes reach an engine through its file watcher (real events): this long at most, well before its 15 s rescan. */
const WATCHER_MS = 10_000;
/** The longest a tracking loop sleeps (the planner's 2 min, plus a failure's backoff): a run may jump that far, no further, while another process is expected to act. */
const TRACKER_STEP_MS = 5 * 60_000;

// Every engine here runs on the fixture's TestClock: tracking minutes pass when the test lets them
// (`clock.run`), exactly, whatever the machine's speed.
describe('core/engine', function () {
  // Real file I/O under simulated time: a busy machine is slower, never different. The deadline only bounds a failure.
  this.timeout(300_000);
  let f: EngineFixture;
  let home: string;
  let clock: TestClock;
  const make = (api: JuxinApi, download = fakeDownload({ calls: [] }), more: Partial<EngineOptions> = {}) =>
    f.engine({ api, minPollIntervalMs: 1000, maxRequestsPerSecond: 50, download, ...more });

  beforeEach(async () => {
    f = await EngineFixture.create({ prefix: 'engine-test' });
    home = f.home;
    clock = f.clock;
  });
  afterEach(() => f.close());

  it('creates, tracks with progress that never goes backwards, and downloads at once', async () => {
    const engine = make(new FakeApi(4));
    await engine.start();
    const seen: number[] = [];
    engine.onDidChange((t) => seen.push(t.progress));
    const task = await engine.generate({ prompt: 'a boat' }, 'test');
    assert.equal(task.params.private, true, 'defaults applied');
    const { task: done, timedOut } = await clock.run(engine.waitFor(task.id, { timeoutMs: 60 * 60_000 }));
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
    const { task: done } = await clock.run(second.waitFor(task.id, { timeoutMs: 60 * 60_000 }));
    assert.equal(done.download.state, 'done');
    assert.equal(calls.calls.length, 1);
  });

  it('asks for a fresh URL once when the signed one expired', async () => {
    const state = { calls: [] as string[], expiredOnce: true };
    const engine = make(new FakeApi(2), fakeDownload(state));
    await engine.start();
    const task = await engine.generate({ prompt: 'late' }, 'test');
    const { task: done } = await clock.run(engine.waitFor(task.id, { timeoutMs: 60 * 60_000 }));
    assert.equal(done.download.state, 'done');
    assert.equal(state.calls.length, 2);
    assert.notEqual(state.calls[0], state.calls[1], 'the second try used a new URL');
  });

  it('stops waiting at the timeout or when aborted, while tracking goes on', async () => {
    const engine = make(new FakeApi(1000));
    await engine.start();
    const task = await engine.generate({ prompt: 'slow' }, 'test');
    const timed = await clock.run(engine.waitFor(task.id, { timeoutMs: 5000 }));
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
    await clock.runUntil(() => api.attempts > 0, { what: 'the first query' });
    assert.equal(api.attempts, 1, 'it did ask, and got the 401');
    await clock.advance(10 * 60_000);
    assert.equal(api.attempts, 1, 'no more queries in ten minutes while paused');
    api.failWith = undefined;
    engine.resumeTracking();
    const { task: done } = await clock.run(engine.waitFor(task.id, { timeoutMs: 60 * 60_000 }));
    assert.equal(done.status, 'completed');
  });

  it('validates before sending anything, and never writes the key', async () => {
    const api = new FakeApi();
    const engine = make(api);
    await engine.start();
    await assert.rejects(engine.generate({ prompt: 'x', duration: 25 }, 'test'), /10 or 15/);
    await assert.rejects(engine.generate({ prompt: 'x', images: [path.join(home, 'missing.png')] }, 'test'), /missing\.png.*cannot be used/);
    assert.equal(api.creates, 0);
    await engine.generate({ prompt: 'fine' }, 'test');
    for (const f of readdirSync(path.join(home, 'tasks'))) assert.ok(!readFileSync(path.join(home, 'tasks', f), 'utf8').includes(KEY));
  });

  it('remixes into a new tracked task and removes tasks from the history', async () => {
    const api = new FakeApi(1);
    const engine = make(api);
    await engine.start();
    const original = await engine.generate({ prompt: 'dancer', private: false }, 'test');
    await clock.run(engine.waitFor(original.id, { timeoutMs: 60 * 60_000 }));
    api.doneAfter = 1000; // the remix does not finish during this test
    const remix = await engine.remix(original.id, 'purple', 'test');
    assert.equal(remix.remixOf, original.id);
    assert.equal(remix.params.prompt, 'purple');
    const removed: string[] = [];
    engine.onDidRemove((id) => removed.push(id));
    const waiting = engine.waitFor(remix.id, { timeoutMs: 60 * 60_000 });
    await engine.remove(remix.id);
    assert.equal((await waiting).removed, true, 'a wait on a removed task ends');
    assert.deepEqual(removed, [remix.id]);
    assert.equal(engine.get(remix.id), undefined);
    assert.deepEqual(
      engine.list({}).map((t) => t.id),
      [original.id],
    );
  });

  it('checks a remix before the paid request: a task of the history, finished, public, and a prompt within the rules', async () => {
    const api = new FakeApi(1);
    let remixes = 0;
    const remixVideo = api.remixVideo.bind(api);
    api.remixVideo = async (id: string) => {
      remixes++;
      return remixVideo(id);
    };
    const engine = make(api);
    await engine.start();
    const open = await engine.generate({ prompt: 'public', private: false }, 'test');
    const closed = await engine.generate({ prompt: 'private' }, 'test');
    await clock.run(Promise.all([open, closed].map((t) => engine.waitFor(t.id, { timeoutMs: 60 * 60_000 }))));
    await assert.rejects(engine.remix(open.id, 'x'.repeat(5009), 'test'), /5009 characters/);
    await assert.rejects(engine.remix(open.id, '   ', 'test'), /prompt is empty/);
    await assert.rejects(engine.remix('..', 'purple', 'test'), /not in the history/);
    await assert.rejects(engine.remix('.', 'purple', 'test'), /not in the history/);
    await assert.rejects(engine.remix(closed.id, 'purple', 'test'), /private/);
    api.doneAfter = 1000;
    const running = await engine.generate({ prompt: 'running', private: false }, 'test');
    await assert.rejects(engine.remix(running.id, 'purple', 'test'), /only a finished video/);
    assert.equal(remixes, 0, 'nothing was sent, so nothing was billed');
  });

  it('validates once with the user defaults, and hands the client the image bytes it checked', async () => {
    const api = new FakeApi(1000);
    const seen: { params: GenerationParams; images?: readonly { path: string; data: Uint8Array }[] }[] = [];
    api.createVideo = async (params: GenerationParams, options?: { images?: readonly { path: string; data: Uint8Array }[] }) => {
      seen.push({ params, images: options?.images });
      return { id: `sora-2:task_${seen.length}`, status: 'queued', progress: 0, rawStatus: 'pending' };
    };
    const engine = make(api, undefined, { defaults: () => ({ model: 'sora-2-pro', duration: 25, orientation: 'portrait' }) });
    await engine.start();
    const task = await engine.generate({ prompt: 'from the settings', images: [IMAGES.png.path] }, 'test');
    assert.deepEqual([task.params.model, task.params.duration, task.params.orientation], ['sora-2-pro', 25, 'portrait']);
    assert.deepEqual([seen[0].params.model, seen[0].params.duration], ['sora-2-pro', 25]);
    assert.equal(seen[0].images?.length, 1);
    assert.equal(seen[0].images![0].path, IMAGES.png.path);
    assert.ok(Buffer.from(seen[0].images![0].data).equals(imageBytes('png')));
    const explicit = await engine.generate({ prompt: 'explicit', model: 'sora-2', duration: 15 }, 'test');
    assert.deepEqual([explicit.params.model, explicit.params.duration, explicit.params.orientation], ['sora-2', 15, 'portrait']);
  });

  it('remixes only tasks in its history: an unknown id or a path trick reaches no endpoint', async () => {
    const api = new FakeApi(1000);
    const remixed: string[] = [];
    api.remixVideo = async (id: string) => {
      remixed.push(id);
      return { id: `video_remix_of_${id}`, status: 'queued', progress: 0, rawStatus: 'queued' };
    };
    const engine = make(api);
    await engine.start();
    for (const id of ['video_not_in_history', '..', '.']) {
      await assert.rejects(
        engine.remix(id, 'purple', 'test'),
        (e: unknown) => e instanceof JuxinError && e.kind === 'not_found' && /list_videos|history/.test(e.message),
      );
    }
    assert.deepEqual(remixed, []);
    assert.equal(engine.list({}).length, 0);
  });

  it('gives up on a task Juxin never finishes, and says so', async () => {
    const engine = make(new FakeApi(1_000_000), undefined, { maxTaskAgeMs: 10 * 60_000 });
    await engine.start();
    const task = await engine.generate({ prompt: 'forever' }, 'test');
    const { task: done } = await clock.run(engine.waitFor(task.id, { timeoutMs: 24 * 60 * 60_000 }));
    assert.equal(done.status, 'failed');
    assert.match(done.failureReason!, /did not finish the task within 10 minutes/);
    assert.ok(clock.now() - task.createdAt >= 10 * 60_000, 'and not before');
  });

  it('marks a task failed after Juxin answers 404 five times in a row, and keeps the last problem on the record meanwhile', async () => {
    const api = new FakeApi();
    api.answer = () => new JuxinError('not_found', 'Juxin answered 404 (not found).');
    const engine = make(api);
    await engine.start();
    const task = await engine.generate({ prompt: 'gone' }, 'test');
    const problems: string[] = [];
    engine.onDidChange((t) => t.lastError && problems.push(t.lastError.kind));
    const { task: done } = await clock.run(engine.waitFor(task.id, { timeoutMs: 24 * 60 * 60_000 }));
    assert.equal(done.status, 'failed');
    assert.match(done.failureReason!, /no longer knows this task/);
    assert.equal(api.attempts, 5);
    assert.deepEqual(problems, ['not_found', 'not_found', 'not_found', 'not_found'], 'the first four are shown as tracking problems');
  });

  it('keeps tracking through an unexpected error in a query', async () => {
    const api = new FakeApi(2);
    api.answer = (_id, attempt) => (attempt === 1 ? new TypeError('socket hang up') : undefined);
    const engine = make(api);
    await engine.start();
    const task = await engine.generate({ prompt: 'bumpy' }, 'test');
    const { task: done } = await clock.run(engine.waitFor(task.id, { timeoutMs: 24 * 60 * 60_000 }));
    assert.equal(done.download.state, 'done');
    assert.ok(api.attempts >= 3);
  });

  it('records a failed download without a video URL, a broken one, and an expired one, each settled', async () => {
    const api = new FakeApi();
    api.answer = (id) => ({
      id,
      status: 'completed',
      progress: 100,
      rawStatus: 'completed',
      ...(id.includes('nourl') ? {} : { videoUrl: `https://cdn.test/${id}` }),
    });
    const broken = async (o: DownloadOptions) => {
      throw new DownloadError(o.url.includes('expired') ? 'the video link was refused (403)' : 'the video server answered 500', o.url.includes('expired'));
    };
    const engine = make(api, broken);
    await engine.start();
    const outcome = async (prompt: string) => {
      const task = await engine.generate({ prompt }, 'test');
      return (await clock.run(engine.waitFor(task.id, { timeoutMs: 24 * 60 * 60_000 }))).task.download;
    };
    // Ids that say what the fake download should do.
    api.createVideo = async (params) => ({ id: `sora-2:task_${params.prompt}`, status: 'queued', progress: 0, rawStatus: 'pending' });
    const noUrl = await outcome('nourl');
    assert.equal(noUrl.state, 'failed');
    assert.match(noUrl.error!, /^Juxin gave no video URL for this task\. Try Download again later/, 'the reason, then what to do');
    const brokenDl = await outcome('broken');
    assert.equal(brokenDl.state, 'failed');
    assert.match(brokenDl.error!, /answered 500/);
    const expired = await outcome('expired');
    assert.equal(expired.state, 'expired', 'an expired link, refreshed once and refused again');
  });

  it('links a finished video to one clip of one storyboard, and never takes it from another', async () => {
    const engine = make(new FakeApi(2));
    await engine.start();
    const task = await engine.generate({ prompt: 'a door' }, 'test');
    const link = { file: 'films/a.storyboard.md', clipId: 'c4', fingerprint: 'f1' };
    assert.deepEqual((await engine.linkToStoryboard(task.id, link)).storyboard, link);
    const reread = await f.started({ api: new FakeApi() });
    assert.deepEqual(reread.get(task.id)?.storyboard, link, 'kept in the shared history');
    assert.deepEqual((await engine.linkToStoryboard(task.id, { ...link, fingerprint: 'f2' })).storyboard?.fingerprint, 'f2', 'the same clip may be re-linked');
    await assert.rejects(engine.linkToStoryboard(task.id, { ...link, file: 'films/b.storyboard.md' }), /already clip c4 of films\/a\.storyboard\.md/);
    await assert.rejects(engine.linkToStoryboard(task.id, { ...link, clipId: 'c5' }), /already clip c4/);
    await assert.rejects(engine.linkToStoryboard('sora-2:task_unknown', link), /not in the history/);
    assert.equal(engine.get(task.id)?.storyboard?.clipId, 'c4');
  });

  it('downloads again on request', async () => {
    const calls = { calls: [] as string[] };
    const engine = make(new FakeApi(1), fakeDownload(calls));
    await engine.start();
    const running = await engine.generate({ prompt: 'copy me' }, 'test');
    await assert.rejects(
      engine.download(running.id),
      (e: unknown) => e instanceof JuxinError && e.kind === 'bad_request' && /only a completed video/.test(e.message),
    );
    const { task } = await clock.run(engine.waitFor(running.id, { timeoutMs: 24 * 60 * 60_000 }));
    assert.equal(calls.calls.length, 1);

    rmSync(task.download.localPath!);
    const again = await engine.download(task.id);
    assert.equal(calls.calls.length, 2, 'a missing file is fetched again');
    assert.ok(existsSync(again.download.localPath!));

    await assert.rejects(engine.download('nope'), (e: unknown) => e instanceof JuxinError && e.kind === 'not_found');
  });

  it('refreshes a task on request, and creates characters through the same rate cap', async () => {
    const api = new FakeApi(1000);
    // The clock stands still (nothing advances it here): no tracking query can slip in between the counts below.
    const engine = make(api);
    await engine.start();
    const task = await engine.generate({ prompt: 'look now' }, 'test');
    const before = api.attempts;
    const fresh = await engine.refresh(task.id);
    assert.equal(api.attempts, before + 1);
    assert.equal(fresh.status, 'processing');
    await assert.rejects(engine.refresh('unknown'), (e: unknown) => e instanceof JuxinError && e.kind === 'not_found');
    assert.deepEqual(await engine.createCharacter({ fromTask: task.id }, '1,3'), { id: 'ch_1', username: 'abc.def' });
    assert.deepEqual(api.characters, [{ source: { fromTask: task.id }, timestamps: '1,3' }]);
  });

  it('picks up what another process added to the same history', async () => {
    const api = new FakeApi(1000);
    const mine = make(api);
    const theirs = make(api);
    await Promise.all([mine.start(), theirs.start()]);
    const added: string[] = [];
    mine.onDidChange((t) => added.push(t.id));
    const task = await theirs.generate({ prompt: 'from the other window' }, { kind: 'mcp', client: 'Cursor', host: 'stdio' });
    // (Its file watcher may have brought it already: a reload is the way to be sure now.)
    await mine.reload();
    assert.deepEqual(mine.get(task.id)?.origin, { kind: 'mcp', client: 'Cursor', host: 'stdio' });
    assert.deepEqual(
      added.filter((id) => id === task.id),
      [task.id],
      'announced once, whichever way it came',
    );
    await mine.reload();
    assert.deepEqual(
      added.filter((id) => id === task.id),
      [task.id],
      'an unchanged record is not announced again',
    );
  });

  it("keeps a video an earlier owner already saved (no second copy) and clears its dead attempts' temporary files", async () => {
    const api = new FakeApi(1000);
    const calls = { calls: [] as string[] };
    const engine = make(api, fakeDownload(calls));
    await engine.start();
    const task = await engine.generate({ prompt: 'saved before the crash' }, 'test');
    const videos = path.join(home, 'videos');
    mkdirSync(videos, { recursive: true });
    // What a process killed between saving the file and recording it leaves behind.
    const name = videoFileName(task);
    writeFileSync(path.join(videos, name), Buffer.from('00000018667479706d7034320000000069736f6d', 'hex'));
    writeFileSync(path.join(videos, `${name}.0a1b2c3d4e5f.part`), 'half of another attempt');
    api.doneAfter = 1;
    const { task: done } = await clock.run(engine.waitFor(task.id, { timeoutMs: 60 * 60_000 }));
    assert.equal(done.download.state, 'done');
    assert.equal(done.download.localPath, path.join(videos, name));
    assert.deepEqual(calls.calls, [], 'nothing downloaded again');
    assert.deepEqual(readdirSync(videos), [name], 'no copy, no temporary file');
  });

  it('asks about a new task within 20 s on a relay it knows nothing of (a fast relay may be done in a minute), and carries what it learns', async () => {
    const engine = make(new FakeApi(1000), undefined, { minPollIntervalMs: 5000 });
    await engine.start();
    const created = clock.now();
    await engine.generate({ prompt: 'quick' }, 'test');
    await clock.settle(); // its lease taken, tracking started
    assert.equal(clock.pendingSleeps, 1, 'tracking sleeps until its first query');
    const firstQueryIn = clock.nextDeadline()! - created;
    assert.ok(firstQueryIn >= 5000 && firstQueryIn <= 20_000, `first query after ${firstQueryIn} ms`);

    const learned = { version: 1, queues: [120_000, 150_000], generations: [80_000, 95_000], etaEarliness: [], progress: [true, true] };
    const next = make(new FakeApi(1000), undefined, { pollStats: learned });
    assert.deepEqual(next.pollStats(), learned, 'an engine starts from saved stats and hands them back as JSON');
  });

  it('shows download progress live, at most twice a second', async () => {
    const api = new FakeApi(1);
    // Five bursts of twenty chunks, a simulated second apart.
    const slow = async (o: DownloadOptions) => {
      for (let burst = 0; burst < 5; burst++) {
        for (let chunk = 1; chunk <= 20; chunk++) o.onProgress?.((burst * 20 + chunk) * 1000, 100_000);
        await o.clock!.sleep(1000, o.signal);
      }
      const file = path.join(o.destDir, o.fileName);
      writeFileSync(file, Buffer.from('00000018667479706d703432', 'hex'));
      return { path: file, bytes: 100_000 };
    };
    const engine = make(api, slow);
    await engine.start();
    const task = await engine.generate({ prompt: 'bytes' }, 'test');
    const seen: number[] = [];
    engine.onDidChange((t) => t.id === task.id && t.download.state === 'downloading' && t.download.bytes && seen.push(t.download.bytes));
    await clock.run(engine.waitFor(task.id, { timeoutMs: 24 * 60 * 60_000 }));
    // A hundred chunks: the first of each burst is shown (they are a second apart), the rest fall within half a second of it.
    assert.deepEqual(seen, [1000, 21_000, 41_000, 61_000, 81_000]);
  });

  it('keeps the characters it creates, and the storyboard clip a task was made for, in the shared history', async () => {
    const engine = make(new FakeApi(1000));
    await engine.start();
    await engine.createCharacter({ url: 'https://example.com/cat.mp4' }, '1,3');
    const other = make(new FakeApi(1000));
    const [kept] = await other.characters();
    assert.equal(kept.username, 'abc.def');
    assert.deepEqual(kept.source, { url: 'https://example.com/cat.mp4' });
    assert.equal(kept.timestamps, '1,3');
    const link = { file: 'films/dawn.storyboard.md', clipId: 'c2', fingerprint: 'v1-abc' };
    const task = await engine.generate({ prompt: 'clip two' }, { kind: 'storyboard', storyboard: link.file, host: 'vscode' }, { storyboard: link });
    assert.deepEqual((await new TaskStore(home).get(task.id))?.storyboard, link);
    assert.deepEqual(task.origin, { kind: 'storyboard', storyboard: 'films/dawn.storyboard.md', host: 'vscode' });
  });

  it('keeps a task the relay accepted although its first write to disk failed, tracks it, and saves it later', async () => {
    const store = new TaskStore(home);
    let failures = 1;
    const put = store.put.bind(store);
    store.put = async (record) => {
      if (failures-- > 0) throw new Error('EIO: the disk said no');
      return put(record);
    };
    const engine = make(new FakeApi(1000), undefined, { store });
    await engine.start();
    const task = await engine.generate({ prompt: 'paid for, so never lost' }, 'test');
    assert.equal(engine.get(task.id)?.params.prompt, 'paid for, so never lost', 'in the history at once');
    assert.equal(await new TaskStore(home).get(task.id), undefined, 'not on disk yet');
    // The retry comes a couple of seconds later: then it is on disk too.
    await clock.advance(2000);
    assert.equal((await new TaskStore(home).get(task.id))?.id, task.id, 'saved on a later try');
  });

  it('refuses to create (and pay for) a task no process could follow, when the lease folder cannot be used', async () => {
    // Something that is not a folder where the leases go (a restore gone wrong, a sync client's stub).
    writeFileSync(path.join(home, 'leases'), 'not a folder');
    const api = new FakeApi(2);
    const engine = make(api);
    await engine.start();
    await assert.rejects(engine.generate({ prompt: 'a boat' }, 'test'), (error: unknown) => {
      assert.ok(error instanceof LeaseFolderError, String(error));
      assert.match(error.message, /leases" cannot be used \(EEXIST\), and without it no process could follow a new video, so nothing was sent/);
      assert.match(error.messageZh, /没有发送任何请求/);
      return true;
    });
    assert.equal(api.creates, 0, 'nothing paid');
    assert.deepEqual(engine.list({}), [], 'nothing recorded');
    // Fixed: the next generation goes through and is followed to the end.
    rmSync(path.join(home, 'leases'));
    const task = await engine.generate({ prompt: 'a boat' }, 'test');
    const { task: done } = await clock.run(engine.waitFor(task.id, { timeoutMs: 60 * 60_000 }));
    assert.equal(done.download.state, 'done');
  });

  describe('several processes on one home', () => {
    /** The same fake Juxin, counting which engine asked. */
    const counting = (api: FakeApi, counter: { n: number }): JuxinApi => ({
      createVideo: (p) => api.createVideo(p),
      queryVideo: (id) => {
        counter.n++;
        return api.queryVideo(id);
      },
      remixVideo: (id, prompt) => api.remixVideo(id, prompt),
      createCharacter: (source, ts) => api.createCharacter(source, ts),
      listModels: () => api.listModels(),
      downloadHeaders: () => api.downloadHeaders(),
    });

    it('one of them tracks and downloads a task; the other follows it through the store', async () => {
      const api = new FakeApi(4);
      const [countA, countB] = [{ n: 0 }, { n: 0 }];
      const downloads = { calls: [] as string[] };
      const a = make(counting(api, countA), fakeDownload(downloads), { leaseMs: 2000 });
      const b = make(counting(api, countB), fakeDownload(downloads), { leaseMs: 2000 });
      await Promise.all([a.start(), b.start()]);
      const task = await a.generate({ prompt: 'shared' }, 'test');
      const seenByB: string[] = [];
      b.onDidChange((t) => t.id === task.id && seenByB.push(t.status));
      await waitUntil(() => b.get(task.id), WATCHER_MS, 'the task in the other process');
      // b hears of every change through the store (real file events): time never jumps past them.
      const [doneA, doneB] = await clock.run(Promise.all([a, b].map((e) => e.waitFor(task.id, { timeoutMs: 60 * 60_000 }))), { maxStepMs: TRACKER_STEP_MS });
      assert.equal(doneA.task.download.state, 'done');
      assert.equal(doneB.task.download.state, 'done', 'the other process saw it finish');
      assert.equal(countB.n, 0, 'the other process never asked Juxin about it');
      assert.equal(countA.n, 4);
      assert.equal(downloads.calls.length, 1, 'downloaded once');
      assert.ok(seenByB.includes('completed'));
    });

    it('a task created in one appears in the other by its file watcher, without a reload', async () => {
      const a = make(new FakeApi(1000));
      const b = make(new FakeApi(1000));
      await Promise.all([a.start(), b.start()]);
      const task = await a.generate({ prompt: 'hello from window A' }, { kind: 'palette', host: 'vscode' });
      // (How soon is measured by the integration test of several processes, not asserted here.)
      await waitUntil(() => b.get(task.id), WATCHER_MS, 'the new task listed by the other');
      await a.remove(task.id);
      await waitUntil(() => !b.get(task.id), WATCHER_MS, 'the removal to reach the other');
    });

    it('when the owner stops, another process takes the task over and finishes it', async () => {
      const api = new FakeApi(30);
      const [countA, countB] = [{ n: 0 }, { n: 0 }];
      const a = make(counting(api, countA), undefined, { leaseMs: 2000 });
      const b = make(counting(api, countB), undefined, { leaseMs: 2000 });
      await Promise.all([a.start(), b.start()]);
      const task = await a.generate({ prompt: 'orphan' }, 'test');
      await clock.runUntil(() => countA.n >= 1 && b.get(task.id) !== undefined, { maxStepMs: TRACKER_STEP_MS, what: 'a first query, and the task in b' });
      await a.dispose();
      // b takes the task over once it sees the lease free (a real timer of b's): time never jumps past that.
      const { task: done } = await clock.run(b.waitFor(task.id, { timeoutMs: 24 * 60 * 60_000 }), { maxStepMs: TRACKER_STEP_MS });
      assert.equal(done.download.state, 'done');
      assert.ok(countB.n >= 1, 'the survivor asked about it');
      assert.equal(countA.n + countB.n, 30, `queried as often as by one process (${countA.n} + ${countB.n})`);
    });

    it('a task removed in one process stays removed, although its owner in another was updating it', async () => {
      const a = make(new FakeApi(1000), undefined, { leaseMs: 2000 });
      const b = make(new FakeApi(1000), undefined, { leaseMs: 2000 });
      await Promise.all([a.start(), b.start()]);
      const task = await a.generate({ prompt: 'remove me while tracked' }, 'test');
      await waitUntil(() => b.get(task.id), WATCHER_MS, 'the task in the other process');
      await b.remove(task.id);
      // The owner's tracking wakes and queries (its first query is due within 20 s); none of it may bring the record back.
      await clock.advance(5 * 60_000);
      assert.equal(a.get(task.id), undefined, 'the owner dropped it');
      assert.equal(b.get(task.id), undefined);
      assert.equal((await new TaskStore(home).load()).length, 0, 'not on disk either');
    });

    it('concurrent status checks of one task share one request', async () => {
      const api = new FakeApi(1000);
      const count = { n: 0 };
      // The clock does not move (nothing advances it here): the tracker never wakes, so every query here is a status check's.
      const engine = make(counting(api, count));
      await engine.start();
      const task = await engine.generate({ prompt: 'popular' }, 'test');
      const before = count.n;
      const results = await Promise.all(Array.from({ length: 10 }, () => engine.refresh(task.id)));
      assert.equal(count.n - before, 1, 'one query for ten callers');
      assert.ok(results.every((r) => r.id === task.id));
    });
  });

  describe('starting on a history with an index', () => {
    /** A store whose check of every file waits until released (10,000 records on a slow disk). */
    class SlowStore extends TaskStore {
      release!: () => void;
      private readonly gate = new Promise<void>((r) => (this.release = r));
      override async load() {
        await this.gate;
        return super.load();
      }
    }
    const running = (id: string, createdAt: number) =>
      ({
        id,
        source: 'test',
        createdAt,
        updatedAt: createdAt,
        params: { ...validateGenerationParams({ prompt: id }) },
        status: 'processing',
        progress: 10,
        download: { state: 'none' },
      }) satisfies TaskRecord;
    const done = (id: string, createdAt: number) =>
      ({ ...running(id, createdAt), status: 'completed', progress: 100, download: { state: 'failed', error: 'x' } }) satisfies TaskRecord;

    it('shows the history from its index before every file is checked; what the files say differently arrives as changes', async () => {
      const seed = new TaskStore(home);
      for (const [i, id] of ['a', 'b', 'c'].entries()) await seed.put(done(id, 1_000 + i));
      await seed.load(); // the index, as any earlier start leaves it
      const other = new TaskStore(home); // meanwhile another process changes the folder
      await other.update('a', (t) => ({ ...t!, progress: 99, params: { ...t!.params, prompt: 'changed elsewhere' } }));
      await other.remove('b');
      await other.put(done('d', 2_000));

      const store = new SlowStore(home);
      const engine = make(new FakeApi(), undefined, { store });
      const changed: string[] = [];
      const removed: string[] = [];
      engine.onDidChange((t) => changed.push(t.id));
      engine.onDidRemove((id) => removed.push(id));
      let ready = false;
      void engine.start().then(() => (ready = true));
      await engine.whenAvailable();
      assert.deepEqual(
        engine.list().map((t) => [t.id, t.params.prompt]),
        [
          ['c', 'c'],
          ['b', 'b'],
          ['a', 'a'],
        ],
        'as the index saved it, before any file is read',
      );
      assert.equal(engine.available, true);
      assert.equal(ready, false, 'tools still wait for every file');
      assert.deepEqual([changed, removed], [[], []]);
      store.release();
      await engine.whenReady();
      assert.deepEqual(
        engine.list().map((t) => [t.id, t.params.prompt]),
        [
          ['d', 'd'],
          ['c', 'c'],
          ['a', 'changed elsewhere'],
        ],
      );
      assert.deepEqual([changed.sort(), removed], [['a', 'd'], ['b']], 'each difference once, as a change from another process');
    });

    it('without an index, shows nothing before every file is read, then all of it at once', async () => {
      const seed = new TaskStore(home);
      for (const [i, id] of ['a', 'b'].entries()) await seed.put(done(id, 1_000 + i));
      const store = new SlowStore(home);
      const engine = make(new FakeApi(), undefined, { store });
      const changed: string[] = [];
      engine.onDidChange((t) => changed.push(t.id));
      let available = false;
      void engine.whenAvailable().then(() => (available = true));
      const started = engine.start();
      await new Promise((r) => setImmediate(r));
      assert.equal(available, false);
      store.release();
      await started;
      assert.equal(available, true);
      assert.deepEqual(
        engine.list().map((t) => t.id),
        ['b', 'a'],
      );
      assert.deepEqual(changed, [], 'a first read is no change');
    });

    it('takes over an unfinished task it finds while loading only once started (the host reads the key in between)', async () => {
      const seed = new TaskStore(home);
      await seed.put(done('a', 1_000));
      await seed.load();
      await new TaskStore(home).put(running('orphan', clock.now())); // written after the index, its process gone
      const api = new FakeApi(2);
      const engine = make(api);
      await engine.load();
      assert.equal(engine.get('orphan')?.status, 'processing', 'it arrived as a change while loading');
      // Nothing must happen here: whatever the loaded engine would do on its own (its real I/O, and ten
      // simulated minutes of anything it sleeps on) is let run, and no lease may come of it.
      const leases = () => (existsSync(path.join(home, 'leases')) ? readdirSync(path.join(home, 'leases')) : []);
      await clock.advance(10 * 60_000);
      assert.deepEqual(leases(), [], 'nobody took it before start');
      assert.equal(api.attempts, 0);
      await engine.start();
      const { task } = await clock.run(engine.waitFor('orphan', { timeoutMs: 60 * 60_000 }), { what: 'the orphan finished' });
      assert.equal(task.status, 'completed', 'taken over and finished once started');
    });
  });
});
