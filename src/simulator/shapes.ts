import { dims, failureReasonOf, word, type DressedTask, type ShapeOptions } from './dress';
import type { JobState } from './jobs';
import { renderRecord } from './records';
import { renderUnified } from './unified';

export { CANCELLED_REASON, MODERATION_REASON, type DressedTask, type ShapeOptions } from './dress';

/** The answer to a query (or a multipart create or remix), in the task's query shape. */
export function renderTask(task: DressedTask, state: JobState, options: ShapeOptions): Record<string, unknown> {
  switch (task.wire?.query ?? (task.style === 'video' ? 'openai' : 'unified')) {
    case 'openai':
      return shapeC(task, state, options);
    case 'record':
      return renderRecord(task, state, options, true);
    case 'record-bare':
      return renderRecord(task, state, options, false);
    default:
      return renderUnified(task, state, options);
  }
}

/** The relay's names for the upstream models, which its create answers sometimes echo (`sora_video2`). */
const UPSTREAM_MODELS: Record<string, string> = { 'sora-2': 'sora_video2', 'sora-2-all': 'sora_video2', 'sora-2-pro': 'sora_video2_pro' };

/**
 * The answer to `POST /v1/video/create`. Real: every logged create was OpenAI-style (`video_…`, queued,
 * progress 0, seconds and size as strings, sometimes `"detail": {}`, the model maybe the upstream's
 * name); Veo and Sora-docs ids answer as their docs show. Brochure: the id and its first status for task
 * ids, Shape C for video ids.
 */
export function renderCreated(task: DressedTask, state: JobState, options: ShapeOptions): Record<string, unknown> {
  const stamp = { status_update_time: Math.round(options.now) };
  const wire = task.wire;
  if (wire?.dialect === 'real' && wire.id === 'video') {
    const { width, height } = dims(task);
    return {
      id: task.id,
      object: 'video',
      model: wire.upstreamModel ? (UPSTREAM_MODELS[task.model] ?? task.model) : task.model,
      status: word(state.status === 'processing' ? 'in_progress' : 'queued', options),
      progress: 0,
      created_at: Math.floor(task.createdAt / 1000),
      seconds: String(task.duration),
      size: `${width}x${height}`,
      ...(wire.emptyDetail && { detail: {} }),
      ...(task.remixedFrom && { remixed_from_video_id: task.remixedFrom }),
    };
  }
  if ((wire?.id ?? task.style) === 'video') return { ...shapeC(task, state, options), ...stamp };
  const first = renderUnified(task, state, options);
  return { id: task.id, status: first.status, ...stamp, ...(wire?.id === 'veo' && { enhanced_prompt: '' }) };
}

/** Shape C: OpenAI-style video objects. */
function shapeC(task: DressedTask, state: JobState, options: ShapeOptions): Record<string, unknown> {
  const { width, height } = dims(task);
  const completed = state.status === 'completed';
  const cancelled = state.status === 'failed' && task.markers.cancelled;
  const body: Record<string, unknown> = {
    id: task.id,
    object: 'video',
    model: task.model,
    status: word(cancelled ? 'cancelled' : state.status === 'processing' ? 'in_progress' : state.status, options),
    progress: completed ? 100 : Math.round(state.fraction * 100),
    seconds: String(task.duration),
    size: `${width}x${height}`,
    created_at: Math.floor(task.createdAt / 1000),
    completed_at: completed ? Math.floor(task.completesAt / 1000) : null,
    video_url: completed && options.omitTopLevelVideoUrl === false ? options.fileUrl(task, 'src.mp4') : null,
  };
  if (task.wire?.dialect === 'real') body.error = null;
  if (completed) {
    if (task.wire?.dialect !== 'real') body.thumbnail_url = options.fileUrl(task, 'thumbnail.webp');
    if (options.omitTopLevelVideoUrl === 'downloadable-url') body.detail = { draft_info: { downloadable_url: options.fileUrl(task, 'downloadable.mp4') } };
    else if (options.omitTopLevelVideoUrl !== false) body.detail = { url: options.fileUrl(task, 'detail-src.mp4') };
  }
  if (task.remixedFrom) body.remixed_from_video_id = task.remixedFrom;
  const reason = state.status === 'failed' ? failureReasonOf(task) : undefined;
  if (reason) {
    switch (task.failureStyle % 3) {
      case 0:
        body.error = { code: task.markers.moderation ? 'moderation_blocked' : 'cancelled', message: reason };
        break;
      case 1:
        body.error = reason;
        break;
      default:
        body.fail_reason = reason;
    }
  }
  return body;
}

/** The brochure's error body (the real relay's are in relayErrors.ts). */
export function vendorError(message: string, messageZh: string, type = 'invalid_request_error', code?: string): Record<string, unknown> {
  return { error: { message, message_zh: messageZh, type, ...(code ? { code } : {}) } };
}

/** What the relay's web front end answers for any path outside the API (with status 200). */
export const HTML_PAGE = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>聚鑫 API</title></head><body><div id="root"><h1>聚鑫 API</h1><p>Welcome. This is a web page, not the API.</p></div></body></html>`;

/** What a storage service answers for an expired or tampered signed URL (status 403). */
export const STORAGE_DENIED_XML =
  '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request. Signed expiry time has passed or the signature is invalid.</Message></Error>';

/** What object storage answers for a file it does not have (status 404). */
export const STORAGE_MISSING_XML =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>';
