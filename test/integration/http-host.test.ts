import assert from 'node:assert/strict';
import { request } from 'undici';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startMcpHttpHost, type McpHttpHost, SECRET_HEADER } from '../../src/mcp/httpHost';
import { createSoraMcpServer } from '../../src/mcp/server';
import type { VideoEngine } from '../../src/core/engine';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { TestClock } from '../helpers/clock';
import { EngineFixture, TEST_KEY } from '../helpers/engine';
import { waitUntil } from '../helpers/wait';

describe("MCP over Streamable HTTP on loopback (the VS Code extension's transport)", function () {
  this.timeout(300_000);
  let f: EngineFixture;
  let engine: VideoEngine;
  let liveListeners = 0;
  let host: McpHttpHost;
  let sessions = 0;

  before(async () => {
    f = await EngineFixture.create({ simulator: true, prefix: 'juxin-sora-it' });
    engine = await f.started({ minPollIntervalMs: 2000, maxRequestsPerSecond: 200 });
    // Counts the engine's change listeners: every MCP server subscribes one, and must drop it when closed.
    const subscribe = engine.onDidChange.bind(engine);
    engine.onDidChange = (listener) => {
      liveListeners++;
      const off = subscribe(listener);
      return () => {
        liveListeners--;
        off();
      };
    };
    host = await startMcpHttpHost({
      createServer: () => {
        sessions++;
        return createSoraMcpServer({ engine, version: 'test' });
      },
    });
  });

  after(async () => {
    await host.close();
    await f.close();
  });

  const connect = async () => {
    const client = new Client({ name: 'http-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(host.url), { requestInit: { headers: host.headers } }));
    return client;
  };

  it('listens on 127.0.0.1 with a random secret that is not the API key', () => {
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const secret = host.headers[SECRET_HEADER];
    assert.ok(secret && secret.length >= 32);
    assert.ok(!JSON.stringify(host.headers).includes(TEST_KEY));
  });

  it('serves the tools to two sessions that share one engine', async () => {
    const a = await connect();
    const b = await connect();
    try {
      const created = await a.callTool({ name: 'generate_video', arguments: { prompt: 'shared engine', wait: false } });
      const id = (created.structuredContent as { task_id: string }).task_id;
      const seen = await b.callTool({ name: 'list_videos', arguments: {} });
      assert.ok((seen.structuredContent as { tasks: { task_id: string }[] }).tasks.some((t) => t.task_id === id));
      assert.ok(sessions >= 2);
    } finally {
      await a.close();
      await b.close();
    }
  });

  const init = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
  };
  const post = (headers: Record<string, string>) =>
    request(host.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify(init),
    });

  it('refuses a request without the secret', async () => {
    const r = await post({});
    assert.equal(r.statusCode, 401);
    await r.body.dump();
  });

  it('refuses a foreign Origin (a web page) even with the secret', async () => {
    const r = await post({ ...host.headers, origin: 'https://evil.example' });
    assert.equal(r.statusCode, 403);
    await r.body.dump();
  });

  it('refuses a rebinding Host header', async () => {
    const r = await post({ ...host.headers, host: 'evil.example:80' });
    assert.equal(r.statusCode, 403);
    await r.body.dump();
  });

  describe('session lifetime (no MCP server outlives its session)', () => {
    let clock: TestClock;
    let limited: McpHttpHost;
    let servers: { server: McpServer; closed: boolean }[];
    const changeListeners = () => liveListeners;

    beforeEach(async () => {
      clock = new TestClock();
      servers = [];
      limited = await startMcpHttpHost({
        createServer: () => {
          const entry = { server: createSoraMcpServer({ engine, version: 'test' }), closed: false };
          const close = entry.server.close.bind(entry.server);
          entry.server.close = async () => {
            entry.closed = true;
            await close();
          };
          servers.push(entry);
          return entry.server;
        },
        clock,
        idleTimeoutMs: 30 * 60_000,
        maxSessions: 4,
      });
    });
    afterEach(() => limited.close());

    const open = async (accept = 'application/json, text/event-stream') => {
      const r = await request(limited.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, ...limited.headers },
        body: JSON.stringify(init),
      });
      await r.body.dump();
      return { status: r.statusCode, session: r.headers['mcp-session-id'] as string | undefined };
    };
    const ping = async (session: string) => {
      const r = await request(limited.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': session,
          'mcp-protocol-version': '2025-06-18',
          ...limited.headers,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
      });
      await r.body.dump();
      return r.statusCode;
    };
    /** Closing a session's server ends asynchronously after its last response: wait for it (never a fixed time). */
    const closed = (what: string, done: () => boolean) => waitUntil(done, 30_000, what);

    it('closes the server of an initialize that established no session', async () => {
      const before = changeListeners();
      for (let i = 0; i < 5; i++) assert.equal((await open('text/plain')).status, 406);
      await closed('the five servers closed', () => servers.length === 5 && servers.every((s) => s.closed) && changeListeners() === before);
      assert.equal(servers.length, 5);
      assert.deepEqual(
        servers.map((s) => s.closed),
        [true, true, true, true, true],
      );
      assert.equal(changeListeners(), before, 'no engine listener left behind');
    });

    it('closes sessions idle past the timeout, and keeps those in use', async () => {
      const before = changeListeners();
      const [a, b] = [(await open()).session!, (await open()).session!];
      assert.equal(changeListeners(), before + 2);
      await clock.advance(20 * 60_000);
      assert.equal(await ping(b), 200, 'b is used again');
      await clock.advance(15 * 60_000);
      assert.equal(await ping(a), 404, 'a was idle for 35 minutes: closed');
      assert.equal(await ping(b), 200, 'b was used 15 minutes ago: open');
      await closed("a's server closed", () => changeListeners() === before + 1);
      assert.equal(changeListeners(), before + 1);
    });

    it('keeps at most maxSessions: a new one closes the least recently used', async () => {
      const before = changeListeners();
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        ids.push((await open()).session!);
        await clock.advance(1000);
      }
      await closed('all but four servers closed', () => servers.filter((s) => !s.closed).length === 4 && changeListeners() === before + 4);
      assert.equal(servers.filter((s) => !s.closed).length, 4);
      assert.equal(changeListeners(), before + 4);
      assert.equal(await ping(ids[0]), 404);
      assert.equal(await ping(ids[11]), 200);
    });
  });
});
