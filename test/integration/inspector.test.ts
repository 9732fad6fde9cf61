import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureBuilt, removeHome, ROOT, SERVER_JS, simulator, TEST_KEY, tempHome } from './harness';
import type { Simulator } from '../../src/simulator';

const INSPECTOR = path.join(ROOT, 'node_modules/@modelcontextprotocol/inspector/cli/build/cli.js');

/** Runs the MCP Inspector's CLI (a client that is not ours) against the built binary. */
function inspector(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [INSPECTOR, '--cli', ...envArgs, process.execPath, SERVER_JS, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    // Bounds a hang only: starting the Inspector and the server and generating took 30 s on a loaded machine.
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('MCP Inspector CLI against the binary', function () {
  this.timeout(300_000);
  let sim: Simulator;
  let home: string;
  let env: Record<string, string>;

  before(async () => {
    ensureBuilt();
    sim = await simulator();
    home = tempHome();
    env = {
      JUXIN_API_KEY: TEST_KEY,
      JUXIN_BASE_URL: sim.url,
      JUXIN_SORA_HOME: home,
      JUXIN_TIME_SCALE: '120',
      JUXIN_POLL_INTERVAL_MS: '2000',
      JUXIN_MAX_REQUESTS_PER_SECOND: '100',
    };
  });

  after(async () => {
    await sim.close();
    removeHome(home);
  });

  it('lists the tools', async () => {
    const r = await inspector(env, '--method', 'tools/list');
    assert.equal(r.code, 0, r.stderr);
    const names = (JSON.parse(r.stdout) as { tools: { name: string }[] }).tools.map((t) => t.name);
    assert.ok(names.includes('generate_video') && names.includes('list_videos'), names.join(','));
  });

  it('completes a generation through generate_video', async () => {
    const r = await inspector(
      env,
      '--method',
      'tools/call',
      '--tool-name',
      'generate_video',
      '--tool-arg',
      'prompt=a paper boat on a river',
      '--tool-arg',
      'timeout_seconds=1800',
    );
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { structuredContent: { status: string; local_path: string }; isError?: boolean };
    assert.equal(result.structuredContent.status, 'completed', r.stdout);
    assert.ok(result.structuredContent.local_path.endsWith('.mp4'));
  });
});
