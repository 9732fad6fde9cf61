import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TaskLeases } from '../../../src/core/leases';
import { recordFileName } from '../../../src/core/store';
import { waitUntil } from '../../helpers/wait';

describe('core/leases: one owner per task across processes', function () {
  this.timeout(120_000);
  let home: string;
  const all: TaskLeases[] = [];
  const make = (staleMs = 2000) => {
    const leases = new TaskLeases(home, { staleMs });
    all.push(leases);
    return leases;
  };
  beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'lease-test-'))));
  afterEach(async () => {
    await Promise.all(all.splice(0).map((l) => l.dispose()));
    rmSync(home, { recursive: true, force: true, maxRetries: 5 });
  });

  it('gives a task to exactly one of several contenders, and to the next once released', async () => {
    const [a, b, c] = [make(), make(), make()];
    const won = await Promise.all([a, b, c].map((l) => l.tryAcquire('sora-2:task_1')));
    assert.equal(won.filter(Boolean).length, 1, `winners: ${won}`);
    const owner = [a, b, c][won.indexOf(true)];
    assert.equal(await owner.tryAcquire('sora-2:task_1'), true, 'asking again while holding it: still ours');
    const other = [a, b, c].find((l) => l !== owner)!;
    assert.equal(await other.tryAcquire('sora-2:task_1'), false);
    await owner.release('sora-2:task_1');
    assert.equal(await other.tryAcquire('sora-2:task_1'), true);
    assert.deepEqual(other.owned, ['sora-2:task_1']);
  });

  it("takes over a killed holder's lease once it has gone stale, and not before", async () => {
    // Stale after a minute: "fresh" below stays fresh however slow the machine is between two lines.
    const leases = make(60_000);
    // What a process killed with -9 leaves behind: its lock directory, no longer refreshed.
    const lockDir = path.join(home, 'leases', `${recordFileName('video_x').replace(/\.json$/, '')}.lock`);
    mkdirSync(lockDir, { recursive: true });
    assert.equal(await leases.tryAcquire('video_x'), false, 'still fresh: the holder may be alive');
    // (File times are wall-clock times: the lock's age is set, not waited for.)
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(lockDir, old, old);
    assert.equal(await leases.tryAcquire('video_x'), true, 'stale: taken over');
  });

  it('tells its owner when the lease was lost (its directory vanished under it)', async () => {
    const leases = make(2000);
    const lost: string[] = [];
    leases.onLost((id) => lost.push(id));
    assert.equal(await leases.tryAcquire('t'), true);
    rmSync(path.join(home, 'leases'), { recursive: true, force: true });
    mkdirSync(path.join(home, 'leases'));
    // The holder notices at its next refresh (a quarter of staleMs, real time).
    await waitUntil(() => lost.length > 0, 30_000, 'the lost lease noticed');
    assert.deepEqual(lost, ['t']);
    assert.equal(leases.owns('t'), false);
  });
});
