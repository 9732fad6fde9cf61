import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { systemClock, type Clock } from '../util/clock';
import { silentLogger, type Logger } from '../util/log';

export const SECRET_HEADER = 'x-juxin-sora-secret';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface McpHttpHostOptions {
  createServer: () => McpServer;
  logger?: Logger;
  host?: string;
  port?: number;
  /** A session with no request open for this long is closed (default 30 minutes). */
  idleTimeoutMs?: number;
  /** At most this many sessions; a new one closes the least recently used idle one (default 16). */
  maxSessions?: number;
  clock?: Clock;
}

export interface McpHttpHost {
  /** e.g. http://127.0.0.1:53124/mcp */
  url: string;
  /** Headers every request must carry (a per-process random secret, never the API key). */
  headers: Record<string, string>;
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  /** Requests of this session still open (a client's standing GET stream counts). */
  open: number;
  lastActive: number;
}

/**
 * Serves MCP over Streamable HTTP on loopback for VS Code's MCP client. Defences: a random secret
 * header (other local processes and web pages can't guess it), and Host/Origin checks so a web page
 * using DNS rebinding can't talk to it even if it learned the port. No server outlives its session:
 * a refused initialize closes its server at once, idle sessions close after `idleTimeoutMs`, and at
 * most `maxSessions` stay open.
 */
export async function startMcpHttpHost(options: McpHttpHostOptions): Promise<McpHttpHost> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
  const maxSessions = options.maxSessions ?? 16;
  const secret = randomBytes(32).toString('hex');
  const sessions = new Map<string, Session>();
  const lifetime = new AbortController();
  let port = 0;

  /** Marks a request of `session` open until its response ends: a session is idle only with none open. */
  const using = (session: Session, res: ServerResponse) => {
    session.open++;
    session.lastActive = clock.now();
    res.once('close', () => {
      session.open--;
      session.lastActive = clock.now();
    });
  };
  const closeSession = (id: string, why: string) => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    logger.debug(`MCP session ${id} closed (${why})`);
    void session.transport.close().catch(() => undefined);
  };
  // Clients that never send DELETE (or vanish) would otherwise leave a server and its engine listeners behind.
  const sweep = () => {
    const now = clock.now();
    for (const [id, s] of sessions) if (s.open === 0 && now - s.lastActive >= idleTimeoutMs) closeSession(id, 'idle');
  };
  void (async () => {
    const every = Math.min(idleTimeoutMs, 60_000);
    while (!lifetime.signal.aborted) {
      await clock.sleep(every, lifetime.signal).catch(() => undefined);
      if (!lifetime.signal.aborted) sweep();
    }
  })();
  /** Room for one more session: the least recently used idle one goes; false if every one is busy. */
  const makeRoom = () => {
    sweep();
    while (sessions.size >= maxSessions) {
      const idle = [...sessions].filter(([, s]) => s.open === 0).sort(([, a], [, b]) => a.lastActive - b.lastActive);
      if (!idle.length) return false;
      closeSession(idle[0][0], `more than ${maxSessions} sessions`);
    }
    return true;
  };

  const allowedHost = (value: string | undefined) =>
    value === `${host}:${port}` || value === `localhost:${port}` || value === `127.0.0.1:${port}` || value === `[::1]:${port}`;
  const allowedOrigin = (value: string | undefined) => value === undefined || value === `http://${host}:${port}` || value === `http://localhost:${port}`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (url.pathname !== '/mcp') return reply(res, 404, 'not found');
    if (!allowedHost(req.headers.host) || !allowedOrigin(req.headers.origin)) return reply(res, 403, 'forbidden host or origin');
    if (!secretMatches(req.headers[SECRET_HEADER], secret)) return reply(res, 401, 'missing or wrong secret');

    const sessionId = header(req, 'mcp-session-id');
    if (req.method === 'POST') {
      const body = await readJson(req);
      if (body === undefined) return reply(res, 400, 'invalid JSON body');
      if (sessionId) {
        const session = sessions.get(sessionId);
        if (!session) return reply(res, 404, 'unknown session');
        using(session, res);
        return session.transport.handleRequest(req, res, body);
      }
      if (!isInitializeRequest(body)) return reply(res, 400, 'no session: send initialize first');
      if (!makeRoom()) return reply(res, 503, `too many MCP sessions in use (${maxSessions}): close one and try again`);
      const server = options.createServer();
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          const session: Session = { transport, server, open: 0, lastActive: clock.now() };
          sessions.set(id, session);
          using(session, res);
          logger.debug(`MCP session ${id} opened`);
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
        void server.close();
      };
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
      // A refused initialize (wrong Accept header, bad version…) made no session: nothing may keep its server.
      if (!transport.sessionId) await transport.close();
      return;
    }
    if (req.method === 'GET' || req.method === 'DELETE') {
      const session = sessionId ? sessions.get(sessionId) : undefined;
      if (!session) return reply(res, 404, 'unknown session');
      using(session, res);
      return session.transport.handleRequest(req, res);
    }
    return reply(res, 405, 'method not allowed');
  };

  const http = createHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error(`MCP HTTP request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) reply(res, 500, 'internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  port = (http.address() as AddressInfo).port;
  logger.info(`MCP server listening on http://${host}:${port}/mcp`);

  return {
    url: `http://${host}:${port}/mcp`,
    headers: { [SECRET_HEADER]: secret },
    close: async () => {
      lifetime.abort();
      await Promise.allSettled([...sessions.values()].map((s) => s.transport.close()));
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
