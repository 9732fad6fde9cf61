/**
 * Removes what must never reach a log, an error or a model: API keys (`sk-…`), Authorization values,
 * and the user name, password, query string and fragment of URLs (`http://user:pass@host/?token=…`). The one
 * scrubber every message that could carry one goes through.
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(/Bearer\s+[^\s"',;]+/gi, 'Bearer [redacted]')
    .replace(/\bsk-[A-Za-z0-9_-]{4,}/g, 'sk-[redacted]')
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]*@/gi, '$1[redacted]@')
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>]*)\?[^\s#"'<>]*/gi, '$1?[redacted]')
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s#"'<>]*)#[^\s"'<>]*/gi, '$1#[redacted]');
}
