import { failureReasonOf, type DressedTask, type ShapeOptions } from './dress';
import type { JobState } from './jobs';

/**
 * The gateway's task record (§2 shape 3), what the relay stores and its task routes return, in its
 * `{"code":"success","message":"","data":{…}}` wrapper or bare: a numeric row `id` (never the task),
 * `task_id`, an upper-case `status`, `progress` as "NN%", the times in seconds, and in `data` the
 * upstream vendor's own last answer. The video URL sits in `data.output`, `data.video_url`, `result_url`
 * or deeper in the upstream body, task by task. A failed record keeps the upstream body it last read,
 * which still says `in_progress`: the outer status is the truth.
 */

/** Row numbers like the logged ones (`"id": 8919289`). */
const FIRST_ROW = 8_919_289;

/** The gateway's words while a job waits, rotated task by task: it has all of them. */
const WAITING = ['SUBMITTED', 'QUEUED', 'NOT_START', 'UNKNOWN'] as const;

const seconds = (ms: number) => Math.floor(ms / 1000);

export function renderRecord(task: DressedTask, state: JobState, options: ShapeOptions, wrapped: boolean): Record<string, unknown> {
  const words = task.wire?.words ?? task.serial;
  const done = state.status === 'completed';
  const failed = state.status === 'failed';
  const waiting = WAITING[words % WAITING.length];
  const status = done ? 'SUCCESS' : failed ? 'FAILURE' : state.status === 'processing' ? 'IN_PROGRESS' : waiting;
  const percent = done ? 100 : Math.round(state.fraction * 100);
  const url = done ? options.fileUrl(task, 'src.mp4') : undefined;
  const place = task.wire?.recordUrl ?? 'output';

  // What the upstream last said: OpenAI's video object, or (for the "upstream" place) the unified Sora body.
  const innerStatus = done ? 'completed' : state.status === 'queued' ? 'queued' : 'in_progress';
  let upstream: Record<string, unknown> | null =
    place === 'upstream'
      ? { id: task.id, status: innerStatus, detail: { status: innerStatus, ...(url && { url }) } }
      : { id: task.id, object: 'video', model: task.model, status: innerStatus, progress: percent };
  if (url && place === 'output') upstream.output = url;
  if (url && place === 'video_url') upstream.video_url = url;
  // UNKNOWN: the gateway has not read the upstream's answer yet.
  if (status === 'UNKNOWN') upstream = null;

  const record: Record<string, unknown> = {
    id: FIRST_ROW + task.serial,
    created_at: seconds(task.createdAt),
    updated_at: seconds(options.now),
    task_id: task.id,
    platform: 'sora',
    user_id: 10424,
    group: 'default',
    channel_id: 0,
    quota: 60000,
    action: `video_create_${task.model}`,
    status,
    fail_reason: failed ? (failureReasonOf(task) ?? '') : '',
    submit_time: seconds(task.createdAt),
    start_time: state.status === 'queued' ? 0 : seconds(task.startsAt),
    finish_time: done || failed ? seconds(task.completesAt) : 0,
    progress: `${percent}%`,
    properties: { input: task.prompt },
    data: upstream,
  };
  if (url && place === 'result_url') record.result_url = url;
  return wrapped ? { code: 'success', message: '', data: record } : record;
}
