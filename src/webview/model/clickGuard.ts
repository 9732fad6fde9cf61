/**
 * Swallows a repeat of the same action on the same task within `windowMs`: a double click on Retry
 * or Remix must not start (and pay for) two generations. Time is injected so tests need no clock.
 */
export function createClickGuard(now: () => number, windowMs = 1000): (key: string) => boolean {
  const last = new Map<string, number>();
  return (key) => {
    const t = now();
    const previous = last.get(key);
    if (previous !== undefined && t - previous < windowMs) return false;
    last.set(key, t);
    return true;
  };
}
