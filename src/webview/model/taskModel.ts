import { describeModel, modelName } from '../../catalog';
import type { PreviewAction, Strings, TaskAction, TaskSnapshot } from '../protocol';
import type { TaskOrigin } from '../../core/origin';
import { isActivePhase, taskPhase, type TaskPhase } from '../../core/phase';
import { sourceKind } from '../../core/query';
import { fill } from './format';

/** How a status reads at a glance; the page maps it to a theme colour. */
export type Tone = 'running' | 'ready' | 'warning' | 'error';

/** A progress bar to show: `value` 0..100, or undefined when there is no percentage (queued, downloading). */
export interface ProgressModel {
  value: number | undefined;
  label: string;
}

/** One task as an item shows it: every string final, in the UI language. */
export interface TaskModel {
  id: string;
  prompt: string;
  statusText: string;
  tone: Tone;
  progress: ProgressModel | undefined;
  params: string;
  /** The short line under the prompt on a card: model · aspect ratio · duration · source. */
  summary: string;
  source: string;
  /** What went wrong, as Juxin (or the downloader) said it. */
  failure: string | undefined;
  /** What to do about it. */
  advice: string | undefined;
  /** A passing problem while tracking (rate limit, network…), with its next step. */
  problem: string | undefined;
  /** Tracking is paused until a key is set: offer the button. */
  needsKey: boolean;
  actions: TaskAction[];
  primary: TaskAction | undefined;
  /** The icon buttons a card shows; the rest are in its "…" menu and its context menu. */
  inline: TaskAction[];
  thumbnail: string | undefined;
  /** Its downloaded video can play, muted, when the pointer rests on its card. */
  canHoverPlay: boolean;
}

/** The codicon of each action (as VS Code's own views draw them). */
export const ACTION_ICONS: Record<TaskAction | 'setKey' | 'more', string> = {
  play: 'play',
  openFile: 'go-to-file',
  reveal: 'folder-opened',
  copyUrl: 'link',
  download: 'cloud-download',
  remix: 'wand',
  retry: 'refresh',
  remove: 'trash',
  setKey: 'key',
  more: 'ellipsis',
};

// What a card offers as icon buttons, most wanted first; at most two, so the row never wraps. Generating
// again costs money: it is an icon only when nothing else can be done with the task.
const INLINE_ORDER: TaskAction[] = ['play', 'download', 'openFile', 'reveal'];
const MAX_INLINE = 2;

export function inlineActions(actions: readonly TaskAction[]): TaskAction[] {
  const inline = INLINE_ORDER.filter((a) => actions.includes(a)).slice(0, MAX_INLINE);
  return inline.length || !actions.includes('retry') ? inline : ['retry'];
}

// Moderation rejections are the most common failure (shared/juxin-api.md), in either language.
const MODERATION = /moderat|content polic|violat|guardrail|safety|copyright|likeness|real (person|people)|审核|违规|敏感|版权|真人|不合规/i;
const TIMED_OUT = /timed out|no longer knows|\(404\)/i;

export function statusText(task: TaskSnapshot, s: Strings): string {
  switch (taskPhase(task)) {
    case 'queued':
      return task.queuePosition ? fill(s.statusQueuedAt, task.queuePosition) : s.statusQueued;
    case 'generating':
      return fill(s.statusGenerating, Math.round(task.progress));
    case 'failed':
      return s.statusFailed;
    case 'ready':
      return s.statusReady;
    case 'notSaved':
      return s.statusNotSaved;
    case 'downloading':
      return s.statusDownloading;
  }
}

const TONES: Record<TaskPhase, Tone> = {
  queued: 'running',
  generating: 'running',
  downloading: 'running',
  ready: 'ready',
  notSaved: 'warning',
  failed: 'error',
};

/** A bar while something is still happening; none once the task has settled. */
export function progressModel(task: TaskSnapshot, s: Strings): ProgressModel | undefined {
  const phase = taskPhase(task);
  if (!isActivePhase(phase)) return undefined;
  // Only generation has a percentage: the bar moves without one while queued or downloading.
  return { value: phase === 'generating' ? clamp(Math.round(task.progress)) : undefined, label: statusText(task, s) };
}

/** The model, aspect ratio and length of a video ("Veo 3.1 Fast · 16:9 · 8 s") in the UI language: every summary starts with it. */
export function shapeSummary(shape: { model: string; aspectRatio?: string; duration?: number }, s: Strings): string {
  return [modelName(shape.model), shape.aspectRatio, shape.duration === undefined ? undefined : fill(s.seconds, shape.duration)].filter(Boolean).join(' · ');
}

/** "Veo 3.1 Fast · 16:9 · 720p · 8 s", then Sora's own switches (private, watermark), images, a character, a remix: in the UI language. */
export function parameterSummary(task: TaskSnapshot, s: Strings): string {
  const p = task.params;
  // Private and watermark are Sora's switches: other families' records carry them unused.
  const sora = describeModel(p.model)?.switches.includes('private') === true;
  return [
    modelName(p.model),
    p.aspectRatio,
    p.resolution,
    fill(s.seconds, p.duration),
    sora ? (p.private ? s.private : s.public) : '',
    sora && p.watermark ? s.watermark : '',
    p.images > 0 ? fill(s.images, p.images) : '',
    p.character ? s.character : '',
    task.remixOf ? s.remixed : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Where a task came from, in a few words: the palette, Copilot, another AI app by its own name, a storyboard by its file name. */
export function sourceLabel(origin: TaskOrigin, s: Strings): string {
  switch (sourceKind(origin)) {
    case 'palette':
      return s.sourcePalette;
    case 'copilot':
      return s.sourceCopilot;
    case 'agent':
      return origin.client || s.sourceAgent;
    case 'storyboard':
      return origin.storyboard ? (origin.storyboard.split(/[\\/]/).pop() ?? origin.storyboard) : s.sourceStoryboard;
    case 'cli':
      return s.sourceCli;
  }
}

/** model · aspect ratio · duration · source: what fits one line of a card. */
export function compactSummary(task: TaskSnapshot, s: Strings): string {
  return [shapeSummary(task.params, s), sourceLabel(task.origin, s)].join(' · ');
}

/** What to do next after a failure (generation or download). */
export function advice(task: TaskSnapshot, s: Strings): string | undefined {
  if (task.status === 'failed') {
    const reason = task.failureReason ?? '';
    if (MODERATION.test(reason)) return s.hintModeration;
    if (TIMED_OUT.test(reason)) return s.hintTimedOut;
    return s.hintFailed;
  }
  if (task.status === 'completed' && task.download.state === 'failed') return s.hintDownloadFailed;
  if (task.status === 'completed' && task.download.state === 'expired') return s.hintExpired;
  return undefined;
}

function failure(task: TaskSnapshot): string | undefined {
  if (task.status === 'failed') return task.failureReason || undefined;
  if (taskPhase(task) === 'notSaved') return task.download.error || undefined;
  return undefined;
}

/** The buttons a task offers, in the order shown. */
export function taskActions(task: TaskSnapshot): TaskAction[] {
  const completed = task.status === 'completed';
  const saved = task.download.state === 'done';
  const actions: TaskAction[] = [];
  if (completed && (saved || task.hasVideoUrl)) actions.push('play');
  if (saved) actions.push('openFile', 'reveal');
  if (task.hasVideoUrl) actions.push('copyUrl');
  if (completed && task.hasVideoUrl && !saved && task.download.state !== 'downloading') actions.push('download');
  // Juxin cannot remix a private video.
  if (completed && !task.params.private) actions.push('remix');
  if (completed || task.status === 'failed') actions.push('retry');
  actions.push('remove');
  return actions;
}

/** The preview's buttons: the file once it is saved, the URL, or a download that is still missing. */
export function previewActions(task: TaskSnapshot): PreviewAction[] {
  const saved = task.download.state === 'done';
  const actions: PreviewAction[] = [];
  if (saved) actions.push('openFile', 'reveal');
  if (task.hasVideoUrl) actions.push('copyUrl');
  if (task.status === 'completed' && task.hasVideoUrl && !saved && task.download.state !== 'downloading') actions.push('download');
  return actions;
}

/** The one button drawn as primary: Play once there is a video, Retry after a failure. */
function primaryAction(task: TaskSnapshot, actions: TaskAction[]): TaskAction | undefined {
  const preferred: TaskAction = task.status === 'failed' ? 'retry' : 'play';
  return actions.includes(preferred) ? preferred : undefined;
}

export function toTaskModel(task: TaskSnapshot, s: Strings): TaskModel {
  const actions = taskActions(task);
  const problem = task.problem && !isFinished(task) ? `${task.problem.message} ${task.problem.nextStep}`.trim() : undefined;
  return {
    id: task.id,
    prompt: task.prompt,
    statusText: statusText(task, s),
    tone: TONES[taskPhase(task)],
    progress: progressModel(task, s),
    params: parameterSummary(task, s),
    summary: compactSummary(task, s),
    source: sourceLabel(task.origin, s),
    failure: failure(task),
    advice: advice(task, s),
    problem,
    needsKey: problem !== undefined && (task.problem!.kind === 'config' || task.problem!.kind === 'auth'),
    actions,
    primary: primaryAction(task, actions),
    inline: inlineActions(actions),
    thumbnail: task.thumbnail,
    canHoverPlay: task.download.state === 'done' || task.hasPreview === true,
  };
}

/** Generation is over (download may still be going). */
function isFinished(task: TaskSnapshot): boolean {
  return task.status === 'failed' || (task.status === 'completed' && task.download.state === 'done');
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : 0;
}
