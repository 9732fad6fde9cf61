import { stat } from 'node:fs/promises';
import type { MediaInfoCache } from '../../core/mediaInfo';
import type { TaskRecord } from '../../core/types';
import { toSnapshot } from '../../webview/model/snapshot';
import { isAllowedRemoteUrl } from '../../webview/model/urls';
import { VIDEO_URI_PREFIX, type CardAction, type CardMedia, type CardState } from '../../webview/card/protocol';

/**
 * What the host application can do for a card, beyond what the MCP server does itself. The VS Code
 * extension provides them (they run its commands); the standalone server has none, and its cards offer
 * only what works anywhere (playing, copying the URL, remixing).
 */
export interface CardHooks {
  /** Open the task's preview panel (or reveal it if open). */
  showVideo?(taskId: string): unknown;
  /** Show the saved file in the system's file manager. */
  reveal?(taskId: string): unknown;
  /** Put the video URL on the clipboard (and tell the user). */
  copyUrl?(taskId: string): unknown;
  /** Play the saved file in the system's player (desktop VS Code's webviews cannot play AAC sound). */
  playExternally?(taskId: string): unknown;
  /** Add the video to a storyboard. A seam for the storyboards' VS Code part: absent until it exists. */
  addToStoryboard?(taskId: string): unknown;
}

export const HOOK_OF_ACTION: Record<CardAction, keyof CardHooks> = {
  openPreview: 'showVideo',
  reveal: 'reveal',
  copyUrl: 'copyUrl',
  playExternal: 'playExternally',
  addToStoryboard: 'addToStoryboard',
};

/**
 * Videos up to this size reach the card as bytes (base64 through `resources/read`, then a `data:`
 * URI): about 21 MB of JSON. A 10 s sora-2 video is typically 2–6 MB; larger ones (long sora-2-pro
 * videos) show their poster and open in the preview panel.
 */
export const INLINE_VIDEO_LIMIT = 16 * 1024 * 1024;

export interface CardStateContext {
  baseUrl: string;
  chinese: boolean;
  hooks: CardHooks;
  media: MediaInfoCache;
  /** Injected so tests can pretend a file is huge. */
  fileSize?: (file: string) => Promise<number | undefined>;
}

export function videoUri(taskId: string): string {
  return VIDEO_URI_PREFIX + encodeURIComponent(taskId);
}

/** The card's view of one task: the page snapshot (no key, no path, no URL), how to play it, what it can do. */
export async function cardStateOf(task: TaskRecord, ctx: CardStateContext): Promise<CardState> {
  const file = task.download.state === 'done' ? task.download.localPath : undefined;
  const bytes = file ? await (ctx.fileSize ?? sizeOf)(file) : undefined;
  const saved = bytes !== undefined;
  const audio = saved ? (await ctx.media.get(file!)).audio : undefined;
  return {
    task: toSnapshot(task, { baseUrl: ctx.baseUrl, chinese: ctx.chinese }),
    media: chooseCardMedia(task, bytes, ctx.baseUrl),
    audio,
    actions: cardActions(task, saved, ctx.hooks),
    canRemix: task.status === 'completed' && !task.params.private,
  };
}

/** The saved file while it is on disk (inline up to the limit), else the video URL if the CSP allows it. */
export function chooseCardMedia(task: TaskRecord, savedBytes: number | undefined, baseUrl: string): CardMedia | undefined {
  if (savedBytes !== undefined) {
    return savedBytes <= INLINE_VIDEO_LIMIT ? { kind: 'inline', uri: videoUri(task.id), bytes: savedBytes } : { kind: 'tooLarge', bytes: savedBytes };
  }
  if (task.status === 'completed' && task.videoUrl && isAllowedRemoteUrl(task.videoUrl, baseUrl)) return { kind: 'remote', url: task.videoUrl };
  return undefined;
}

/** The actions that make sense for the task now and that this server can carry out. */
export function cardActions(task: TaskRecord, saved: boolean, hooks: CardHooks): CardAction[] {
  const completed = task.status === 'completed';
  const actions: CardAction[] = [];
  if (completed && (saved || task.videoUrl) && hooks.showVideo) actions.push('openPreview');
  if (saved && hooks.reveal) actions.push('reveal');
  // Without a hook the card copies the URL itself.
  if (task.videoUrl) actions.push('copyUrl');
  if (saved && hooks.playExternally) actions.push('playExternal');
  if (completed && hooks.addToStoryboard) actions.push('addToStoryboard');
  return actions;
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    const s = await stat(file);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}
