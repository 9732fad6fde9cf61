import { request as httpRequest } from 'node:http';
import { Agent, type Dispatcher, type FormData, request } from 'undici';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../src/simulator';
import { ManualClock } from '../../../src/util/clock';

/** Made up; the simulator accepts any sk-… key. */
export const TEST_KEY = 'sk-test-not-a-real-key-0001';
export const SECOND = 1000;

/** One fixed dress of the real wire (Shape C answers, videos on the storage host), for tests about anything but shapes. */
export const PLAIN = { queryShape: 'openai', videoUrls: 'storage' } as const satisfies SimulatorOptions;

/** Defaults every test can reason about: sora-2 10 s jobs queue 150 s, then generate for 90 s. */
export const TEN_SECOND_JOB = { queue: 150 * SECOND, generate: 90 * SECOND };

export interface Harness {
  sim: Simulator;
  clock: ManualClock;
  /** Moves simulated time forward (timeScale 1 on a ManualClock). */
  advance(ms: number): Promise<void>;
  call(method: string, path: string, init?: CallInit): Promise<Reply>;
  create(body?: Record<string, unknown>): Promise<Reply>;
  query(id: string): Promise<Reply>;
  close(): Promise<void>;
}

export interface CallInit {
  json?: unknown;
  form?: FormData;
  key?: string | null;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  bytes: Buffer;
  /** The parsed body (throws when it is not JSON). */
  json: Record<string, any>;
}

/** A simulator on a ManualClock with no jitter, still carrying Sora (see below), and helpers to talk to it over real HTTP. */
export async function harness(options: SimulatorOptions = {}): Promise<Harness> {
  const clock = new ManualClock();
  // These suites test the relay's wire as its users logged it, on sora-2 jobs (10 s, queued 150 s then 90 s of
  // generation, Sora's `pending_info`, remix, characters): a relay that still carries Sora, asked for explicitly.
  // The retirement (the default since 2026-09-24) is tested where it is the subject; the other families in families.test.ts.
  const sim = await startSimulator({ clock, quiet: true, timingJitter: 0, retireSora: false, ...options });
  // Own connection pool, so closing the simulator cannot disturb other tests.
  const agent = new Agent({ keepAliveTimeout: 10 });
  const call = (method: string, path: string, init: CallInit = {}) => send(agent, sim.url + path, method, init);
  let closed: Promise<void> | undefined;
  return {
    sim,
    clock,
    advance: (ms) => clock.advance(ms),
    call,
    create: (body = {}) => call('POST', '/v1/video/create', { json: { prompt: 'a cat surfing at sunset', model: 'sora-2', images: [], ...body } }),
    query: (id) => call('GET', `/v1/video/query?id=${encodeURIComponent(id)}`),
    close: () =>
      (closed ??= (async () => {
        await sim.close();
        await agent.destroy();
      })()),
  };
}

export async function send(dispatcher: Dispatcher, url: string, method: string, init: CallInit = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? TEST_KEY}`;
  let body: string | FormData | undefined;
  if (init.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof init.json === 'string' ? init.json : JSON.stringify(init.json);
  } else if (init.form) {
    body = init.form;
  }
  const res = await request(url, { method: method as Dispatcher.HttpMethod, headers, body, dispatcher });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const text = bytes.toString('utf8');
  return {
    status: res.statusCode,
    headers: res.headers,
    text,
    bytes,
    get json() {
      return JSON.parse(text) as Record<string, any>;
    },
  };
}

export interface Download {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** False when the connection ended before Content-Length bytes arrived. */
  complete: boolean;
}

/** A GET with node:http that keeps whatever arrived when the connection drops (undici would throw it away). */
export function download(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Download> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { connection: 'close', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      const finish = () => {
        const body = Buffer.concat(chunks);
        const expected = Number(res.headers['content-length'] ?? body.length);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, complete: res.complete && body.length === expected });
      };
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', finish);
      res.on('error', finish); // "aborted": the server cut the body short
    });
    req.on('error', reject);
    req.end();
  });
}
