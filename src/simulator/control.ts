import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultController, FaultSpec, RequestTarget } from './faults';
import { readBody, sendJson } from './http';
import { jobState, type SimTask } from './jobs';

/** `/__sim/…`: fault injection and inspection for tests in another process. No auth, loopback only. */

export interface RecordedRequest {
  /** 'storage': the other host that serves finished videos (storage.ts). */
  origin: 'relay' | 'storage';
  method: string;
  path: string;
  /** Whether an Authorization header came with it (never its value). */
  authorized: boolean;
  /** What the request was, once routed (create, query, download…). */
  target?: RequestTarget;
  /** The task it was about, when it named one. */
  taskId?: string;
  query: Record<string, string>;
  /** Simulated time the request arrived, ms. */
  at: number;
  /** Status sent; 0 while unanswered (or never, for a `hang` fault). */
  status: number;
}

export interface ControlContext {
  faults: FaultController;
  requests: RecordedRequest[];
  tasks: ReadonlyMap<string, SimTask>;
  now(): number;
}

export async function handleControl(ctx: ControlContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === '/__sim/faults' && method === 'POST') {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8'));
    } catch {
      body = undefined;
    }
    const specs = Array.isArray(body) ? body : body !== null && typeof body === 'object' ? [body] : [];
    try {
      if (!specs.length) throw new Error('send a fault object (or a JSON array of them), e.g. {"kind":"rate_limit","on":"query"}');
      for (const spec of specs) ctx.faults.add(spec as FaultSpec);
    } catch (error) {
      return sendJson(res, 400, { error: { message: error instanceof Error ? error.message : String(error) } });
    }
    return sendJson(res, 200, { faults: ctx.faults.list() });
  }
  if (path === '/__sim/faults' && method === 'DELETE') {
    ctx.faults.clear();
    return sendJson(res, 200, { faults: [] });
  }
  if (path === '/__sim/faults' && method === 'GET') return sendJson(res, 200, { faults: ctx.faults.list() });
  if (path === '/__sim/requests' && method === 'GET') return sendJson(res, 200, { requests: ctx.requests });
  if (path === '/__sim/requests' && method === 'DELETE') {
    ctx.requests.length = 0;
    return sendJson(res, 200, { requests: [] });
  }
  if (path === '/__sim/tasks' && method === 'GET') {
    const now = ctx.now();
    const tasks = [...ctx.tasks.values()].map((t) => ({ ...t, completesAt: Number.isFinite(t.completesAt) ? t.completesAt : null, state: jobState(t, now) }));
    return sendJson(res, 200, { now, tasks });
  }
  sendJson(res, 404, { error: { message: `unknown control endpoint ${method} ${path}: use /__sim/faults, /__sim/requests or /__sim/tasks` } });
}
