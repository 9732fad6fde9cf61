import assert from 'node:assert/strict';
import path from 'node:path';

import type { WaitOptions, WaitResult } from '../../../src/core/engine';
import { ParamError } from '../../../src/core/params';
import type { StoryboardLink, TaskRecord } from '../../../src/core/types';
import {
  ClipBatch,
  ImagesNotAllowedError,
  StoryboardBatches,
  generateStoryboard,
  type ClipEngine,
  type ClipJob,
  type StoryboardEngine,
} from '../../../src/storyboard';
import { taskRecord } from '../../fixtures/tasks';

/** An engine whose tasks settle when the test says so; it records what was generated and how much ran at once. */
class FakeEngine implements ClipEngine, StoryboardEngine {
  readonly created: { input: Record<string, unknown>; link: StoryboardLink; id: string }[] = [];
  readonly tasks: TaskRecord[] = [];
  private readonly waiting = new Map<string, (r: WaitResult) => void>();
  running = 0;
  most = 0;
  failOn = new Set<string>();

  async generate(input: Record<string, unknown>, _origin: unknown, extra: { storyboard: StoryboardLink }): Promise<TaskRecord> {
    await Promise.resolve();
    if (this.failOn.has(extra.storyboard.clipId)) throw new ParamError('prompt', `clip ${extra.storyboard.clipId} refused`, '拒绝');
    const id = `task_${this.created.length + 1}`;
    this.created.push({ input, link: extra.storyboard, id });
    const task = taskRecord({ id, storyboard: extra.storyboard, status: 'processing' });
    this.tasks.push(task);
    this.running++;
    this.most = Math.max(this.most, this.running);
    return task;
  }

  waitFor(id: string, options: WaitOptions): Promise<WaitResult> {
    return new Promise((resolve) => {
      const task = this.tasks.find((t) => t.id === id)!;
      const done = (r: WaitResult) => {
        this.waiting.delete(id);
        this.running--;
        resolve(r);
      };
      this.waiting.set(id, done);
      options.signal?.addEventListener('abort', () => done({ task, timedOut: false, aborted: true }), { once: true });
    });
  }

  list(): TaskRecord[] {
    return this.tasks;
  }

  /** Within the limits (the real check is tested with the engine). */
  approveBatch(_requests: unknown, approve: StoryboardEngine['approveBatch'] extends (r: never, a: infer A) => unknown ? A : never) {
    return Promise.resolve(approve);
  }

  /** Settles the oldest task still waited for. */
  async finishNext(): Promise<void> {
    await tick();
    const [id, done] = [...this.waiting.entries()][0] ?? [];
    assert.ok(id && done, 'a task is waiting');
    const task = this.tasks.find((t) => t.id === id)!;
    Object.assign(task, { status: 'completed', progress: 100, download: { state: 'done', localPath: `/v/${id}.mp4` } });
    done({ task, timedOut: false });
    await tick();
  }

  get waitingCount(): number {
    return this.waiting.size;
  }
}

const tick = () => new Promise((r) => setImmediate(r));

function job(clipId: string, images: string[] = []): ClipJob {
  return {
    clipId,
    index: Number(clipId.slice(1)) - 1,
    label: clipId,
    params: { prompt: `shots of ${clipId}`, model: 'sora-2', orientation: 'landscape', size: 'small', duration: 10, images },
    fingerprint: `v1-${clipId}`,
  };
}

const ORIGIN = { kind: 'storyboard' as const, storyboard: 'film.storyboard.md', host: 'vscode' as const };
const options = (engine: FakeEngine, extra: Partial<ConstructorParameters<typeof ClipBatch>[1]> = {}) => ({
  engine,
  fileKey: 'film.storyboard.md',
  baseDir: path.resolve('/work/films'),
  origin: ORIGIN,
  maxInFlight: 2,
  ...extra,
});

describe('storyboard: generating clips as a batch', () => {
  it('keeps at most maxInFlight clips in flight; each finished clip lets the next one start', async () => {
    const engine = new FakeEngine();
    const batch = new ClipBatch(
      ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => job(id)),
      options(engine),
    );
    await tick();
    assert.deepEqual(
      engine.created.map((c) => c.link.clipId),
      ['c1', 'c2'],
    );
    await engine.finishNext();
    assert.deepEqual(
      engine.created.map((c) => c.link.clipId),
      ['c1', 'c2', 'c3'],
    );
    for (let i = 0; i < 4; i++) await engine.finishNext();
    const runs = await batch.done;
    assert.equal(engine.most, 2);
    assert.deepEqual(
      runs.map((r) => r.state),
      ['settled', 'settled', 'settled', 'settled', 'settled'],
    );
    assert.deepEqual(engine.created[0].link, { file: 'film.storyboard.md', clipId: 'c1', fingerprint: 'v1-c1' }, 'every task records its clip');
  });

  it('goes on when one clip cannot be started, and says why for that clip', async () => {
    const engine = new FakeEngine();
    engine.failOn.add('c2');
    const batch = new ClipBatch(
      ['c1', 'c2', 'c3'].map((id) => job(id)),
      options(engine),
    );
    await tick();
    await engine.finishNext();
    await engine.finishNext();
    const runs = await batch.done;
    assert.deepEqual(
      runs.map((r) => r.state),
      ['settled', 'error', 'settled'],
    );
    assert.ok(runs[1].error instanceof ParamError);
  });

  it('sends images written relative to the storyboard as absolute paths, URLs as they are', async () => {
    const engine = new FakeEngine();
    new ClipBatch([job('c1', ['refs/door.png', 'https://example.com/a.png'])], options(engine));
    await tick();
    assert.deepEqual(engine.created[0].input.images, [path.resolve('/work/films/refs/door.png'), 'https://example.com/a.png']);
  });

  it('cancelling starts no more clips; the ones in flight are left to the engine', async () => {
    const engine = new FakeEngine();
    const batch = new ClipBatch(
      ['c1', 'c2', 'c3'].map((id) => job(id)),
      options(engine, { maxInFlight: 1 }),
    );
    await tick();
    batch.cancel();
    const runs = await batch.done;
    assert.deepEqual(
      runs.map((r) => r.state),
      ['settled', 'cancelled', 'cancelled'],
    );
    assert.equal(engine.created.length, 1);
  });

  it('skips a clip that no longer needs a video when its turn comes', async () => {
    const engine = new FakeEngine();
    const batch = new ClipBatch(
      ['c1', 'c2'].map((id) => job(id)),
      options(engine, { maxInFlight: 1, stillNeeded: (j) => j.clipId !== 'c2' }),
    );
    await engine.finishNext();
    const runs = await batch.done;
    assert.deepEqual(
      runs.map((r) => r.state),
      ['settled', 'skipped'],
    );
    assert.equal(engine.created.length, 1);
  });

  it('a second request for the same storyboard joins its running batch instead of starting clips twice', async () => {
    const engine = new FakeEngine();
    const batches = new StoryboardBatches();
    const first = batches.run([job('c1'), job('c2')], options(engine, { maxInFlight: 1 }));
    const second = batches.run([job('c2'), job('c3')], options(engine, { maxInFlight: 1 }));
    assert.equal(second, first);
    for (let i = 0; i < 3; i++) await engine.finishNext();
    await first.done;
    assert.deepEqual(
      engine.created.map((c) => c.link.clipId),
      ['c1', 'c2', 'c3'],
    );
    await tick();
    assert.equal(batches.get('film.storyboard.md'), undefined, 'a finished batch is forgotten');
  });

  it('generateStoryboard starts missing and out-of-date clips, or the ones asked for, and never a clip already in flight', async () => {
    const file = path.resolve('/work/films/film.storyboard.md');
    const text = '---\ntitle: T\n---\n## A {#c1}\nA street.\n## B {#c2}\nA door.\n## C {#c3}\nduration: 12\nBroken.\n';
    const engine = new FakeEngine();
    const batches = new StoryboardBatches();
    const request = { engine, batches, file, text, roots: [path.resolve('/work')], origin: ORIGIN, maxInFlight: 3 };
    const all = await generateStoryboard(request);
    assert.equal(all.state.key, 'films/film.storyboard.md');
    assert.deepEqual(
      all.targets.map((t) => t.clip.id),
      ['c1', 'c2'],
    );
    assert.deepEqual(
      all.skipped.map((s) => [s.plan.clip.id, s.why]),
      [['c3', 'invalid']],
    );
    await tick();
    assert.equal(engine.created.length, 2);
    const again = await generateStoryboard({ ...request, batches: new StoryboardBatches() });
    assert.deepEqual(again.targets, [], 'both clips are running now');
    assert.deepEqual(
      again.skipped.map((s) => s.why),
      ['running', 'running', 'invalid'],
    );
    const asked = await generateStoryboard({ ...request, clipIds: ['c2', 'c9'] });
    assert.deepEqual(asked.unknownIds, ['c9']);
    assert.deepEqual(
      asked.skipped.map((s) => s.why),
      ['running'],
    );
    await engine.finishNext();
    await engine.finishNext();
    const ready = await generateStoryboard({ ...request, clipIds: ['c1'] });
    assert.deepEqual(
      ready.skipped.map((s) => s.why),
      ['ready'],
      'a ready clip is not made again unless asked to',
    );
    const retake = await generateStoryboard({ ...request, clipIds: ['c1'], regenerate: true });
    assert.deepEqual(
      retake.targets.map((t) => t.clip.id),
      ['c1'],
    );
    await tick();
    assert.equal(engine.created.length, 3, 'a new take of c1');
  });

  it('generateStoryboard asks about each folder of local images before anything, then the spend, then lets the caller write, then sends', async () => {
    const file = path.resolve('/work/films/film.storyboard.md');
    const text =
      '---\ntitle: T\n---\n## A {#c1}\nimages: refs/door.png\nA street.\n## B {#c2}\nimages: /home/me/Private/me.jpg\nA door.\n## C {#c3}\nimages: refs/cup.png\nA cup.\n## D {#c4}\nimages: https://example.com/a.png\nA sky.\n';
    const engine = new FakeEngine();
    const steps: string[] = [];
    const approveBatch = engine.approveBatch.bind(engine);
    engine.approveBatch = (requests, approve) => (steps.push('spend'), approveBatch(requests, approve));
    const request = {
      engine,
      batches: new StoryboardBatches(),
      file,
      text,
      origin: ORIGIN,
      maxInFlight: 3,
      allowImageFolder: async (folder: string) => (steps.push(`folder ${folder}`), !folder.includes('Private')),
      beforeStart: async () => void steps.push('write'),
    };
    await assert.rejects(generateStoryboard(request), (e: unknown) => {
      assert.ok(e instanceof ImagesNotAllowedError);
      assert.equal(e.folder, path.resolve('/home/me/Private'));
      assert.match(e.message, /did not allow reading images from .*Private.*, so no clip was started/);
      assert.match(e.messageZh, /用户未允许读取文件夹/);
      return true;
    });
    assert.deepEqual(steps, [`folder ${path.resolve('/work/films/refs')}`, `folder ${path.resolve('/home/me/Private')}`], 'each folder once; a no stops there');
    await tick();
    assert.equal(engine.created.length, 0, 'nothing sent');

    steps.length = 0;
    const allowed = await generateStoryboard({ ...request, clipIds: ['c1', 'c3', 'c4'] });
    assert.deepEqual(steps, [`folder ${path.resolve('/work/films/refs')}`, 'spend', 'write'], 'URLs are not asked about; the write comes last');
    await tick();
    assert.deepEqual(
      engine.created.map((c) => c.link.clipId),
      ['c1', 'c3', 'c4'],
    );
    assert.equal(allowed.targets.length, 3);
  });
});
