import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwarder } from './slowRelay';

/** A proxy in front of the simulator that holds the requests of one path until the test lets them go. */
export interface HeldRelay {
  url: string;
  /** Requests of the held path received so far (held or let go). */
  held(): number;
  /** Lets every held request through, and every later one straight away. */
  release(): void;
  close(): Promise<void>;
}

export async function heldRelay(upstream: string, heldPath: string): Promise<HeldRelay> {
  let count = 0;
  let released = false;
  const waiting: (() => void)[] = [];
  const forward = forwarder(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const go = () => forward(req, res, Buffer.concat(chunks));
      if ((req.url ?? '').split('?')[0] !== heldPath) return go();
      count++;
      if (released) go();
      else waiting.push(go);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => count,
    release: () => {
      released = true;
      for (const go of waiting.splice(0)) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
