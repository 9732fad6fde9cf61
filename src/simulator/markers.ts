/**
 * Per-task behaviour chosen by a marker in the prompt, e.g. "a cat #sim:moderation". This is the way
 * to inject a fault from a client that only speaks the public API (the demo, the VS Code tests).
 */
export interface PromptMarkers {
  /** Fails part-way with a content-moderation reason (English and Chinese). */
  moderation: boolean;
  /** Fails with no reason anywhere in the answer. */
  failNoReason: boolean;
  /** Ends part-way as `cancelled` (a FAILURE record saying so). */
  cancelled: boolean;
  /** Stays processing forever. */
  never: boolean;
  /** Its video URLs are already expired when handed out (downloads get 403). */
  expired: boolean;
  /** The first download attempt is cut after about half the bytes; a Range resume works. */
  cut: boolean;
  /** Queues four times as long. */
  slowQueue: boolean;
  /** `#sim:clip-2`: serves media/clips/clip-2.mp4 instead of the default video (one of `CLIPS`). */
  clip?: SimClip;
}

/**
 * Distinct clips for storyboard tests (same codec settings, different colour, tone and length), and one
 * of another picture size that cannot be joined with them without re-encoding. See README.md.
 */
export const CLIPS = ['clip-1', 'clip-2', 'clip-3', 'clip-other-size'] as const;
export type SimClip = (typeof CLIPS)[number];

/**
 * Markers that change one task's behaviour; `#sim:profile-<name>` (profiles.ts) sets its whole timing
 * profile, and wire.ts reads how its answers are dressed (`#sim:shape-…`, `#sim:id-…`, `#sim:url-…`).
 */
export const MARKERS = ['moderation', 'fail-no-reason', 'cancelled', 'never', 'expired', 'cut', 'slow-queue'] as const;

export function readMarkers(prompt: string): PromptMarkers {
  const found = new Set([...prompt.matchAll(/#sim:([a-z0-9-]+)/g)].map((m) => m[1]));
  const clip = CLIPS.find((c) => found.has(c));
  return {
    ...(clip ? { clip } : {}),
    moderation: found.has('moderation'),
    failNoReason: found.has('fail-no-reason'),
    cancelled: found.has('cancelled'),
    never: found.has('never'),
    expired: found.has('expired'),
    cut: found.has('cut'),
    slowQueue: found.has('slow-queue'),
  };
}

/** A `#sim:clip-…` marker naming no clip we have (a typo would otherwise quietly serve the default video). */
export function unknownClipMarker(prompt: string): string | undefined {
  return [...prompt.matchAll(/#sim:(clip-[a-z0-9-]*)/g)].map((m) => m[1]).find((name) => !(CLIPS as readonly string[]).includes(name));
}

export function failsByMarker(markers: PromptMarkers): boolean {
  return markers.moderation || markers.failNoReason || markers.cancelled;
}
