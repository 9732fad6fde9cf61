import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { call, ensureBuilt, out, removeHome, ROOT, type ServerHandle, simulator, startServer, TEST_KEY, tempHome, text } from './harness';
import type { Simulator } from '../../src/simulator';

/** The package `npx juxin-sora-mcp` installs, packed the way `npm run pack:mcp` packs it. */
describe('the npm package juxin-sora-mcp, run through npx', function () {
  this.timeout(120_000);
  let dir: string;
  let tgz: string;
  let sim: Simulator;
  let server: ServerHandle | undefined;

  before(async () => {
    ensureBuilt();
    dir = tempHome();
    tgz = execFileSync(process.execPath, [path.join(ROOT, 'packages/juxin-sora-mcp/pack.mjs'), '--out', dir], { encoding: 'utf8' }).trim();
    sim = await simulator();
  });

  after(async () => {
    await server?.close();
    await sim.close();
    removeHome(dir);
  });

  it('holds the bundle, a README and the license, at the project version, and nothing else', () => {
    assert.ok(existsSync(tgz), tgz);
    const files = execFileSync('tar', ['tzf', tgz], { encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(files, ['package/LICENSE', 'package/README.md', 'package/package.json', 'package/server.js']);
    const manifest = JSON.parse(execFileSync('tar', ['xzfO', tgz, 'package/package.json'], { encoding: 'utf8' }));
    const root = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(manifest.name, 'juxin-sora-mcp');
    assert.equal(manifest.version, root.version);
    assert.deepEqual(manifest.bin, { 'juxin-sora-mcp': 'server.js' });
    assert.equal(manifest.dependencies, undefined, 'the bundle needs nothing installed beside it');
  });

  it('starts from npx in an empty folder and completes a generation against the simulator', async () => {
    // An empty folder, so npx cannot find this checkout's own bin of the same name.
    const home = path.join(dir, 'home');
    server = await startServer(
      { JUXIN_API_KEY: TEST_KEY, JUXIN_BASE_URL: sim.url, JUXIN_SORA_HOME: home },
      { command: 'npx', args: ['-y', `--package=${tgz}`, 'juxin-sora-mcp'], cwd: dir },
    );
    const { tools } = await server.client.listTools();
    assert.ok(tools.some((t) => t.name === 'generate_video'));
    const { result, progress } = await call(server.client, 'generate_video', { prompt: 'a paper boat drifting down a rainy street', timeout_seconds: 1800 });
    assert.ok(!result.isError, text(result));
    const o = out(result);
    assert.equal(o.status, 'completed');
    assert.ok(o.local_path?.startsWith(path.join(home, 'videos')) && existsSync(o.local_path), o.local_path);
    assert.ok(progress.length >= 3, `${progress.length} progress notifications`);
    assert.ok(!server.stderr().includes(TEST_KEY));
  });
});
