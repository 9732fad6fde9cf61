import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { legacyFileName, recordFileName as fileNameForId, TaskStore } from '../../../src/core/store';
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
  afterEach(() => rmSync(home, { recursive: true, force: true, maxRetries: 5 }));

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

  it("ignores temp files a killed writer left behind, and removes them once their record is nobody's to write", async () => {
    await store.put(record('a', { progress: 10 }));
    await store.put(record('b', { progress: 20 }));
    const leftA = path.join(store.dir, `${fileNameForId('a')}.1234567890`);
    const leftB = path.join(store.dir, `${fileNameForId('b')}.42`);
    writeFileSync(leftA, '{"half":');
    writeFileSync(leftB, '{"half":');
    // b is being written by another process right now: its lock is held, so its temporary file may be in use.
    const release = await lockfile.lock(path.join(store.dir, fileNameForId('b')), { realpath: false });
    try {
      assert.deepEqual((await new TaskStore(home, logger).load()).map((t) => [t.id, t.progress]).sort(), [
        ['a', 10],
        ['b', 20],
      ]);
      assert.ok(!existsSync(leftA), "a's leftover is gone");
      assert.ok(existsSync(leftB), "b's stays while its record is locked");
    } finally {
      await release();
    }
    await store.scan();
    assert.ok(!existsSync(leftB), 'gone at the next scan, once the lock was released');
    assert.deepEqual(
      readdirSync(store.dir).filter((n) => /\.json\.\d+$/.test(n)),
      [],
      'no temporary file left',
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

  it('stores ids that make unusable file names under a safe name, and keeps the id inside', async () => {
    const ids = ['x'.repeat(300), '海'.repeat(80), 'CON', 'nul', 'a/../../b', '..', 'com1.txt', 'sora-2:task_01k6'];
    for (const id of ids) await store.put(record(id));
    const names = readdirSync(store.dir).filter((f) => f.endsWith('.json'));
    assert.equal(names.length, ids.length);
    for (const name of names) {
      assert.ok(name.length <= 80, `${name} is short`);
      assert.match(name, /^[A-Za-z0-9_-]+\.json$/, `${name} uses only safe characters`);
      assert.doesNotMatch(name, /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i, `${name} is not a device name`);
    }
    assert.deepEqual((await new TaskStore(home).load()).map((t) => t.id).sort(), [...ids].sort());
    for (const id of ids) assert.equal((await store.get(id))?.id, id);
  });

  it('skips and reports entries it cannot read: a folder named x.json, a symlink loop', async () => {
    await store.put(record('good'));
    mkdirSync(path.join(store.dir, 'folder.json'));
    symlinkSync(path.join(store.dir, 'loop-b.json'), path.join(store.dir, 'loop-a.json'));
    symlinkSync(path.join(store.dir, 'loop-a.json'), path.join(store.dir, 'loop-b.json'));
    const loaded = await new TaskStore(home, logger).load();
    assert.deepEqual(
      loaded.map((t) => t.id),
      ['good'],
    );
    const fresh = new TaskStore(home, logger);
    await fresh.load();
    assert.deepEqual(fresh.problems.map((p) => p.name).sort(), ['folder.json', 'loop-a.json', 'loop-b.json']);
  });

  it('moves a record kept under the old file name to its new name', async () => {
    const id = 'sora-2:task_legacy';
    mkdirSync(store.dir, { recursive: true });
    writeFileSync(path.join(store.dir, legacyFileName(id)), JSON.stringify(record(id, { progress: 33 })));
    const loaded = await store.load();
    assert.deepEqual(
      loaded.map((t) => [t.id, t.progress]),
      [[id, 33]],
    );
    assert.deepEqual(
      readdirSync(store.dir).filter((f) => f.endsWith('.json')),
      [fileNameForId(id)],
    );
  });

  it('serializes concurrent updates of one task within the process: none fails, none is lost', async () => {
    await store.put(record('busy', { progress: 0 }));
    await Promise.all(Array.from({ length: 100 }, () => store.update('busy', (t) => ({ ...t!, progress: t!.progress + 1 }))));
    const final = await store.get('busy');
    assert.equal(final?.progress, 100);
    assert.equal(final?.rev, 101, 'every write bumps the revision');
  });

  it('loads from its index, and reads again only the files that changed since', async () => {
    for (let i = 0; i < 50; i++) await store.put(record(`t${i}`, { progress: i }));
    await store.load();
    await store.saveIndex();
    const index = JSON.parse(readFileSync(path.join(home, 'index', 'tasks.json'), 'utf8'));
    assert.equal(Object.keys(index.files).length, 50);
    // Another process changes one record; the index still holds the old version of it.
    await new TaskStore(home).update('t7', (t) => ({ ...t!, progress: 99 }));
    // Tamper with a cached entry to prove unchanged records really come from the index, not the files.
    const name3 = fileNameForId('t3');
    index.files[name3][2].params.prompt = 'from the index';
    const file3 = path.join(store.dir, name3);
    const old = new Date(Date.now() - 60_000);
    utimesSync(file3, old, old);
    index.files[name3][0] = statSync(file3).mtimeMs;
    writeFileSync(path.join(home, 'index', 'tasks.json'), JSON.stringify(index));
    const loaded = await new TaskStore(home).load();
    assert.equal(loaded.length, 50);
    assert.equal(loaded.find((t) => t.id === 't7')?.progress, 99, 'a changed file is read again');
    assert.equal(loaded.find((t) => t.id === 't3')?.params.prompt, 'from the index', 'an unchanged file is taken from the index');
  });

  it('rebuilds a damaged or missing index from the records', async () => {
    for (let i = 0; i < 5; i++) await store.put(record(`t${i}`));
    mkdirSync(path.join(home, 'index'), { recursive: true });
    writeFileSync(path.join(home, 'index', 'tasks.json'), '{"version":1,"writtenAt":');
    const fresh = new TaskStore(home);
    assert.equal((await fresh.load()).length, 5);
    await fresh.saveIndex();
    assert.equal(Object.keys(JSON.parse(readFileSync(path.join(home, 'index', 'tasks.json'), 'utf8')).files).length, 5);
  });

  it("sees another process's additions, changes and removals: one file at a time, or by scanning", async () => {
    await store.put(record('a'));
    await store.put(record('b'));
    await store.load();
    const other = new TaskStore(home);
    await other.put(record('c'));
    await other.update('a', (t) => ({ ...t!, progress: 42 }));
    await other.remove('b');
    assert.deepEqual(await store.readChanged(fileNameForId('a')), { record: await store.get('a') });
    assert.deepEqual(await store.readChanged(fileNameForId('a')), {}, 'nothing new the second time');
    assert.deepEqual(await store.readChanged(fileNameForId('b')), { removed: 'b' });
    assert.deepEqual(await store.readChanged('../../etc/passwd'), {}, 'only names inside the folder');
    const changes = await store.scan();
    assert.deepEqual(
      changes.changed.map((t) => t.id),
      ['c'],
    );
    assert.deepEqual(changes.removed, []);
    assert.deepEqual(await store.scan(), { changed: [], removed: [] });
  });

  it('gives the records as the index saved them without looking at the folder, and load then checks every file', async () => {
    for (let i = 0; i < 3; i++) await store.put(record(`t${i}`, { createdAt: 1_000 + i }));
    assert.equal(await new TaskStore(home).loadIndexed(), undefined, 'no index yet: nothing to show before the files are read');
    await store.load(); // writes the index
    const other = new TaskStore(home);
    await other.update('t1', (t) => ({ ...t!, progress: 64 }));
    await other.remove('t2');
    await other.put(record('t3', { createdAt: 2_000 }));

    const fresh = new TaskStore(home);
    const indexed = await fresh.loadIndexed();
    assert.deepEqual(
      indexed?.map((t) => [t.id, t.progress]),
      [
        ['t2', 0],
        ['t1', 0],
        ['t0', 0],
      ],
      'newest first, as the index saved them (behind the folder)',
    );
    rmSync(path.join(home, 'index'), { recursive: true }); // load starts from the index loadIndexed read
    const loaded = await fresh.load();
    assert.deepEqual(
      loaded.map((t) => [t.id, t.progress]),
      [
        ['t3', 0],
        ['t1', 64],
        ['t0', 0],
      ],
    );
    assert.equal(
      loaded.find((t) => t.id === 't0'),
      indexed?.find((t) => t.id === 't0'),
      'a file the index had right is the same record',
    );
  });
});
