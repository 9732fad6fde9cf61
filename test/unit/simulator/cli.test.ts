import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Agent } from 'undici';
import { waitUntil } from '../../helpers/wait';
import { send } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'src/cli/simulator.ts');

function run(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

function output(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c));
  child.stderr!.on('data', (c: Buffer) => (stderr += c));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('simulator: the CLI (node dist/simulator.js)', function () {
  // Each test starts a process (tsx compiles on the way): slow on a busy machine, never different.
  this.timeout(120_000);
  const children: ChildProcess[] = [];
  after(() => children.forEach((c) => c.exitCode === null && c.kill()));

  it('prints its URL, serves the API at the given time scale, and stops on SIGTERM', async () => {
    const child = run(['--port', '0', '--time-scale', '6000', '--id-style', 'video', '--query-shape', 'openai', '--seed', '3']);
    children.push(child);
    const exited = output(child);
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => {
        const m = /Juxin simulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(c.toString());
        if (m) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error('exited before listening')));
    });
    const agent = new Agent();
    // Veo 3.1 fast (Sora 2 is retired by default, as on the real relay): an 8 s job, a little under 4 minutes.
    const created = await send(agent, `${url}/v1/video/create`, 'POST', { json: { prompt: 'a cat', model: 'veo3.1-fast', images: [] } });
    assert.equal(created.status, 200);
    assert.match(created.json.id, /^video_/);
    // 6000×: simulated time runs 6000 ms per real ms. Measured between two answers of its clock, with the
    // real times around each request as bounds: exact, however long the requests themselves take.
    const simulatedNow = async () => (await send(agent, `${url}/__sim/tasks`, 'GET')).json.now as number;
    const [before1, sim1, after1] = [Date.now(), await simulatedNow(), Date.now()];
    // The job takes about 40 ms of real time: ask until it is done.
    await waitUntil(
      async () => (await send(agent, `${url}/v1/videos/${created.json.id}`, 'GET')).json.status === 'completed',
      30_000,
      'the job to complete',
      10,
    );
    const [before2, sim2, after2] = [Date.now(), await simulatedNow(), Date.now()];
    const elapsed = sim2 - sim1;
    assert.ok(
      elapsed >= 6000 * (before2 - after1) && elapsed <= 6000 * (after2 - before1),
      `${elapsed} simulated ms between ${before2 - after1} and ${after2 - before1} real ms`,
    );
    await agent.destroy();
    child.kill('SIGTERM');
    assert.equal((await exited).code, 0);
  });

  it('refuses bad options with a message and the usage, exit code 2', async () => {
    const result = await output(run(['--time-scale', '0']));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--time-scale must be a positive number/);
    assert.match(result.stderr, /Usage:/);
  });

  it('refuses a wire option it does not know, naming the ones there are; the usage lists the wire markers', async () => {
    const result = await output(run(['--query-shape', 'xml']));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--query-shape must be one of unified, openai, record, record-bare, mixed, by-id, got "xml"/);
    assert.match(result.stderr, /#sim:shape-record-bare/);
    assert.match(result.stderr, /#sim:model-not-found/);
  });

  it("serves the key's whitelist and retires Sora by default (as the real relay since 2026-09-24)", async () => {
    const child = run(['--port', '0', '--models', 'sora-2,veo3.1-fast,gpt-4o-mini', '--refusal-wording', 'chinese']);
    children.push(child);
    const exited = output(child);
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(c.toString());
        if (m) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error('exited before listening')));
    });
    const agent = new Agent();
    const listed = await send(agent, `${url}/v1/models`, 'GET');
    assert.deepEqual(
      listed.json.data.map((m: { id: string }) => m.id),
      ['gpt-4o-mini', 'veo3.1-fast'],
    );
    const refused = await send(agent, `${url}/v1/video/create`, 'POST', { json: { prompt: 'a cat', model: 'sora-2', images: [] } });
    assert.equal(refused.status, 503);
    assert.match(refused.json.error.message, /^分组 default 下模型 sora-2 无可用渠道/);
    await agent.destroy();
    child.kill('SIGTERM');
    assert.equal((await exited).code, 0);
  });

  it('--with-sora: a relay that still carries Sora; --retire-sora (the default) is still taken, but not with it', async () => {
    const child = run(['--port', '0', '--models', 'sora-2,veo3.1-fast', '--with-sora']);
    children.push(child);
    const exited = output(child);
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(c.toString());
        if (m) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error('exited before listening')));
    });
    const agent = new Agent();
    const listed = await send(agent, `${url}/v1/models`, 'GET');
    assert.deepEqual(
      listed.json.data.map((m: { id: string }) => m.id),
      ['sora-2', 'veo3.1-fast'],
    );
    const created = await send(agent, `${url}/v1/video/create`, 'POST', { json: { prompt: 'a cat', model: 'sora-2', images: [] } });
    assert.equal(created.status, 200);
    await agent.destroy();
    child.kill('SIGTERM');
    assert.equal((await exited).code, 0);
    const both = await output(run(['--with-sora', '--retire-sora']));
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--with-sora and --retire-sora contradict each other/);
  });

  it('refuses an unknown timing profile, naming the ones there are', async () => {
    const result = await output(run(['--profile', 'slow']));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--profile must be one of fast, typical, long-queue, no-progress, real-log, got "slow"/);
    assert.match(result.stderr, /fast \| typical \| long-queue \| no-progress \| real-log \(default typical\)/);
    assert.match(result.stderr, /#sim:profile-no-progress, #sim:profile-real-log/, 'the usage lists the profile markers');
    assert.match(result.stderr, /#sim:progress-smooth, #sim:progress-jump, #sim:progress-none/, 'and the progress markers');
  });
});
