import { JuxinError, scrubSecrets } from './errors';
import type { Character, NormalizedTask, TaskStatus } from './types';

/**
 * Reduces any Juxin response (shapes A, B and C of the API notes, lower- or upper-case statuses,
 * progress as a 0..1 fraction or a 0..100 percent, video URL fallbacks, the failure reason wherever it
 * hides) to one `NormalizedTask`. Unknown fields are ignored; nothing here throws on odd input except
 * a body that has no task id at all.
 */
export function normalizeQueryResponse(body: unknown): NormalizedTask {
  const root = asRecord(body);
  if (!root) throw malformed('the response is not a JSON object');
  const data = asRecord(root.data); // some relays wrap the task in { data: … }
  const src = data && !str(root.id) && str(data.id) ? data : root;
  const detail = asRecord(src.detail);
  const pending = asRecord(detail?.pending_info);

  const id = str(src.id) ?? str(detail?.id) ?? str(src.task_id);
  if (!id) throw malformed('the response has no task id');

  const rawStatus = str(src.status) ?? str(detail?.status) ?? str(pending?.status) ?? '';
  const status = normalizeStatus(rawStatus);

  const videoUrl =
    httpUrl(src.video_url) ??
    httpUrl(detail?.url) ??
    httpUrl(asRecord(detail?.draft_info)?.downloadable_url) ??
    httpUrl(src.url) ??
    httpUrl(asRecord(src.output)?.url);
  const thumbnailUrl = httpUrl(src.thumbnail_url) ?? httpUrl(detail?.thumbnail_url);
  const gifUrl = httpUrl(detail?.gif_url) ?? httpUrl(src.gif_url);

  // A completed answer without any video URL stays "completed" (without `videoUrl`): whether to ask
  // again is the tracker's policy, not the parser's.
  const progress = status === 'completed' ? 100 : readProgress(src, pending);

  const task: NormalizedTask = { id, status, progress, rawStatus };
  if (videoUrl) task.videoUrl = videoUrl;
  if (thumbnailUrl) task.thumbnailUrl = thumbnailUrl;
  if (gifUrl) task.gifUrl = gifUrl;
  if (status === 'failed') task.failureReason = failureReason(src, detail, pending) ?? 'no reason given';
  const queue = num(pending?.progress_pos_in_queue) ?? num(src.queue_position);
  if (queue !== undefined && queue > 0) task.queuePosition = Math.round(queue);
  const eta = queueWaitMs(pending?.estimated_queue_wait_time) ?? queueWaitMs(src.estimated_queue_wait_time);
  if (status === 'queued' && eta !== undefined) task.queueEtaMs = eta;
  const pixels = typeof src.size === 'string' ? /^(\d+)x(\d+)$/.exec(src.size.trim()) : null; // Shape C: "1280x720"
  const width = num(src.width) ?? num(pixels?.[1]) ?? num(pending?.width);
  const height = num(src.height) ?? num(pixels?.[2]) ?? num(pending?.height);
  if (width) task.width = width;
  if (height) task.height = height;
  const updated = num(src.status_update_time) ?? secondsToMs(num(src.completed_at)) ?? secondsToMs(num(src.created_at));
  if (updated) task.updatedAt = updated;
  const remixedFrom = str(src.remixed_from_video_id);
  if (remixedFrom) task.remixedFrom = remixedFrom;
  return task;
}

/** Vendor status words (any case, `-`/space/`_`) to ours; anything unknown is taken as still running. */
export function normalizeStatus(raw: string): TaskStatus {
  switch (
    raw
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_')
  ) {
    case 'pending':
    case 'queued':
    case 'not_start':
    case 'not_started':
    case 'submitted':
    case 'waiting':
    case 'created':
      return 'queued';
    case 'completed':
    case 'complete':
    case 'success':
    case 'succeeded':
    case 'succeed':
    case 'done':
    case 'finished':
      return 'completed';
    case 'failed':
    case 'failure':
    case 'fail':
    case 'error':
    case 'cancelled':
    case 'canceled':
    case 'rejected':
    case 'expired':
      return 'failed';
    default:
      // processing, in_progress, running, and anything new: still going.
      return 'processing';
  }
}

function readProgress(src: Record<string, unknown>, pending: Record<string, unknown> | undefined): number {
  // progress_pct is a 0..1 fraction in the vendor's examples; `progress` is a 0..100 percent.
  const pct = num(pending?.progress_pct) ?? num(src.progress_pct);
  if (pct !== undefined) return clamp(pct <= 1 ? pct * 100 : pct);
  const progress = num(src.progress) ?? parsePercent(src.progress);
  if (progress !== undefined) return clamp(progress);
  return 0;
}

/** Longer than a day is not an estimate anyone can act on: treated as no estimate. */
const MAX_QUEUE_WAIT_S = 24 * 3600;

/** The vendor's `estimated_queue_wait_time` (seconds, a number or a numeric string) in ms; anything odd is no estimate. */
function queueWaitMs(value: unknown): number | undefined {
  const seconds = num(value);
  if (seconds === undefined || seconds < 0 || seconds > MAX_QUEUE_WAIT_S) return undefined;
  return Math.round(seconds * 1000);
}

function failureReason(src: Record<string, unknown>, detail?: Record<string, unknown>, pending?: Record<string, unknown>): string | undefined {
  const error = src.error;
  const fromError = typeof error === 'string' ? error : str(asRecord(error)?.message);
  const reason =
    nonEmpty(str(src.fail_reason)) ??
    nonEmpty(fromError) ??
    nonEmpty(str(detail?.failure_reason)) ??
    nonEmpty(str(pending?.failure_reason)) ??
    nonEmpty(str(src.failure_reason)) ??
    nonEmpty(str(src.message));
  return reason === undefined ? undefined : scrubSecrets(reason).slice(0, 1000);
}

/** `POST /sora/v1/characters` answer. */
export function normalizeCharacter(body: unknown): Character {
  const root = asRecord(body);
  const data = asRecord(root?.data) ?? root;
  const username = str(data?.username)?.replace(/^@/, '');
  const id = str(data?.id);
  if (!data || !username || !id) throw malformed('the character response has no id or username');
  const character: Character = { id, username };
  const permalink = httpUrl(data.permalink);
  const picture = httpUrl(data.profile_picture_url);
  if (permalink) character.permalink = permalink;
  if (picture) character.profilePictureUrl = picture;
  return character;
}

function malformed(what: string): JuxinError {
  return new JuxinError('malformed_response', `Juxin answered with something unexpected: ${what}.`);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() ? value.trim() : undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function parsePercent(value: unknown): number | undefined {
  return typeof value === 'string' && /^\s*\d+(\.\d+)?\s*%\s*$/.test(value) ? parseFloat(value) : undefined;
}

function httpUrl(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\//i.test(value.trim()) ? value.trim() : undefined;
}

function clamp(n: number): number {
  return Math.min(100, Math.max(0, n));
}

function secondsToMs(s: number | undefined): number | undefined {
  if (s === undefined) return undefined;
  return s < 1e11 ? s * 1000 : s;
}
