import assert from 'node:assert/strict';
import { ResultsFeed } from '../../../src/extension/views/feed';
import { parseSidebarMessage, taskFromMenuContext, validateSidebarMessage } from '../../../src/extension/views/messages';
import type { TaskRecord } from '../../../src/core/types';
import type { TaskSnapshot, ToSidebar, ViewQuery } from '../../../src/webview/protocol';
import { DEFAULT_PARAMS } from '../../../src/core/params';

const NOW = Date.UTC(2026, 2, 10, 4, 0);

function record(n: number, patch: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id: `task_${String(n).padStart(5, '0')}`,
    source: 'vscode',
    origin: { kind: 'palette', host: 'vscode' },
    // One every 30 minutes going back from now: task_00000 is the newest.
    createdAt: NOW - n * 30 * 60_000,
    updatedAt: NOW,
    params: { ...DEFAULT_PARAMS, prompt: n % 2 ? `一只柴犬 #${n}` : `a paper boat #${n}` },
    status: 'completed',
    progress: 100,
    download: { state: 'done', localPath: `/home/me/videos/${n}.mp4` },
    ...patch,
  };
}

class FakeEngine {
  readonly tasks = new Map<string, TaskRecord>();
  list() {
    return [...this.tasks.values()].sort((a, b) => b.createdAt - a.createdAt);
  }
  get(id: string) {
    return this.tasks.get(id);
  }
  put(t: TaskRecord) {
    this.tasks.set(t.id, t);
    return t;
  }
}

const snap = (t: TaskRecord) => ({ id: t.id, prompt: t.params.prompt, status: t.status }) as unknown as TaskSnapshot;
const ALL: ViewQuery = { text: '', phases: [], sources: [] };

function setup(count: number) {
  const engine = new FakeEngine();
  for (let i = 0; i < count; i++) engine.put(record(i));
  const feed = new ResultsFeed(engine, snap, () => NOW);
  return { engine, feed };
}

const ids = (m: ToSidebar) => ('tasks' in m ? m.tasks.map((t) => t.id) : []);

describe('extension/views/feed: the Videos view pages through the history and gets small changes', () => {
  it('answers a query with its shape and one page, never the whole history', () => {
    const { feed } = setup(10_000);
    const results = feed.setQuery({ seq: 1, query: ALL, timeZone: 'UTC', offset: 0, limit: 40 });
    assert.equal(results.type, 'results');
    if (results.type !== 'results') return;
    assert.equal(results.shape.total, 10_000);
    assert.equal(results.tasks.length, 40);
    assert.equal(results.tasks[0].id, 'task_00000');
    // 48 tasks a day over 10,000 tasks: 209 calendar days, flat [day, count, …].
    const days = results.shape.days;
    assert.equal(days.length % 2, 0);
    assert.equal(
      days.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0),
      10_000,
    );
    assert.equal(days[0], results.shape.today);
    assert.ok(JSON.stringify(results).length < 10_000, `${JSON.stringify(results).length} bytes`);
    const page = feed.page({ seq: 1, offset: 9_990, limit: 40 })!;
    assert.deepEqual(ids(page).length, 10);
    assert.equal(feed.page({ seq: 0, offset: 0, limit: 40 }), undefined, 'a page of an old query is not answered');
  });

  it('filters with the one query module (text, phase, source)', () => {
    const { feed } = setup(100);
    const results = feed.setQuery({
      seq: 2,
      query: { text: '柴犬', phases: ['ready'], sources: ['palette'] },
      timeZone: 'Asia/Shanghai',
      offset: 0,
      limit: 10,
    });
    assert.equal(results.type === 'results' && results.shape.total, 50);
    assert.ok(results.type === 'results' && results.tasks.every((t) => t.prompt.includes('柴犬')));
  });

  it('sends a progress change as one small in-place message', () => {
    const { engine, feed } = setup(10_000);
    feed.setQuery({ seq: 1, query: ALL, timeZone: 'UTC', offset: 0, limit: 40 });
    const { messages, countsChanged } = feed.changed(engine.put(record(5, { status: 'processing', progress: 42, download: { state: 'none' } })));
    // Its phase changed (ready → generating), so the counts move once…
    assert.equal(countsChanged, true);
    assert.deepEqual(messages, [{ type: 'task', task: snap(engine.get('task_00005')!) }]);
    assert.ok(JSON.stringify(messages[0]).length < 200);
    // …but not at every percent.
    assert.equal(feed.changed(engine.put(record(5, { status: 'processing', progress: 43, download: { state: 'none' } }))).countsChanged, false);
    assert.equal(feed.running, 1);
  });

  it('inserts a new task where it belongs and says where, so the page keeps its place', () => {
    const { engine, feed } = setup(1_000);
    feed.setQuery({ seq: 3, query: ALL, timeZone: 'UTC', offset: 0, limit: 40 });
    const fresh = engine.put(record(0, { id: 'new', createdAt: NOW + 1000, status: 'queued', progress: 0, download: { state: 'none' } }));
    const [inserted] = feed.changed(fresh).messages;
    assert.equal(inserted.type, 'inserted');
    if (inserted.type !== 'inserted') return;
    assert.equal(inserted.index, 0);
    assert.equal(inserted.shape.total, 1_001);
    const middle = engine.put(record(0, { id: 'middle', createdAt: NOW - 10 * 30 * 60_000 - 1 }));
    const [second] = feed.changed(middle).messages;
    assert.equal(second.type === 'inserted' && second.index, 12, 'after task_00010, which is at 11 behind "new"');
    const page = feed.page({ seq: 3, offset: 10, limit: 4 })!;
    assert.deepEqual(ids(page), ['task_00009', 'task_00010', 'middle', 'task_00011']);
    assert.ok(inserted.shape.version < (second.type === 'inserted' ? second.shape.version : 0), 'each change of the list is a new version');
  });

  it('drops a task that leaves the filter or the history, at its index', () => {
    const { engine, feed } = setup(100);
    feed.setQuery({ seq: 4, query: { text: '', phases: ['ready'], sources: [] }, timeZone: 'UTC', offset: 0, limit: 40 });
    const [left] = feed.changed(engine.put(record(3, { status: 'failed', failureReason: 'moderation' }))).messages;
    assert.deepEqual(left.type === 'removed' && [left.index, left.id, left.shape.total], [3, 'task_00003', 99]);
    engine.tasks.delete('task_00007');
    const { messages, countsChanged } = feed.removed('task_00007');
    assert.deepEqual(messages[0].type === 'removed' && [messages[0].index, messages[0].shape.total], [6, 98]);
    assert.equal(countsChanged, true);
    assert.equal(feed.taskCounts.total, 99);
    assert.equal(feed.taskCounts.phases.failed, 1);
    // A change to a task outside the filter says nothing to the page.
    assert.deepEqual(feed.changed(engine.put(record(3, { status: 'failed', failureReason: 'again' }))).messages, []);
  });
});

describe('extension/views/messages: the Videos view protocol', () => {
  it('accepts queries and pages of bounded size only', () => {
    const query = { type: 'query', seq: 1, query: { text: '柴犬', phases: ['failed'], sources: ['copilot'] }, timeZone: 'Asia/Shanghai', offset: 0, limit: 50 };
    assert.deepEqual(parseSidebarMessage(query), query);
    assert.equal(parseSidebarMessage({ ...query, limit: 100_000 }), undefined, 'no page of the whole history');
    assert.equal(parseSidebarMessage({ ...query, offset: -1 }), undefined);
    assert.equal(parseSidebarMessage({ ...query, query: { ...query.query, phases: ['deleted'] } }), undefined);
    assert.equal(parseSidebarMessage({ ...query, query: { ...query.query, text: 'x'.repeat(501) } }), undefined);
    assert.deepEqual(parseSidebarMessage({ type: 'page', seq: 1, offset: 40, limit: 40 }), { type: 'page', seq: 1, offset: 40, limit: 40 });
    assert.equal(
      validateSidebarMessage({ type: 'hover', id: 'gone' }, () => false),
      undefined,
      'hover only for a task that exists',
    );
  });

  it('runs a context-menu command only on a task of the Videos view, called from the view itself (its token)', () => {
    const exists = (id: string) => id === 'task_1';
    const token = '0123456789abcdef0123456789abcdef';
    assert.equal(taskFromMenuContext({ webview: 'juxinSora.videos', webviewSection: 'task', taskId: 'task_1', menuToken: token }, exists, token), 'task_1');
    assert.equal(taskFromMenuContext({ webview: 'other.view', taskId: 'task_1', menuToken: token }, exists, token), undefined);
    assert.equal(taskFromMenuContext({ webview: 'juxinSora.videos', taskId: 'task_2', menuToken: token }, exists, token), undefined);
    assert.equal(taskFromMenuContext('task_1', exists, token), undefined);
    // Another extension calling juxinSora.videos.retry with a look-alike argument: no token, or a guess.
    assert.equal(taskFromMenuContext({ webview: 'juxinSora.videos', webviewSection: 'task', taskId: 'task_1' }, exists, token), undefined);
    assert.equal(taskFromMenuContext({ webview: 'juxinSora.videos', taskId: 'task_1', menuToken: 'f'.repeat(32) }, exists, token), undefined);
  });
});
