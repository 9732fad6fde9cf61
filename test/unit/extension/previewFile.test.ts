import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PreviewFile } from '../../../src/extension/views/previewFile';

describe('extension/views/previewFile: the one file a preview may read', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'preview-file-'));
    mkdirSync(path.join(dir, 'home'));
    writeFileSync(path.join(dir, 'home', 'clip.mp4'), 'the video');
    writeFileSync(path.join(dir, 'home', 'secrets.txt'), 'not for the page');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("serves the video from a folder of its own, holding nothing else, outside the video's folder", () => {
    const file = new PreviewFile(path.join(dir, 'storage'), 'sora-2:task_1');
    const served = file.expose(path.join(dir, 'home', 'clip.mp4'));
    assert.equal(path.dirname(served), file.root);
    assert.deepEqual(readdirSync(file.root), [path.basename(served)]);
    assert.equal(readFileSync(served, 'utf8'), 'the video');
    assert.ok(!file.root.startsWith(path.join(dir, 'home')));
    assert.notEqual(new PreviewFile(path.join(dir, 'storage'), 'sora-2:task_2').root, file.root, 'one folder per task');
  });

  it('follows a new file and leaves nothing when released; the video stays', () => {
    const file = new PreviewFile(path.join(dir, 'storage'), '../../evil');
    assert.ok(file.root.startsWith(path.join(dir, 'storage', 'preview-media')), 'the id never makes the path');
    file.expose(path.join(dir, 'home', 'clip.mp4'));
    writeFileSync(path.join(dir, 'home', 'other.webm'), 'another');
    const served = file.expose(path.join(dir, 'home', 'other.webm'));
    assert.deepEqual(readdirSync(file.root), ['video.webm']);
    assert.equal(readFileSync(served, 'utf8'), 'another');
    file.release();
    assert.ok(!existsSync(file.root));
    assert.ok(existsSync(path.join(dir, 'home', 'clip.mp4')));
  });
});
