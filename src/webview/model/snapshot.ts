import { videoShape } from '../../catalog';
import { originOf } from '../../core/origin';
import type { TaskRecord } from '../../core/types';
import { NEXT_STEPS } from '../../juxin/errors';
import type { JuxinErrorKind } from '../../juxin/types';
import type { TaskSnapshot } from '../protocol';
import { isAllowedRemoteUrl } from './urls';

export interface SnapshotContext {
  /** The configured API base URL: http thumbnails are allowed from its origin only. */
  baseUrl: string;
  /** Say the next step of a tracking problem in Chinese. */
  chinese: boolean;
}

/**
 * A task reduced to what a page may see (the views, the preview, and the chat card the MCP server
 * serves). Leaves out the local path (the page gets a webview URI from
 * the preview instead), the video URL (copying it is a command), and any thumbnail URL the page must
 * not load. Pure (no Node, no VS Code): the extension and the MCP server both call it.
 */
export function toSnapshot(task: TaskRecord, ctx: SnapshotContext): TaskSnapshot {
  const p = task.params;
  const shape = videoShape(p);
  return {
    id: task.id,
    prompt: p.prompt,
    source: task.source,
    origin: originOf(task),
    createdAt: task.createdAt,
    params: {
      model: p.model,
      orientation: p.orientation,
      size: p.size,
      aspectRatio: shape.aspectRatio,
      resolution: shape.resolution,
      duration: p.duration,
      private: p.private,
      watermark: p.watermark,
      images: p.images.length,
      character: Boolean(p.characterUrl),
    },
    remixOf: task.remixOf,
    status: task.status,
    progress: task.status === 'completed' ? 100 : task.progress,
    queuePosition: task.queuePosition,
    failureReason: task.status === 'failed' ? task.failureReason : undefined,
    download: {
      state: task.download.state,
      error: task.download.error,
      fileName: task.download.localPath ? baseName(task.download.localPath) : undefined,
    },
    hasVideoUrl: Boolean(task.videoUrl),
    hasPreview: isAllowedRemoteUrl(task.gifUrl, ctx.baseUrl),
    thumbnail: isAllowedRemoteUrl(task.thumbnailUrl, ctx.baseUrl) ? task.thumbnailUrl : undefined,
    problem: task.lastError ? { kind: task.lastError.kind, message: task.lastError.message, nextStep: nextStep(task.lastError.kind, ctx.chinese) } : undefined,
  };
}

function nextStep(kind: string, chinese: boolean): string {
  const step = NEXT_STEPS[kind as JuxinErrorKind];
  return step ? (chinese ? step.zh : step.en) : '';
}

/** The file name of a Windows or POSIX path (the record may come from either). */
function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
