import { isActivePhase, type TaskPhase } from '../core/phase';
import { hasErrors } from './problems';
import { clipFingerprint, clipParams, type ClipParams } from './prompt';
import type { Clip, ParsedStoryboard } from './types';

/** What the task history knows about one task made for a clip (the store keeps the link, not the file). */
export interface ClipTaskRecord {
  clipId: string;
  taskId: string;
  /** `clipFingerprint` of the clip when the task was created. */
  fingerprint: string;
  phase: TaskPhase;
  /** The downloaded video, once the phase is ready. */
  localFile?: string;
  createdAt: number;
  /** 0..100 while generating (for the status a person sees). */
  progress?: number;
  queuePosition?: number;
  /** Why it failed, or why its video could not be saved. */
  failureReason?: string;
  /** The relay's thumbnail of the video (a URL; pages check it before showing it). */
  thumbnailUrl?: string;
}

/**
 * Where a clip stands:
 * - invalid: the file has an error that stops this clip (see the problems);
 * - missing: no task was made for it yet (or only for an older version that never gave a video);
 * - outdated: it has a video, but of an earlier version (prompt, style, cast, model, size, duration or images changed);
 * - running: a task for this version is queued, generating or downloading;
 * - failed: the last task for this version failed or its video could not be saved;
 * - ready: a video of this version is on disk.
 */
export type ClipState = 'invalid' | 'missing' | 'outdated' | 'running' | 'failed' | 'ready';

export interface ClipPlan {
  clip: Clip;
  index: number;
  state: ClipState;
  /** What would be sent now, and its fingerprint (absent when invalid). */
  params?: ClipParams;
  fingerprint?: string;
  /** The video to play or join: this version's when ready, an earlier version's when outdated. */
  video?: ClipTaskRecord;
  /** The task in flight for this clip, if any (when outdated, for an earlier version). */
  running?: ClipTaskRecord;
  /** The newest failed attempt at this version, when failed. */
  failed?: ClipTaskRecord;
}

export interface StoryboardPlan {
  clips: ClipPlan[];
  /** What "Generate all" starts: missing and outdated clips (never ready, running or failed ones). */
  toGenerate: ClipPlan[];
  /** The clips "Assemble" can join, in order. */
  ready: ClipPlan[];
  /** Records of clips that are no longer in the file. */
  orphans: ClipTaskRecord[];
  counts: Record<ClipState, number>;
}

/** "c3 Opening": how messages name a clip. */
export function clipLabel(plan: Pick<ClipPlan, 'clip' | 'index'>): string {
  const id = plan.clip.id ?? `#${plan.index + 1}`;
  return plan.clip.title ? `${id} ${plan.clip.title}` : id;
}

const newestFirst = (a: ClipTaskRecord, b: ClipTaskRecord) => b.createdAt - a.createdAt;
const hasVideo = (r: ClipTaskRecord) => r.phase === 'ready' && !!r.localFile;

/**
 * Compares the storyboard with the tasks made for its clips. A clip without an id has no tasks
 * (`ensureClipIds` gives it one before anything is generated).
 */
export function planStoryboard(parsed: ParsedStoryboard, records: readonly ClipTaskRecord[]): StoryboardPlan {
  const { storyboard, problems } = parsed;
  const byClip = new Map<string, ClipTaskRecord[]>();
  for (const record of records) byClip.set(record.clipId, [...(byClip.get(record.clipId) ?? []), record]);
  const ids = new Set(storyboard.clips.map((c) => c.id).filter(Boolean));

  const clips = storyboard.clips.map((clip, index): ClipPlan => {
    const mine = [...((clip.id && byClip.get(clip.id)) || [])].sort(newestFirst);
    if (hasErrors(problems, index)) {
      const video = mine.find(hasVideo);
      return { clip, index, state: 'invalid', ...(video ? { video } : {}) };
    }
    const params = clipParams(storyboard, clip);
    const fingerprint = clipFingerprint(params);
    const plan: ClipPlan = { clip, index, state: 'missing', params, fingerprint };
    const current = mine.filter((r) => r.fingerprint === fingerprint);
    const running = current.find((r) => isActivePhase(r.phase)) ?? mine.find((r) => isActivePhase(r.phase));
    const ready = current.find(hasVideo);
    if (running) plan.running = running;
    if (running && running.fingerprint === fingerprint) {
      plan.state = 'running';
      const shown = ready ?? mine.find(hasVideo);
      if (shown) plan.video = shown;
    } else if (ready) {
      plan.state = 'ready';
      plan.video = ready;
    } else if (current.length) {
      plan.state = 'failed';
      plan.failed = current[0];
    } else {
      const earlier = mine.find(hasVideo);
      if (earlier) {
        plan.state = 'outdated';
        plan.video = earlier;
      }
    }
    return plan;
  });

  const counts: Record<ClipState, number> = { invalid: 0, missing: 0, outdated: 0, running: 0, failed: 0, ready: 0 };
  for (const c of clips) counts[c.state]++;
  return {
    clips,
    toGenerate: clips.filter((c) => c.state === 'missing' || c.state === 'outdated'),
    ready: clips.filter((c) => c.state === 'ready'),
    orphans: records.filter((r) => !ids.has(r.clipId)),
    counts,
  };
}
