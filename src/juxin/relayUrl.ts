/**
 * The relay's own API routes: everything under `<base URL>/v1/` (the base path without a pasted
 * trailing "/v1"). Those need the API key, so a download from one carries it (the client's
 * `downloadHeaders`) and a page, which never has the key, must not try to load one. Pure: the webview
 * pages use it too.
 */

/** A base URL's path without trailing slashes or a pasted "/v1": `/relay/v1/` → `/relay`. */
export function basePath(pathname: string): string {
  return pathname.replace(/\/+$/, '').replace(/\/v1$/i, '');
}

/** Whether `url` is one of the relay's own API routes (same origin as `baseUrl`, under its `/v1/`). */
export function isRelayApiUrl(url: string | URL, baseUrl: string | URL): boolean {
  let target: URL;
  let base: URL;
  try {
    target = new URL(url);
    base = new URL(baseUrl);
  } catch {
    return false;
  }
  return target.origin === base.origin && target.pathname.startsWith(`${basePath(base.pathname)}/v1/`);
}
