// `npm run bench`: measures the targets of the generation core against the simulator, in one run.
//   1. the tracker on every relay timing profile (fast, typical, long-queue, no-progress, real-log), on
//      simulated time, beside a fixed 10 s poller on the same jobs: one user's tasks, and a storyboard's
//      20 in flight on one key under the shared rate cap (benchTracking.ts; targets: p90 detection
//      delay ≤ 12 s on every profile, all queries together ≤ 40% of the fixed poller's)
//   2. spawn-to-tools/list time of the stdio binary (target < 300 ms)
//   3. memory growth while downloading a 200 MB video (target < 30 MB), beside a 20 MB one
//   4. request rate with 50 concurrent tasks (never above the cap)
//   5. a long history: start time and memory with 1,000 and 10,000 records (target: < 1 s with 10,000)
//   6. joining storyboard clips into a film without re-encoding: time, and memory as the film grows
//   7. tracking with 1, 2 and 3 stdio servers on one home: queries per task and detection p90 per profile
//   8. the Videos view over 10,000 tasks: queries, days, message sizes (benchGallery.ts)
//   9. the Videos view right after VS Code starts: the cold path to the first card (benchColdStart.ts)
// Not part of the tests: timing figures depend on the machine.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { request } from 'undici';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { VideoEngine } from '../core/engine';
import { TaskStore } from '../core/store';
import { downloadVideo } from '../core/downloader';
import { validateGenerationParams } from '../core/params';
import { JuxinClient } from '../juxin/client';
import type { GenerationParams, JuxinApi } from '../juxin/types';
import { PROFILE_NAMES, startSimulator, type Simulator } from '../simulator';
import { findMediaFile } from '../simulator/video';
import { assembleFilm } from '../storyboard/assemble';
import { findFfmpeg } from '../storyboard/ffmpegJoin';
import { scaledClock, type Clock } from '../util/clock';
import { seededRandom } from '../util/random';
import { HISTORY_PROBE, historyProbe, historySection } from './benchHistory';
import { busiest, pollingFigures } from './pollingFigures';
import { trackingSection, userParams } from './benchTracking';
import { gallerySection } from './benchGallery';
import { COLD_PROBE, coldProbe, coldStartSection } from './benchColdStart';

const KEY = 'sk-bench-made-up-key-0003';
/** The benchmark orders hundreds of (simulated) videos: the daily limits would stop it at 20. */
const NO_LIMITS = { dailyVideos: 0, dailySeconds: 0, prices: {} };
const RATE_SCALE = 4;

/** An 8 s veo3.1-fast job, the default model of a key that can use it (the relay carries Sora 2 no more). */
const params = (prompt: string): GenerationParams => validateGenerationParams({ prompt, model: 'veo3.1-fast' });

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n: number, digits = 1) => n.toFixed(digits);

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'juxin-sora-bench-'));
}

// ---- 7. tracking through stdio servers --------------------------------------------------------

const TRACK_SCALE = 50; // slower than the rest: a millisecond of event-loop delay is 0.05 simulated seconds
const TRACK_JOBS = 24;
const TRACK_MAX_GAP_MS = 60_000;

/**
 * The same runner with stdio servers instead of an in-process engine: `processes` servers share one home
 * (VS Code windows and other MCP clients on one machine), tasks are created round-robin through them,
 * and each creator waits for its own. Whoever holds a task's lease tracks it.
 */
async function runOnServers(sim: Simulator, clock: Clock, origin: number, count: number, seed: number, processes: number): Promise<string[]> {
  const home = tempDir();
  const env = {
    ...getDefaultEnvironment(),
    JUXIN_API_KEY: KEY,
    JUXIN_BASE_URL: sim.url,
    JUXIN_SORA_HOME: home,
    JUXIN_TIME_SCALE: String(TRACK_SCALE),
    JUXIN_TIME_ORIGIN: String(origin),
    JUXIN_MAX_REQUESTS_PER_SECOND: '100',
    JUXIN_DAILY_VIDEO_LIMIT: '0',
    JUXIN_DAILY_SECONDS_LIMIT: '0',
  };
  const clients: Client[] = [];
  try {
    for (let i = 0; i < processes; i++) {
      const client = new Client({ name: 'bench', version: '1' });
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [path.join(__dirname, 'server.js')], env, stderr: 'ignore' }));
      clients.push(client);
    }
    const random = seededRandom(seed);
    const ids: string[] = [];
    const waits: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      await clock.sleep(random() * TRACK_MAX_GAP_MS);
      const p = userParams(random, i);
      const client = clients[i % processes];
      const made = (await client.callTool({
        name: 'generate_video',
        arguments: { prompt: p.prompt, model: p.model, duration: p.duration, wait: false },
      })) as { structuredContent?: { task_id: string }; content: unknown };
      if (!made.structuredContent) throw new Error(`generate_video failed: ${JSON.stringify(made.content)}`);
      const id = made.structuredContent.task_id;
      ids.push(id);
      waits.push(
        (async () => {
          for (;;) {
            const r = (await client.callTool({ name: 'wait_for_video', arguments: { task_id: id, timeout_seconds: 3600 } }, undefined, {
              timeout: 600_000,
            })) as {
              structuredContent?: { timed_out?: boolean };
            };
            if (!r.structuredContent?.timed_out) return;
          }
        })(),
      );
    }
    await Promise.all(waits);
    return ids;
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    rmSync(home, { recursive: true, force: true });
  }
}

async function processesSection(): Promise<void> {
  const origin = Date.now();
  const clock = scaledClock(TRACK_SCALE, origin);
  console.log(
    `7. Tracking with 1, 2 and 3 stdio servers on one home (${TRACK_JOBS} tasks per profile created 0–${TRACK_MAX_GAP_MS / 1000} s apart, round-robin; the engine over HTTP on a scaled clock, so the figures depend a little on the machine), simulator at ${TRACK_SCALE}×`,
  );
  console.log(`   processes  ${PROFILE_NAMES.map((p) => p.padEnd(24)).join('')}overall`);
  for (const processes of [1, 2, 3]) {
    const figures = await Promise.all(
      PROFILE_NAMES.map(async (profile) => {
        const sim = await startSimulator({ clock, quiet: true, profile, seed: 7 });
        try {
          return pollingFigures(sim, await runOnServers(sim, clock, origin, TRACK_JOBS, 11, processes));
        } finally {
          await sim.close();
        }
      }),
    );
    const cells = figures.map((f) => `${fmt(f.queries / f.tasks)} q/t, p90 ${fmt(f.p90)} s`.padEnd(24));
    const queries = figures.reduce((a, f) => a + f.queries, 0);
    const fixed = figures.reduce((a, f) => a + f.fixedQueries, 0);
    const worst = Math.max(...figures.map((f) => f.p90));
    console.log(`   ${String(processes).padEnd(10)} ${cells.join('')}${fmt((100 * queries) / fixed, 0)}% of fixed, worst p90 ${fmt(worst)} s`);
  }
  console.log('   (q/t: status queries per task; every process shares one rate cap, and only the lease holder queries a task)\n');
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

async function rateWithManyTasks(count: number, cap: number): Promise<{ maxInWindow: number; requests: number; arrivedMax: number }> {
  const { url, child } = await spawnSimulator(['--time-scale', String(RATE_SCALE)]);
  const clock = scaledClock(RATE_SCALE);
  const home = tempDir();
  try {
    const client = new JuxinClient({ apiKey: KEY, baseUrl: url, clock });
    // Every request the engine sends on the key, stamped on its own clock as it goes out (after the rate cap's turn).
    const sent: number[] = [];
    const stamp = <T>(send: () => Promise<T>): Promise<T> => (sent.push(clock.now()), send());
    const api: JuxinApi = {
      createVideo: (p, o) => stamp(() => client.createVideo(p, o)),
      queryVideo: (id, o) => stamp(() => client.queryVideo(id, o)),
      remixVideo: (id, prompt, o) => stamp(() => client.remixVideo(id, prompt, o)),
      createCharacter: (source, ts, o) => stamp(() => client.createCharacter(source, ts, o)),
      listModels: (o) => stamp(() => client.listModels(o)),
      downloadHeaders: (u) => client.downloadHeaders(u),
    };
    const engine = new VideoEngine({
      api: () => api,
      store: new TaskStore(home),
      videosDir: path.join(home, 'videos'),
      clock,
      minPollIntervalMs: 1000,
      maxRequestsPerSecond: cap,
      spendLimits: () => NO_LIMITS,
    });
    await engine.start();
    const tasks: { id: string }[] = [];
    for (let i = 0; i < count; i++) tasks.push(await engine.generate(params(`crowd ${i}`), 'bench'));
    await Promise.all(tasks.map((t) => engine.waitFor(t.id, { timeoutMs: 60 * 60_000 })));
    await engine.dispose();
    // Also as the relay saw them arrive (its own process, simulated time): network and a busy machine bunch them a little.
    const { body } = await request(`${url}/__sim/requests`);
    const { requests } = (await body.json()) as { requests: { path: string; at: number; target?: string }[] };
    const arrived = requests.filter((r) => r.target !== 'download' && !r.path.startsWith('/files/') && !r.path.startsWith('/__sim')).map((r) => r.at);
    return { maxInWindow: busiest(sent), requests: sent.length, arrivedMax: busiest(arrived) };
  } finally {
    child.kill();
    rmSync(home, { recursive: true, force: true });
  }
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
    `4. 50 concurrent tasks, cap ${cap} requests/s: ${rate.requests} API requests, at most ${rate.maxInWindow} sent in any 1 s window (simulated time; ` +
      `as they arrived at the relay: ${rate.arrivedMax}); never above the cap: ${rate.maxInWindow <= cap ? 'PASS' : 'FAIL'}`,
  );
}

/** Joins `count` clips (the given files in turn, two subtitle lines each) and samples the RSS growth while it runs. */
async function joinClips(count: number, dir: string, files: string[]): Promise<{ seconds: number; filmSeconds: number; rssMb: number; mb: number }> {
  const subtitles = [
    { start: 500, end: 2500, text: '雨下了一整夜。' },
    { start: 3000, end: 5000, text: 'Is there coffee left?' },
  ];
  const clips = Array.from({ length: count }, (_, i) => ({ file: files[i % files.length], subtitles }));
  const output = path.join(dir, `film-${count}.mp4`);
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const t0 = performance.now();
  const result = await assembleFilm({ clips, output });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const { size } = statSync(output);
  rmSync(output);
  if (result.subtitlesFile) rmSync(result.subtitlesFile);
  return { seconds, filmSeconds: result.duration, rssMb: (peak - baseline) / 1024 / 1024, mb: size / 1024 / 1024 };
}

/** A 10 s 1280x720 clip at about 5 Mb/s, the size of a real one, made with ffmpeg (not kept). */
function bigClip(dir: string): string | undefined {
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) return undefined;
  const file = path.join(dir, 'big.mp4');
  execFileSync(ffmpeg, [
    '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=10,noise=alls=30:allf=t', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=10',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '5M', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', '-shortest', file,
  ]); // prettier-ignore
  return file;
}

async function joinSection(): Promise<void> {
  const dir = tempDir();
  try {
    const small = [1, 2, 3].map((i) => findMediaFile(`clips/clip-${i}.mp4`));
    await joinClips(3, dir, small); // loads the code paths
    const line = (n: number, r: Awaited<ReturnType<typeof joinClips>>) =>
      `   ${String(n).padStart(3)} clips → ${fmt(r.filmSeconds / 60)} min film, ${fmt(r.mb, 0)} MB: ${fmt(r.seconds * 1000, 0)} ms, RSS growth ${fmt(r.rssMb)} MB`;
    console.log('6. joining clips without re-encoding (two subtitle lines a clip, embedded as a soft track and written beside the film)');
    console.log('   the test clips (media/clips, 320x180):');
    const three = await joinClips(3, dir, small);
    console.log(line(3, three));
    const most = await joinClips(120, dir, small);
    console.log(line(120, most));
    const big = bigClip(dir);
    let bigRun: Awaited<ReturnType<typeof joinClips>> | undefined;
    if (big) {
      console.log('   a real-sized clip (10 s, 1280x720, ~6 MB) repeated:');
      console.log(line(10, await joinClips(10, dir, [big])));
      bigRun = await joinClips(40, dir, [big]);
      console.log(line(40, bigRun));
    } else console.log('   (no ffmpeg on PATH: the real-sized clips were skipped)');
    const perMinute = most.seconds / (most.filmSeconds / 60);
    console.log(
      `   targets: under 0.5 s per film minute (${fmt(perMinute, 2)} s): ${perMinute < 0.5 ? 'PASS' : 'FAIL'}; ` +
        `RSS growth under 100 MB however big the film (${fmt(Math.max(most.rssMb, bigRun?.rssMb ?? 0))} MB): ${Math.max(most.rssMb, bigRun?.rssMb ?? 0) < 100 ? 'PASS' : 'FAIL'}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run bench` runs every section; `npm run bench -- 2 3` only those. */
async function main(): Promise<void> {
  const sections = [
    trackingSection,
    startupSection,
    memorySection,
    rateSection,
    historySection,
    joinSection,
    processesSection,
    gallerySection,
    coldStartSection,
  ];
  const chosen = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 1 && n <= sections.length);
  console.log(`Juxin Sora benchmark (Node ${process.version}; the simulator runs faster than real time, each section says how much)\n`);
  for (const [i, section] of sections.entries()) if (!chosen.length || chosen.includes(i + 1)) await section();
}

const probeAt = process.argv.indexOf(MEMORY_PROBE);
const historyAt = process.argv.indexOf(HISTORY_PROBE);
const coldAt = process.argv.indexOf(COLD_PROBE);
(coldAt > 0
  ? coldProbe(process.argv[coldAt + 1])
  : probeAt > 0
    ? memoryProbe(process.argv[probeAt + 1], process.argv[probeAt + 2])
    : historyAt > 0
      ? historyProbe(process.argv[historyAt + 1])
      : main()
).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
