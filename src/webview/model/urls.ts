import { isRelayApiUrl } from '../../juxin/relayUrl';

/**
 * Which remote URLs a page may load (thumbnails, a video before it is downloaded): https anywhere, or
 * http from exactly the origin of the configured base URL (the simulator in tests, a relay on the
 * user's own machine), but never the relay's own key-guarded API routes. Everything else (http elsewhere,
 * file:, data:, blob:, javascript:) is refused.
 * Pure: used by the extension before a URL reaches a page, and by the page as a second check.
 */
export function isAllowedRemoteUrl(url: string | undefined, baseUrl: string): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  // The relay's own routes (its /v1/videos/{id}/content) need the API key, which a page never has.
  if (isRelayApiUrl(parsed, baseUrl)) return false;
  if (parsed.protocol === 'https:') return true;
  const base = parse(baseUrl);
  return parsed.protocol === 'http:' && base !== undefined && parsed.origin === base.origin;
}

/** The CSP source for an allowed URL: its origin only, never a wildcard. */
export function originOf(url: string): string | undefined {
  const parsed = parse(url);
  return parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:') ? parsed.origin : undefined;
}

function parse(url: string | undefined): URL | undefined {
  if (!url) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
