/**
 * Per-task behaviour chosen by a marker in the prompt, e.g. "a cat #sim:moderation". This is the way
 * to inject a fault from a client that only speaks the public API (the demo, the VS Code tests).
 */
export interface PromptMarkers {
  /** Fails part-way with a content-moderation reason (English and Chinese). */
  moderation: boolean;
  /** Fails with no reason anywhere in the answer. */
  failNoReason: boolean;
  /** Stays processing forever. */
  never: boolean;
  /** Its video URLs are already expired when handed out (downloads get 403). */
  expired: boolean;
  /** The first download attempt is cut after about half the bytes; a Range resume works. */
  cut: boolean;
  /** Queues four times as long. */
  slowQueue: boolean;
}

/** Markers that change one task's behaviour; `#sim:profile-<name>` (profiles.ts) sets its whole timing profile. */
export const MARKERS = ['moderation', 'fail-no-reason', 'never', 'expired', 'cut', 'slow-queue'] as const;

export function readMarkers(prompt: string): PromptMarkers {
  const found = new Set([...prompt.matchAll(/#sim:([a-z-]+)/g)].map((m) => m[1]));
  return {
    moderation: found.has('moderation'),
    failNoReason: found.has('fail-no-reason'),
    never: found.has('never'),
    expired: found.has('expired'),
    cut: found.has('cut'),
    slowQueue: found.has('slow-queue'),
  };
}

export function failsByMarker(markers: PromptMarkers): boolean {
  return markers.moderation || markers.failNoReason;
}
