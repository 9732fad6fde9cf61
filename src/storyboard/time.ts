/**
 * Times of subtitle lines inside a clip: `mm:ss.mmm` when written (`00:03.250`), and every form a
 * person may type when read: `3.25`, `0:03.25`, `00:00:03,250` (SRT), `00:03`.
 */
const TIME = /^(?:(\d{1,2}):)??(?:(\d{1,2}):)?(\d{1,5})(?:[.,](\d{1,3}))?$/;

/** Milliseconds, or undefined when the text is not a time. */
export function parseClipTime(text: string): number | undefined {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  const [, h, min, s, frac] = m;
  const hours = h ? Number(h) : 0;
  const minutes = min ? Number(min) : 0;
  if ((h || min) && Number(s) >= 60) return undefined;
  const ms = frac ? Number(frac.padEnd(3, '0')) : 0;
  return ((hours * 60 + minutes) * 60 + Number(s)) * 1000 + ms;
}

/** `mm:ss.mmm`, e.g. 3250 → `00:03.250`. */
export function formatClipTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const minutes = Math.floor(total / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${String(millis).padStart(3, '0')}`;
}
