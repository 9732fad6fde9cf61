import { JuxinError, scrubSecrets } from './errors';
import type { Character, ListedModel, NormalizedTask, TaskStatus } from './types';

/**
 * Reduces any Juxin answer about a task to one `NormalizedTask`: the unified shape (`detail`,
 * `pending_info`), OpenAI's video object (Shape C), and the gateway's task record with or without its
 * `{code, message, data}` wrapper (see `shared/juxin-api.md` §2). Statuses in any spelling and case,
 * progress as a 0..1 fraction, a 0..100 number or an "NN%" string, the video URL wherever it is, the
 * failure reason wherever it hides. Unknown fields are ignored. It throws nothing but a
 * `malformed_response` JuxinError, and that only for a body that is not an object or names no task.
 *
 * `expectedId` is the id the caller asked about (a query): it is the task's id whatever the body says.
 */
export function normalizeQueryResponse(body: unknown, expectedId?: string): NormalizedTask {
  const root = asRecord(body);
  if (!root) throw malformed('the response is not a JSON object');
  const src = taskObject(root);
  // The gateway's task record keeps the upstream vendor's own answer in `data`; other shapes have none.
  const upstream = asRecord(src.data);
  const ownDetail = asRecord(src.detail);
  const upstreamDetail = asRecord(upstream?.detail);
  const detail = ownDetail ?? upstreamDetail;
  const pending = asRecord(ownDetail?.pending_info) ?? asRecord(upstreamDetail?.pending_info);

  // The record's numeric `id` is the gateway's row number, never the task: only strings name tasks.
  const named = taskId(src.task_id) ?? taskId(src.id) ?? taskId(detail?.id) ?? taskId(upstream?.task_id) ?? taskId(upstream?.id);
  if (!named) throw malformed('the response has no task id');
  const id = expectedId ?? named;

  // The outer status wins: a FAILURE record can carry an upstream body that still says in_progress.
  const rawStatus = (text(src.status) ?? text(src.task_status) ?? text(detail?.status) ?? text(pending?.status) ?? text(upstream?.status) ?? '').slice(0, 64);
  const status = normalizeStatus(rawStatus);

  const videoUrl = findVideoUrl(src, detail, upstream);
  const thumbnailUrl = httpUrl(src.thumbnail_url) ?? httpUrl(detail?.thumbnail_url) ?? httpUrl(upstream?.thumbnail_url);
  const gifUrl = httpUrl(detail?.gif_url) ?? httpUrl(src.gif_url);

  // A completed answer without any video URL stays "completed" (without `videoUrl`): whether to ask
  // again is the tracker's policy, not the parser's.
  const progress = status === 'completed' ? 100 : readProgress(src, asRecord(ownDetail?.pending_info), upstream, asRecord(upstreamDetail?.pending_info));

  const task: NormalizedTask = { id, status, progress, rawStatus };
  if (videoUrl) task.videoUrl = videoUrl;
  if (thumbnailUrl) task.thumbnailUrl = thumbnailUrl;
  if (gifUrl) task.gifUrl = gifUrl;
  if (status === 'failed') task.failureReason = failureReason(src, detail, pending, upstream) ?? 'no reason given';
  const queue = num(pending?.progress_pos_in_queue) ?? num(src.queue_position);
  if (queue !== undefined && queue > 0) task.queuePosition = Math.round(queue);
  const eta = queueWaitMs(pending?.estimated_queue_wait_time) ?? queueWaitMs(src.estimated_queue_wait_time);
  if (status === 'queued' && eta !== undefined) task.queueEtaMs = eta;
  const pixels = typeof src.size === 'string' ? /^(\d{1,5})x(\d{1,5})$/.exec(src.size.trim()) : null; // Shape C: "1280x720"
  const width = num(src.width) ?? num(pixels?.[1]) ?? num(pending?.width);
  const height = num(src.height) ?? num(pixels?.[2]) ?? num(pending?.height);
  if (width) task.width = width;
  if (height) task.height = height;
  const updated =
    num(src.status_update_time) ??
    secondsToMs(positive(src.completed_at)) ??
    secondsToMs(positive(src.finish_time)) ??
    secondsToMs(positive(src.updated_at)) ??
    secondsToMs(positive(src.created_at));
  if (updated) task.updatedAt = updated;
  const remixedFrom = taskId(src.remixed_from_video_id);
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
    case 'unknown': // the gateway's UNKNOWN: it could not read the upstream's answer yet; nothing says the job started
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

/**
 * The object that describes the task. The gateway wraps its record in `{code, message, data}` (Kling
 * answers `{code: 0, data: {task_id, task_status}}` alike); a bare record, or any answer with its own
 * status or id, is the task itself (its `data` is then the upstream body).
 */
function taskObject(root: Record<string, unknown>): Record<string, unknown> {
  const data = asRecord(root.data);
  if (!data || text(root.status) || text(root.task_status) || taskId(root.id) || taskId(root.task_id)) return root;
  return data;
}

/** Keys whose value may be the video's URL, and subtrees that only echo the request (its image URLs). */
const VIDEO_URL_KEYS = new Set(['video_url', 'url', 'output', 'result_url', 'downloadable_url', 'videoUrl', 'video']);
const REQUEST_ECHOES = new Set(['input', 'req', 'request', 'properties', 'images', 'image_url', 'image', 'image_tail', 'reference', 'references']);
const IMAGE_FILE = /\.(png|jpe?g|webp|gif|bmp|avif)(\?|#|$)/i;

/** The documented places first, then (breadth-first, bounded) any other place an upstream body keeps it. */
function findVideoUrl(src: Record<string, unknown>, detail?: Record<string, unknown>, upstream?: Record<string, unknown>): string | undefined {
  const direct =
    httpUrl(src.video_url) ??
    httpUrl(detail?.url) ??
    httpUrl(asRecord(detail?.draft_info)?.downloadable_url) ??
    httpUrl(src.url) ??
    httpUrl(src.output) ??
    httpUrl(asRecord(src.output)?.url) ??
    httpUrl(src.result_url) ??
    httpUrl(upstream?.output) ??
    httpUrl(upstream?.video_url) ??
    httpUrl(upstream?.result_url) ??
    httpUrl(detail?.video_url);
  if (direct) return direct;
  const queue: { value: unknown; depth: number }[] = [{ value: src, depth: 0 }];
  for (let visited = 0; queue.length && visited < 2000; visited++) {
    const { value, depth } = queue.shift()!;
    if (depth > 8) continue;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 50)) if (item !== null && typeof item === 'object') queue.push({ value: item, depth: depth + 1 });
      continue;
    }
    const object = asRecord(value);
    if (!object) continue;
    for (const [key, child] of Object.entries(object)) {
      if (REQUEST_ECHOES.has(key)) continue;
      const url = VIDEO_URL_KEYS.has(key) ? httpUrl(child) : undefined;
      if (url && !IMAGE_FILE.test(url)) return url;
      if (child !== null && typeof child === 'object') queue.push({ value: child, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The task's own progress first (like its status), the upstream body's only when it gives none. */
function readProgress(
  src: Record<string, unknown>,
  pending?: Record<string, unknown>,
  upstream?: Record<string, unknown>,
  upstreamPending?: Record<string, unknown>,
): number {
  // progress_pct is a 0..1 fraction in the vendor's examples; `progress` is a 0..100 percent or "NN%".
  const fraction = (value: unknown) => {
    const pct = num(value);
    return pct === undefined ? undefined : pct <= 1 ? pct * 100 : pct;
  };
  const progress =
    fraction(pending?.progress_pct) ??
    fraction(src.progress_pct) ??
    percent(src.progress) ??
    fraction(upstreamPending?.progress_pct) ??
    percent(upstream?.progress);
  return progress === undefined ? 0 : clamp(progress);
}

/** Longer than a day is not an estimate anyone can act on: treated as no estimate. */
const MAX_QUEUE_WAIT_S = 24 * 3600;

/** The vendor's `estimated_queue_wait_time` (seconds, a number or a numeric string) in ms; anything odd is no estimate. */
function queueWaitMs(value: unknown): number | undefined {
  const seconds = num(value);
  if (seconds === undefined || seconds < 0 || seconds > MAX_QUEUE_WAIT_S) return undefined;
  return Math.round(seconds * 1000);
}

function failureReason(
  src: Record<string, unknown>,
  detail?: Record<string, unknown>,
  pending?: Record<string, unknown>,
  upstream?: Record<string, unknown>,
): string | undefined {
  const reason =
    nonEmpty(text(src.fail_reason)) ??
    nonEmpty(errorText(src.error)) ??
    nonEmpty(text(detail?.failure_reason)) ??
    nonEmpty(text(pending?.failure_reason)) ??
    nonEmpty(errorText(detail?.error)) ??
    nonEmpty(text(src.failure_reason)) ??
    nonEmpty(text(src.task_status_msg)) ??
    nonEmpty(text(upstream?.fail_reason)) ??
    nonEmpty(errorText(upstream?.error)) ??
    nonEmpty(text(src.message));
  // Scrubbed before it is cut: a key across the cut must not leave its first half behind.
  return reason === undefined ? undefined : scrubSecrets(reason.slice(0, 4000)).slice(0, 1000);
}

/** `error` as a string, or `{ message }`. */
function errorText(error: unknown): string | undefined {
  return typeof error === 'string' ? error : text(asRecord(error)?.message);
}

/** `POST /sora/v1/characters` answer. */
export function normalizeCharacter(body: unknown): Character {
  const root = asRecord(body);
  const data = asRecord(root?.data) ?? root;
  const username = text(data?.username)?.replace(/^@/, '');
  const id = text(data?.id);
  if (!data || !username || !id) throw malformed('the character response has no id or username');
  const character: Character = { id, username };
  const permalink = httpUrl(data.permalink);
  const picture = httpUrl(data.profile_picture_url);
  if (permalink) character.permalink = permalink;
  if (picture) character.profilePictureUrl = picture;
  return character;
}

/**
 * `GET /v1/models`: `{"success":true,"object":"list","data":[{"id","owned_by","supported_endpoint_types":[…]}, …]}`
 * (a bare array is read too). Entries without a string id are skipped.
 */
export function normalizeModelList(body: unknown): ListedModel[] {
  const list = Array.isArray(body) ? body : asRecord(body)?.data;
  if (!Array.isArray(list)) throw malformed('the model list has no data array');
  const models: ListedModel[] = [];
  for (const entry of list.slice(0, 5000)) {
    const item = asRecord(entry);
    const id = taskId(item?.id);
    if (!item || !id) continue;
    const types = Array.isArray(item.supported_endpoint_types) ? item.supported_endpoint_types.filter((t): t is string => typeof t === 'string') : [];
    const model: ListedModel = { id, endpointTypes: types.slice(0, 20) };
    const owner = text(item.owned_by);
    if (owner) model.ownedBy = owner;
    models.push(model);
  }
  return models;
}

function malformed(what: string): JuxinError {
  return new JuxinError('malformed_response', `Juxin answered with something unexpected: ${what}.`);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A string, or a finite number as one (statuses and reasons); never anything else. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Ids are opaque strings (`video_…`, `sora-2:task_…`, `veo3.1-fast:…`); a number is a row id, not a task. */
function taskId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.trim();
  return id && id.length <= 512 ? id : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() ? value.trim() : undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && value.length < 64 && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function positive(value: unknown): number | undefined {
  const n = num(value);
  return n !== undefined && n > 0 ? n : undefined;
}

/** 45, "45" or "45%". */
function percent(value: unknown): number | undefined {
  const n = num(value);
  if (n !== undefined) return n;
  return typeof value === 'string' && value.length < 64 && /^\s*\d+(\.\d+)?\s*%\s*$/.test(value) ? parseFloat(value) : undefined;
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 8192) return undefined;
  const url = value.trim();
  return /^https?:\/\/\S+$/i.test(url) ? url : undefined;
}

function clamp(n: number): number {
  return Math.min(100, Math.max(0, n));
}

function secondsToMs(s: number | undefined): number | undefined {
  if (s === undefined) return undefined;
  return s < 1e11 ? s * 1000 : s;
}
