import { scrubSecrets } from '../util/secrets';
import { describeModelRefusal, readModelRefusal, type ModelAccess, type ModelRefusal } from './modelErrors';
import { videoFamilyOf } from './models';
import type { JuxinErrorKind } from './types';

/** What the user can do next, per kind of error, in both languages the UI speaks. */
export const NEXT_STEPS: Record<JuxinErrorKind, { en: string; zh: string }> = {
  config: {
    en: 'Set your Juxin API key (JUXIN_API_KEY, or "AI Video: Set API Key" in VS Code) and check the base URL.',
    zh: '请先设置聚鑫 API Key（环境变量 JUXIN_API_KEY，或在 VS Code 中运行“AI 视频: 设置 API Key”），并检查 Base URL。',
  },
  auth: {
    en: 'The API key was rejected. Copy a valid key from the Juxin console and set it again.',
    zh: 'API Key 无效。请到聚鑫控制台复制有效的 Key 并重新设置。',
  },
  quota: {
    en: 'Your Juxin balance or quota is used up. Top up in the Juxin console, then try again.',
    zh: '聚鑫余额或额度不足。请到聚鑫控制台充值后重试。',
  },
  rate_limit: {
    en: 'Juxin is rate-limiting requests. Wait a minute and try again; polling slows down automatically.',
    zh: '请求过于频繁，被聚鑫限流。请稍等一分钟再试；轮询会自动放慢。',
  },
  upstream: {
    en: 'Juxin or its upstream failed. This is usually temporary: try again in a few minutes.',
    zh: '聚鑫或其上游服务出错，通常是暂时的：请几分钟后重试。',
  },
  bad_request: {
    en: 'Juxin rejected the request. Check the parameters named in the message and try again.',
    zh: '聚鑫拒绝了请求。请按提示检查参数后重试。',
  },
  not_found: {
    en: 'Not found: check the task id, and that the base URL points at Juxin (https://api.jxincm.cn).',
    zh: '未找到：请检查任务 ID，并确认 Base URL 指向聚鑫（https://api.jxincm.cn）。',
  },
  model_unavailable: {
    en: "This is not temporary: trying again will not help. Use a video model this key can use, or ask Juxin to enable this model for your key's group (分组) in its console.",
    zh: '这不是暂时性问题，重试无效。请改用此 Key 可用的视频模型，或在聚鑫控制台为此 Key 的分组开通该模型。',
  },
  no_route: {
    en: 'Check the base URL (Juxin is https://api.jxincm.cn). If it is right, this relay does not offer this kind of model: use another model.',
    zh: '请检查 Base URL（聚鑫为 https://api.jxincm.cn）。若无误，说明该中转站不提供此类模型：请换用其他模型。',
  },
  malformed_response: {
    en: 'Juxin answered with something that is not the expected JSON. Check the base URL; if it is right, try again later.',
    zh: '聚鑫返回了无法识别的内容（不是预期的 JSON）。请检查 Base URL；若无误，请稍后重试。',
  },
  network: {
    en: 'Could not reach Juxin. Check your internet connection or proxy, and the base URL.',
    zh: '无法连接聚鑫。请检查网络或代理设置，以及 Base URL。',
  },
  timeout: {
    en: 'Juxin did not answer in time. Try again; if it keeps happening, check your network.',
    zh: '聚鑫响应超时。请重试；若持续出现，请检查网络。',
  },
};

export interface JuxinErrorInit {
  /** Our own message in Chinese (the English one is `message`). */
  messageZh?: string;
  status?: number;
  vendorMessage?: string;
  vendorMessageZh?: string;
  vendorType?: string;
  vendorCode?: string;
  retryAfterMs?: number;
  /** model_unavailable: the model refused, the key's group (when the relay named it), the video models the key can use. */
  model?: string;
  group?: string;
  videoModels?: readonly string[];
  /** model_unavailable: the day its family was retired upstream (YYYY-MM-DD), when it was. */
  retiredOn?: string;
  cause?: unknown;
}

/**
 * Every failure of a Juxin call. `message` is English and says what happened; `nextStep` /
 * `nextStepZh` say what to do. Never carries the API key or request headers.
 */
export class JuxinError extends Error {
  override readonly name = 'JuxinError';
  readonly kind: JuxinErrorKind;
  readonly messageZh?: string;
  readonly status?: number;
  readonly vendorMessage?: string;
  readonly vendorMessageZh?: string;
  readonly vendorType?: string;
  readonly vendorCode?: string;
  readonly retryAfterMs?: number;
  readonly model?: string;
  readonly group?: string;
  readonly videoModels?: readonly string[];
  readonly retiredOn?: string;

  constructor(kind: JuxinErrorKind, message: string, init: JuxinErrorInit = {}) {
    // Every text may quote a URL or the vendor's words: none of it carries a key or a URL's credentials.
    super(scrubSecrets(message), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = kind;
    this.messageZh = init.messageZh === undefined ? undefined : scrubSecrets(init.messageZh);
    this.status = init.status;
    this.vendorMessage = init.vendorMessage === undefined ? undefined : scrubSecrets(init.vendorMessage);
    this.vendorMessageZh = init.vendorMessageZh === undefined ? undefined : scrubSecrets(init.vendorMessageZh);
    this.vendorType = init.vendorType;
    this.vendorCode = init.vendorCode;
    this.retryAfterMs = init.retryAfterMs;
    this.model = init.model;
    this.group = init.group;
    this.videoModels = init.videoModels;
    this.retiredOn = init.retiredOn;
  }

  get nextStep(): string {
    return NEXT_STEPS[this.kind].en;
  }

  get nextStepZh(): string {
    return NEXT_STEPS[this.kind].zh;
  }

  /** One readable paragraph for a tool result or a notification, in both languages. */
  describe(): string {
    const zh = [this.messageZh, this.vendorMessageZh]
      .filter(Boolean)
      .map((text) => ` ${text}`)
      .join('');
    return `${this.message}${zh}\nNext step: ${this.nextStep}\n下一步：${this.nextStepZh}`;
  }

  /** Plain data for records and structured tool output. */
  toJSON(): {
    kind: JuxinErrorKind;
    message: string;
    messageZh?: string;
    status?: number;
    vendorMessage?: string;
    vendorMessageZh?: string;
    model?: string;
    group?: string;
    videoModels?: readonly string[];
    retiredOn?: string;
    nextStep: string;
    nextStepZh: string;
  } {
    return {
      kind: this.kind,
      message: this.message,
      messageZh: this.messageZh,
      status: this.status,
      vendorMessage: this.vendorMessage,
      vendorMessageZh: this.vendorMessageZh,
      model: this.model,
      group: this.group,
      videoModels: this.videoModels,
      retiredOn: this.retiredOn,
      nextStep: this.nextStep,
      nextStepZh: this.nextStepZh,
    };
  }
}

export { scrubSecrets };

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** Retry-After as milliseconds: delta-seconds, or an HTTP date measured against `now`. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(parseFloat(text) * 1000);
  // An HTTP date has a weekday and month name; V8 would also "parse" things like "-3".
  const date = /[a-z]{3}/i.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype|html|head|body|\?xml)/i.test(text);
}

interface VendorSaid {
  message?: string;
  messageZh?: string;
  type?: string;
  code?: string;
}

/** The vendor's words from `{ error: { message, message_zh, type, code } }`, `{ message }`, `{ error: "…" }` or plain text. */
function readVendorError(bodyText: string): VendorSaid {
  const text = (value: unknown) =>
    typeof value === 'string' && value.trim() ? scrubSecrets(value.trim()).slice(0, 500) : typeof value === 'number' ? String(value) : undefined;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    const plain = bodyText.trim();
    return plain && !looksLikeHtml(plain) ? { message: text(plain) } : {};
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { message: text(body) };
  const root = body as Record<string, unknown>;
  const inner = root.error !== null && typeof root.error === 'object' ? (root.error as Record<string, unknown>) : root;
  return {
    message: text(inner.message) ?? text(root.error) ?? text(root.message) ?? text(root.msg),
    messageZh: text(inner.message_zh) ?? text(root.message_zh),
    type: text(inner.type),
    code: text(inner.code),
  };
}

// "credits" but not "credentials": a bad key must stay an auth error.
const QUOTA_WORDS = /quota|balance|余额|额度|欠费|充值|insufficient[_ ]funds|\bcredits?\b/i;

/** Which kind of error an HTTP answer is, and how to say it. */
function classify(status: number, vendor: VendorSaid, bodyText: string): { kind: JuxinErrorKind; what: string; whatZh?: string } {
  const quota = QUOTA_WORDS.test([vendor.message, vendor.messageZh, vendor.type, vendor.code].join(' ')); // also type "insufficient_quota"
  if (status === 401) return { kind: 'auth', what: 'Juxin rejected the API key (401)' };
  // The gateway's own 404 for a path it does not route: not "task not found".
  if (status === 404 && /^invalid url\b/i.test(vendor.message ?? '')) {
    return {
      kind: 'no_route',
      what: 'Juxin does not offer this route (404 Invalid URL): the base URL may point at the wrong server, or this relay lacks that model family',
      whatZh: '聚鑫不提供此接口（404 Invalid URL）：Base URL 可能指向了别的服务器，或该中转站没有这类模型',
    };
  }
  if (status >= 400 && vendor.code === 'task_not_exist') return { kind: 'not_found', what: `Juxin does not know this task (${status} task_not_exist)` };
  // OpenAI-style relays also answer 429 "insufficient_quota": waiting would not help, so it is quota, not a rate limit.
  if (status === 402 || ((status === 403 || status === 429) && quota)) return { kind: 'quota', what: `Juxin says the balance or quota is used up (${status})` };
  if (status === 403) return { kind: 'auth', what: 'Juxin refused access with this API key (403)' };
  if (status === 404) return { kind: 'not_found', what: 'Juxin answered 404 (not found)' };
  if (status === 429) return { kind: 'rate_limit', what: 'Juxin is rate-limiting requests (429)' };
  if (status >= 500) return { kind: 'upstream', what: `Juxin or its upstream failed (${status})` };
  if (status >= 400) return { kind: 'bad_request', what: `Juxin rejected the request (${status})` };
  const body = bodyText.trim() ? (looksLikeHtml(bodyText) ? 'an HTML page' : 'text that is not JSON') : 'an empty body';
  return { kind: 'malformed_response', what: `Juxin answered ${status} with ${body} instead of the expected JSON (is the base URL right?)` };
}

/**
 * Maps an HTTP answer that is not a usable JSON result (any 4xx/5xx, or a 2xx/3xx whose body is not JSON)
 * to a typed error, keeping the vendor's own words (scrubbed of anything that looks like a key).
 */
export function errorFromResponse(status: number, bodyText: string, headers: ResponseHeaders = {}, now: number = Date.now()): JuxinError {
  const vendor = status >= 400 ? readVendorError(bodyText) : {};
  const refusal = status >= 400 ? readModelRefusal(status, vendor.message, vendor.code) : undefined;
  // Not temporary, whatever the status (503): said plainly, never "try again in a few minutes".
  if (refusal) return modelUnavailableError(refusal, { status, ...vendor });
  const { kind, what, whatZh } = classify(status, vendor, bodyText);
  const retryAfter = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after'], now) : undefined;
  return new JuxinError(kind, vendor.message ? `${what}: ${vendor.message}` : `${what}.`, {
    messageZh: whatZh && (vendor.message ? `${whatZh}：${vendor.message}` : `${whatZh}。`),
    status,
    vendorMessage: vendor.message,
    vendorMessageZh: vendor.messageZh,
    vendorType: vendor.type,
    vendorCode: vendor.code,
    retryAfterMs: retryAfter,
  });
}

export interface VendorAnswer {
  status?: number;
  message?: string;
  messageZh?: string;
  type?: string;
  code?: string;
}

/**
 * "This key cannot use this model", said fully in both languages: the model, the group when the relay
 * named it, the retirement of its family (Sora 2), and the video models the key can use when `access`
 * holds them (the client reads `GET /v1/models` at that moment), then the relay's own words.
 */
export function modelUnavailableError(refusal: ModelRefusal, vendor: VendorAnswer, access: ModelAccess = {}): JuxinError {
  const { en, zh } = describeModelRefusal(refusal, vendor.status, access);
  return new JuxinError('model_unavailable', vendor.message ? `${en} Juxin said: ${vendor.message}` : en, {
    messageZh: zh,
    status: vendor.status,
    vendorMessage: vendor.message,
    vendorMessageZh: vendor.messageZh,
    vendorType: vendor.type,
    vendorCode: vendor.code,
    model: refusal.model,
    group: refusal.group,
    videoModels: access.videoModels,
    retiredOn: refusal.model ? videoFamilyOf(refusal.model)?.retiredOn : undefined,
  });
}
