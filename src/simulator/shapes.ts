import type { JobState, SimTask } from './jobs';

/** How answers are dressed, and where signed file URLs come from. */
export interface ShapeOptions {
  upperCaseStatus: boolean;
  /** false: `video_url` at top level; true or 'detail-url': only `detail.url`; 'downloadable-url': only `detail.draft_info.downloadable_url`. */
  omitTopLevelVideoUrl: boolean | 'detail-url' | 'downloadable-url';
  /** Simulated time now, ms. */
  now: number;
  /** A signed URL of one of the task's files (see files.ts for the names). */
  fileUrl: (task: SimTask, name: string) => string;
}

export const MODERATION_REASON =
  'This content may violate our content policies: the prompt may depict a real person or a copyrighted character. 内容审核未通过：提示词可能涉及真人或受版权保护的角色。';

const UPPER: Record<string, string> = {
  queued: 'NOT_START',
  pending: 'NOT_START',
  processing: 'IN_PROGRESS',
  in_progress: 'IN_PROGRESS',
  completed: 'SUCCESS',
  failed: 'FAILURE',
};

function dims(task: SimTask): { width: number; height: number } {
  const [w, h] = task.size === 'large' ? [1920, 1080] : [1280, 720];
  return task.orientation === 'portrait' ? { width: h, height: w } : { width: w, height: h };
}

function word(raw: string, options: ShapeOptions): string {
  return options.upperCaseStatus ? (UPPER[raw] ?? raw.toUpperCase()) : raw;
}

/** Relays disagree on the words for "waiting" and "running"; alternate between tasks. */
function rawStatus(task: SimTask, state: JobState): string {
  if (state.status === 'queued') return task.serial % 2 ? 'queued' : 'pending';
  if (state.status === 'processing') return task.serial % 2 ? 'in_progress' : 'processing';
  return state.status;
}

/** The answer to a query (or a create/remix), in the shape the task's id style implies. */
export function renderTask(task: SimTask, state: JobState, options: ShapeOptions): Record<string, unknown> {
  return task.style === 'video' ? shapeC(task, state, options) : shapeAB(task, state, options);
}

/** The answer to `POST /v1/video/create`: just the id and the first status for task ids, Shape C for video ids. */
export function renderCreated(task: SimTask, state: JobState, options: ShapeOptions): Record<string, unknown> {
  const stamp = { status_update_time: Math.round(options.now) };
  if (task.style === 'video') return { ...shapeC(task, state, options), ...stamp };
  return { id: task.id, status: word(rawStatus(task, state), options), ...stamp };
}

/** Shapes A (queued/processing/failed) and B (completed) of the API notes. */
function shapeAB(task: SimTask, state: JobState, options: ShapeOptions): Record<string, unknown> {
  const inner = task.id.replace(/^[^:]*:/, '');
  const { width, height } = dims(task);
  const input = { size: task.size, images: task.images, prompt: task.prompt, orientation: task.orientation };
  const raw = rawStatus(task, state);
  const head = { id: task.id, status: word(raw, options) };
  const stamp = { status_update_time: Math.round(options.now) };

  if (state.status === 'completed') {
    const thumbnail = options.fileUrl(task, 'thumbnail.webp');
    const downloadable = options.fileUrl(task, 'downloadable.mp4');
    const detail: Record<string, unknown> = {
      id: inner,
      status: raw,
      input,
      url: options.fileUrl(task, 'detail-src.mp4'),
      gif_url: options.fileUrl(task, 'preview.gif'),
      draft_info: { downloadable_url: downloadable, encodings: { source: { path: downloadable }, md: { path: downloadable }, thumbnail: { path: thumbnail } } },
    };
    const body: Record<string, unknown> = { ...head, width, height, video_url: options.fileUrl(task, 'src.mp4'), thumbnail_url: thumbnail, detail, ...stamp };
    if (options.omitTopLevelVideoUrl !== false) delete body.video_url;
    if (options.omitTopLevelVideoUrl === 'downloadable-url') delete detail.url;
    return body;
  }

  const queued = state.status === 'queued';
  const pendingInfo: Record<string, unknown> = {
    status: queued ? 'queued' : state.status,
    progress_pct: Math.round(state.fraction * 1000) / 1000,
    // The vendor reports the draft's small preview size here, not the final one.
    width: Math.round(width / 3.6),
    height: Math.round(height / 3.6),
    n_frames: task.duration * 30,
    failure_reason: null,
    progress_pos_in_queue: state.queuePosition ?? null,
    estimated_queue_wait_time: state.queueEtaSeconds ?? null,
    queue_status_message: queued && task.reportsQueue ? 'Waiting in queue' : null,
    moderation_result: { type: state.status === 'failed' && task.markers.moderation ? 'rejected' : 'passed', is_output_rejection: false },
  };
  const detail: Record<string, unknown> = { id: inner, status: raw, input, pending_info: pendingInfo };
  const body: Record<string, unknown> = { ...head, detail, ...stamp };
  if (state.status === 'failed' && task.markers.moderation) {
    // Different relays put the reason in different places; rotate through all of them.
    switch (task.failureStyle % 5) {
      case 0:
        body.fail_reason = MODERATION_REASON;
        break;
      case 1:
        body.error = MODERATION_REASON;
        break;
      case 2:
        body.error = { message: MODERATION_REASON, type: 'moderation' };
        break;
      case 3:
        detail.failure_reason = MODERATION_REASON;
        break;
      default:
        pendingInfo.failure_reason = MODERATION_REASON;
    }
  }
  return body;
}

/** Shape C: OpenAI-style video objects (ids video_…). */
function shapeC(task: SimTask, state: JobState, options: ShapeOptions): Record<string, unknown> {
  const { width, height } = dims(task);
  const completed = state.status === 'completed';
  const body: Record<string, unknown> = {
    id: task.id,
    object: 'video',
    model: task.model,
    status: word(state.status === 'processing' ? 'in_progress' : state.status, options),
    progress: completed ? 100 : Math.round(state.fraction * 100),
    seconds: String(task.duration),
    size: `${width}x${height}`,
    created_at: Math.floor(task.createdAt / 1000),
    completed_at: completed ? Math.floor(task.completesAt / 1000) : null,
    video_url: completed && options.omitTopLevelVideoUrl === false ? options.fileUrl(task, 'src.mp4') : null,
  };
  if (completed) {
    body.thumbnail_url = options.fileUrl(task, 'thumbnail.webp');
    if (options.omitTopLevelVideoUrl === 'downloadable-url') body.detail = { draft_info: { downloadable_url: options.fileUrl(task, 'downloadable.mp4') } };
    else if (options.omitTopLevelVideoUrl !== false) body.detail = { url: options.fileUrl(task, 'detail-src.mp4') };
  }
  if (task.remixedFrom) body.remixed_from_video_id = task.remixedFrom;
  if (state.status === 'failed' && task.markers.moderation) {
    switch (task.failureStyle % 3) {
      case 0:
        body.error = { code: 'moderation_blocked', message: MODERATION_REASON };
        break;
      case 1:
        body.error = MODERATION_REASON;
        break;
      default:
        body.fail_reason = MODERATION_REASON;
    }
  }
  return body;
}

/** The vendor's error body. */
export function vendorError(message: string, messageZh: string, type = 'invalid_request_error', code?: string): Record<string, unknown> {
  return { error: { message, message_zh: messageZh, type, ...(code ? { code } : {}) } };
}

/** What the relay's web front end answers for any path that is not the API (with status 200). */
export const HTML_PAGE = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>聚鑫 API</title></head><body><div id="root"><h1>聚鑫 API</h1><p>Welcome. This is a web page, not the API.</p></div></body></html>`;

/** What a storage service answers for an expired or tampered signed URL (status 403). */
export const STORAGE_DENIED_XML =
  '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request. Signed expiry time has passed or the signature is invalid.</Message></Error>';
