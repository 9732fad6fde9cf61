import { createHmac } from 'node:crypto';
import { parseBaseUrl } from './http';

/**
 * Which relay and which key an answer comes from, for what is shared per key on disk (the models
 * list): the base URL and a one-way fingerprint of the key. Never the key, nor a part of it: 16 hex
 * digits of an HMAC-SHA256 tell two keys apart and give nothing of either back.
 */
export function relayScope(baseUrl: string, apiKey: string): string {
  const base = parseBaseUrl(baseUrl);
  // Only the origin and path: a base URL's user name, password or query is no business of a file name or a cache key.
  const where = base instanceof URL ? `${base.origin}${base.pathname.replace(/\/$/, '')}` : 'no-valid-base-url';
  const key = createHmac('sha256', 'juxin-sora relay scope').update(apiKey.trim()).digest('hex').slice(0, 16);
  return `${where} key:${key}`;
}
