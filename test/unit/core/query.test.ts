import assert from 'node:assert/strict';
import type { TaskOrigin } from '../../../src/core/origin';
import { taskPhase, type TaskPhase } from '../../../src/core/phase';
import { countTasks, dayNumber, groupByDay, matchTasks, queryTasks, searchTerms, sourceKind, validTimeZone, type QueryableTask } from '../../../src/core/query';
import type { TaskRecord } from '../../../src/core/types';
import { seededRandom } from '../../../src/util/random';
import { DEFAULT_PARAMS } from '../../../src/core/params';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 2026-03-10 09:30 in Shanghai (UTC+8, no summer time).
const NOW = Date.UTC(2026, 2, 10, 1, 30);

const PROMPTS = [
  '一只柴犬在雪地里奔跑，慢动作，电影感',
  'A paper boat drifting down a rainy street at night, neon reflections',
  '赛博朋克城市的夜景，霓虹灯倒映在水面上',
  'a cat playing piano under cherry blossoms, slow dolly-in',
  '熊猫在竹林里吃竹子，清晨的阳光',
  'Timelapse of clouds over the Great Wall at sunrise',
];
const ORIGINS: TaskOrigin[] = [
  { kind: 'palette', host: 'vscode' },
  { kind: 'mcp', client: 'Visual Studio Code', host: 'vscode' },
  { kind: 'mcp', client: 'Claude Desktop', host: 'stdio' },
  { kind: 'storyboard', storyboard: 'stories/boat.storyboard.md' },
];
const STATES: Pick<TaskRecord, 'status' | 'download'>[] = [
  { status: 'completed', download: { state: 'done' } },
  { status: 'failed', download: { state: 'none' } },
  { status: 'processing', download: { state: 'none' } },
  { status: 'completed', download: { state: 'expired' } },
  { status: 'queued', download: { state: 'none' } },
];

function record(i: number, createdAt: number): TaskRecord {
  const origin = ORIGINS[i % ORIGINS.length];
  return {
    id: `sora-2:task_${String(i).padStart(5, '0')}`,
    source: origin.kind === 'palette' ? 'vscode' : origin.kind,
    origin,
    createdAt,
    updatedAt: createdAt,
    params: { ...DEFAULT_PARAMS, prompt: `${PROMPTS[i % PROMPTS.length]} #${i}` },
    progress: 0,
    ...STATES[i % STATES.length],
  };
}

/** 10,000 records over the last 200 days, in a shuffled order (the store gives no order). */
function history(): TaskRecord[] {
  const random = seededRandom(7);
  const records = Array.from({ length: 10_000 }, (_, i) => record(i, NOW - Math.floor(random() * 200 * DAY)));
  for (let i = records.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [records[i], records[j]] = [records[j], records[i]];
  }
  return records;
}

describe('core/query', () => {
  const records = history();

  it('pages 10,000 records newest first, every record exactly once', () => {
    const seen: string[] = [];
    let previous: TaskRecord | undefined;
    for (let offset = 0; ; offset += 500) {
      const page = queryTasks(records, { offset, limit: 500 });
      assert.equal(page.total, 10_000);
      if (!page.tasks.length) break;
      for (const task of page.tasks) {
        if (previous) assert.ok(previous.createdAt >= task.createdAt, 'newest first');
        previous = task;
        seen.push(task.id);
      }
    }
    assert.equal(seen.length, 10_000);
    assert.equal(new Set(seen).size, 10_000);
  });

  it('finds Chinese words inside a prompt without spaces, and English words in any case', () => {
    const shiba = queryTasks(records, { text: '柴犬', limit: 5 });
    assert.equal(shiba.total, records.filter((r) => r.params.prompt.includes('柴犬')).length);
    assert.ok(shiba.total > 1600 && shiba.tasks.every((t) => t.params.prompt.includes('柴犬')));
    const boat = queryTasks(records, { text: 'PAPER Boat' });
    assert.equal(boat.total, records.filter((r) => r.params.prompt.startsWith('A paper boat')).length);
  });

  it('needs every word to match (AND), in any order', () => {
    const one = queryTasks(records, { text: 'rainy #1213' });
    assert.deepEqual(
      one.tasks.map((t) => t.id),
      ['sora-2:task_01213'],
    );
    assert.equal(queryTasks(records, { text: '#1213 paper' }).total, 1);
    assert.equal(queryTasks(records, { text: 'rainy 熊猫' }).total, 0);
  });

  it('folds full-width letters and digits (NFKC) and the ideographic space', () => {
    assert.deepEqual(searchTerms('ＰＡＰＥＲ\u3000ｂｏａｔ'), ['paper', 'boat']);
    assert.equal(queryTasks(records, { text: 'ｒａｉｎｙ\u3000＃１２１３' }).total, 1);
    assert.equal(queryTasks(records, { text: '   ' }).total, 10_000, 'blank text matches everything');
  });

  it('finds a task by (part of) its id', () => {
    assert.deepEqual(
      queryTasks(records, { text: 'task_04321' }).tasks.map((t) => t.id),
      ['sora-2:task_04321'],
    );
  });

  it('filters by phase and by source, and combines them with the text', () => {
    const failed = queryTasks(records, { phases: ['failed'] });
    assert.equal(failed.total, 2000);
    assert.ok(failed.tasks.every((t) => t.status === 'failed'));
    const running = queryTasks(records, { phases: ['queued', 'generating', 'downloading'] });
    assert.equal(running.total, 4000);
    const copilot = queryTasks(records, { sources: ['copilot'] });
    assert.equal(copilot.total, 2500);
    assert.ok(copilot.tasks.every((t) => t.origin?.client === 'Visual Studio Code'));
    const both = queryTasks(records, { text: '熊猫', phases: ['failed'], sources: ['storyboard', 'agent'] });
    const expected = records.filter((r) => r.params.prompt.includes('熊猫') && r.status === 'failed' && ['storyboard', 'mcp'].includes(r.origin!.kind));
    const expectedStoryOrAgent = expected.filter((r) => r.origin!.kind === 'storyboard' || r.origin!.client === 'Claude Desktop');
    assert.equal(both.total, expectedStoryOrAgent.length);
    assert.ok(both.total > 0);
  });

  it('counts every phase and source', () => {
    const counts = countTasks(records);
    assert.equal(counts.total, 10_000);
    const phases: Record<TaskPhase, number> = { queued: 2000, generating: 2000, downloading: 0, ready: 2000, notSaved: 2000, failed: 2000 };
    assert.deepEqual(counts.phases, phases);
    assert.deepEqual(counts.sources, { palette: 2500, copilot: 2500, agent: 2500, storyboard: 2500, cli: 0 });
    assert.equal(
      Object.values(counts.phases).reduce((a, b) => a + b),
      counts.total,
    );
    assert.equal(records.filter((r) => taskPhase(r) === 'ready').length, counts.phases.ready);
  });

  it('names the source of every kind of origin, also of records older than origins', () => {
    assert.equal(sourceKind({ kind: 'palette' }), 'palette');
    assert.equal(sourceKind({ kind: 'mcp', client: 'Visual Studio Code' }), 'copilot');
    assert.equal(sourceKind({ kind: 'mcp', client: 'Cursor' }), 'agent');
    assert.equal(sourceKind({ kind: 'mcp' }), 'copilot', 'the old "mcp" source word was Copilot');
    assert.equal(sourceKind({ kind: 'mcp', host: 'stdio' }), 'agent');
    assert.equal(sourceKind({ kind: 'storyboard', storyboard: 'a.md' }), 'storyboard');
    assert.equal(sourceKind({ kind: 'cli' }), 'cli');
    const legacy: QueryableTask = { id: 'x', source: 'mcp', createdAt: 1, params: { prompt: 'p' }, status: 'queued', download: { state: 'none' } };
    assert.equal(matchTasks([legacy], { sources: ['copilot'] }).length, 1);
  });

  it('clamps paging arguments', () => {
    assert.equal(queryTasks(records, { offset: -5, limit: 3 }).tasks.length, 3);
    assert.equal(queryTasks(records, { offset: 9_999, limit: 50 }).tasks.length, 1);
    assert.equal(queryTasks(records, { offset: 20_000 }).tasks.length, 0);
    assert.equal(queryTasks(records, { limit: 0 }).tasks.length, 0);
  });
});

describe('core/query: days', () => {
  const at = (iso: string) => Date.parse(iso);
  const tasks = (...isos: string[]) => isos.map((iso) => ({ createdAt: at(iso) }));

  it('groups today, yesterday and each earlier day in the user zone, not in UTC', () => {
    // 09:30 in Shanghai on 10 March: 00:30 local is today, 23:59 the day before is yesterday.
    const list = tasks('2026-03-10T09:00+08:00', '2026-03-10T00:30+08:00', '2026-03-09T23:59+08:00', '2026-03-09T00:00+08:00', '2026-03-01T12:00+08:00');
    const groups = groupByDay(list, NOW, 'Asia/Shanghai');
    assert.deepEqual(
      groups.map((g) => [g.kind, g.start, g.count]),
      [
        ['today', 0, 2],
        ['yesterday', 2, 2],
        ['earlier', 4, 1],
      ],
    );
    assert.equal(new Date(groups[2].day * DAY).toISOString().slice(0, 10), '2026-03-01');
    // The same moments in New York (UTC-5): "now" is 20:30 on 9 March there.
    const ny = groupByDay(list, NOW, 'America/New_York');
    assert.deepEqual(
      ny.map((g) => [g.kind, g.count]),
      [
        ['today', 3],
        ['yesterday', 1],
        ['earlier', 1],
      ],
    );
  });

  it('keeps a day whole across the change to summer time', () => {
    // In New York 2026-03-08 has 23 hours: 01:59 EST is followed by 03:00 EDT.
    const now = at('2026-03-09T12:00-04:00');
    const list = tasks('2026-03-08T23:30-04:00', '2026-03-08T03:10-04:00', '2026-03-08T00:10-05:00', '2026-03-07T23:50-05:00');
    assert.deepEqual(
      groupByDay(list, now, 'America/New_York').map((g) => [g.kind, g.count]),
      [
        ['yesterday', 3],
        ['earlier', 1],
      ],
    );
    assert.equal(dayNumber(at('2026-03-08T00:00-05:00'), 'America/New_York') - dayNumber(at('2026-03-07T23:59-05:00'), 'America/New_York'), 1);
  });

  it('puts tasks dated in the future (another clock) under today', () => {
    const groups = groupByDay(tasks('2026-03-12T10:00+08:00', '2026-03-10T08:00+08:00'), NOW, 'Asia/Shanghai');
    assert.deepEqual(
      groups.map((g) => [g.kind, g.count]),
      [['today', 2]],
    );
  });

  it('groups a 10,000-task history into consecutive groups that cover every task once', () => {
    const sorted = matchTasks(history(), {});
    const groups = groupByDay(sorted, NOW, 'Asia/Shanghai');
    assert.ok(groups.length >= 195 && groups.length <= 201, `${groups.length} days`);
    let next = 0;
    for (const g of groups) {
      assert.equal(g.start, next);
      next += g.count;
      for (const t of sorted.slice(g.start, g.start + g.count)) assert.equal(Math.max(dayNumber(t.createdAt, 'Asia/Shanghai'), g.day), g.day);
    }
    assert.equal(next, 10_000);
    assert.equal(groups[0].kind, 'today');
    assert.equal(groups[1].kind, 'yesterday');
  });

  it('falls back to the host zone for a zone it does not know', () => {
    assert.equal(validTimeZone('Mars/Olympus_Mons'), Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.equal(validTimeZone('Asia/Shanghai'), 'Asia/Shanghai');
  });
});
