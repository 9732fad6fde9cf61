import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema, ElicitRequestSchema, type CallToolResult, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { VideoEngine, type EngineOptions } from '../../../src/core/engine';
import { TaskStore } from '../../../src/core/store';
import { JuxinClient } from '../../../src/juxin/client';
import type { JuxinApi } from '../../../src/juxin/types';
import { createSoraMcpServer, type SoraMcpServerOptions } from '../../../src/mcp/server';
import { startSimulator, type Simulator } from '../../../src/simulator';
import { scaledClock } from '../../../src/util/clock';

export const TEST_KEY = 'sk-test-not-a-real-key-0001';

export interface InProcess {
  sim: Simulator;
  home: string;
  engine: VideoEngine;
  client: Client;
  /** POSTs the simulator received (a paid request would be one of them). */
  posts(): number;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/**
 * `createSoraMcpServer` over the SDK's in-memory transport, on an engine that talks to an in-process
 * simulator (120× speed by default): a failing assertion points at one tool handler.
 */
export async function inProcess(
  options: {
    engine?: Partial<EngineOptions>;
    server?: Partial<Omit<SoraMcpServerOptions, 'engine' | 'version'>>;
    timeScale?: number;
    /** A client that can ask its user (the elicitation capability), answering with this. */
    elicit?: (request: ElicitRequest['params']) => Promise<ElicitResult>;
    /** Puts something between the engine and the simulator's client (a relay slow to create, say). */
    wrapApi?: (api: JuxinApi) => JuxinApi;
  } = {},
): Promise<InProcess> {
  const timeScale = options.timeScale ?? 120;
  const sim = await startSimulator({ timeScale, quiet: true });
  const home = mkdtempSync(path.join(tmpdir(), 'juxin-mcp-'));
  const clock = scaledClock(timeScale);
  const simClient = new JuxinClient({ apiKey: TEST_KEY, baseUrl: sim.url, clock });
  const api = options.wrapApi ? options.wrapApi(simClient) : simClient;
  const engine = new VideoEngine({
    api: () => api,
    store: new TaskStore(home),
    videosDir: path.join(home, 'videos'),
    clock,
    minPollIntervalMs: 2000,
    maxRequestsPerSecond: 100,
    ...options.engine,
  });
  await engine.start();
  const server = createSoraMcpServer({ engine, version: 'test', ...options.server });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'in-process-test', version: '1.0.0' }, options.elicit ? { capabilities: { elicitation: { form: {} } } } : {});
  if (options.elicit) {
    const elicit = options.elicit;
    client.setRequestHandler(ElicitRequestSchema, (request) => elicit(request.params));
  }
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    sim,
    home,
    engine,
    client,
    posts: () => sim.requests.filter((r) => r.method === 'POST').length,
    call: async (name, args) => (await client.callTool({ name, arguments: args }, CallToolResultSchema, { timeout: 30_000 })) as CallToolResult,
    close: async () => {
      await client.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      await engine.dispose();
      await sim.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}
