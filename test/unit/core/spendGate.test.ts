import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { type EngineOptions, VideoEngine } from '../../../src/core/engine';
import { type SpendCheck, SpendLimitError, type SpendLimits } from '../../../src/core/spend';
import { type Reservation, SpendGate } from '../../../src/core/spendGate';
import { TaskStore } from '../../../src/core/store';
import type { GenerationParams, JuxinApi, NormalizedTask } from '../../../src/juxin/types';
import { generateStoryboard, StoryboardBatches } from '../../../src/storyboard';
import { TestClock } from '../../helpers/clock';
import { waitUntil } from '../../helpers/wait';

const ONE_A_DAY: SpendLimits = { dailyVideos: 1, dailySeconds: 0, prices: {} };

/**
 * A relay whose creates the test answers: each create waits until `landAll()`, so a create can be held
 * "on its way" while the test looks at what the other callers do meanwhile.
 */
class SlowRelay implements JuxinApi {
  creates: GenerationParams[] = [];
  private waiting: (() => void)[] = [];
  /** When false, creates answer at once. */
  hold = true;
  async createVideo(params: GenerationParams): Promise<NormalizedTask> {
    this.creates.push(params);
    const n = this.creates.length;
    if (this.hold) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return { id: `sora-2:task_gate${n}_${Math.random().toString(36).slice(2, 8)}`, status: 'queued', progress: 0, rawStatus: 'pending' };
  }
  landAll(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
  async queryVideo(id: string): Promise<NormalizedTask> {
    return { id, status: 'processing', progress: 10, rawStatus: 'in_progress' };
  }
  async remixVideo(): Promise<NormalizedTask> {
    throw new Error('not used');
  }
  async createCharacter(): Promise<never> {
    throw new Error('not used');
  }
  async listModels(): Promise<never> {
    throw new Error('not used');
  }
  downloadHeaders(): Record<string, string> {
    return {};
  }
}

/** The real events these tests wait for (file locks, another engine's create): a bound for a failure, generous for a busy machine. */
const REAL_MS = 30_000;

describe('core/spend gate: no request passes a limit, or is paid twice, without the lock', function () {
  this.timeout(120_000);
  let home: string;
  const engines: VideoEngine[] = [];
  /** One engine = one process on the shared home folder (each has its own memory, locks and watcher). */
  const make = (api: JuxinApi, limits: SpendLimits = ONE_A_DAY, more: Partial<EngineOptions> = {}) => {
    const engine = new VideoEngine({
      api: () => api,
      store: new TaskStore(home),
      videosDir: path.join(home, 'videos'),
      spendLimits: () => limits,
      maxRequestsPerSecond: 50,
      ...more,
    });
    engines.push(engine);
    return engine;
  };
  const lockDir = () => path.join(home, 'spend.lock');

  beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'spend-gate-'))));
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.dispose()));
    rmSync(home, { recursive: true, force: true, maxRetries: 5 });
  });

  it('refuses, with a clear error in both languages, when the spend lock cannot be taken: nothing sent, never passed unlocked', async () => {
    // Something that is not a lock sits where the lock goes (a stray file, left old): it cannot be taken over.
    writeFileSync(lockDir(), 'not a lock');
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(lockDir(), old, old);
    const relay = new SlowRelay();
    relay.hold = false;
    const engine = make(relay);
    await engine.start();
    const results = await Promise.allSettled([1, 2, 3].map((n) => engine.generate({ prompt: `at the limit ${n}` }, 'test')));
    assert.equal(relay.creates.length, 0, 'three concurrent calls at a limit of 1: none sent without the lock');
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      const error = (r as PromiseRejectedResult).reason as Error & { messageZh?: string };
      assert.match(error.message, /spend lock/i);
      assert.ok(error.message.includes(lockDir()), `names the lock: ${error.message}`);
      assert.match(error.message, /Nothing was sent/);
      assert.match(error.messageZh ?? '', /未发送任何请求/);
    }
  });

  it('takes over a lock whose holder died (stale), and still lets exactly one of three concurrent calls pass a limit of 1', async () => {
    // What a killed process leaves: the lock directory, no longer refreshed.
    mkdirSync(lockDir());
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(lockDir(), old, old);
    const relay = new SlowRelay();
    relay.hold = false;
    const engine = make(relay);
    await engine.start();
    const results = await Promise.allSettled([1, 2, 3].map((n) => engine.generate({ prompt: `after a crash ${n}` }, 'test')));
    assert.equal(relay.creates.length, 1, 'one paid');
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal(
      results.filter((r) => r.status === 'rejected' && r.reason instanceof SpendLimitError).length,
      2,
      `the others refused: over the limit (${results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'paid')).join(' | ')})`,
    );
  });

  it('waits for a live holder on the injected clock, then refuses: it never goes on without the lock', async () => {
    mkdirSync(home, { recursive: true });
    // Another process holds the lock and keeps it fresh (it never lets go).
    const release = await lockfile.lock(path.join(home, 'spend'), { realpath: false, stale: 10_000, update: 1_000 });
    try {
      const clock = new TestClock();
      const relay = new SlowRelay();
      relay.hold = false;
      const engine = make(relay, ONE_A_DAY, { clock });
      await engine.start();
      const idle = clock.pendingSleeps;
      let settled = false;
      const outcome = engine.generate({ prompt: 'behind a holder that never lets go' }, 'test').then(
        () => 'sent',
        (e: Error) => e,
      );
      void outcome.then(() => (settled = true));
      // Simulated time stands still: the call finds the lock taken and sleeps on the clock before trying again.
      await waitUntil(() => clock.pendingSleeps > idle || settled, REAL_MS, 'the call waiting for the lock on the clock', 5);
      assert.equal(settled, false, 'it waits for a live holder rather than deciding at once');
      const waitingSince = clock.now();
      const error = await clock.run(outcome, { what: 'the refusal' });
      assert.ok(clock.now() > waitingSince, 'it refused only after simulated time passed');
      assert.ok(error instanceof Error, `refused, not ${String(error)}`);
      assert.match(error.message, /spend lock/i);
      assert.equal(relay.creates.length, 0, 'nothing sent');
    } finally {
      await release();
    }
  });

  it('holds the lock only to check and reserve, never across the create: another process decides at once, counting the create on its way', async () => {
    const slow = new SlowRelay();
    const other = new SlowRelay();
    other.hold = false;
    const a = make(slow);
    const b = make(other);
    await Promise.all([a.start(), b.start()]);
    const first = a.generate({ prompt: 'the one allowed today' }, 'test');
    await waitUntil(() => slow.creates.length === 1, REAL_MS, 'the create is on its way', 5);
    assert.equal(await lockfile.check(path.join(home, 'spend'), { realpath: false }), false, 'the spend lock is free during the create');
    // The other process is refused now (the reservation counts), not after the create answers.
    await assert.rejects(b.generate({ prompt: 'a second one' }, 'test'), SpendLimitError);
    assert.equal(other.creates.length, 0);
    slow.landAll();
    const made = await first;
    assert.ok(a.get(made.id));
    await assert.rejects(b.generate({ prompt: 'a third one' }, 'test'), SpendLimitError, 'and after it landed, the task itself counts');
  });

  it("counts a live process's request on its way, and a dead one's as a failed video of its day (it may have been billed), never waiting for it", async () => {
    const relay = new SlowRelay();
    relay.hold = false;
    const engine = make(relay, ONE_A_DAY, { leaseMs: 2_000 });
    await engine.start();
    const held = new SlowRelay();
    const other = make(held, ONE_A_DAY, { leaseMs: 2_000 });
    await other.start();
    const pending = other.generate({ prompt: 'on its way in a live process' }, 'test');
    await waitUntil(() => held.creates.length === 1, REAL_MS, 'create on its way', 5);
    await assert.rejects(engine.generate({ prompt: 'blocked by a live reservation' }, 'test'), SpendLimitError);

    // Make the reservation look like a dead process's: its lock no longer refreshed, old.
    const dir = path.join(home, 'spend-reservations');
    const killed = () => {
      const old = new Date(Date.now() - 10 * 60_000);
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.lock'))) {
        const file = path.join(dir, name.slice(0, -'.lock'.length));
        // Stop this process's refresh of it, then leave the lock as a killed process would.
        return lockfile.unlock(file, { realpath: false }).then(() => {
          mkdirSync(path.join(dir, name));
          utimesSync(path.join(dir, name), old, old);
          return file;
        });
      }
      throw new Error('no reservation');
    };
    const file = await killed();
    await assert.rejects(
      engine.generate({ prompt: 'the dead order may have been billed' }, 'test'),
      (e: unknown) => e instanceof SpendLimitError && /1 of them failed/.test(e.message),
    );
    // Two days later it is forgotten (its day is long over), and nothing waits for it.
    const record = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...record, at: Date.now() - 3 * 24 * 60 * 60_000 }));
    const made = await engine.generate({ prompt: 'passes once the dead order is long over' }, 'test');
    assert.ok(made.id);
    assert.ok(!existsSync(file), 'the old reservation is gone');
    held.landAll();
    await pending.catch(() => undefined);
  });

  it('one storyboard generated from two processes pays each clip once: "still needed" is asked under the lock', async () => {
    // Every create is held on its way until all six clip runs (three per process) have decided: no clip
    // is in the history yet, so each process can only know the other's clips by their reservations.
    const relayA = new SlowRelay();
    const relayB = new SlowRelay();
    const unlimited: SpendLimits = { dailyVideos: 0, dailySeconds: 0, prices: {} };
    const a = make(relayA, unlimited);
    const b = make(relayB, unlimited);
    await Promise.all([a.start(), b.start()]);
    const file = path.join(home, 'film.storyboard.md');
    const text = '---\ntitle: T\n---\n## A {#c1}\nA street.\n## B {#c2}\nA door.\n## C {#c3}\nA hall.\n';
    writeFileSync(file, text);
    const request = { file, text, origin: { kind: 'storyboard' as const }, maxInFlight: 3 };
    const [ga, gb] = await Promise.all([
      generateStoryboard({ ...request, engine: a, batches: new StoryboardBatches() }),
      generateStoryboard({ ...request, engine: b, batches: new StoryboardBatches() }),
    ]);
    const runs = () => [...ga.batch!.runs, ...gb.batch!.runs];
    const paid = () => [...relayA.creates, ...relayB.creates].map((p) => p.prompt).sort();
    // A run either skips its clip or sends its create (held here): once the two add up to all six, every clip was decided.
    await waitUntil(
      () => runs().filter((r) => r.state === 'skipped').length + paid().length === runs().length || runs().some((r) => r.state === 'error'),
      REAL_MS,
      'every clip run skipped or with its create on its way',
      5,
    );
    assert.deepEqual(
      runs()
        .map((r) => r.state)
        .filter((s) => s !== 'skipped' && s !== 'starting'),
      [],
      'no run failed or went on',
    );
    assert.equal(paid().length, 3, `3 clips, ${paid().length} creates: ${paid().join(' | ')}`);
    relayA.landAll();
    relayB.landAll();
    await waitUntil(() => runs().every((r) => r.state !== 'waiting' && r.state !== 'starting'), REAL_MS, 'every clip started or skipped', 5);
    assert.equal(paid().length, 3, 'and none paid after the creates landed');
    ga.batch!.cancel();
    gb.batch!.cancel();
  });

  it("another process's takeover racing ours at a dead holder's lock: the reservation made under what turned out to be their lock is dropped, their lock is left in place, and the call decides again after them", async () => {
    const clock = new TestClock();
    const gate = new SpendGate(home, { clock, staleMs: 10_000 });
    const theirs = path.join(home, 'spend.lock');
    let taken = false;
    const check = (pending: readonly Reservation[]): SpendCheck => {
      const videos = pending.length + 1;
      return { count: 1, videos, seconds: 0, failed: 0, over: videos > 1 ? ['videos'] : [], limits: ONE_A_DAY };
    };
    const ticket = gate.reserve({
      params: { model: 'veo3.1-fast', size: '1280x720', duration: 8 },
      check,
      howToRaise: { en: 'raise it', zh: '提高上限' },
      // Under our lock, the first time: what a second process does when it saw the dead holder's lock stale
      // a moment before we took it over: it removes the lock (ours by now), makes its own, names itself.
      refresh: async () => {
        if (taken) return;
        taken = true;
        rmSync(theirs, { recursive: true });
        mkdirSync(theirs);
        writeFileSync(path.join(home, 'spend.owner'), 'the other process');
      },
    });
    // Ours is dropped, and theirs kept: the call waits for their lock (on the clock) rather than deciding again at once.
    await waitUntil(() => taken && clock.pendingSleeps > 0, REAL_MS, 'the call waiting for the other process', 5);
    assert.ok(existsSync(theirs), 'their lock is left in place (not removed by the process whose lock it is not)');
    assert.deepEqual(await gate.pending(), [], 'the reservation made under their lock is gone');
    // The other process decides (its reservation: the one video of the day) and lets go.
    mkdirSync(path.join(home, 'spend-reservations'), { recursive: true });
    writeFileSync(
      path.join(home, 'spend-reservations', 'theirs.json'),
      JSON.stringify({ id: 'theirs', at: clock.now(), params: { model: 'veo3.1-fast', size: '1280x720', duration: 8 } }),
    );
    rmSync(theirs, { recursive: true });
    const outcome = await clock.run(
      ticket.then(
        () => 'passed',
        (e: Error) => e,
      ),
      { what: 'the call deciding again' },
    );
    assert.ok(outcome instanceof SpendLimitError, `over the limit with their reservation counted, not ${String(outcome)}`);
  });
});
