// `npm run bench`: measures the targets of the generation core against the simulator, in one run.
//   1. adaptive tracker vs a fixed 10 s poller on the same simulated 4-minute jobs: queries per task
//      and completion-detection delay (target: ≤ 40% of the queries, median delay no worse)
//   2. spawn-to-tools/list time of the stdio binary (target < 300 ms)
//   3. memory growth while downloading a 200 MB video (target < 30 MB), beside a 20 MB one
//   4. request rate with 50 concurrent tasks (never above the cap)
//   5. the Videos view over 10,000 tasks: queries, days, message sizes (benchGallery.ts)
// Not part of the tests: timing figures depend on the machine.
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'undici';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { VideoEngine } from '../core/engine';
import { TaskStore } from '../core/store';
import { downloadVideo } from '../core/downloader';
import { validateGenerationParams } from '../core/params';
import { JuxinClient } from '../juxin/client';
import type { GenerationParams } from '../juxin/types';
import { startSimulator, type Simulator } from '../simulator';
import { scaledClock } from '../util/clock';
import { gallerySection } from './benchGallery';

const KEY = 'sk-bench-made-up-key-0003';
const SCALE = 100; // simulated seconds per real second
const JOBS = 20;
const RATE_SCALE = 4;

/** A default 10 s sora-2 job: the "simulated 4-minute job" of the targets. */
const params = (prompt: string): GenerationParams => validateGenerationParams({ prompt });

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n: number, digits = 1) => n.toFixed(digits);

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'juxin-sora-bench-'));
}

/**
 * How long after the job really completed the poller asked about it: the first query the simulator
 * received at or after completion (the same measure for both pollers, before any bookkeeping).
 */
function detectionDelay(sim: Simulator, id: string): number {
  const done = completedAt(sim, id);
  const first = sim.requests.find((r) => r.method === 'GET' && r.query?.id === id && r.at >= done);
  if (!first) throw new Error(`no query of ${id} after completion`);
  return (first.at - done) / 1000;
}

/** Simulated time at which the simulator's job really completed. */
function completedAt(sim: Simulator, id: string): number {
  const task = sim.tasks.get(id);
  if (!task) throw new Error(`simulator does not know ${id}`);
  return task.completesAt;
}

function queriesFor(sim: Simulator, id: string): number {
  return sim.requests.filter((r) => r.method === 'GET' && !r.path.startsWith('/files/') && (r.query?.id === id || r.path.includes(encodeURIComponent(id))))
    .length;
}

async function adaptiveRun(): Promise<{ queries: number[]; delays: number[] }> {
  // One clock for the simulator and the engine: both see the same simulated time.
  const clock = scaledClock(SCALE);
  const sim = await startSimulator({ clock, quiet: true });
  const home = tempDir();
  const api = new JuxinClient({ apiKey: KEY, baseUrl: sim.url, clock });
  const engine = new VideoEngine({
    api: () => api,
    store: new TaskStore(home),
    videosDir: path.join(home, 'videos'),
    clock,
    minPollIntervalMs: 5000,
    maxRequestsPerSecond: 1000,
  });
  await engine.start();
  const tasks = await Promise.all(Array.from({ length: JOBS }, (_, i) => engine.generate(params(`adaptive ${i}`), 'bench')));
  await Promise.all(tasks.map((t) => engine.waitFor(t.id, { timeoutMs: 30 * 60_000 })));
  const result = {
    queries: tasks.map((t) => queriesFor(sim, t.id)),
    delays: tasks.map((t) => detectionDelay(sim, t.id)),
  };
  await engine.dispose();
  await sim.close();
  rmSync(home, { recursive: true, force: true });
  return result;
}

async function fixedRun(intervalMs: number): Promise<{ queries: number[]; delays: number[] }> {
  const clock = scaledClock(SCALE);
  const sim = await startSimulator({ clock, quiet: true });
  const api = new JuxinClient({ apiKey: KEY, baseUrl: sim.url, clock });
  const runOne = async (i: number) => {
    const created = await api.createVideo(params(`fixed ${i}`));
    let queries = 0;
    for (;;) {
      await clock.sleep(intervalMs);
      queries++;
      const t = await api.queryVideo(created.id);
      if (t.status === 'completed' || t.status === 'failed') {
        return { queries, delay: detectionDelay(sim, created.id) };
      }
    }
  };
  const runs = await Promise.all(Array.from({ length: JOBS }, (_, i) => runOne(i)));
  await sim.close();
  return { queries: runs.map((r) => r.queries), delays: runs.map((r) => r.delay) };
}

async function spawnToToolsList(runs = 10): Promise<number[]> {
  const serverJs = path.join(__dirname, 'server.js');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const home = tempDir();
    const t0 = performance.now();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [serverJs],
      env: { ...getDefaultEnvironment(), JUXIN_API_KEY: KEY, JUXIN_BASE_URL: 'http://127.0.0.1:9', JUXIN_SORA_HOME: home },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'bench', version: '1' });
    await client.connect(transport);
    await client.listTools();
    times.push(performance.now() - t0);
    await client.close();
    rmSync(home, { recursive: true, force: true });
  }
  return times;
}

/** A simulator in its own process: its timestamps and memory are not disturbed by the code measured here. */
async function spawnSimulator(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'simulator.js'), '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = out.match(/https?:\/\/127\.0\.0\.1:\d+/);
      if (m) resolve(m[0]);
    });
    child.on('exit', () => reject(new Error('simulator exited')));
  });
  return { url, child };
}

interface MemoryFigures {
  /** Peak RSS over the baseline during the process's first full download, in MB. */
  firstMb: number;
  /** The same during a second download in the same process (a long-running server or extension host). */
  secondMb: number;
  /** Peak of process.memoryUsage().arrayBuffers over the baseline during the first download: socket buffers awaiting GC. */
  arrayBuffersMb: number;
  seconds: number;
}

/**
 * Downloads a synthetic video of `bytes` in a fresh Node process started with --expose-gc, so nothing
 * measured before disturbs it: a first transfer cut after 1 MB loads every code path; then, twice, a
 * full GC, the baseline, and a whole download with RSS sampled every 10 ms.
 */
async function downloadMemory(bytes: number): Promise<MemoryFigures> {
  // The simulator runs in its own process so only the downloader's memory is measured.
  const { url, child } = await spawnSimulator(['--time-scale', '1000', '--video-bytes', String(bytes)]);
  try {
    const api = new JuxinClient({ apiKey: KEY, baseUrl: url });
    const created = await api.createVideo(params('big file'));
    while ((await api.queryVideo(created.id)).status !== 'completed') await new Promise((r) => setTimeout(r, 50));
    const probe = spawn(process.execPath, ['--expose-gc', __filename, MEMORY_PROBE, url, created.id], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    probe.stdout!.on('data', (c: Buffer) => (out += c));
    const code = await new Promise<number | null>((resolve) => probe.on('close', resolve));
    if (code !== 0) throw new Error(`memory probe exited with ${code}`);
    return JSON.parse(out) as MemoryFigures;
  } finally {
    child.kill();
  }
}

const MEMORY_PROBE = '--memory-probe';

/** The child side of downloadMemory: prints MemoryFigures as JSON. */
async function memoryProbe(baseUrl: string, taskId: string): Promise<void> {
  const api = new JuxinClient({ apiKey: KEY, baseUrl });
  const home = tempDir();
  // A fresh signed URL each time: at 1000× the simulator's links expire within seconds.
  const freshUrl = async () => (await api.queryVideo(taskId)).videoUrl!;
  const measure = async (name: string) => {
    const url = await freshUrl();
    (global as { gc?: () => void }).gc?.();
    const baseline = process.memoryUsage();
    let rss = 0;
    let arrayBuffers = 0;
    const sample = () => {
      const now = process.memoryUsage();
      rss = Math.max(rss, now.rss - baseline.rss);
      arrayBuffers = Math.max(arrayBuffers, now.arrayBuffers - baseline.arrayBuffers);
    };
    const sampler = setInterval(sample, 10);
    const t0 = performance.now();
    await downloadVideo({ url, destDir: home, fileName: name });
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    sample();
    rmSync(path.join(home, name));
    return { rssMb: rss / 1024 / 1024, arrayBuffersMb: arrayBuffers / 1024 / 1024, seconds };
  };
  try {
    const warmUp = new AbortController();
    await downloadVideo({
      url: await freshUrl(),
      destDir: home,
      fileName: 'warm-up.mp4',
      signal: warmUp.signal,
      onProgress: (n) => n > 1024 * 1024 && warmUp.abort(),
    }).catch(() => undefined);
    const first = await measure('first.mp4');
    const second = await measure('second.mp4');
    process.stdout.write(
      JSON.stringify({ firstMb: first.rssMb, secondMb: second.rssMb, arrayBuffersMb: first.arrayBuffersMb, seconds: first.seconds } satisfies MemoryFigures),
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function rateWithManyTasks(count: number, cap: number): Promise<{ maxInWindow: number; requests: number }> {
  // The simulator stamps each request as it arrives, in its own process (an event loop shared with 50
  // tasks would stamp late); a slower clock keeps a millisecond of jitter small in simulated time.
  const { url, child } = await spawnSimulator(['--time-scale', String(RATE_SCALE)]);
  const clock = scaledClock(RATE_SCALE);
  const home = tempDir();
  try {
    const api = new JuxinClient({ apiKey: KEY, baseUrl: url, clock });
    const engine = new VideoEngine({
      api: () => api,
      store: new TaskStore(home),
      videosDir: path.join(home, 'videos'),
      clock,
      minPollIntervalMs: 1000,
      maxRequestsPerSecond: cap,
    });
    await engine.start();
    const tasks: { id: string }[] = [];
    for (let i = 0; i < count; i++) tasks.push(await engine.generate(params(`crowd ${i}`), 'bench'));
    await Promise.all(tasks.map((t) => engine.waitFor(t.id, { timeoutMs: 60 * 60_000 })));
    await engine.dispose();
    const { body } = await request(`${url}/__sim/requests`);
    const { requests } = (await body.json()) as { requests: { path: string; at: number }[] };
    // Requests to the API (not file downloads), on the simulated clock: the most in any one-second window.
    const times = requests
      .filter((r) => !r.path.startsWith('/files/') && !r.path.startsWith('/__sim'))
      .map((r) => r.at)
      .sort((a, b) => a - b);
    let maxInWindow = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      maxInWindow = Math.max(maxInWindow, i - j + 1);
    }
    return { maxInWindow, requests: times.length };
  } finally {
    child.kill();
    rmSync(home, { recursive: true, force: true });
  }
}

async function pollingSection(): Promise<void> {
  const adaptive = await adaptiveRun();
  const fixed = await fixedRun(10_000);
  const qa = adaptive.queries.reduce((a, b) => a + b, 0) / JOBS;
  const qf = fixed.queries.reduce((a, b) => a + b, 0) / JOBS;
  const da = median(adaptive.delays);
  const df = median(fixed.delays);
  console.log(`1. ${JOBS} simulated 4-minute jobs`);
  console.log(`   fixed 10 s poller: ${fmt(qf)} queries/task, median detection delay ${fmt(df)} s`);
  console.log(`   adaptive tracker : ${fmt(qa)} queries/task, median detection delay ${fmt(da)} s`);
  console.log(`   detection delays (s), adaptive: ${adaptive.delays.map((d) => fmt(d)).join(' ')}`);
  console.log(`   detection delays (s), fixed   : ${fixed.delays.map((d) => fmt(d)).join(' ')}`);
  console.log(
    `   → ${fmt((100 * qa) / qf, 0)}% of the queries (target ≤ 40%): ${qa <= 0.4 * qf ? 'PASS' : 'FAIL'}; delay ${da <= df ? 'no worse' : 'WORSE'} (target: no worse): ${da <= df ? 'PASS' : 'FAIL'}\n`,
  );
}

async function startupSection(): Promise<void> {
  const spawnTimes = await spawnToToolsList();
  const ms = median(spawnTimes);
  console.log(
    `2. spawn → tools/list: median ${fmt(ms, 0)} ms over ${spawnTimes.length} runs (min ${fmt(Math.min(...spawnTimes), 0)}, max ${fmt(Math.max(...spawnTimes), 0)}); target < 300 ms: ${ms < 300 ? 'PASS' : 'FAIL'}\n`,
  );
}

async function memorySection(): Promise<void> {
  const big = await downloadMemory(200 * 1024 * 1024);
  const small = await downloadMemory(20 * 1024 * 1024);
  console.log(`3. RSS growth while downloading (a fresh process, code paths loaded by a 1 MB transfer, baseline after a full GC):`);
  console.log(
    `   200 MB video: ${fmt(big.firstMb)} MB in ${fmt(big.seconds)} s (socket buffers awaiting GC: ${fmt(big.arrayBuffersMb)} MB); a second one in the same process: ${fmt(big.secondMb)} MB`,
  );
  console.log(`    20 MB video: ${fmt(small.firstMb)} MB; a second one: ${fmt(small.secondMb)} MB — the growth does not follow the file size`);
  console.log(
    `   target < 30 MB for the 200 MB video: ${big.firstMb < 30 ? 'PASS' : 'FAIL'} (first download), ${big.secondMb < 30 ? 'PASS' : 'FAIL'} (second)\n`,
  );
}

async function rateSection(): Promise<void> {
  const cap = 2;
  const rate = await rateWithManyTasks(50, cap);
  console.log(
    `4. 50 concurrent tasks, cap ${cap} requests/s: ${rate.requests} API requests, at most ${rate.maxInWindow} in any 1 s window (simulated time); never above the cap: ${rate.maxInWindow <= cap ? 'PASS' : 'FAIL'}`,
  );
}

/** `npm run bench` runs every section; `npm run bench -- 2 3` only those. */
async function main(): Promise<void> {
  const sections = [pollingSection, startupSection, memorySection, rateSection, gallerySection];
  const chosen = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 1 && n <= sections.length);
  console.log(`Juxin Sora benchmark (Node ${process.version}, simulator at ${SCALE}× real time)\n`);
  for (const [i, section] of sections.entries()) if (!chosen.length || chosen.includes(i + 1)) await section();
}

const probeAt = process.argv.indexOf(MEMORY_PROBE);
(probeAt > 0 ? memoryProbe(process.argv[probeAt + 1], process.argv[probeAt + 2]) : main()).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
