/**
 * Which remote URLs a webview may load: https anywhere, or exactly the origin of the configured base
 * URL (the simulator in tests, a self-hosted relay). Everything else (http elsewhere, file:, data:,
 * javascript:) is refused.
 */
export function isAllowedRemoteUrl(url: string | undefined, baseUrl: string): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  try {
    return parsed.protocol === 'http:' && parsed.origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}

/** The origin to add to a CSP for a URL we decided to allow. */
export function originOf(url: string): string {
  return new URL(url).origin;
}
