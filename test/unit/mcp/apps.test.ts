// The player card (MCP Apps) through the SDK's in-memory transport: a real engine against the in-process
// simulator, one client that announces the io.modelcontextprotocol/ui extension and one that does not.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, truncateSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { VideoEngine } from '../../../src/core/engine';
import type { CardHooks } from '../../../src/mcp/apps';
import { videoUri } from '../../../src/mcp/apps/cardState';
import { createSoraMcpServer } from '../../../src/mcp/server';
import type { Simulator } from '../../../src/simulator';
import { CARD_ACTION_TOOL, CARD_STATE_TOOL, CARD_URI, type CardState } from '../../../src/webview/card/protocol';
import { EngineFixture, TEST_KEY as KEY } from '../../helpers/engine';
const TOOLS = [
  'assemble_storyboard',
  'create_character',
  'create_storyboard',
  'download_video',
  'generate_storyboard',
  'generate_video',
  'get_video_status',
  'list_models',
  'list_videos',
  'remix_video',
  'wait_for_video',
];
const UI_CAPABILITY = { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: [RESOURCE_MIME_TYPE] } } };

describe('mcp/apps: the player card in the chat (MCP Apps)', function () {
  this.timeout(300_000);
  let f: EngineFixture;
  let sim: Simulator;
  let engine: VideoEngine;
  const open: { client: Client; close(): Promise<void> }[] = [];

  before(async () => {
    f = await EngineFixture.create({ simulator: { seed: 7 }, prefix: 'sora-apps' });
    sim = f.sim!;
    engine = await f.started({ minPollIntervalMs: 1000, maxRequestsPerSecond: 50 });
  });

  after(async () => {
    for (const c of open) await c.close();
    await f?.close();
  });

  async function connect(ui: boolean, more: { hooks?: CardHooks; hasApiKey?: () => boolean } = {}): Promise<Client> {
    const server = createSoraMcpServer({ engine, version: 'test', baseUrl: () => sim.url, ui: more.hooks, hasApiKey: more.hasApiKey });
    const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'test-host', version: '1.0.0' }, { capabilities: ui ? UI_CAPABILITY : {} });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    open.push({ client, close: () => server.close() });
    return client;
  }

  const structured = <T>(result: CallToolResult): T => {
    assert.ok(!result.isError, `tool error: ${JSON.stringify(result.content)}`);
    return result.structuredContent as T;
  };

  async function cardState(client: Client, args: Record<string, unknown>): Promise<CardState> {
    return structured<CardState>((await client.callTool({ name: CARD_STATE_TOOL, arguments: args })) as CallToolResult);
  }

  it('gives a client without MCP Apps exactly what it had: the same tools, no card, no app-only tools', async () => {
    const client = await connect(false);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), TOOLS);
    for (const t of tools) assert.equal((t._meta as { ui?: unknown } | undefined)?.ui, undefined, `${t.name} has no card`);
    const { resources } = await client.listResources();
    assert.ok(!resources.some((r) => r.uri.startsWith('ui://')), 'no ui:// resource listed');
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(
      resourceTemplates.map((t) => t.uriTemplate),
      ['juxin-sora://tasks/{id}'],
    );
    await assert.rejects(client.readResource({ uri: CARD_URI }));
    const refused = (await client.callTool({ name: CARD_STATE_TOOL, arguments: {} })) as CallToolResult;
    assert.equal(refused.isError, true, 'the app-only tool does not exist for this client');

    // And a tool result is today's: text and resource links, nothing card-specific.
    const result = (await client.callTool({ name: 'generate_video', arguments: { prompt: 'no card for me', wait: false } })) as CallToolResult;
    assert.deepEqual(
      result.content.map((c) => c.type),
      ['text', 'resource_link'],
    );
    assert.match((result.content[0] as { text: string }).text, /^Task \S+ is queued/);
    assert.equal(result._meta, undefined);
  });

  it('gives a client with MCP Apps the card on the three task tools, and two app-only tools', async () => {
    const client = await connect(true);
    const { tools } = await client.listTools();
    const meta = (name: string) => tools.find((t) => t.name === name)?._meta as { ui?: { resourceUri?: string; visibility?: string[] } } | undefined;
    for (const name of ['generate_video', 'wait_for_video', 'get_video_status']) {
      assert.equal(meta(name)?.ui?.resourceUri, CARD_URI, `${name} shows the card`);
      assert.equal((meta(name) as Record<string, unknown>)['ui/resourceUri'], CARD_URI, 'and the key older hosts read');
    }
    for (const name of ['list_videos', 'download_video', 'remix_video', 'create_character']) assert.equal(meta(name)?.ui, undefined, `${name} has no card`);
    for (const name of [CARD_STATE_TOOL, CARD_ACTION_TOOL]) assert.deepEqual(meta(name)?.ui?.visibility, ['app'], `${name} is for the card only`);
    assert.deepEqual(tools.map((t) => t.name).sort(), [...TOOLS, CARD_ACTION_TOOL, CARD_STATE_TOOL].sort());
  });

  it('serves one self-contained card page whose own CSP allows only its hashed script and style', async () => {
    const client = await connect(true);
    const { resources } = await client.listResources();
    assert.ok(resources.some((r) => r.uri === CARD_URI && r.mimeType === RESOURCE_MIME_TYPE));
    const { contents } = await client.readResource({ uri: CARD_URI });
    const page = contents[0] as unknown as { text: string; mimeType: string; _meta: { ui: { csp: { resourceDomains: string[]; connectDomains: string[] } } } };
    assert.equal(page.mimeType, 'text/html;profile=mcp-app');
    assert.deepEqual(page._meta.ui.csp, { resourceDomains: ['https:', sim.url], connectDomains: [] });
    const csp = page.text.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1] ?? '';
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp), csp);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, new RegExp(`media-src data: https: ${sim.url.replace(/[.:/]/g, '\\$&')}`));
    assert.match(csp, /connect-src 'none'/);
    const script = page.text.match(/<script>([\s\S]*)<\/script>/)![1];
    const style = page.text.match(/<style>([\s\S]*)<\/style>/)![1];
    const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    assert.ok(csp.includes(`script-src ${sha(script)}`), 'the inline script is the one the CSP allows');
    assert.ok(csp.includes(`style-src ${sha(style)}`), 'the inline style is the one the CSP allows');
    assert.equal(page.text.match(/<script/g)?.length, 1, 'one script, inline, no external file');
    assert.ok(!page.text.includes('__JUXIN_SORA_CARD_SOURCES__'), 'the placeholder is filled');
  });

  it('follows a running generation from its prompt to the saved video, which reaches the card as bytes', async () => {
    const client = await connect(true);
    const prompt = `a paper boat on a rainy street ${Date.now()}`;
    assert.deepEqual(await cardState(client, { prompt }), { actions: [], canRemix: false }, 'before the call: nothing yet');
    const call = client.callTool({ name: 'generate_video', arguments: { prompt, duration: 10 } }) as Promise<CallToolResult>;

    // The card asks after every step of simulated time, so it sees each state the task passes through.
    const seen = new Set<string>();
    let ready: CardState | undefined;
    await f.clock.runUntil(
      async () => {
        const state = await cardState(client, { prompt, lang: 'en' });
        if (state.task) seen.add(state.task.status);
        if (state.media?.kind === 'inline') ready = state;
        return ready !== undefined;
      },
      { what: 'the saved video' },
    );
    assert.ok(ready);
    assert.ok(seen.has('queued') && seen.has('processing'), `the card saw the task running: ${[...seen].join(', ')}`);
    assert.equal(ready.task?.prompt, prompt);
    assert.equal(ready.task?.download.state, 'done');
    assert.equal(ready.audio?.codec, 'aac', "the simulator's video has AAC sound, like Sora's");
    assert.equal(ready.audio?.codecString, 'mp4a.40.2');
    assert.deepEqual(ready.actions, ['copyUrl'], 'the standalone server offers what works anywhere');
    const json = JSON.stringify(ready);
    const saved = engine.get(ready.task!.id)!;
    assert.ok(!json.includes(saved.download.localPath!), 'no local path');
    assert.ok(!json.includes(saved.videoUrl!), 'no signed video URL once the file is saved');
    assert.ok(!json.includes(KEY));

    const media = ready.media as { uri: string; bytes: number };
    const { contents } = await client.readResource({ uri: media.uri });
    const video = contents[0] as { blob: string; mimeType: string };
    assert.equal(video.mimeType, 'video/mp4');
    const bytes = Buffer.from(video.blob, 'base64');
    assert.equal(bytes.length, media.bytes);
    assert.ok(bytes.equals(readFileSync(saved.download.localPath!)), 'the exact saved file');

    const result = await f.clock.run(call);
    assert.equal((result.structuredContent as { task_id: string }).task_id, ready.task!.id, 'the call and the card agree on the task');
    // Found by id as well (wait_for_video, get_video_status, and after the call answered).
    assert.equal((await cardState(client, { task_id: ready.task!.id })).task?.id, ready.task!.id);
  });

  it('refuses a saved video over 16 MB before reading a byte of it (four reads of an 80 MB video grew the server by 320 MB)', async () => {
    const client = await connect(true);
    const generated = (await client.callTool({ name: 'generate_video', arguments: { prompt: 'a large video', duration: 10, wait: false } })) as CallToolResult;
    const id = structured<{ task_id: string }>(generated).task_id;
    let saved: string | undefined;
    await f.clock.runUntil(
      () => {
        const task = engine.get(id);
        saved = task?.download.state === 'done' ? task.download.localPath : undefined;
        return saved !== undefined;
      },
      { what: 'the saved video' },
    );
    assert.ok(saved);
    truncateSync(saved, 80 * 1024 * 1024);
    // Every byte read from any file while the four reads run is counted.
    const handle = await fsp.open(saved);
    const proto = Object.getPrototypeOf(handle) as { read: (...args: unknown[]) => Promise<{ bytesRead: number }> };
    await handle.close();
    const originalRead = proto.read;
    const originalReadFile = fsp.readFile;
    let bytes = 0;
    proto.read = async function (this: unknown, ...args: unknown[]) {
      const result = await originalRead.apply(this, args);
      bytes += result.bytesRead;
      return result;
    };
    (fsp as { readFile: unknown }).readFile = async (...args: Parameters<typeof fsp.readFile>) => {
      const data = await originalReadFile(...args);
      bytes += data.length;
      return data;
    };
    let answers;
    try {
      answers = await Promise.allSettled(Array.from({ length: 4 }, () => client.readResource({ uri: videoUri(id) })));
    } finally {
      proto.read = originalRead;
      (fsp as { readFile: unknown }).readFile = originalReadFile;
    }
    for (const answer of answers) {
      assert.equal(answer.status, 'rejected');
      assert.match(String((answer as PromiseRejectedResult).reason), /too large to send to the card; open it in the preview/);
    }
    assert.equal(bytes, 0, 'not a byte of the video was read');
    assert.equal((await cardState(client, { task_id: id })).media?.kind, 'tooLarge', 'the card shows the poster and the preview button');
  });

  it('tells the card that this key cannot use the model, in both languages, never as temporary, naming the models it can use', async () => {
    const client = await connect(true);
    const prompt = 'a model this key cannot use #sim:model-not-found';
    const answer = (await client.callTool({ name: 'generate_video', arguments: { prompt } })) as CallToolResult;
    assert.equal(answer.isError, true);
    const state = await cardState(client, { prompt });
    const said = state.startError ?? '';
    assert.match(said, /This API key cannot use the model sora-2/);
    assert.match(said, /retired upstream on 2026-09-24/);
    assert.match(said, /Video models this key can use: .*veo3\.1-fast/);
    assert.match(said, /无法使用模型 sora-2/);
    assert.doesNotMatch(said, /usually temporary|通常是暂时的/);
    assert.equal(state.task, undefined, 'no task: nothing was created');
  });

  it('tells the card of a generation that could not start why, in both languages', async () => {
    const client = await connect(true, { hasApiKey: () => false });
    const prompt = 'no key yet';
    const answer = (await client.callTool({ name: 'generate_video', arguments: { prompt } })) as CallToolResult;
    assert.equal(answer.isError, true, 'the call itself says so too');
    const state = await cardState(client, { prompt });
    assert.match(state.startError ?? '', /No Juxin API key/);
    assert.match(state.startError ?? '', /未配置聚鑫 API Key/);
    assert.equal(state.task, undefined);
  });

  it('runs the actions through the host hooks; without hooks, copying hands over the URL and the rest is refused', async () => {
    const task = engine.list({}).find((t) => t.download.state === 'done');
    assert.ok(task, 'a saved task from the test above');
    const calls: string[] = [];
    const hooks: CardHooks = {
      showVideo: (id) => calls.push(`show ${id}`),
      reveal: (id) => calls.push(`reveal ${id}`),
      copyUrl: (id) => calls.push(`copy ${id}`),
      playExternally: (id) => calls.push(`play ${id}`),
    };
    const vscode = await connect(true, { hooks });
    const state = await cardState(vscode, { task_id: task.id });
    assert.deepEqual(state.actions, ['openPreview', 'reveal', 'copyUrl', 'playExternal'], 'no storyboard action until that hook exists');
    for (const action of state.actions) {
      const result = (await vscode.callTool({ name: CARD_ACTION_TOOL, arguments: { task_id: task.id, action } })) as CallToolResult;
      assert.deepEqual(structured(result), { ok: true });
    }
    assert.deepEqual(calls, [`show ${task.id}`, `reveal ${task.id}`, `copy ${task.id}`, `play ${task.id}`]);

    const standalone = await connect(true);
    const copied = (await standalone.callTool({ name: CARD_ACTION_TOOL, arguments: { task_id: task.id, action: 'copyUrl' } })) as CallToolResult;
    assert.deepEqual(structured(copied), { ok: true, url: task.videoUrl });
    const refused = (await standalone.callTool({ name: CARD_ACTION_TOOL, arguments: { task_id: task.id, action: 'reveal' } })) as CallToolResult;
    assert.equal(refused.isError, true);
    assert.match(JSON.stringify(refused.content), /not available here/);
    assert.deepEqual(await cardState(standalone, { task_id: 'sora-2:task_nope' }), { missing: true, actions: [], canRemix: false }, 'not in the history');
    const badAction = (await standalone.callTool({ name: CARD_ACTION_TOOL, arguments: { task_id: task.id, action: 'rm -rf' } })) as CallToolResult;
    assert.equal(badAction.isError, true, 'only the listed actions');
  });
});
