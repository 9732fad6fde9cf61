import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema, ElicitRequestSchema, type CallToolResult, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { EngineOptions, VideoEngine } from '../../../src/core/engine';
import type { JuxinApi } from '../../../src/juxin/types';
import { createSoraMcpServer, type SoraMcpServerOptions } from '../../../src/mcp/server';
import type { Simulator, SimulatorOptions } from '../../../src/simulator';
import type { TestClock } from '../../helpers/clock';
import { EngineFixture, TEST_KEY } from '../../helpers/engine';

export { TEST_KEY };

export interface InProcess {
  sim: Simulator;
  clock: TestClock;
  home: string;
  engine: VideoEngine;
  client: Client;
  /** POSTs the simulator received (a paid request would be one of them). */
  posts(): number;
  /** Calls a tool and lets simulated time pass until it answers (a wait for a video takes its simulated minutes). */
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/**
 * `createSoraMcpServer` over the SDK's in-memory transport, on an engine that talks to an in-process
 * simulator, both on one TestClock (test/helpers/engine.ts): a failing assertion points at one tool handler.
 */
export async function inProcess(
  options: {
    engine?: Partial<EngineOptions>;
    server?: Partial<Omit<SoraMcpServerOptions, 'engine' | 'version'>>;
    simulator?: SimulatorOptions;
    /** A client that can ask its user (the elicitation capability), answering with this. */
    elicit?: (request: ElicitRequest['params']) => Promise<ElicitResult>;
    /** Puts something between the engine and the simulator's client (a relay slow to create, say). */
    wrapApi?: (api: JuxinApi) => JuxinApi;
  } = {},
): Promise<InProcess> {
  const fixture = await EngineFixture.create({ simulator: options.simulator ?? true, prefix: 'juxin-mcp' });
  const engine = await fixture.started({ minPollIntervalMs: 2000, ...(options.wrapApi ? { api: options.wrapApi(fixture.api) } : {}), ...options.engine });
  const server = createSoraMcpServer({ engine, version: 'test', ...options.server });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'in-process-test', version: '1.0.0' }, options.elicit ? { capabilities: { elicitation: { form: {} } } } : {});
  if (options.elicit) {
    const elicit = options.elicit;
    client.setRequestHandler(ElicitRequestSchema, (request) => elicit(request.params));
  }
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const sim = fixture.sim!;
  return {
    sim,
    clock: fixture.clock,
    home: fixture.home,
    engine,
    client,
    posts: () => sim.requests.filter((r) => r.method === 'POST').length,
    // The SDK's own timeout is real time: generous, it only bounds a failure.
    call: async (name, args) =>
      (await fixture.clock.run(client.callTool({ name, arguments: args }, CallToolResultSchema, { timeout: 300_000 }), { what: name })) as CallToolResult,
    close: async () => {
      await client.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      await fixture.close();
    },
  };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}
