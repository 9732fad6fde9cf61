// `npm run bench -- 5`: the Videos view's side of a 10,000-video history, in this process: the one
// query module (search, filters, days) and the messages the view gets (a page, one task's change).
// The in-browser figures (first card, DOM size, heap, scrolling) are measured in the real VS Code
// by test/vscode/e2e/gallery.mjs and printed by `node test/vscode/run.mjs`.
import { countTasks, groupByDay, matchTasks, queryTasks } from '../core/query';
import type { TaskRecord } from '../core/types';
import { ResultsFeed } from '../extension/views/feed';
import { toSnapshot } from '../extension/views/snapshot';
import { seededRandom } from '../util/random';
import { DEFAULT_PARAMS } from '../core/params';

const COUNT = 10_000;
const WORDS_ZH = ['柴犬', '熊猫', '纸船', '樱花', '雪地', '霓虹', '竹林', '锦鲤'];
const WORDS_EN = ['shiba', 'panda', 'paper boat', 'cherry blossoms', 'snow', 'neon', 'bamboo', 'koi'];

function history(now: number): TaskRecord[] {
  const random = seededRandom(5);
  const pick = (xs: string[]) => xs[Math.floor(random() * xs.length)];
  let t = now;
  return Array.from({ length: COUNT }, (_, n) => {
    t -= Math.floor(10 * 60_000 + random() * 60 * 60_000);
    const failed = random() < 0.08;
    return {
      id: `sora-2:task_${n}`,
      source: 'vscode',
      origin: random() < 0.5 ? { kind: 'palette', host: 'vscode' } : { kind: 'mcp', client: 'Visual Studio Code', host: 'vscode' },
      createdAt: t,
      updatedAt: t,
      params: {
        ...DEFAULT_PARAMS,
        prompt: n % 2 ? `一只${pick(WORDS_ZH)}在${pick(WORDS_ZH)}里，电影感，慢动作` : `a ${pick(WORDS_EN)} in the ${pick(WORDS_EN)}, cinematic slow motion`,
      },
      status: failed ? 'failed' : 'completed',
      progress: failed ? 0 : 100,
      thumbnailUrl: `https://cdn.example/${n}.webp`,
      download: failed ? { state: 'none' } : { state: 'done', localPath: `/videos/${n}.mp4` },
    } satisfies TaskRecord;
  });
}

/** Median of `runs` timings of fn, in ms. */
function time(runs: number, fn: () => unknown): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

export async function gallerySection(): Promise<void> {
  const now = Date.now();
  const records = history(now);
  const zone = 'Asia/Shanghai';
  const fmt = (n: number) => n.toFixed(1);
  const all = time(20, () => matchTasks(records, {}));
  const zh = time(20, () => matchTasks(records, { text: '柴犬 雪地' }));
  const en = time(20, () => matchTasks(records, { text: 'Paper Boat neon' }));
  const failed = time(20, () => queryTasks(records, { phases: ['failed'], offset: 0, limit: 50 }));
  const sorted = matchTasks(records, {});
  const days = time(20, () => groupByDay(sorted, now, zone));
  const counts = time(20, () => countTasks(records));
  console.log(`8. The Videos view over ${COUNT} tasks (median of 20 runs, this process):`);
  console.log(
    `   every task, newest first ${fmt(all)} ms; search "柴犬 雪地" ${fmt(zh)} ms; "Paper Boat neon" ${fmt(en)} ms; failed, first page ${fmt(failed)} ms`,
  );
  console.log(`   ${groupByDay(sorted, now, zone).length} days grouped in ${fmt(days)} ms; counts of every phase and source ${fmt(counts)} ms`);

  const map = new Map(records.map((r) => [r.id, r]));
  const feed = new ResultsFeed(
    { list: () => [...map.values()], get: (id) => map.get(id) },
    (t) => toSnapshot(t, { baseUrl: 'https://api.jxincm.cn', chinese: true }),
    () => now,
  );
  let results: unknown;
  const query = time(10, () => (results = feed.setQuery({ seq: 1, query: { text: '', phases: [], sources: [] }, timeZone: zone, offset: 0, limit: 50 })));
  const page = feed.page({ seq: 1, offset: 5_000, limit: 50 });
  const running = { ...records[10], status: 'processing' as const, progress: 42, download: { state: 'none' as const } };
  map.set(running.id, running);
  const change = feed.changed({ ...running, progress: 43 }).messages[0];
  const bytes = (m: unknown) => Buffer.byteLength(JSON.stringify(m));
  const oldWay = bytes(records.map((r) => toSnapshot(r, { baseUrl: 'https://api.jxincm.cn', chinese: true })));
  console.log(
    `   a new query (all ${COUNT}) answered in ${fmt(query)} ms: ${bytes(results)} bytes with its first 50 tasks and every day; a page of 50: ${bytes(page)} bytes`,
  );
  console.log(
    `   one task's progress: ${bytes(change)} bytes (target: one small message); the whole history as snapshots (the old first paint): ${(oldWay / 1e6).toFixed(1)} MB\n`,
  );
}
