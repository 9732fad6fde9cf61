import type { JuxinErrorKind } from './types';

/** What the user can do next, per kind of error, in both languages the UI speaks. */
export const NEXT_STEPS: Record<JuxinErrorKind, { en: string; zh: string }> = {
  config: {
    en: 'Set your Juxin API key (JUXIN_API_KEY, or "Sora: Set API Key" in VS Code) and check the base URL.',
    zh: '请先设置聚鑫 API Key（环境变量 JUXIN_API_KEY，或在 VS Code 中运行“Sora: 设置 API Key”），并检查 Base URL。',
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
  status?: number;
  vendorMessage?: string;
  vendorMessageZh?: string;
  vendorType?: string;
  vendorCode?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Every failure of a Juxin call. `message` is English and says what happened; `nextStep` /
 * `nextStepZh` say what to do. Never carries the API key or request headers.
 */
export class JuxinError extends Error {
  override readonly name = 'JuxinError';
  readonly kind: JuxinErrorKind;
  readonly status?: number;
  readonly vendorMessage?: string;
  readonly vendorMessageZh?: string;
  readonly vendorType?: string;
  readonly vendorCode?: string;
  readonly retryAfterMs?: number;

  constructor(kind: JuxinErrorKind, message: string, init: JuxinErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = kind;
    this.status = init.status;
    this.vendorMessage = init.vendorMessage;
    this.vendorMessageZh = init.vendorMessageZh;
    this.vendorType = init.vendorType;
    this.vendorCode = init.vendorCode;
    this.retryAfterMs = init.retryAfterMs;
  }

  get nextStep(): string {
    return NEXT_STEPS[this.kind].en;
  }

  get nextStepZh(): string {
    return NEXT_STEPS[this.kind].zh;
  }

  /** One readable paragraph for a tool result or a notification, in both languages. */
  describe(): string {
    const zh = this.vendorMessageZh ? ` ${this.vendorMessageZh}` : '';
    return `${this.message}${zh}\nNext step: ${this.nextStep}\n下一步：${this.nextStepZh}`;
  }

  /** Plain data for records and structured tool output. */
  toJSON(): { kind: JuxinErrorKind; message: string; status?: number; vendorMessage?: string; vendorMessageZh?: string; nextStep: string; nextStepZh: string } {
    return {
      kind: this.kind,
      message: this.message,
      status: this.status,
      vendorMessage: this.vendorMessage,
      vendorMessageZh: this.vendorMessageZh,
      nextStep: this.nextStep,
      nextStepZh: this.nextStepZh,
    };
  }
}
