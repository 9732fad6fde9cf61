import { pathToFileURL } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { videoShape } from '../catalog';
import { originOf } from '../core/origin';
import { taskPhase } from '../core/phase';
import type { TaskRecord } from '../core/types';
import type { TaskOutput } from './schemas';
import { scrubSecrets } from '../util/secrets';

export const TASK_URI_PREFIX = 'juxin-sora://tasks/';

export function taskUri(id: string): string {
  return TASK_URI_PREFIX + encodeURIComponent(id);
}

/** A task as tools return it (snake_case, no internal fields, never the key — records never hold it). */
/** What a tool adds to a task's own state: a wait that ran out, a copy it wrote. */
export interface ResultExtra {
  timedOut?: boolean;
  copiedTo?: string;
  /** generate_video answered with the task of an identical call from the same client that was cancelled. */
  reusedCancelledCall?: boolean;
}

/** Why generate_video answers with a task it did not order now: said first, in both languages. */
const REUSED_NOTE =
  'An identical generate_video call from this client was cancelled in the last two minutes after its video was ordered: this is that task, so nothing was paid again. ' +
  'To make another video anyway, change the prompt or call again after two minutes.\n' +
  '同一客户端在两分钟内取消过一次完全相同的 generate_video 调用，而当时视频已经下单：这里返回的就是那个任务，未重复付费。如确实需要再生成一个，请修改提示词或两分钟后再调用。';

export function toTaskOutput(task: TaskRecord, extra: ResultExtra = {}): TaskOutput {
  const p = task.params;
  // Records from the Sora days have orientation and size only: their aspect ratio and resolution are derived.
  const shape = videoShape(p);
  return {
    task_id: task.id,
    status: task.status,
    progress: Math.round(task.progress),
    queue_position: task.status === 'queued' ? task.queuePosition : undefined,
    video_url: task.videoUrl,
    local_path: task.download.state === 'done' ? task.download.localPath : undefined,
    copied_to: extra.copiedTo,
    thumbnail_url: task.thumbnailUrl,
    download_state: task.download.state,
    error: describeProblem(task),
    timed_out: extra.timedOut || undefined,
    reused_cancelled_call: extra.reusedCancelledCall || undefined,
    created_at: new Date(task.createdAt).toISOString(),
    source: task.source,
    origin: originOf(task),
    remix_of: task.remixOf,
    params: {
      prompt: p.prompt,
      model: p.model,
      orientation: p.orientation,
      size: p.size,
      duration: p.duration,
      watermark: p.watermark,
      private: p.private,
      images: p.images,
      aspect_ratio: shape.aspectRatio,
      resolution: shape.resolution,
      first_frame: p.firstFrame,
      last_frame: p.lastFrame,
      enhance_prompt: p.enhancePrompt,
      enable_upsample: p.enableUpsample,
      character_url: p.characterUrl,
      character_timestamps: p.characterTimestamps,
    },
  };
}

function describeProblem(task: TaskRecord): string | undefined {
  if (task.status === 'failed') {
    const reason = task.failureReason || 'no reason given';
    return `Generation failed: ${reason}. Change the prompt (no real people, no copyrighted characters) and try again. 生成失败：${reason}。请修改提示词（不要出现真人或受版权保护的角色）后重试。`;
  }
  if (taskPhase(task) === 'notSaved') {
    const why = task.download.error ?? (task.download.state === 'expired' ? 'the video link expired' : 'download failed');
    return `The video is ready but could not be saved: ${why}. Call download_video to try again. 视频已生成但保存失败，请调用 download_video 重试。`;
  }
  return undefined;
}

/** One short line a person or a model can read at a glance. */
export function summarize(task: TaskRecord, extra: ResultExtra = {}): string {
  const id = `Task ${task.id}`;
  const stillRunning = extra.timedOut ? ' Still running: call wait_for_video with this task_id to keep waiting.' : '';
  const url = task.videoUrl ? `\nURL (expires): ${task.videoUrl}` : '';
  const d = task.download;
  switch (taskPhase(task)) {
    case 'queued':
      return `${id} is queued${task.queuePosition ? ` (position ${task.queuePosition})` : ''}.${stillRunning}`;
    case 'generating':
      return `${id} is generating (${Math.round(task.progress)}%).${stillRunning}`;
    case 'failed':
      return `${id} failed: ${task.failureReason || 'no reason given'}. 生成失败：${task.failureReason || '未给出原因'}。`;
    case 'ready':
      return `${id} is ready: saved to ${d.localPath}${extra.copiedTo ? `, copied to ${extra.copiedTo}` : ''}${url}`;
    case 'downloading':
      return `${id} is ready and downloading.${url}`;
    case 'notSaved':
      return `${id} is ready but the download ${d.state === 'expired' ? 'link expired' : 'failed'}: ${d.error ?? ''} Call download_video to retry.`;
  }
}

/** The tool result for one task: structured output, a readable line, and links to the task and the file. */
export function taskResult(task: TaskRecord, extra: ResultExtra = {}): CallToolResult {
  const text = summarize(task, extra);
  const content: CallToolResult['content'] = [{ type: 'text', text: extra.reusedCancelledCall ? `${REUSED_NOTE}\n${text}` : text }];
  const file = extra.copiedTo ?? (task.download.state === 'done' ? task.download.localPath : undefined);
  if (file) {
    content.push({
      type: 'resource_link',
      uri: pathToFileURL(file).href,
      name: file.split(/[\\/]/).pop() ?? 'video.mp4',
      mimeType: 'video/mp4',
      description: extra.copiedTo ? 'The copy of the video' : 'The downloaded video',
    });
  }
  content.push({ type: 'resource_link', uri: taskUri(task.id), name: `task ${task.id}`, mimeType: 'application/json' });
  return {
    content,
    structuredContent: toTaskOutput(task, extra),
    isError: task.status === 'failed' ? true : undefined,
  };
}

/** A tool error the model can act on: what happened, and what to change. */
export function errorResult(message: string): CallToolResult {
  // Every error a tool returns goes through the one scrubber: a message may quote a file, a relay answer, a URL.
  return { content: [{ type: 'text', text: scrubSecrets(message) }], isError: true };
}
