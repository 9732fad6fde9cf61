import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TaskRecords } from '../../../src/core/records';
import { TaskStore } from '../../../src/core/store';
import { silentLogger } from '../../../src/util/log';
import { taskRecord } from '../../fixtures/tasks';
import { TestClock } from '../../helpers/clock';

describe('core/records: the history in memory', () => {
  let home: string;
  let clock: TestClock;
  let records: TaskRecords;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'records-test-'));
    clock = new TestClock();
    records = new TaskRecords(new TaskStore(home), clock, silentLogger);
  });
  afterEach(() => {
    records.dispose();
    rmSync(home, { recursive: true, force: true, maxRetries: 5 });
  });

  it('never lets a read of the folder that ends after a removal bring the task back', async () => {
    const task = await records.add(taskRecord({ id: 'video_a' }));
    // What the file watcher read just before the removal (here or in another process) arrives after it.
    const stale = structuredClone(task);
    await records.remove('video_a');
    records.accept(stale);
    assert.equal(records.get('video_a'), undefined, 'removed here');

    const other = await records.add(taskRecord({ id: 'video_b' }));
    records.drop('video_b');
    records.accept({ ...other, rev: (other.rev ?? 0) + 1 });
    assert.equal(records.get('video_b'), undefined, 'removed by another process');
    assert.equal([...records.values()].length, 0);
  });

  it('announces each version of a task once, although the file watcher may read a write back before it returns', async () => {
    const store = new TaskStore(home);
    const update = store.update.bind(store);
    // The watcher, faster than the writer: it hands the written record over before update() returns.
    store.update = async (id, change) => {
      const written = await update(id, change);
      if (written) records.accept(structuredClone(written));
      return written;
    };
    records = new TaskRecords(store, clock, silentLogger);
    const seen: number[] = [];
    records.onDidChange((t) => seen.push(t.progress));
    await records.add(taskRecord({ id: 'video_d' }));
    seen.length = 0;
    for (const progress of [10, 20, 30]) await records.mutate('video_d', (t) => void (t.progress = progress));
    assert.deepEqual(seen, [10, 20, 30]);
    assert.equal(records.get('video_d')?.progress, 30);
  });

  it('saves a task whose first write failed on the next try, on its clock', async () => {
    const store = new TaskStore(home);
    let failures = 1;
    const put = store.put.bind(store);
    store.put = async (record) => {
      if (failures-- > 0) throw new Error('EIO: the disk said no');
      return put(record);
    };
    records = new TaskRecords(store, clock, silentLogger);
    await records.add(taskRecord({ id: 'video_c' }));
    assert.equal(records.get('video_c')?.id, 'video_c', 'kept in memory');
    await clock.advance(1999);
    assert.equal(await new TaskStore(home).get('video_c'), undefined, 'not before the retry is due');
    await clock.advance(1);
    assert.equal((await new TaskStore(home).get('video_c'))?.id, 'video_c', 'saved two seconds later');
  });
});
