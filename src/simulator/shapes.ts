import type { JobState, SimTask } from './jobs';

export interface ShapeOptions {
  upperCaseStatus: boolean;
  omitTopLevelVideoUrl: boolean | 'detail-url' | 'downloadable-url';
  now: number;
  videoUrl: (task: SimTask) => string;
  fileUrl: (task: SimTask, name: string) => string;
}

const MODERATION_REASON = 'Content moderation: the prompt may depict a real person or a copyrighted character. 内容审核未通过：提示词可能涉及真人或受版权保护的角色。';

const UPPER: Record<string, string> = { queued: 'NOT_START', pending: 'NOT_START', processing: 'IN_PROGRESS', in_progress: 'IN_PROGRESS', completed: 'SUCCESS', failed: 'FAILURE' };

function dims(task: SimTask): { width: number; height: number } {
  const [w, h] = task.size === 'large' ? [1920, 1080] : [1280, 720];
  return task.orientation === 'portrait' ? { width: h, height: w } : { width: w, height: h };
}

/** The answer to a query (or a create/remix), in the shape the task's id style implies. */
export function renderTask(task: SimTask, state: JobState, options: ShapeOptions): Record<string, unknown> {
  return task.style === 'video' ? shapeC(task, state, options) : shapeAB(task, state, options);
}

function status(raw: string, options: ShapeOptions): string {
  return options.upperCaseStatus ? (UPPER[raw] ?? raw.toUpperCase()) : raw;
}

/** Shapes A (queued/processing/failed) and B (completed) of the API notes. */
function shapeAB(task: SimTask, state: JobState, options: ShapeOptions): Record<string, unknown> {
  const inner = task.id.replace(/^sora-2:/, '');
  const { width, height } = dims(task);
  const base = { id: task.id, status_update_time: Math.round(options.now) };
  const input = { size: task.size, images: task.images, prompt: task.prompt, orientation: task.orientation };

  if (state.status === 'completed') {
    const url = options.videoUrl(task);
    const body: Record<string, unknown> = {
      ...base,
      status: status('completed', options),
      width,
      height,
      thumbnail_url: options.fileUrl(task, 'thumbnail.webp'),
      detail: {
        id: inner,
        status: 'completed',
        input,
        gif_url: options.fileUrl(task, 'preview.gif'),
        draft_info: { downloadable_url: url, encodings: { source: { path: url }, md: { path: url }, thumbnail: { path: options.fileUrl(task, 'thumbnail.webp') } } },
      } as Record<string, unknown>,
    };
    if (options.omitTopLevelVideoUrl === false) body.video_url = url;
    if (options.omitTopLevelVideoUrl !== 'downloadable-url') (body.detail as Record<string, unknown>).url = url;
    return body;
  }

  const raw = state.status === 'queued' ? (task.failureStyle % 2 ? 'queued' : 'pending') : state.status === 'processing' ? (task.failureStyle % 2 ? 'in_progress' : 'processing') : 'failed';
  const pendingInfo: Record<string, unknown> = {
    status: state.status === 'queued' ? 'queued' : 'processing',
    progress_pct: Math.round(state.fraction * 1000) / 1000,
    width: Math.round(width / 3.6),
    height: Math.round(height / 3.6),
    n_frames: task.duration * 30,
    failure_reason: null,
    progress_pos_in_queue: state.queuePosition ?? null,
    estimated_queue_wait_time: state.status === 'queued' ? Math.round((task.startsAt - options.now) / 1000) : null,
    queue_status_message: null,
    moderation_result: { type: task.markers.moderation ? 'rejected' : 'passed', is_output_rejection: false },
  };
  const detail: Record<string, unknown> = { id: inner, status: raw, input, pending_info: pendingInfo };
  const body: Record<string, unknown> = { ...base, status: status(raw, options), detail };
  if (state.status === 'failed' && task.markers.moderation) {
    // Different relays put the reason in different places; rotate through all of them.
    switch (task.failureStyle) {
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
  const raw = state.status === 'processing' ? 'in_progress' : state.status;
  const body: Record<string, unknown> = {
    id: task.id,
    object: 'video',
    model: task.model,
    status: status(raw, options),
    progress: state.status === 'completed' ? 100 : Math.round(state.fraction * 100),
    seconds: String(task.duration),
    size: `${width}x${height}`,
    created_at: Math.floor(task.createdAt / 1000),
    completed_at: state.status === 'completed' ? Math.floor(task.completesAt / 1000) : null,
    video_url: state.status === 'completed' && options.omitTopLevelVideoUrl === false ? options.videoUrl(task) : null,
  };
  if (state.status === 'completed' && options.omitTopLevelVideoUrl !== false) {
    body.detail = options.omitTopLevelVideoUrl === 'downloadable-url' ? { draft_info: { downloadable_url: options.videoUrl(task) } } : { url: options.videoUrl(task) };
  }
  if (state.status === 'completed') body.thumbnail_url = options.fileUrl(task, 'thumbnail.webp');
  if (task.remixedFrom) body.remixed_from_video_id = task.remixedFrom;
  if (state.status === 'failed' && task.markers.moderation) {
    body.error = task.failureStyle % 2 ? { message: MODERATION_REASON, code: 'moderation_blocked' } : MODERATION_REASON;
  }
  return body;
}

/** The vendor's error body. */
export function vendorError(message: string, messageZh: string, type = 'invalid_request_error', code?: string): Record<string, unknown> {
  return { error: { message, message_zh: messageZh, type, ...(code ? { code } : {}) } };
}

export const HTML_PAGE = `<!DOCTYPE html><html><head><title>聚鑫 API</title></head><body><h1>Welcome</h1><p>This is a web page, not the API.</p></body></html>`;
