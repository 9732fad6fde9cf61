import { type Dispatcher, type FormData, request, Response } from 'undici';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/log';
import { errorFromResponse, JuxinError, scrubSecrets } from './errors';
import { basePath, isRelayApiUrl } from './relayUrl';
import { DEFAULT_BASE_URL } from './types';
import { markNotSent, MAYBE_CREATED_EN, MAYBE_CREATED_ZH, mayHaveBeenAccepted, type RequestKind, type RetryOptions, withRetry } from './retry';

export interface HttpOptions {
  apiKey: string;
  baseUrl: string;
  clock: Clock;
  logger: Logger;
  dispatcher?: Dispatcher;
  requestTimeoutMs: number;
  /** The clock of `requestTimeoutMs`: a request takes real milliseconds even when `clock` runs simulated time. */
  timeoutClock: Clock;
  retry: RetryOptions;
  random: () => number;
}

export type RequestBody = { json: unknown } | { form: FormData };

export interface SendOptions<T> {
  method: 'GET' | 'POST';
  /** Path and query, already encoded. */
  path: string;
  kind: RequestKind;
  body?: RequestBody;
  /** Turns the JSON body into the result; runs inside the attempt so a malformed query answer is retried. */
  parse: (body: unknown) => T;
  signal?: AbortSignal;
  /** No new attempt once this aborts (see RequestOptions.stopRetries). */
  stopRetries?: AbortSignal;
}

/** Connection errors raised before any byte of the request left: repeating them cannot bill twice. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
/** An answer bigger than this is not a Juxin JSON answer (a wrong base URL serving a file, say). */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * One logical Juxin request: checks the key and base URL before anything is sent, adds the headers,
 * applies the per-request timeout and the retry policy, and turns every failure into a `JuxinError`
 * (a caller's abort is rethrown as is). Never logs or reports headers or the key.
 */
export class JuxinHttp {
  private readonly key: string;
  private readonly base: URL | JuxinError;

  constructor(private readonly options: HttpOptions) {
    this.key = options.apiKey?.trim() ?? '';
    this.base = parseBaseUrl(options.baseUrl);
  }

  async send<T>(req: SendOptions<T>): Promise<T> {
    const url = this.url(req.path);
    const label = `${req.method} ${req.path.split('?')[0]}`;
    try {
      return await withRetry(async () => req.parse(await this.attempt(url, req, label)), {
        kind: req.kind,
        clock: this.options.clock,
        random: this.options.random,
        options: this.options.retry,
        signal: req.signal,
        stopRetries: req.stopRetries,
        logger: this.options.logger,
        label,
      });
    } catch (error) {
      if (req.signal?.aborted) throw abortReason(req.signal);
      if (req.kind === 'create' && error instanceof JuxinError && mayHaveBeenAccepted(error)) throw maybeCreated(error);
      throw error;
    }
  }

  /**
   * The key for a download from the relay's own API routes (`<base>/v1/…`: its `/v1/videos/{id}/content`),
   * nothing for any other host, port or path: a storage host must never see it.
   */
  downloadHeaders(raw: string): Record<string, string> {
    if (this.base instanceof JuxinError || !/^[\x21-\x7e]+$/.test(this.key) || !isRelayApiUrl(raw, this.base)) return {};
    // No key beside credentials someone wrote into the URL.
    return /^[a-z]+:\/\/[^/]*@/i.test(raw) ? {} : { authorization: `Bearer ${this.key}` };
  }

  /** The full URL, or a config error (nothing is sent without a usable key and base URL). */
  private url(path: string): URL {
    if (!this.key) throw new JuxinError('config', 'No Juxin API key is set, so nothing was sent.', { messageZh: '未设置聚鑫 API Key，未发送任何请求。' });
    // A header can carry only visible ASCII: a pasted key with a line break or a full-width character would fail anyway.
    if (!/^[\x21-\x7e]+$/.test(this.key)) {
      throw new JuxinError('config', 'The Juxin API key contains spaces, line breaks or non-ASCII characters, so nothing was sent. Copy the key again.', {
        messageZh: 'API Key 中含有空格、换行或非 ASCII 字符，未发送请求。请重新复制 Key。',
      });
    }
    if (this.base instanceof JuxinError) throw this.base;
    return new URL(this.base.href + path.replace(/^\/+/, ''));
  }

  private async attempt<T>(url: URL, req: SendOptions<T>, label: string): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, accept: 'application/json' };
    let body: string | Buffer | undefined;
    if (req.body && 'json' in req.body) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.body.json);
    } else if (req.body) {
      // Encoded up front into one sized body: in VS Code's extension host (whose net module is patched
      // for proxies) a streamed FormData body never finished sending, and the upload timed out.
      const encoded = new Response(req.body.form);
      headers['content-type'] = encoded.headers.get('content-type')!;
      body = Buffer.from(await encoded.arrayBuffer());
    }
    const attemptOver = new AbortController();
    const timeout = timeoutSignal(this.options.timeoutClock, this.options.requestTimeoutMs, attemptOver.signal);
    const { signal, release } = eitherSignal(timeout, req.signal);
    const started = this.options.clock.now();
    const elapsed = () => Math.round(this.options.clock.now() - started);
    let status: number;
    let text: string;
    let responseHeaders: Record<string, string | string[] | undefined>;
    try {
      const response = await request(url, { method: req.method, headers, body, signal, dispatcher: this.options.dispatcher });
      status = response.statusCode;
      responseHeaders = response.headers;
      text = await readText(response.body, label, status);
    } catch (error) {
      if (req.signal?.aborted) throw abortReason(req.signal);
      const failure = error instanceof JuxinError ? error : this.transportError(error, timeout.aborted, label);
      this.options.logger.debug(`${label} failed (${failure.kind}) after ${elapsed()} ms`);
      throw failure;
    } finally {
      attemptOver.abort();
      release();
    }
    this.options.logger.debug(`${label} → ${status} in ${elapsed()} ms`);
    // A vendor that echoes the key back must not get it into our messages.
    const safeText = text.split(this.key).join('[redacted]');
    // Wall time, not the injected clock: a Retry-After date is the server's real time.
    if (status >= 400) throw errorFromResponse(status, safeText, responseHeaders);
    try {
      return JSON.parse(safeText) as unknown; // `parse` rejects JSON of the wrong shape
    } catch {
      throw errorFromResponse(status, safeText, responseHeaders);
    }
  }

  private transportError(error: unknown, timedOut: boolean, label: string): JuxinError {
    const code = errorCode(error);
    if (timedOut || (code && TIMEOUT_CODES.has(code))) {
      const ms = this.options.requestTimeoutMs;
      return new JuxinError('timeout', `${label}: Juxin did not answer within ${ms < 1000 ? `${ms} ms` : `${ms / 1000} s`}.`, { cause: error });
    }
    const detail = scrubSecrets((error instanceof Error ? error.message : String(error)).split(this.key).join('[redacted]'));
    const wrapped = new JuxinError('network', `${label}: could not reach Juxin (${code ?? detail}).`, { cause: error });
    return code && NOT_SENT_CODES.has(code) ? markNotSent(wrapped) : wrapped;
  }
}

/**
 * What is wrong with a base URL, in English and Chinese (the subject, e.g. "The base URL", is the
 * caller's), or undefined when it is usable: an http(s) URL without user name, password, query string or
 * fragment, and plain http only to this machine (a missing "s" must not send the key across the network
 * in clear). The URL is shown scrubbed: a secret in it is never repeated.
 */
export function baseUrlProblem(raw: string): { en: string; zh: string } | undefined {
  const text = String(raw ?? '').trim();
  const shown = JSON.stringify(scrubSecrets(text).slice(0, 200));
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return { en: `${shown} is not an http(s) URL like ${DEFAULT_BASE_URL}`, zh: `${shown} 不是有效的 http(s) 地址（例如 ${DEFAULT_BASE_URL}）` };
  }
  if (url.username || url.password) {
    return {
      en: `${shown} contains a user name or password: remove it (the API key is set on its own, never in the URL)`,
      zh: `${shown} 中含有用户名或密码：请删除（API Key 单独设置，不要写进地址）`,
    };
  }
  if (url.search || url.hash || text.includes('?') || text.includes('#')) {
    return {
      en: `${shown} has a query string or fragment (?… or #…): use the plain address, e.g. ${DEFAULT_BASE_URL}`,
      zh: `${shown} 中含有查询参数或片段（?… 或 #…）：请只填地址本身，例如 ${DEFAULT_BASE_URL}`,
    };
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return {
      en: `${shown} uses plain http to another machine, which would send the API key unencrypted: use https:// (plain http is only for this machine, e.g. http://127.0.0.1:8787)`,
      zh: `${shown} 使用明文 http 连接其他机器，API Key 会以明文传输：请改用 https://（明文 http 仅限本机，例如 http://127.0.0.1:8787）`,
    };
  }
  return undefined;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The base URL with exactly one trailing slash, or the config error to raise when it is used. */
export function parseBaseUrl(raw: string): URL | JuxinError {
  const problem = baseUrlProblem(raw);
  if (problem) {
    return new JuxinError('config', `The base URL ${problem.en}, so nothing was sent.`, { messageZh: `Base URL ${problem.zh}，未发送请求。` });
  }
  const url = new URL(String(raw).trim());
  // Beginners often paste the OpenAI-style ".../v1"; our paths already start with /v1.
  url.pathname = `${basePath(url.pathname)}/`;
  return url;
}

async function readText(body: AsyncIterable<Buffer> & { destroy(): unknown }, label: string, status: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new JuxinError(
        'malformed_response',
        `${label}: Juxin answered ${status} with more than ${MAX_BODY_BYTES / 1024 / 1024} MB, which is not an API answer (is the base URL right?).`,
        { status },
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function maybeCreated(error: JuxinError): JuxinError {
  return new JuxinError(error.kind, `${error.message} ${MAYBE_CREATED_EN}`, {
    messageZh: `${error.messageZh ? `${error.messageZh} ` : ''}${MAYBE_CREATED_ZH}`,
    status: error.status,
    vendorMessage: error.vendorMessage,
    vendorMessageZh: error.vendorMessageZh,
    vendorType: error.vendorType,
    vendorCode: error.vendorCode,
    cause: error,
  });
}

/** A signal that aborts with a TimeoutError `ms` after now on `clock`; aborting `until` ends the wait (and its timer). */
function timeoutSignal(clock: Clock, ms: number, until: AbortSignal): AbortSignal {
  const controller = new AbortController();
  clock.sleep(ms, until).then(
    () => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')),
    () => undefined,
  );
  return controller.signal;
}

/**
 * A signal that aborts when either does. `release` detaches it from the caller's signal, which may be
 * long-lived (one per tracked task) and would otherwise collect a listener per request.
 */
function eitherSignal(timeout: AbortSignal, caller: AbortSignal | undefined): { signal: AbortSignal; release: () => void } {
  if (!caller) return { signal: timeout, release: () => {} };
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (caller.aborted) abort();
  caller.addEventListener('abort', abort, { once: true });
  timeout.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    release: () => {
      caller.removeEventListener('abort', abort);
      timeout.removeEventListener('abort', abort);
    },
  };
}

/** The caller's abort, as an Error (an AbortError `DOMException` unless the caller gave its own reason). */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
