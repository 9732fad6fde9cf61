import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileNameForId, TaskStore } from '../../../src/core/store';
import type { TaskRecord } from '../../../src/core/types';
import { taskRecord } from '../../fixtures/tasks';

const record = (id: string, patch: Partial<TaskRecord> = {}) => taskRecord({ id, ...patch });

describe('core/store', () => {
  let home: string;
  let store: TaskStore;
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };

  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'store-test-'));
    store = new TaskStore(home, logger);
    warnings.length = 0;
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('keeps one file per task with a name that is safe for ids containing ":"', async () => {
    await store.put(record('sora-2:task_abc'));
    await store.put(record('video_5c6a-1'));
    assert.deepEqual(
      readdirSync(store.dir)
        .filter((f) => f.endsWith('.json'))
        .sort(),
      [fileNameForId('sora-2:task_abc'), fileNameForId('video_5c6a-1')].sort(),
    );
    assert.ok(!fileNameForId('sora-2:task_abc').includes(':'));
    assert.equal((await store.get('sora-2:task_abc'))?.id, 'sora-2:task_abc');
    assert.deepEqual((await store.load()).map((t) => t.id).sort(), ['sora-2:task_abc', 'video_5c6a-1']);
  });

  it('update reads the newest version and keeps the previous one as .bak', async () => {
    await store.put(record('a'));
    await store.update('a', (t) => ({ ...t!, progress: 40 }));
    const file = path.join(store.dir, fileNameForId('a'));
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).progress, 40);
    assert.equal(JSON.parse(readFileSync(`${file}.bak`, 'utf8')).progress, 0);
    assert.equal(await store.update('a', () => undefined).then((t) => t?.progress), 40, 'returning undefined changes nothing');
  });

  it('recovers a damaged file from its backup, and a damaged file never hides the others', async () => {
    await store.put(record('a'));
    await store.update('a', (t) => ({ ...t!, progress: 50 }));
    await store.put(record('b', { progress: 7 }));
    const fileA = path.join(store.dir, fileNameForId('a'));
    writeFileSync(fileA, '{"id": "a", "status": "proc'); // a crash mid-write of a non-atomic writer
    const loaded = await store.load();
    assert.deepEqual(loaded.map((t) => [t.id, t.progress]).sort(), [
      ['a', 0],
      ['b', 7],
    ]);
    assert.ok(
      readdirSync(store.dir).some((f) => f.startsWith(`${fileNameForId('a')}.corrupt-`)),
      'the damaged copy is kept aside',
    );
    assert.ok(warnings.some((w) => /restored the previous version/.test(w)));
  });

  it('sets aside a damaged file without a backup and keeps every other record', async () => {
    await store.put(record('b'));
    writeFileSync(path.join(store.dir, fileNameForId('c')), 'not json at all');
    writeFileSync(path.join(store.dir, fileNameForId('d')), JSON.stringify({ id: 'd', status: 'weird' }));
    const loaded = await store.load();
    assert.deepEqual(
      loaded.map((t) => t.id),
      ['b'],
    );
    assert.equal(readdirSync(store.dir).filter((f) => f.includes('.corrupt-')).length, 2);
    assert.deepEqual(
      (await store.load()).map((t) => t.id),
      ['b'],
      'and it stays quiet afterwards',
    );
  });

  it('ignores temp files a killed writer left behind', async () => {
    await store.put(record('a', { progress: 10 }));
    writeFileSync(path.join(store.dir, `${fileNameForId('a')}.1234567890`), '{"half":');
    assert.deepEqual(
      (await store.load()).map((t) => [t.id, t.progress]),
      [['a', 10]],
    );
  });

  it("two stores on one folder (two processes) never lose each other's updates", async () => {
    const other = new TaskStore(home, logger);
    await store.put(record('shared', { progress: 0 }));
    // Interleaved read-modify-writes: each adds its own field; without the lock one would overwrite the other.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? other : store).update('shared', (t) => ({ ...t!, progress: t!.progress + 1, [`f${i}`]: true }) as TaskRecord),
      ),
    );
    const final = (await store.get('shared')) as TaskRecord & Record<string, unknown>;
    assert.equal(final.progress, 20);
    for (let i = 0; i < 20; i++) assert.equal(final[`f${i}`], true, `f${i}`);
  });

  it('removes a record and its backup', async () => {
    await store.put(record('a'));
    await store.update('a', (t) => ({ ...t!, progress: 1 }));
    await store.remove('a');
    assert.equal(await store.get('a'), undefined);
    assert.deepEqual(
      readdirSync(store.dir).filter((f) => f.startsWith(fileNameForId('a'))),
      [],
    );
  });
});
