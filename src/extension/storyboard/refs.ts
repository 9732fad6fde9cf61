import type { ClipPlan } from '../../storyboard';

/**
 * How buttons name a clip: its id, or `#3` (its 1-based place) for a clip someone just added without
 * one (`#` cannot be part of an id). The id is written into the file before anything is generated.
 */
export function clipRef(plan: Pick<ClipPlan, 'clip' | 'index'>): string {
  return plan.clip.id ?? `#${plan.index + 1}`;
}

/** The clip a reference names, among the clips of a plan. */
export function findClip<T extends Pick<ClipPlan, 'clip' | 'index'>>(clips: readonly T[], ref: string): T | undefined {
  const place = /^#(\d+)$/.exec(ref);
  if (place) return clips.find((c) => c.index === Number(place[1]) - 1 && !c.clip.id);
  return clips.find((c) => c.clip.id === ref);
}
