import path from 'node:path';

import type { GenerateExtra, OrderView, VideoEngine } from '../core/engine';
import type { TaskOrigin } from '../core/origin';
import { isActivePhase } from '../core/phase';
import type { TaskRecord } from '../core/types';
import { isHttpUrl } from '../juxin/images';
import { localPathProblem } from '../util/localPath';
import { clipImagesIn, clipJobs, type ClipBatch, type ClipEngine, type ClipJob, type StoryboardBatches } from './batch';
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
  /**
   * Asked once for each folder the clips to start would upload local images from, before anything
   * else (VS Code: the same question as for `generate_video`); a no starts nothing (ImagesNotAllowedError).
   */
  allowImageFolder?: (folder: string) => Promise<boolean>;
  /**
   * Runs once every check has passed (the folders allowed, the spend approved) and before the first
   * clip is sent: the MCP tool writes the clip ids into the file only now, so a refused call writes nothing.
   */
  beforeStart?: () => Promise<void>;
}

/** The person did not allow uploading images from a folder: nothing was started. */
export class ImagesNotAllowedError extends Error {
  override readonly name = 'ImagesNotAllowedError';
  readonly messageZh: string;
  constructor(readonly folder: string) {
    super(
      `The user did not allow reading images from ${JSON.stringify(folder)}, so no clip was started. Ask the user, or use image URLs in those clips instead.`,
    );
    this.messageZh = `用户未允许读取文件夹 ${JSON.stringify(folder)} 中的图片，没有开始生成任何片段。请先征得用户同意，或在这些片段中改用图片链接。`;
  }
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
  const baseDir = path.dirname(request.file);
  if (request.allowImageFolder) {
    // The folders the engine would read (it refuses network and device paths itself, with the reason).
    const local = jobs.flatMap((job) => {
      const { images, firstFrame, lastFrame } = clipImagesIn(job.params, baseDir);
      return [...images, ...(firstFrame ? [firstFrame] : []), ...(lastFrame ? [lastFrame] : [])].filter(
        (image) => !isHttpUrl(image) && !localPathProblem(image),
      );
    });
    for (const folder of new Set(local.map((image) => path.dirname(image)))) {
      if (!(await request.allowImageFolder(folder))) throw new ImagesNotAllowedError(folder);
    }
  }
  const approveSpend = await request.engine.approveBatch(
    jobs.map((job) => job.params),
    request.approveSpend,
  );
  await request.beforeStart?.();
  const isThisFile = storyboardLinkMatcher(request.file, roots);
  // Made, or being made in some process: the same clip with the same fingerprint, running (or ready, unless a new take was asked).
  const stillNeeded = (job: ClipJob, view: OrderView = { tasks: request.engine.list({}), onTheirWay: [] }) =>
    !clipTaskRecords(view.tasks, request.file, roots).some(
      (r) => r.clipId === job.clipId && r.fingerprint === job.fingerprint && (isActivePhase(r.phase) || (r.phase === 'ready' && !job.regenerate)),
    ) && !view.onTheirWay.some((link) => link.clipId === job.clipId && link.fingerprint === job.fingerprint && isThisFile(link.file));
  const batch = request.batches.run(jobs, {
    engine: request.engine,
    fileKey: state.key,
    baseDir,
    origin: request.origin,
    maxInFlight: request.maxInFlight,
    approveSpend,
    stillNeeded,
  });
  return { state, targets, skipped, unknownIds, batch };
}
