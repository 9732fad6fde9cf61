import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from '../../../src/util/log';

/** Made up; never a real key. */
export const TEST_KEY = 'sk-test-not-a-real-key-0001';

const FIXTURES = path.join(__dirname, '../../fixtures/juxin');

export function fixtureText(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name)) as Record<string, unknown>;
}

/** A clock whose sleeps return at once and move time forward, recording every wait (test/helpers/clock.ts). */
export { VirtualClock } from '../../helpers/clock';

export interface CapturedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type Responder = (req: CapturedRequest, res: ServerResponse, raw: IncomingMessage) => void;

/** A real HTTP server on 127.0.0.1 that records requests; `respond` answers the n-th request (the last one repeats). */
export async function startServer(...responders: Responder[]): Promise<{ url: string; requests: CapturedRequest[]; close(): Promise<void> }> {
  const requests: CapturedRequest[] = [];
  const server = createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const captured = { method: raw.method ?? '', url: raw.url ?? '', headers: raw.headers, body: Buffer.concat(chunks) };
      requests.push(captured);
      const respond = responders[Math.min(requests.length, responders.length) - 1];
      respond(captured, res, raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Responder {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

export function text(status: number, body: string, contentType = 'text/html'): Responder {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  };
}

/** Never answers (until the server closes). */
export const hang: Responder = () => {};

/** Drops the connection after reading the request: the request was sent, the answer never comes. */
export const reset: Responder = (_req, _res, raw) => {
  raw.socket.destroy();
};

export interface CapturedLogger extends Logger {
  lines: string[];
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const write = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return { lines, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Seeded PRNG so a fuzz failure can be replayed. */
export { seededRandom } from '../../../src/util/random';
