import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { VideoEngine } from '../../../src/core/engine';
import { TaskStore } from '../../../src/core/store';
import type { TaskRecord } from '../../../src/core/types';
import type { GenerationParams, JuxinApi, NormalizedTask } from '../../../src/juxin/types';
import { createSoraMcpServer } from '../../../src/mcp/server';
import { seedHistory } from '../../fixtures/history';
import { taskRecord } from '../../fixtures/tasks';
import { EngineFixture } from '../../helpers/engine';
import { waitUntil } from '../../helpers/wait';

/** A store whose history takes a while to read, like 10,000 records on a slow disk. */
class SlowStore extends TaskStore {
  release!: () => void;
  private readonly gate = new Promise<void>((r) => (this.release = r));
  override async load(): Promise<TaskRecord[]> {
    await this.gate;
    return super.load();
  }
}

const api: JuxinApi = {
  async createVideo(params: GenerationParams): Promise<NormalizedTask> {
    return { id: `sora-2:task_${params.prompt.length}`, status: 'queued', progress: 0, rawStatus: 'pending' };
  },
  async queryVideo(id: string): Promise<NormalizedTask> {
    return { id, status: 'queued', progress: 0, rawStatus: 'pending' };
  },
  async remixVideo(): Promise<NormalizedTask> {
    throw new Error('not used');
  },
  async createCharacter() {
    throw new Error('not used');
  },
  async listModels() {
    return [];
  },
  downloadHeaders: () => ({}),
};

describe('mcp: tools and the shared history', function () {
  this.timeout(300_000);
  let f: EngineFixture;
  let home: string;
  const cleanup: (() => Promise<unknown>)[] = [];
  beforeEach(async () => {
    f = await EngineFixture.create({ prefix: 'mcp-history' });
    home = f.home;
  });
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    await f.close();
  });

  async function connect(engine: VideoEngine, clientName: string, host?: 'vscode' | 'stdio') {
    const server = createSoraMcpServer({ engine, version: 'test', host });
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: clientName, version: '1.0.0' });
    await server.connect(a);
    await client.connect(b);
    cleanup.push(
      () => client.close(),
      () => server.close(),
    );
    return client;
  }

  it('waits for the history before answering, rather than answer from half of it', async () => {
    const seeded = new TaskStore(home);
    for (let i = 0; i < 3; i++) await seeded.put(taskRecord({ id: `sora-2:task_old${i}`, status: 'completed', progress: 100, download: { state: 'done' } }));
    const store = new SlowStore(home);
    const engine = f.engine({ api, store });
    let waiting = 0;
    const whenReady = engine.whenReady.bind(engine);
    engine.whenReady = () => (waiting++, whenReady());
    const client = await connect(engine, 'Claude Desktop');
    const starting = engine.start();
    const listed = client.callTool({ name: 'list_videos', arguments: {} });
    const status = client.callTool({ name: 'get_video_status', arguments: { task_id: 'sora-2:task_old1' } });
    // Both calls have reached their handlers, which wait for the history (still being read).
    await waitUntil(() => waiting >= 2, 30_000, 'both calls waiting for the history');
    store.release();
    await starting;
    const list = (await listed) as unknown as { structuredContent: { total: number } };
    assert.equal(list.structuredContent.total, 3, 'the whole history, not "No videos yet"');
    assert.notEqual((await status).isError, true, 'a task of the history is known');
  });

  it("records the MCP client's own name and the process kind on every task it creates", async () => {
    const engine = await f.started({ api });
    const claude = await connect(engine, 'Claude Desktop', 'stdio');
    const made = (await claude.callTool({ name: 'generate_video', arguments: { prompt: 'a lighthouse', wait: false } })) as unknown as {
      structuredContent: { task_id: string; origin: unknown };
    };
    assert.deepEqual(made.structuredContent.origin, { kind: 'mcp', client: 'Claude Desktop', host: 'stdio' });
    assert.deepEqual(engine.get(made.structuredContent.task_id)?.origin, { kind: 'mcp', client: 'Claude Desktop', host: 'stdio' });
    const onDisk = await new TaskStore(home).get(made.structuredContent.task_id);
    assert.deepEqual(onDisk?.origin, { kind: 'mcp', client: 'Claude Desktop', host: 'stdio' }, 'and it is kept in the shared history');
    const vscode = await connect(engine, 'Visual Studio Code', 'vscode');
    const other = (await vscode.callTool({ name: 'generate_video', arguments: { prompt: 'a second lighthouse', wait: false } })) as unknown as {
      structuredContent: { origin: unknown };
    };
    assert.deepEqual(other.structuredContent.origin, { kind: 'mcp', client: 'Visual Studio Code', host: 'vscode' });
  });

  it('pages through 10,000 tasks: newest first, every task once, with text, status and source filters', async () => {
    seedHistory(home, 10_000);
    const engine = f.engine({ api });
    const client = await connect(engine, 'Cursor');
    void engine.start();
    type Page = { tasks: { task_id: string; created_at: string; status: string }[]; total: number; offset: number; next_offset?: number };
    const page = async (args: Record<string, unknown>) =>
      (await client.callTool({ name: 'list_videos', arguments: args })) as unknown as { structuredContent: Page; content: { text: string }[] };
    const first = await page({});
    assert.equal(first.structuredContent.total, 10_000);
    assert.equal(first.structuredContent.tasks.length, 20);
    assert.equal(first.structuredContent.next_offset, 20);
    assert.equal(first.structuredContent.tasks[0].task_id, 'sora-2:task_seed009999', 'newest first');
    assert.match(first.content[0].text, /^Tasks 1–20 of 10000, newest first \(next page: offset=20\)/);
    // Walk a stretch of pages: no task twice, none skipped.
    const seen = new Set<string>();
    for (let offset = 0; offset < 1000;) {
      const p = (await page({ offset, limit: 200 })).structuredContent;
      for (const t of p.tasks) seen.add(t.task_id);
      offset = p.next_offset!;
    }
    assert.equal(seen.size, 1000);
    const last = (await page({ offset: 9_990, limit: 50 })).structuredContent;
    assert.equal(last.tasks.length, 10);
    assert.equal(last.next_offset, undefined, 'the last page says so');
    assert.match((await page({ offset: 20_000 })).content[0].text, /There are 10000|there are 10000/);
    const cats = (await page({ query: '樱花 钢琴', limit: 5 })).structuredContent;
    assert.equal(cats.total, 2500, 'a Chinese query finds every matching prompt');
    const failed = (await page({ status: 'failed', limit: 1 })).structuredContent;
    assert.equal(failed.total, 2500);
    assert.equal(failed.tasks[0].status, 'failed');
    // In the seeded history every failed task is a cyberpunk prompt made by Claude Desktop (another agent).
    assert.equal((await page({ status: 'failed', query: '赛博朋克', source: 'agent' })).structuredContent.total, 2500);
    assert.equal((await page({ status: 'failed', query: 'LIGHTHOUSE' })).structuredContent.total, 0);
    assert.equal((await page({ status: 'failed', source: 'copilot' })).structuredContent.total, 0);
    assert.match((await page({ query: 'no such words anywhere' })).content[0].text, /No task matches/);
  });

  it('states new defaults in the open session at once (tools/list_changed), with no restart', async () => {
    const engine = f.engine({ api });
    let defaults: { model: 'sora-2' | 'sora-2-pro'; duration: number } = { model: 'sora-2', duration: 10 };
    const server = createSoraMcpServer({ engine, version: 'test', defaults: () => defaults });
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'Visual Studio Code', version: '1' });
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => void changed++);
    await server.connect(a);
    await client.connect(b);
    cleanup.push(
      () => client.close(),
      () => server.close(),
    );
    const describe = async () => (await client.listTools()).tools.find((t) => t.name === 'generate_video')!.description!;
    assert.match(await describe(), /Defaults: sora-2, landscape, small, 10 s/);
    defaults = { model: 'sora-2-pro', duration: 25 };
    server.refreshDefaults();
    // One connection delivers in order: what the server said before it answers a ping has arrived by then.
    await client.ping();
    await waitUntil(() => changed === 1, 30_000, 'tools/list_changed');
    assert.equal(changed, 1, 'the client is told');
    assert.match(await describe(), /Defaults: sora-2-pro, landscape, small, 25 s/);
    server.refreshDefaults();
    await client.ping();
    assert.equal(changed, 1, 'nothing changed, nothing said');
  });
});
