import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Simulator } from '../../src/simulator';
import { REAL_DEADLINE_MS } from '../helpers/clock';
import { waitUntil } from '../helpers/wait';
import { ensureBuilt, removeHome, SERVER_JS, simulator, TEST_KEY, tempHome, TIME_SCALE } from './harness';
import { heldRelay, type HeldRelay } from './heldRelay';

/** What generate_video's `model` parameter says to a client, as tools/list has it. */
async function modelDescription(client: Client): Promise<string> {
  const { tools } = await client.listTools();
  const generate = tools.find((t) => t.name === 'generate_video');
  return String((generate?.inputSchema.properties?.model as { description?: string } | undefined)?.description);
}

describe('integration: the tool descriptions name what this key can use from the start (real stdio client)', function () {
  this.timeout(120_000);
  let sim: Simulator | undefined;
  let relay: HeldRelay | undefined;
  let client: Client | undefined;
  let home = '';
  afterEach(async () => {
    await client?.close().catch(() => undefined);
    await relay?.close();
    await sim?.close();
    if (home) removeHome(home);
  });

  it('reads GET /v1/models in the background at start: initialize and tools/list never wait for it, then tools/list_changed; a refusal reads it again', async () => {
    ensureBuilt();
    sim = await simulator({ models: ['veo3.1-fast', 'grok-video-3', 'jimeng-video-3.0', 'gpt-4o-mini'] });
    // The relay's answer to GET /v1/models is held until the session is up: the notification is the only way the client hears it.
    relay = await heldRelay(sim.url, '/v1/models');
    home = tempHome();
    const env = {
      ...getDefaultEnvironment(),
      JUXIN_API_KEY: TEST_KEY,
      JUXIN_BASE_URL: relay.url,
      JUXIN_SORA_HOME: home,
      JUXIN_TIME_SCALE: String(TIME_SCALE),
      JUXIN_MAX_REQUESTS_PER_SECOND: '100',
    };
    client = new Client({ name: 'juxin-sora-tools-changed-test', version: '1.0.0' });
    let changes = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => void changes++);
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [SERVER_JS], env, stderr: 'ignore' }));

    await waitUntil(() => relay!.held() > 0, REAL_DEADLINE_MS, 'GET /v1/models asked at start, before any call');
    const before = await modelDescription(client);
    assert.match(before, /Families: /, 'tools/list answered while the models list was still on its way: the catalog');
    assert.equal(changes, 0);

    relay.release();
    await waitUntil(() => changes > 0, REAL_DEADLINE_MS, 'tools/list_changed once the list came');
    const after = await modelDescription(client);
    assert.match(after, /This key can use: veo3\.1-fast, grok-video-3, jimeng-video-3\.0\./, after);
    assert.match(after, /default "veo3\.1-fast"/);

    // The relay refuses a model it listed (no channel after all): the error names what the key can use, and the list is read again.
    const asked = relay.held();
    const seen = changes;
    const refused = await client.callTool({
      name: 'generate_video',
      arguments: { prompt: 'a cat #sim:model-not-found', model: 'grok-video-3', duration: 10, wait: false },
    });
    assert.equal(refused.isError, true);
    assert.match(JSON.stringify(refused.content), /cannot use the model grok-video-3/);
    assert.equal(relay.held(), asked + 1, 'the list read again once after the refusal, for the error and the descriptions alike');
    // The refused model leaves the list the descriptions name.
    await waitUntil(() => changes > seen, REAL_DEADLINE_MS, 'tools/list_changed after the refusal');
    assert.match(await modelDescription(client), /This key can use: veo3\.1-fast, jimeng-video-3\.0\./);
  });

  it('a retired Sora as JUXIN_DEFAULT_MODEL is said once at start, with what is used instead, in both languages', async () => {
    ensureBuilt();
    sim = await simulator({ retireSora: true });
    home = tempHome();
    const env = { ...getDefaultEnvironment(), JUXIN_API_KEY: TEST_KEY, JUXIN_BASE_URL: sim.url, JUXIN_SORA_HOME: home, JUXIN_DEFAULT_MODEL: 'sora-2' };
    const transport = new StdioClientTransport({ command: process.execPath, args: [SERVER_JS], env, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    client = new Client({ name: 'juxin-sora-retired-default-test', version: '1.0.0' });
    await client.connect(transport);
    await waitUntil(() => /ready/.test(stderr), REAL_DEADLINE_MS, 'the server ready');
    await client.listTools();
    const said =
      stderr.match(
        /JUXIN_DEFAULT_MODEL is sora-2, but Sora 2 was retired upstream on 2026-09-24: a call that names no model uses the first model this key can use \(veo3\.1-fast first\)/g,
      ) ?? [];
    assert.equal(said.length, 1, stderr);
    assert.match(stderr, /已于 2026-09-24 被上游下线/);
  });
});
