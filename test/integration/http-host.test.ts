import assert from 'node:assert/strict';
import { request } from 'undici';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startMcpHttpHost, type McpHttpHost, SECRET_HEADER } from '../../src/mcp/httpHost';
import { createSoraMcpServer } from '../../src/mcp/server';
import { VideoEngine } from '../../src/core/engine';
import { TaskStore } from '../../src/core/store';
import { JuxinClient } from '../../src/juxin/client';
import { scaledClock } from '../../src/util/clock';
import { removeHome, simulator, TEST_KEY, tempHome, TIME_SCALE } from './harness';
import type { Simulator } from '../../src/simulator';
import path from 'node:path';

describe("MCP over Streamable HTTP on loopback (the VS Code extension's transport)", function () {
  this.timeout(30_000);
  let sim: Simulator;
  let home: string;
  let engine: VideoEngine;
  let host: McpHttpHost;
  let sessions = 0;

  before(async () => {
    sim = await simulator();
    home = tempHome();
    const clock = scaledClock(TIME_SCALE);
    const api = new JuxinClient({ apiKey: TEST_KEY, baseUrl: sim.url, clock });
    engine = new VideoEngine({
      api: () => api,
      store: new TaskStore(home),
      videosDir: path.join(home, 'videos'),
      clock,
      minPollIntervalMs: 2000,
      maxRequestsPerSecond: 200,
    });
    await engine.start();
    host = await startMcpHttpHost({
      createServer: () => {
        sessions++;
        return createSoraMcpServer({ engine, version: 'test' });
      },
    });
  });

  after(async () => {
    await host.close();
    await engine.dispose();
    await sim.close();
    removeHome(home);
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
});
