import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileInTheWayError, numberedNames, placeOver, writeNew, writeOver, writeTemporary } from '../../../src/util/safeWrite';

describe('util/safeWrite: the one way a file a person can see is written', () => {
  let dir: string;
  let outside: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'safe-write-'));
    outside = mkdtempSync(path.join(tmpdir(), 'safe-write-outside-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('never writes through a link planted at the target, even when told any file may be replaced', async () => {
    const victim = path.join(outside, 'authorized_keys');
    writeFileSync(victim, 'ssh-ed25519 AAAA\n');
    const target = path.join(dir, 'film.srt');
    symlinkSync(victim, target);
    await assert.rejects(
      writeOver(target, 'subtitles', () => true),
      (e: unknown) => e instanceof FileInTheWayError && e.reason === 'link',
    );
    assert.equal(readFileSync(victim, 'utf8'), 'ssh-ed25519 AAAA\n');
    assert.equal(readlinkSync(target), victim);
    // A dangling link (its target does not exist yet) is not followed either: nothing appears at its target.
    const dangling = path.join(dir, 'copy.mp4');
    symlinkSync(path.join(outside, 'created-through-link'), dangling);
    await assert.rejects(
      writeOver(dangling, 'x', () => true),
      FileInTheWayError,
    );
    const placed = await writeNew(dir, numberedNames('copy.mp4', { first: 1 }), 'the copy');
    assert.equal(placed, path.join(dir, 'copy-1.mp4'), 'the next free name');
    assert.deepEqual(readdirSync(outside), ['authorized_keys']);
    assert.deepEqual(readdirSync(dir).sort(), ['copy-1.mp4', 'copy.mp4', 'film.srt'], 'no temporary file left');
  });

  it('replaces only a plain file its caller vouches for, keeping its permissions; anything else stays as it was', async () => {
    const mine = path.join(dir, 'movie.mp4');
    writeFileSync(mine, 'the person’s own video');
    await assert.rejects(
      writeOver(mine, 'film', () => false),
      (e: unknown) => e instanceof FileInTheWayError && e.reason === 'not-ours',
    );
    assert.equal(readFileSync(mine, 'utf8'), 'the person’s own video');
    await assert.rejects(
      writeOver(mine, 'film', () => false),
      (e: FileInTheWayError) => {
        assert.match(e.message, /already exists and was not written by this program/);
        assert.match(e.messageZh, /不是本程序写入的/);
        return true;
      },
    );

    const ours = path.join(dir, 'movie.film.mp4');
    writeFileSync(ours, 'last film');
    chmodSync(ours, 0o640);
    await writeOver(ours, 'new film', (file) => file === ours);
    assert.equal(readFileSync(ours, 'utf8'), 'new film');
    assert.equal(statSync(ours).mode & 0o777, 0o640);
    // A folder in the way is not a file to replace.
    const folder = path.join(dir, 'folder.mp4');
    mkdirSync(folder);
    await assert.rejects(
      placeOver(await writeTemporary(folder, 'x'), folder, () => true),
      FileInTheWayError,
    );
    assert.ok(lstatSync(folder).isDirectory());
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.includes('.part')),
      [],
      'no temporary file left',
    );
  });

  it('writes a new file under the first free name, whole, and names numbered copies', async () => {
    writeFileSync(path.join(dir, 'a.storyboard.md'), 'mine');
    const names = numberedNames('a.storyboard.md', { extension: '.storyboard.md' });
    assert.deepEqual([1, 2, 3].map(names), ['a.storyboard.md', 'a-2.storyboard.md', 'a-3.storyboard.md']);
    assert.equal(await writeNew(dir, names, 'new'), path.join(dir, 'a-2.storyboard.md'));
    assert.equal(readFileSync(path.join(dir, 'a.storyboard.md'), 'utf8'), 'mine');
    assert.deepEqual([1, 2].map(numberedNames('clip.mp4', { first: 1 })), ['clip.mp4', 'clip-1.mp4']);
  });
});
