import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the relay received: the creates (POST of a video), when they arrived and when they were answered. */
export interface SlowRelay {
  url: string;
  /** Creates that reached the relay, in order (the prompt of each). */
  creates: string[];
  /** Creates on their way: received, not yet answered. */
  inFlight(): number;
  close(): Promise<void>;
}

const CREATE_PATHS = new Set(['/v1/video/create', '/v1/videos']);

/** Passes a request (its body already read) on to `upstream`, and its answer back: the proxies' one way through. */
export function forwarder(upstream: string): (req: IncomingMessage, res: ServerResponse, body: Buffer) => void {
  const target = new URL(upstream);
  return (req, res, body) => {
    const out = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    out.end(body);
  };
}

/**
 * A relay slow to create: a proxy in front of the simulator that holds each create for `createDelayMs`
 * before passing it on (everything else goes straight through). The simulator itself stays untouched.
 */
export async function slowRelay(upstream: string, createDelayMs: number): Promise<SlowRelay> {
  const creates: string[] = [];
  let inFlight = 0;
  const forward = forwarder(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isCreate = req.method === 'POST' && CREATE_PATHS.has((req.url ?? '').split('?')[0]);
      if (!isCreate) return forward(req, res, body);
      const text = body.toString('utf8');
      creates.push(/"prompt":"((?:[^"\\]|\\.)*)"/.exec(text)?.[1] ?? text.slice(0, 80));
      inFlight++;
      setTimeout(() => {
        res.on('close', () => inFlight--);
        forward(req, res, body);
      }, createDelayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    creates,
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
