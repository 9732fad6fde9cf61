import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WrittenFiles } from '../../../src/core/writtenFiles';

describe('core/writtenFiles: the files we wrote, and only those, are ours to replace', () => {
  let home: string;
  let dir: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'written-home-'));
    dir = mkdtempSync(path.join(tmpdir(), 'written-dir-'));
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows a file it recorded while it is unchanged, across processes (a second instance on the same home)', async () => {
    const film = path.join(dir, 'a.film.mp4');
    writeFileSync(film, 'film');
    const other = path.join(dir, 'a.mp4');
    writeFileSync(other, 'the person’s');
    await new WrittenFiles(home).record([film]);
    const ledger = new WrittenFiles(home);
    assert.equal(await ledger.isOurs(film, lstatSync(film)), true);
    assert.equal(await ledger.isOurs(other, lstatSync(other)), false, 'never recorded');
    // Changed by the person since (new content, new time): no longer ours.
    writeFileSync(film, 'edited by hand');
    utimesSync(film, new Date(), new Date(Date.now() + 5000));
    assert.equal(await ledger.isOurs(film, lstatSync(film)), false);
    // Another file put in its place under the same name (a clone of a repository that holds one): not ours either.
    rmSync(film);
    writeFileSync(film, 'a film from somewhere else');
    assert.equal(await ledger.isOurs(film, lstatSync(film)), false);
  });

  it('reads a damaged ledger as empty (nothing is ours), never failing', async () => {
    writeFileSync(path.join(home, 'written-files.json'), '{ not json');
    const file = path.join(dir, 'x.mp4');
    writeFileSync(file, 'x');
    const ledger = new WrittenFiles(home);
    assert.equal(await ledger.isOurs(file, lstatSync(file)), false);
    await ledger.record([file]);
    assert.equal(await ledger.isOurs(file, lstatSync(file)), true);
  });
});
