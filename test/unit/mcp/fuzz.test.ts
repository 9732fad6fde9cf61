// Random and hostile values for every field of every tool, through the SDK client and the in-memory
// transport, against the real server factory and an engine on the simulator. Seeded: the same seed
// replays the same calls (FUZZ_SEED=… to try another; a failure prints the seed and the call).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ConfirmRequest } from '../../../src/mcp/context';
import { seededRandom } from '../../../src/util/random';
import { IMAGES } from '../../fixtures/images';
import { inProcess, type InProcess, TEST_KEY, textOf } from './helpers';

const SEED = Number(process.env.FUZZ_SEED ?? 20_251_125);
const ROUNDS = 10;

function deep(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const HOSTILE_STRINGS = [
  '',
  '   ',
  'x'.repeat(100_000),
  '中文提示词'.repeat(2000),
  '\u0000\u0001\u0007\u001b[31mred\u001b[0m',
  'line\r\nbreak\u2028\u2029',
  '\u202egnp.exe',
  '..',
  '.',
  '%2e%2e',
  '../../../../etc/passwd',
  '/etc/passwd',
  '/dev/zero',
  '/proc/self/environ',
  '\\\\evil-host\\share\\cat.png',
  '//evil-host/share/cat.png',
  '\\\\?\\C:\\Windows\\win.ini',
  '\\\\.\\PhysicalDrive0',
  'C:\\Windows\\System32\\config\\SAM',
  'relative/cat.png',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'https://evil.example/x.png?token=abc',
  'http://user:pass@evil.example/',
  '<img src=x onerror=alert(1)>',
  '"; DROP TABLE tasks; --',
  '$(rm -rf /)',
  '__proto__',
  'constructor',
  'sk-someone-elses-made-up-key-0002',
  '1,3',
  '0,99',
  'NaN',
  '#sim:moderation',
  'sora-2',
  'sora-2-pro',
  'portrait',
  'large',
  '\ud800',
  '😀'.repeat(500),
];
const HOSTILE_OTHERS: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  25,
  10,
  3600,
  3601,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  NaN,
  Infinity,
  -Infinity,
  [],
  {},
  [null],
  ['a', 'b', 'c', 'd', 'e'],
  Array.from({ length: 10_000 }, (_, i) => `/tmp/${i}.png`),
  deep(2000),
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  [IMAGES.png.path],
  [IMAGES.png.path, 'https://example.com/a.png'],
  [IMAGES.jpg.path, IMAGES.webp.path, IMAGES.gif.path],
];

/** Each tool, its fields, and arguments that pass its schema (one field at a time is then made hostile). */
const TOOLS: Record<string, { fields: string[]; base: (known: string) => Record<string, unknown> }> = {
  generate_video: {
    fields: [
      'prompt',
      'images',
      'model',
      'orientation',
      'size',
      'duration',
      'watermark',
      'private',
      'character_url',
      'character_timestamps',
      'wait',
      'timeout_seconds',
    ],
    base: () => ({ prompt: 'a paper boat on a rainy street', wait: false }),
  },
  get_video_status: { fields: ['task_id'], base: (known) => ({ task_id: known }) },
  wait_for_video: { fields: ['task_id', 'timeout_seconds'], base: (known) => ({ task_id: known, timeout_seconds: 5 }) },
  list_videos: { fields: ['limit', 'status'], base: () => ({}) },
  download_video: { fields: ['task_id', 'directory'], base: (known) => ({ task_id: known }) },
  remix_video: { fields: ['task_id', 'prompt'], base: (known) => ({ task_id: known, prompt: 'make it purple' }) },
  create_character: { fields: ['url', 'from_task', 'timestamps'], base: (known) => ({ from_task: known, timestamps: '1,3' }) },
};

describe('mcp fuzz: hostile values for every field of every tool', function () {
  this.timeout(300_000);
  let t: InProcess;
  const problems: string[] = [];
  const onRejection = (reason: unknown) => problems.push(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
  const onException = (error: Error) => problems.push(`uncaught exception: ${error.stack}`);
  const asked: ConfirmRequest[] = [];

  before(async () => {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    t = await inProcess({
      server: {
        // Never lets a copy or a read reach outside the test's folders, whatever the fuzz asks.
        confirm: async (request) => {
          asked.push(request);
          const folder = request.kind === 'saveCopy' ? request.directory : request.folder;
          return folder.startsWith(t.home) || folder === path.dirname(IMAGES.png.path);
        },
      },
    });
  });
  after(async () => {
    await t?.close();
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  });

  it(`never crashes, and every refusal is a readable error in English and Chinese (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const created = await t.call('generate_video', { prompt: 'a lighthouse', private: false, timeout_seconds: 3600 });
    const known = (created.structuredContent as { task_id: string }).task_id;
    const inside = path.join(t.home, 'exports');
    let calls = 0;
    let refusals = 0;

    const check = (name: string, args: Record<string, unknown>, result: CallToolResult) => {
      calls++;
      const text = textOf(result);
      const shown = `seed ${SEED}, ${name} ${JSON.stringify(args, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v)).slice(0, 400)}`;
      assert.ok(!text.includes(TEST_KEY), `the key leaked: ${shown}`);
      if (!result.isError) {
        assert.ok(result.structuredContent, `a success carries structured content: ${shown}`);
        return;
      }
      refusals++;
      assert.ok(text.trim().length > 10, `an empty refusal: ${shown}`);
      assert.match(text, /[A-Za-z]{3,}/, `no English: ${shown}\n${text.slice(0, 300)}`);
      assert.match(text, /[\u4e00-\u9fff]/, `no Chinese: ${shown}\n${text.slice(0, 300)}`);
      assert.doesNotMatch(
        text,
        /Unexpected error|TypeError|is not a function|Cannot read propert|undefined is not|\[object Object\]/,
        `an unreadable refusal: ${shown}\n${text.slice(0, 300)}`,
      );
    };

    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, tool] of Object.entries(TOOLS)) {
        for (const field of tool.fields) {
          const value = random() < 0.5 ? pick(HOSTILE_STRINGS) : pick(HOSTILE_OTHERS);
          const args = { ...tool.base(known), [field]: value };
          if (name === 'download_video' && field === 'directory' && random() < 0.3) args.directory = inside;
          check(name, args, await t.call(name, args));
        }
        // And everything hostile at once, extra fields included.
        const wild: Record<string, unknown> = { unexpected: pick(HOSTILE_OTHERS) };
        for (const field of tool.fields) if (random() < 0.7) wild[field] = random() < 0.5 ? pick(HOSTILE_STRINGS) : pick(HOSTILE_OTHERS);
        check(name, wild, await t.call(name, wild));
      }
    }

    // Still serving, nothing written outside the test's folders, nothing pending behind our back.
    const list = await t.call('list_videos', { limit: 200 });
    assert.ok(!list.isError, textOf(list));
    assert.ok(!existsSync('/etc/passwd.mp4') && !existsSync(path.join(process.cwd(), 'relative')));
    // An hour of simulated time: whatever the calls set going (tracking, downloads) runs to its end.
    await t.clock.advance(60 * 60_000);
    assert.deepEqual(problems, []);
    assert.ok(refusals > calls / 3, `${refusals} refusals of ${calls} calls`);
    console.log(
      `      ${calls} calls, ${refusals} refusals, ${asked.length} confirmations asked, ${t.posts()} requests that could cost money reached the simulator`,
    );
  });
});
