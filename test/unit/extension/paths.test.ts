import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isInsideAny } from '../../../src/extension/paths';

describe('extension/paths: inside the workspace or not', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'paths-test-'));
    mkdirSync(path.join(dir, 'workspace', 'pics'), { recursive: true });
    mkdirSync(path.join(dir, 'elsewhere'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('judges by real paths: a link inside that points outside is outside', async () => {
    const workspace = path.join(dir, 'workspace');
    symlinkSync(path.join(dir, 'elsewhere'), path.join(workspace, 'link'));
    assert.equal(await isInsideAny(path.join(workspace, 'pics'), [workspace]), true);
    assert.equal(await isInsideAny(workspace, [workspace]), true);
    assert.equal(await isInsideAny(path.join(workspace, 'link'), [workspace]), false);
    assert.equal(await isInsideAny(path.join(workspace, 'pics', '..', '..', 'elsewhere'), [workspace]), false);
    assert.equal(await isInsideAny(path.join(dir, 'workspace-evil'), [workspace]), false, 'a sibling with the same prefix');
    assert.equal(await isInsideAny(path.join(workspace, 'new', 'deeper'), [workspace]), true, 'a folder not made yet');
    assert.equal(await isInsideAny(path.join(dir, 'elsewhere'), []), false);
  });
});
