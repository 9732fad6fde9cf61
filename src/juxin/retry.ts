import pRetry from 'p-retry';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/log';
import { JuxinError } from './errors';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** No retry starts if its wait would end later than this after the first attempt began. */
  maxTotalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is capped (a relay asking for an hour should not stall a tool call). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 5,
  maxTotalMs: 90_000,
  baseDelayMs: 1_000,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
};

/**
 * `query`: a GET, always safe to repeat. `create`: a POST that may bill the user (create, remix,
 * character), repeated only when Juxin cannot have accepted it.
 */
export type RequestKind = 'query' | 'create';

/** Said when a create's outcome is unknown: it may have gone through and been billed. */
export const MAYBE_CREATED_EN =
  'The request may have reached Juxin and created a task anyway (which may be billed). Call list_videos (or look in the Juxin console) before trying again, so you do not pay twice.';
export const MAYBE_CREATED_ZH = '请求可能已到达聚鑫并创建了任务（可能已计费）。重试前请先调用 list_videos（或在聚鑫控制台查看），以免重复付费。';

const QUERY_RETRY_STATUSES = new Set([502, 503, 504]);

export function isRetryable(error: unknown, kind: RequestKind): boolean {
  if (!(error instanceof JuxinError)) return false;
  // CREATE RULE: a POST that may bill is retried only if Juxin can't have accepted it: nothing was sent (refused/DNS/TLS) or a 429.
  if (kind === 'create') return error.kind === 'rate_limit' || (error.kind === 'network' && wasNotSent(error));
  switch (error.kind) {
    case 'network':
    case 'timeout':
    case 'rate_limit':
    case 'malformed_response':
      return true;
    case 'upstream':
      return error.status !== undefined && QUERY_RETRY_STATUSES.has(error.status);
    // A key that cannot use a model (even when the relay says 503) and a route the relay lacks: asking again changes nothing.
    case 'model_unavailable':
    case 'no_route':
      return false;
    default:
      return false;
  }
}

/** Whether a failed create may nonetheless have created (and billed) a task. */
export function mayHaveBeenAccepted(error: JuxinError): boolean {
  switch (error.kind) {
    case 'upstream':
    case 'timeout':
    case 'malformed_response':
      return true;
    case 'network':
      return !wasNotSent(error);
    default:
      return false;
  }
}

const NOT_SENT = new WeakSet<JuxinError>();

/** Marks a network error that happened before any byte of the request left (safe to repeat even for a create). */
export function markNotSent(error: JuxinError): JuxinError {
  NOT_SENT.add(error);
  return error;
}

export function wasNotSent(error: JuxinError): boolean {
  return NOT_SENT.has(error);
}

/** Exponential backoff with full jitter (a random wait up to base·2^(n−1), capped), or the server's Retry-After (capped). */
export function retryDelay(attemptNumber: number, error: unknown, options: RetryOptions, random: () => number): number {
  const retryAfter = error instanceof JuxinError ? error.retryAfterMs : undefined;
  if (retryAfter !== undefined) return Math.min(retryAfter, options.maxRetryAfterMs);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attemptNumber - 1));
  return Math.round(random() * ceiling);
}

export interface RetryContext {
  kind: RequestKind;
  clock: Clock;
  random: () => number;
  options: RetryOptions;
  signal?: AbortSignal;
  /** No new attempt starts once this aborts: the last failure is thrown (an attempt on its way is not cut). */
  stopRetries?: AbortSignal;
  logger: Logger;
  /** "METHOD /path" for the debug log. */
  label: string;
}

/** Runs `attempt` until it succeeds, the error is not retryable, the signal aborts, or the count or time budget is spent. */
export async function withRetry<T>(attempt: (attemptNumber: number) => Promise<T>, ctx: RetryContext): Promise<T> {
  const started = ctx.clock.now();
  return pRetry(attempt, {
    retries: Math.max(0, ctx.options.maxAttempts - 1),
    // p-retry only counts attempts; the waiting happens on the injected clock in onFailedAttempt.
    minTimeout: 0,
    maxTimeout: 0,
    factor: 1,
    randomize: false,
    signal: ctx.signal,
    onFailedAttempt: async (error) => {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      if (error.retriesLeft === 0 || !isRetryable(error, ctx.kind) || ctx.stopRetries?.aborted) throw error;
      const delay = retryDelay(error.attemptNumber, error, ctx.options, ctx.random);
      if (ctx.clock.now() - started + delay > ctx.options.maxTotalMs) throw error;
      ctx.logger.debug(`${ctx.label}: ${(error as unknown as JuxinError).kind} on attempt ${error.attemptNumber}, retrying in ${delay} ms`);
      const wait = ctx.stopRetries && ctx.signal ? AbortSignal.any([ctx.signal, ctx.stopRetries]) : (ctx.stopRetries ?? ctx.signal);
      await ctx.clock.sleep(delay, wait).catch((reason: unknown) => {
        throw ctx.signal?.aborted ? reason : error;
      });
    },
  });
}
