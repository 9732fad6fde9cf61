import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExportError, exportCopy } from '../../../src/core/exportCopy';
import { localPathProblem } from '../../../src/util/localPath';

describe('core/exportCopy: a copy of a video into a folder the caller names', () => {
  let dir: string;
  let video: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'export-test-'));
    mkdirSync(path.join(dir, 'videos'));
    video = path.join(dir, 'videos', 'clip.mp4');
    writeFileSync(video, 'the video');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies into the folder (made if missing) and returns the copy', async () => {
    const target = path.join(dir, 'out', 'nested');
    const copy = await exportCopy(video, target);
    assert.equal(copy, path.join(target, 'clip.mp4'));
    assert.equal(readFileSync(copy, 'utf8'), 'the video');
  });

  it('never overwrites: an existing file keeps its content and the copy takes a free name', async () => {
    const out = path.join(dir, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'clip.mp4'), 'precious');
    writeFileSync(path.join(out, 'clip-1.mp4'), 'also precious');
    const copy = await exportCopy(video, out);
    assert.equal(copy, path.join(out, 'clip-2.mp4'));
    assert.equal(readFileSync(path.join(out, 'clip.mp4'), 'utf8'), 'precious');
    assert.equal(readFileSync(path.join(out, 'clip-1.mp4'), 'utf8'), 'also precious');
    assert.equal(readFileSync(copy, 'utf8'), 'the video');
  });

  it('never follows a symlink at the destination (nor a dangling one)', async () => {
    const out = path.join(dir, 'out');
    mkdirSync(out);
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'do not touch');
    symlinkSync(victim, path.join(out, 'clip.mp4'));
    symlinkSync(path.join(dir, 'nowhere.txt'), path.join(out, 'clip-1.mp4'));
    const copy = await exportCopy(video, out);
    assert.equal(copy, path.join(out, 'clip-2.mp4'));
    assert.equal(readFileSync(victim, 'utf8'), 'do not touch');
    assert.ok(!existsSync(path.join(dir, 'nowhere.txt')), 'the dangling link was not written through');
    assert.ok(lstatSync(path.join(out, 'clip.mp4')).isSymbolicLink());
  });

  it('returns the video itself when the folder is the one it is in', async () => {
    assert.equal(await exportCopy(video, path.join(dir, 'videos')), video);
    assert.deepEqual(readdirSync(path.join(dir, 'videos')), ['clip.mp4']);
  });

  it('refuses relative, network (UNC) and device paths before touching the disk, in both languages', async () => {
    for (const [directory, pattern] of [
      ['relative/dir', /absolute path/],
      ['../../escape', /absolute path/],
      ['\\\\fileserver\\share\\videos', /network share/],
      ['//fileserver/share/videos', /network share/],
      ['\\\\?\\C:\\videos', /device path/],
      ['', /not a usable path/],
    ] as const) {
      await assert.rejects(
        exportCopy(video, directory),
        (e: unknown) => e instanceof ExportError && pattern.test(e.message) && /[\u4e00-\u9fff]/.test(e.messageZh),
      );
    }
    assert.ok(!existsSync(path.join(process.cwd(), 'relative')));
  });

  it('refuses a folder that is a file', async () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'x');
    await assert.rejects(exportCopy(video, file), ExportError);
  });

  it('reads Windows paths the Windows way', () => {
    assert.equal(localPathProblem('C:\\Users\\me\\Videos', 'win32'), undefined);
    assert.equal(localPathProblem('D:/clips', 'win32'), undefined);
    assert.equal(localPathProblem('\\\\server\\share\\x', 'win32'), 'network');
    assert.equal(localPathProblem('//server/share/x', 'win32'), 'network');
    assert.equal(localPathProblem('\\\\.\\PhysicalDrive0', 'win32'), 'device');
    assert.equal(localPathProblem('\\Users\\me', 'win32'), 'relative', 'a rooted path without a drive depends on the current drive');
    assert.equal(localPathProblem('C:Videos', 'win32'), 'relative');
    assert.equal(localPathProblem('/home/me', 'linux'), undefined);
    assert.equal(localPathProblem('/home/me\u0000/x', 'linux'), 'invalid');
  });
});
