import { createHash } from 'node:crypto';
import { vendorError } from './shapes';
import type { WireName } from './wire';

/**
 * The relay's errors (shared/juxin-api.md §7) with their exact envelopes: the gateway's
 * `{"error":{"message","type","code"?}}`, its messages often ending in `(request id: …)`, and the task
 * routes' own `{"code","message","data"}`. The brochure dialect keeps the bodies this simulator sent
 * before (English with a `message_zh`), for the tests that are about them.
 */

export interface RelayError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** How the relay words "no channel for this model" over time and languages. */
export const REFUSAL_WORDINGS = ['current', 'older', 'chinese'] as const;
export type RefusalWording = (typeof REFUSAL_WORDINGS)[number];

export class RelayErrors {
  private count = 0;

  constructor(private readonly now: () => number) {}

  /** The gateway's request id: the time to the second, then letters and digits (from a counter: seeded runs keep their randomness). */
  requestId(): string {
    const stamp = new Date(this.now()).toISOString().replace(/\D/g, '').slice(0, 14);
    return `${stamp}${createHash('sha256').update(`${stamp}/${this.count++}`).digest('base64url').replace(/[-_]/g, '').slice(0, 18)}`;
  }

  private gateway(status: number, message: string, extra: Record<string, unknown> = {}): RelayError {
    return { status, body: { error: { message: `${message} (request id: ${this.requestId()})`, type: 'new_api_error', ...extra } } };
  }

  invalidToken(dialect: WireName): RelayError {
    if (dialect === 'brochure') return { status: 401, body: vendorError('Invalid token', '无效的令牌', 'invalid_request_error') };
    return this.gateway(401, '无效的令牌');
  }

  /** Usually without Retry-After: one is sent only when a test asks for it. */
  rateLimited(dialect: WireName, retryAfterSeconds?: number): RelayError {
    if (dialect === 'brochure') {
      return {
        status: 429,
        body: vendorError('Too many requests, please slow down', '请求过于频繁，请稍后再试', 'rate_limit_error'),
        headers: { 'retry-after': String(retryAfterSeconds ?? 1) },
      };
    }
    return {
      status: 429,
      body: { error: { message: '您已达到请求数限制：1分钟内最多请求60次', type: 'new_api_error' } },
      ...(retryAfterSeconds !== undefined && { headers: { 'retry-after': String(retryAfterSeconds) } }),
    };
  }

  upstreamFailed(dialect: WireName, status: number): RelayError {
    if (dialect === 'brochure') return { status, body: vendorError('upstream request failed: 请求上游地址失败', '请求上游地址失败', 'upstream_error') };
    return this.gateway(status, 'do request failed: 请求上游地址失败');
  }

  /** 503 `model_not_found`: no channel of the key's group serves the model (Sora today). */
  modelNotFound(model: string, group: string, wording: RefusalWording = 'current'): RelayError {
    const message =
      wording === 'older'
        ? `No available channels for model ${model} in group ${group}`
        : wording === 'chinese'
          ? `分组 ${group} 下模型 ${model} 无可用渠道`
          : `No available channel for model ${model} under group ${group} (distributor)`;
    return this.gateway(503, message, { code: 'model_not_found' });
  }

  /** 403: the key's balance is used up. */
  quotaUsedUp(): RelayError {
    return this.gateway(403, '用户额度不足，请充值 (insufficient quota)', { code: 'insufficient_user_quota' });
  }

  /** 403: the model is outside the key's whitelist. */
  noAccess(model: string): RelayError {
    return this.gateway(403, `This token has no access to model ${model}`);
  }

  /** 404 for a `/v1/…` path the gateway does not route (outside /v1 the web front end answers HTML with 200). */
  invalidUrl(method: string, path: string): RelayError {
    return { status: 404, body: { error: { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: '', code: '' } } };
  }

  taskNotExist(dialect: WireName, id: string): RelayError {
    if (dialect === 'brochure')
      return { status: 404, body: vendorError(`task not found: ${id}`, `任务不存在：${id}`, 'invalid_request_error', 'task_not_exist') };
    return { status: 400, body: { code: 'task_not_exist', message: 'task_not_exist', data: null } };
  }
}
