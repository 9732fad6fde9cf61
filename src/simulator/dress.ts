import type { SimTask } from './jobs';
import type { TaskWire } from './wire';

/** What every answer shape shares: its options, the case of its status words, the picture size, the failure reasons. */

/** A task with its dress when it has one; one planned without a server (the tracker's tests) wears the brochure's. */
export type DressedTask = SimTask & { wire?: TaskWire };

/** How answers are dressed, and where file URLs come from. */
export interface ShapeOptions {
  upperCaseStatus: boolean;
  /** false: `video_url` at top level; true or 'detail-url': only `detail.url`; 'downloadable-url': only `detail.draft_info.downloadable_url`. */
  omitTopLevelVideoUrl: boolean | 'detail-url' | 'downloadable-url';
  /** Simulated time now, ms. */
  now: number;
  /** The URL of one of the task's files (`src.mp4`, `thumbnail.webp`…; where it points is the task's wire). */
  fileUrl: (task: DressedTask, name: string) => string;
}

export const MODERATION_REASON =
  'This content may violate our content policies: the prompt may depict a real person or a copyrighted character. 内容审核未通过：提示词可能涉及真人或受版权保护的角色。';

export const CANCELLED_REASON = 'The task was cancelled upstream. 任务已被上游取消。';

/** The reason a failing task gives (`#sim:fail-no-reason` gives none). */
export function failureReasonOf(task: SimTask): string | undefined {
  return task.markers.moderation ? MODERATION_REASON : task.markers.cancelled ? CANCELLED_REASON : undefined;
}

const UPPER: Record<string, string> = {
  queued: 'NOT_START',
  pending: 'NOT_START',
  processing: 'IN_PROGRESS',
  in_progress: 'IN_PROGRESS',
  completed: 'SUCCESS',
  failed: 'FAILURE',
};

/** The real relay echoes 1280x720 whatever was asked (it ignored `large`); the brochure told the truth. */
export function dims(task: DressedTask): { width: number; height: number } {
  const [w, h] = task.size === 'large' && task.wire?.dialect !== 'real' ? [1920, 1080] : [1280, 720];
  return task.orientation === 'portrait' ? { width: h, height: w } : { width: w, height: h };
}

export function word(raw: string, options: ShapeOptions): string {
  return options.upperCaseStatus ? (UPPER[raw] ?? raw.toUpperCase()) : raw;
}
