// Seeds a task history for the gallery tests and the screenshots, through the store's own API
// (TaskStore.put), so a change of the on-disk format cannot break it. Realistic prompts in Chinese
// and English, every source and state, dozens of videos a day going back months.
//   node --import tsx test/vscode/seed.ts --home DIR --count 10000 [--videos DIR --files 20] [--posters URL_PREFIX] [--now MS] [--index]
// --index also writes the history's index, as any engine that has loaded the history once has: the
// start of a window on a long-used history (without it, the first engine to start builds it).
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { TaskOrigin } from '../../src/core/origin';
import { TaskStore } from '../../src/core/store';
import type { TaskRecord } from '../../src/core/types';
import { seededRandom } from '../../src/util/random';

const ROOT = path.resolve(__dirname, '../..');

const SUBJECTS_ZH = ['一只柴犬', '穿汉服的女孩', '一只橘猫', '老式蒸汽火车', '一群锦鲤', '赛博朋克机器人', '大熊猫宝宝', '一只纸船', '骑自行车的少年', '白鹤'];
const ACTIONS_ZH = [
  '在雪地里奔跑',
  '在樱花树下弹古筝',
  '在窗台上打盹',
  '穿过金色的麦田',
  '在荷花池里游动',
  '在霓虹灯下的雨夜漫步',
  '在竹林里吃竹子',
  '顺着下雨的街道漂流',
  '沿着海边公路飞驰',
  '掠过云雾缭绕的山峰',
];
const STYLES_ZH = ['慢动作，电影感', '航拍镜头，清晨的阳光', '水墨画风格', '宫崎骏动画风格', '胶片质感，暖色调', '4K 纪录片风格'];
const SUBJECTS_EN = [
  'A shiba inu',
  'An astronaut',
  'A paper boat',
  'A red fox',
  'A vintage tram',
  'A hummingbird',
  'A lighthouse keeper',
  'A koi fish',
  'A street food vendor',
  'A snow leopard',
];
const ACTIONS_EN = [
  'running through fresh snow',
  'drifting down a rainy street at night',
  'walking through a field of sunflowers',
  'hovering over tropical flowers',
  'climbing a spiral staircase',
  'cooking noodles at a night market',
  'crossing a frozen lake at dawn',
  'gliding through a bamboo forest',
];
const STYLES_EN = [
  'slow dolly-in, shallow depth of field',
  'aerial drone shot, golden hour',
  'Studio Ghibli style',
  '35mm film, warm tones',
  'handheld documentary style',
  'neon reflections, cinematic',
];
const FAILURES = [
  'Content moderation: the prompt may violate our content policy',
  '内容审核未通过：提示词涉及真人',
  'upstream error: 请求上游地址失败',
  'timed out: Juxin did not finish the task within 120 minutes',
];
const ORIGINS: [number, TaskOrigin][] = [
  [40, { kind: 'palette', host: 'vscode' }],
  [35, { kind: 'mcp', client: 'Visual Studio Code', host: 'vscode' }],
  [10, { kind: 'mcp', client: 'Claude Desktop', host: 'stdio' }],
  [5, { kind: 'mcp', client: 'Cursor', host: 'stdio' }],
  [10, { kind: 'storyboard', host: 'vscode', storyboard: 'stories/雨夜纸船.storyboard.md' }],
];

export interface SeedOptions {
  home: string;
  count: number;
  /** Newest first: task 0 is the newest. */
  now?: number;
  /** Where the files of the newest finished tasks go (copies of media/sample.mp4). */
  videos?: string;
  files?: number;
  /** Thumbnails: `${posters}${n % 24}.webp` (the page loads them like the vendor's). */
  posters?: string;
  /** Exact prompts for the newest tasks (screenshots), in order. */
  prompts?: string[];
  seed?: number;
}

/** One made-up but realistic prompt. */
export function prompt(random: () => number, n: number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  return n % 2 ? `${pick(SUBJECTS_ZH)}${pick(ACTIONS_ZH)}，${pick(STYLES_ZH)}` : `${pick(SUBJECTS_EN)} ${pick(ACTIONS_EN)}, ${pick(STYLES_EN)}`;
}

export function seedRecords(o: SeedOptions): TaskRecord[] {
  const random = seededRandom(o.seed ?? 20_260_310);
  const now = o.now ?? Date.now();
  const records: TaskRecord[] = [];
  let t = now - 20 * 60_000;
  for (let n = 0; n < o.count; n++) {
    // About 35 a day: a creator's pace, with nights.
    t -= Math.floor(10 * 60_000 + random() * 61 * 60_000);
    const roll = random();
    const weight = random() * 100;
    let acc = 0;
    const origin = ORIGINS.find(([w]) => (acc += w) > weight)?.[1] ?? ORIGINS[0][1];
    const id = `sora-2:task_seed${String(n).padStart(6, '0')}`;
    const failed = roll < 0.08;
    const expired = !failed && roll < 0.11;
    const record: TaskRecord = {
      id,
      source: origin.kind === 'palette' ? 'vscode' : origin.kind,
      origin,
      createdAt: t,
      updatedAt: t + 5 * 60_000,
      params: {
        prompt: o.prompts?.[n] ?? prompt(random, n),
        model: random() < 0.2 ? 'sora-2-pro' : 'sora-2',
        orientation: random() < 0.3 ? 'portrait' : 'landscape',
        size: 'small',
        duration: random() < 0.7 ? 10 : 15,
        watermark: false,
        private: random() < 0.8,
        images: [],
      },
      status: failed ? 'failed' : 'completed',
      progress: failed ? Math.floor(random() * 60) : 100,
      failureReason: failed ? FAILURES[Math.floor(random() * FAILURES.length)] : undefined,
      thumbnailUrl: failed || !o.posters ? undefined : `${o.posters}${n % 24}.webp`,
      download: failed ? { state: 'none' } : expired ? { state: 'expired', error: 'the video link expired (403)' } : { state: 'done' },
      completedAt: failed ? undefined : t + 4 * 60_000,
    };
    if (!failed && !expired && o.videos && n < (o.files ?? 0)) record.download.localPath = path.join(o.videos, `seed-${n}.mp4`);
    else if (record.download.state === 'done') record.download.localPath = path.join(o.videos ?? path.join(o.home, 'videos'), `missing-${n}.mp4`);
    records.push(record);
  }
  return records;
}

/** Writes the records through TaskStore.put, a few at a time; returns how long it took. */
export async function seedHistory(o: SeedOptions): Promise<{ records: TaskRecord[]; ms: number }> {
  const records = seedRecords(o);
  if (o.videos) {
    mkdirSync(o.videos, { recursive: true });
    for (const r of records) if (r.download.localPath?.includes(`${path.sep}seed-`)) copyFileSync(path.join(ROOT, 'media/sample.mp4'), r.download.localPath);
  }
  const store = new TaskStore(o.home);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < records.length) await store.put(records[next++]);
    }),
  );
  return { records, ms: performance.now() - started };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      home: { type: 'string' },
      count: { type: 'string', default: '10000' },
      videos: { type: 'string' },
      files: { type: 'string', default: '0' },
      posters: { type: 'string' },
      prompts: { type: 'string' },
      now: { type: 'string' },
      index: { type: 'boolean', default: false },
    },
  });
  if (!values.home) throw new Error('--home is required');
  seedHistory({
    home: values.home,
    count: Number(values.count),
    videos: values.videos,
    files: Number(values.files),
    posters: values.posters,
    prompts: values.prompts ? (JSON.parse(values.prompts) as string[]) : undefined,
    now: values.now ? Number(values.now) : undefined,
  })
    .then(async (seeded) => {
      if (values.index) await new TaskStore(values.home!).load();
      return seeded;
    })
    .then(
      ({ records, ms }) => process.stdout.write(`${JSON.stringify({ seeded: records.length, ms: Math.round(ms) })}\n`),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
        process.exitCode = 1;
      },
    );
}
