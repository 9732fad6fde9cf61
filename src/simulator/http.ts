import type { IncomingMessage, ServerResponse } from 'node:http';
import { Request as UndiciRequest, type FormData } from 'undici';
import { vendorError } from './shapes';

/** Thrown by a handler to answer with this status and body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** A 400 for a body that cannot be read as what the endpoint takes. */
function unreadable(message: string, messageZh: string): HttpError {
  return new HttpError(400, vendorError(message, messageZh, 'invalid_request_error', 'invalid_request'));
}

const MAX_BODY = 64 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, vendorError('request body too large', '请求体过大', 'invalid_request_error', 'request_too_large'));
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req)).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unreadable('request body must be JSON', '请求体必须是 JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw unreadable('request body must be a JSON object', '请求体必须是 JSON 对象');
  return value as Record<string, unknown>;
}

/** Parses multipart/form-data with undici's Request (no hand-written multipart parser). */
export async function readForm(req: IncomingMessage): Promise<FormData> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) throw unreadable('request body must be multipart/form-data', '请求体必须是 multipart/form-data');
  const body = await readBody(req);
  try {
    return await new UndiciRequest('http://simulator/', { method: 'POST', headers: { 'content-type': type }, body }).formData();
  } catch {
    throw unreadable('request body is not valid multipart/form-data', '请求体不是有效的 multipart/form-data');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
