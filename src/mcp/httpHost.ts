import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { silentLogger, type Logger } from '../util/log';

export const SECRET_HEADER = 'x-juxin-sora-secret';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface McpHttpHostOptions {
  createServer: () => McpServer;
  logger?: Logger;
  host?: string;
  port?: number;
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
}

/**
 * Serves MCP over Streamable HTTP on loopback for VS Code's MCP client. Defences: a random secret
 * header (other local processes and web pages can't guess it), and Host/Origin checks so a web page
 * using DNS rebinding can't talk to it even if it learned the port.
 */
export async function startMcpHttpHost(options: McpHttpHostOptions): Promise<McpHttpHost> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const secret = randomBytes(32).toString('hex');
  const sessions = new Map<string, Session>();
  let port = 0;

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
        return session.transport.handleRequest(req, res, body);
      }
      if (!isInitializeRequest(body)) return reply(res, 400, 'no session: send initialize first');
      const server = options.createServer();
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, { transport, server });
          logger.debug(`MCP session ${id} opened`);
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
        void server.close();
      };
      await server.connect(transport);
      return transport.handleRequest(req, res, body);
    }
    if (req.method === 'GET' || req.method === 'DELETE') {
      const session = sessionId ? sessions.get(sessionId) : undefined;
      if (!session) return reply(res, 404, 'unknown session');
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
