import type { JobState } from './jobs';
import { dims, failureReasonOf, word, type DressedTask, type ShapeOptions } from './dress';

/**
 * The unified format's query answer (§2 shape 1; the brochure's shapes A and B): `{id, status, video_url,
 * enhanced_prompt, status_update_time, detail}`. Sora's `detail` carries `input`, `pending_info`
 * (`progress_pct` a 0..1 fraction, queue place and wait, failure reason), `url`, `gif_url` and
 * `draft_info.downloadable_url`; Veo's carries `req` (the request), `images`, `status`, `running` and `video_url`.
 */

/**
 * Relays disagree on the words for each state, and on their case: the unified shape rotates through
 * these task by task (the brochure through the first two only, as it always did). `cancelled` is its own.
 */
const WORDS: readonly Record<'queued' | 'processing' | 'completed' | 'failed', string>[] = [
  { queued: 'pending', processing: 'processing', completed: 'completed', failed: 'failed' },
  { queued: 'queued', processing: 'in_progress', completed: 'completed', failed: 'failed' },
  { queued: 'submitted', processing: 'running', completed: 'succeeded', failed: 'failure' },
  { queued: 'Queued', processing: 'Running', completed: 'Success', failed: 'Failure' },
];

function rawStatus(task: DressedTask, state: JobState): string {
  if (state.status === 'failed' && task.markers.cancelled) return 'cancelled';
  const sets = task.wire?.dialect === 'real' ? WORDS.length : 2;
  return WORDS[(task.wire?.words ?? task.serial) % sets][state.status];
}

export function renderUnified(task: DressedTask, state: JobState, options: ShapeOptions): Record<string, unknown> {
  return task.wire?.id === 'veo' ? veo(task, state, options) : sora(task, state, options);
}

function veo(task: DressedTask, state: JobState, options: ShapeOptions): Record<string, unknown> {
  const raw = rawStatus(task, state);
  const url = state.status === 'completed' ? options.fileUrl(task, 'src.mp4') : null;
  const body: Record<string, unknown> = {
    id: task.id,
    status: word(raw, options),
    video_url: null,
    enhanced_prompt: '',
    status_update_time: Math.round(options.now),
    detail: {
      req: {
        model: task.model,
        prompt: task.prompt,
        images: task.images,
        aspect_ratio: task.aspectRatio ?? (task.orientation === 'portrait' ? '9:16' : '16:9'),
      },
      images: task.images,
      status: raw,
      running: state.status === 'processing',
      video_url: url,
    },
  };
  const reason = state.status === 'failed' ? failureReasonOf(task) : undefined;
  if (reason) body.fail_reason = reason;
  return body;
}

function sora(task: DressedTask, state: JobState, options: ShapeOptions): Record<string, unknown> {
  const inner = task.id.replace(/^[^:]*:/, '');
  const { width, height } = dims(task);
  const input = { size: task.size, images: task.images, prompt: task.prompt, orientation: task.orientation };
  const raw = rawStatus(task, state);
  const head = { id: task.id, status: word(raw, options) };
  const stamp = { status_update_time: Math.round(options.now) };
  const real = task.wire?.dialect === 'real';

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
    if (real) body.enhanced_prompt = '';
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
  const body: Record<string, unknown> = { ...head, ...(real && { video_url: null, enhanced_prompt: '' }), detail, ...stamp };
  const reason = state.status === 'failed' ? failureReasonOf(task) : undefined;
  if (reason) {
    // Different relays put the reason in different places; rotate through all of them.
    switch (task.failureStyle % 5) {
      case 0:
        body.fail_reason = reason;
        break;
      case 1:
        body.error = reason;
        break;
      case 2:
        body.error = { message: reason, type: task.markers.moderation ? 'moderation' : 'cancelled' };
        break;
      case 3:
        detail.failure_reason = reason;
        break;
      default:
        pendingInfo.failure_reason = reason;
    }
  }
  return body;
}
