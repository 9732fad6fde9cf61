import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { VideoEngine } from '../../../src/core/engine';
import { TaskStore } from '../../../src/core/store';
import { clipTaskRecords, currentStoryboardLink, linksTo, storyboardKey, storyboardState } from '../../../src/storyboard';
import { taskRecord } from '../../fixtures/tasks';

/** A workspace with a storyboard in a subfolder, reached through a symlinked path as well as its own. */
describe('storyboard: one link form for every process (VS Code windows and the standalone server)', () => {
  let dir: string;
  let root: string;
  let file: string;
  let viaLink: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'storyboard-links-')));
    root = path.join(dir, 'films');
    mkdirSync(path.join(root, 'cafe'), { recursive: true });
    file = path.join(root, 'cafe', 'rain.storyboard.md');
    writeFileSync(file, '---\ntitle: Rain\n---\n## A {#c1}\nA street.\n');
    symlinkSync(root, path.join(dir, 'films-link'), 'dir');
    viaLink = path.join(dir, 'films-link', 'cafe', 'rain.storyboard.md');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names a storyboard by its absolute real path, with or without a workspace', () => {
    const text = '---\ntitle: Rain\n---\n## A {#c1}\nA street.\n';
    assert.equal(storyboardState(text, file, [], [root]).key, file, 'inside a workspace folder (VS Code): the absolute path, not a relative one');
    assert.equal(storyboardState(text, file, [], []).key, file, 'the standalone server (no workspace) names it the same');
    assert.equal(storyboardKey(viaLink), file, 'a path through a symlink names the real file');
    const unsaved = path.join(dir, 'films-link', 'cafe', 'new.storyboard.md');
    assert.equal(storyboardKey(unsaved), path.join(root, 'cafe', 'new.storyboard.md'), 'a file not written yet: its folder made real');
  });

  it('finds the tasks of a file under any of its names: the real path, a linked path, an old relative link', () => {
    const linked = (linkFile: string, clipId: string) => taskRecord({ id: `task_${clipId}`, storyboard: { file: linkFile, clipId, fingerprint: 'v1-x' } });
    const tasks = [linked(file, 'c1'), linked(viaLink, 'c2'), linked('cafe/rain.storyboard.md', 'c3'), linked(path.join(root, 'other.storyboard.md'), 'c4')];
    assert.deepEqual(
      clipTaskRecords(tasks, file, [root]).map((r) => r.clipId),
      ['c1', 'c2', 'c3'],
    );
    assert.deepEqual(
      clipTaskRecords(tasks, viaLink, []).map((r) => r.clipId),
      ['c1', 'c2', 'c3'],
      'the standalone server, through the linked path, finds the same clips (an old relative link by the end of the path)',
    );
    assert.ok(!linksTo('afe/rain.storyboard.md', file, []), 'the end of a path matches whole folder names only');
    assert.ok(!linksTo('rain.storyboard.md', path.join(root, 'cafe', 'sun.storyboard.md'), []));
  });

  it('migrates an old relative link to the real path where the workspace that wrote it is open, and leaves the rest alone', () => {
    assert.equal(currentStoryboardLink('cafe/rain.storyboard.md', [path.join(dir, 'elsewhere'), root]), file);
    assert.equal(currentStoryboardLink('cafe/rain.storyboard.md', []), undefined, 'without a workspace it cannot say which file');
    assert.equal(currentStoryboardLink('cafe/gone.storyboard.md', [root]), undefined, 'a file that is gone keeps its link');
    assert.equal(currentStoryboardLink(file, [root]), undefined, 'an absolute link is already current');
    assert.equal(currentStoryboardLink('../outside.storyboard.md', [root]), undefined, 'never outside the workspace');
  });

  it('rewrites old links in the shared history, on disk, so a process without the workspace reads the real path', async () => {
    const home = path.join(dir, 'home');
    const old = (id: string, linkFile: string) => taskRecord({ id, storyboard: { file: linkFile, clipId: 'c1', fingerprint: 'v1-x' } });
    await new TaskStore(home).put(old('task_relative', 'cafe/rain.storyboard.md'));
    await new TaskStore(home).put(old('task_gone', 'cafe/gone.storyboard.md'));
    const engine = new VideoEngine({ api: () => assert.fail('nothing is sent'), store: new TaskStore(home), videosDir: path.join(home, 'videos') });
    try {
      await engine.start();
      assert.equal(await engine.relinkStoryboards((link) => currentStoryboardLink(link.file, [root])), 1);
      assert.equal(engine.get('task_relative')!.storyboard!.file, file);
      assert.equal(engine.get('task_gone')!.storyboard!.file, 'cafe/gone.storyboard.md');
    } finally {
      await engine.dispose();
    }
    const reread = await new TaskStore(home).load();
    assert.equal(reread.find((t) => t.id === 'task_relative')!.storyboard!.file, file, 'on disk, for every process');
  });
});
