// Bench section: a long history. Start time and memory of the engine with 1,000 and 10,000 records
// (the first start after an upgrade, which builds the index, and a normal one), and how soon the stdio
// server answers tools/list and list_videos with 10,000 records on disk.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import pMap from 'p-map';
import { VideoEngine } from '../core/engine';
import { TaskStore } from '../core/store';
import type { TaskRecord } from '../core/types';
import type { JuxinApi } from '../juxin/types';
import { DEFAULT_PARAMS } from '../core/params';

export const HISTORY_PROBE = '--history-probe';
const PROMPTS = [
  'a paper boat drifting down a rainy street at night',
  '樱花树下弹钢琴的猫，镜头缓慢推进',
  'a lighthouse at dusk, waves crashing',
  '赛博朋克城市的雨夜',
];

/** Writes `count` finished tasks the way the engine does (through the store), 32 at a time. */
export async function seed(home: string, count: number): Promise<number> {
  const store = new TaskStore(home);
  const t0 = performance.now();
  const start = Date.UTC(2026, 0, 1);
  await pMap(
    Array.from({ length: count }, (_, i) => i),
    async (i) => {
      const record: TaskRecord = {
        id: `sora-2:task_bench${String(i).padStart(6, '0')}`,
        source: 'mcp',
        origin: { kind: 'mcp', client: 'Claude Desktop', host: 'stdio' },
        createdAt: start + i * 60_000,
        updatedAt: start + i * 60_000,
        params: { ...DEFAULT_PARAMS, prompt: `${PROMPTS[i % PROMPTS.length]} #${i}` },
        status: 'completed',
        progress: 100,
        videoUrl: `https://videos.example.com/${i}/src.mp4?se=2026-01-02T00%3A00%3A00Z&sig=abcdef0123456789`,
        thumbnailUrl: `https://videos.example.com/${i}/thumbnail.webp`,
        saveDir: path.join(home, 'videos'),
        download: { state: 'done', localPath: path.join(home, 'videos', `2026-01-01_video_${i}.mp4`), bytes: 1_234_567 },
        completedAt: start + i * 60_000 + 240_000,
      };
      await store.put(record);
    },
    { concurrency: 32 },
  );
  return performance.now() - t0;
}

const noApi: JuxinApi = {
  createVideo: () => Promise.reject(new Error('not in this bench')),
  queryVideo: () => Promise.reject(new Error('not in this bench')),
  remixVideo: () => Promise.reject(new Error('not in this bench')),
  createCharacter: () => Promise.reject(new Error('not in this bench')),
  listModels: () => Promise.reject(new Error('not in this bench')),
  downloadHeaders: () => ({}),
};

interface StartFigures {
  ms: number;
  rssMb: number;
  heapMb: number;
  records: number;
}

/** The child side: one engine start in a fresh process, measured; prints StartFigures as JSON. */
export async function historyProbe(home: string): Promise<void> {
  (global as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const engine = new VideoEngine({ api: () => noApi, store: new TaskStore(home), videosDir: path.join(home, 'videos') });
  await engine.start();
  const ms = performance.now() - t0;
  (global as { gc?: () => void }).gc?.();
  const after = process.memoryUsage();
  const records = engine.list({}).length;
  await engine.dispose();
  process.stdout.write(
    JSON.stringify({ ms, rssMb: (after.rss - before.rss) / 1048576, heapMb: (after.heapUsed - before.heapUsed) / 1048576, records } satisfies StartFigures),
  );
}

async function probe(home: string): Promise<StartFigures> {
  const child = spawn(process.execPath, ['--expose-gc', path.join(__dirname, 'bench.js'), HISTORY_PROBE, home], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`history probe exited with ${code}`);
  return JSON.parse(out) as StartFigures;
}

/** Spawn → tools/list, and spawn → a list_videos answer (which waits for the history), with this home. */
async function serverAnswers(home: string): Promise<{ toolsMs: number; listMs: number; total: number }> {
  const t0 = performance.now();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(__dirname, 'server.js')],
    env: { ...getDefaultEnvironment(), JUXIN_API_KEY: 'sk-bench-made-up-key-0003', JUXIN_BASE_URL: 'http://127.0.0.1:9', JUXIN_SORA_HOME: home },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  await client.listTools();
  const toolsMs = performance.now() - t0;
  const list = (await client.callTool({ name: 'list_videos', arguments: { limit: 20 } })) as { structuredContent?: { total?: number } };
  const listMs = performance.now() - t0;
  await client.close();
  return { toolsMs, listMs, total: list.structuredContent?.total ?? -1 };
}

const f = (n: number, d = 0) => n.toFixed(d);

export async function historySection(): Promise<void> {
  console.log('5. A long history: engine start (fresh process) and memory with the records on disk');
  let server: { toolsMs: number; listMs: number; total: number } | undefined;
  for (const count of [1_000, 10_000]) {
    const home = mkdtempSync(path.join(tmpdir(), 'juxin-sora-history-'));
    try {
      const seedMs = await seed(home, count);
      rmSync(path.join(home, 'index'), { recursive: true, force: true });
      const cold = await probe(home); // no index yet: reads every file, then writes the index
      const warm = await probe(home);
      const warm2 = await probe(home);
      const best = warm.ms < warm2.ms ? warm : warm2;
      console.log(
        `   ${String(count).padStart(6)} records (written in ${f(seedMs / 1000, 1)} s): start ${f(best.ms)} ms with the index (${f(warm.ms)} / ${f(warm2.ms)}), ` +
          `${f(cold.ms)} ms building it; heap +${f(best.heapMb, 1)} MB, RSS +${f(best.rssMb, 1)} MB; ${best.records} loaded`,
      );
      if (count === 10_000) {
        server = await serverAnswers(home);
        console.log(
          `   stdio server with ${count} records: tools/list after ${f(server.toolsMs)} ms, list_videos (waits for the history) after ${f(server.listMs)} ms, total ${server.total}`,
        );
        const target = best.ms < 1000;
        console.log(`   → start with 10,000 records under 1 s: ${target ? 'PASS' : 'FAIL'} (${f(best.ms)} ms)\n`);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
}
