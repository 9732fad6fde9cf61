import path from 'node:path';

import type { GenerateExtra, OrderView, VideoEngine } from '../core/engine';
import type { TaskOrigin } from '../core/origin';
import { isActivePhase } from '../core/phase';
import type { TaskRecord } from '../core/types';
import { clipJobs, type ClipBatch, type ClipEngine, type ClipJob, type StoryboardBatches } from './batch';
import { clipTaskRecords, storyboardLinkMatcher, storyboardState, type StoryboardState } from './history';
import type { ClipPlan, ClipState } from './plan';

/** What generating a storyboard needs of the engine (a `VideoEngine` fits). */
export interface StoryboardEngine extends ClipEngine {
  list(filter?: object): TaskRecord[];
  approveBatch: VideoEngine['approveBatch'];
}

export interface GenerateStoryboardRequest {
  engine: StoryboardEngine;
  batches: StoryboardBatches;
  /** The storyboard file (absolute) and its text; every clip already has its id (`ensureClipIds`). */
  file: string;
  text: string;
  /** Workspace folders (older records name a storyboard inside one relative to it). */
  roots?: readonly string[];
  /** Only these clips (a retry, one clip's "Regenerate"); default: every missing and out-of-date clip. */
  clipIds?: readonly string[];
  /** Generate the given clips even when their video is ready (a new take). */
  regenerate?: boolean;
  origin: TaskOrigin;
  maxInFlight: number;
  /**
   * The person's yes past a daily limit: asked once for the whole request (before any clip is sent),
   * and again only for a clip beyond what they allowed. Without it a request over a limit is refused.
   */
  approveSpend?: GenerateExtra['approveSpend'];
}

/** Why a clip asked for is not generated now. */
export interface SkippedClip {
  plan: ClipPlan;
  why: Exclude<ClipState, 'missing' | 'outdated'>;
}

export interface StoryboardGeneration {
  state: StoryboardState;
  /** The clips this request starts (in the storyboard's batch, which may already run others). */
  targets: ClipPlan[];
  skipped: SkippedClip[];
  /** Ids asked for that the storyboard does not have. */
  unknownIds: string[];
  /** The storyboard's batch, when anything was started. */
  batch?: ClipBatch;
}

/**
 * Starts the clips a request asks for, at most `maxInFlight` at once, in the storyboard's one batch
 * of this process. Whether each clip still needs a video is decided inside the engine's spend gate,
 * under its lock, with the history of every process and every request on its way: a clip another
 * window or server started (or finished) meanwhile is skipped, so no clip is paid for twice. Past a
 * daily limit the whole request is asked about first; a no starts nothing (SpendLimitError).
 */
export async function generateStoryboard(request: GenerateStoryboardRequest): Promise<StoryboardGeneration> {
  const roots = request.roots ?? [];
  const state = storyboardState(request.text, request.file, request.engine.list({}), roots);
  const { plan } = state;
  const skipped: SkippedClip[] = [];
  const unknownIds: string[] = [];
  let targets: ClipPlan[];
  if (request.clipIds?.length) {
    targets = [];
    for (const id of request.clipIds) {
      const clip = plan.clips.find((c) => c.clip.id === id);
      if (!clip) unknownIds.push(id);
      else if (clip.state === 'invalid' || clip.state === 'running' || (clip.state === 'ready' && !request.regenerate))
        skipped.push({ plan: clip, why: clip.state });
      else if (!targets.includes(clip)) targets.push(clip);
    }
  } else {
    targets = plan.toGenerate;
    for (const clip of plan.clips) {
      if (clip.state !== 'missing' && clip.state !== 'outdated') skipped.push({ plan: clip, why: clip.state });
    }
  }
  const jobs = clipJobs(targets).map((job) => ({ ...job, regenerate: request.regenerate === true }));
  if (!jobs.length) return { state, targets, skipped, unknownIds };
  const approveSpend = await request.engine.approveBatch(
    jobs.map((job) => job.params),
    request.approveSpend,
  );
  const isThisFile = storyboardLinkMatcher(request.file, roots);
  // Made, or being made in some process: the same clip with the same fingerprint, running (or ready, unless a new take was asked).
  const stillNeeded = (job: ClipJob, view: OrderView = { tasks: request.engine.list({}), onTheirWay: [] }) =>
    !clipTaskRecords(view.tasks, request.file, roots).some(
      (r) => r.clipId === job.clipId && r.fingerprint === job.fingerprint && (isActivePhase(r.phase) || (r.phase === 'ready' && !job.regenerate)),
    ) && !view.onTheirWay.some((link) => link.clipId === job.clipId && link.fingerprint === job.fingerprint && isThisFile(link.file));
  const batch = request.batches.run(jobs, {
    engine: request.engine,
    fileKey: state.key,
    baseDir: path.dirname(request.file),
    origin: request.origin,
    maxInFlight: request.maxInFlight,
    approveSpend,
    stillNeeded,
  });
  return { state, targets, skipped, unknownIds, batch };
}
