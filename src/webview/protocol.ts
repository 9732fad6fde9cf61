/**
 * Messages between the extension and its two webviews (the "Videos" view and the preview panel).
 * Types only: imported by both sides. Every message a webview sends is untrusted and validated by the
 * extension (src/extension/views/messages.ts) before use.
 */

export type { TaskStatus } from '../juxin/types';
export type { DownloadState } from '../core/phase';
import type { TaskStatus } from '../juxin/types';
import type { DownloadState } from '../core/phase';
import type { TaskOrigin } from '../core/origin';

/**
 * A task as a webview may see it: never the API key, never a local path, and the only URL in it (the
 * thumbnail) already checked against the allowed origins. Text is raw: the page renders it as text.
 */
export interface TaskSnapshot {
  id: string;
  prompt: string;
  /** Who started it: 'mcp' (Copilot), 'vscode' (the palette), or free text. */
  source: string;
  /** Who started it: the palette, an MCP client by its own name, a storyboard. */
  origin: TaskOrigin;
  createdAt: number;
  params: {
    model: string;
    orientation: 'landscape' | 'portrait';
    size: 'small' | 'large';
    duration: number;
    private: boolean;
    watermark: boolean;
    /** How many reference images (image-to-video). */
    images: number;
    /** Features a character (cameo). */
    character: boolean;
  };
  /** The task this one remixes. */
  remixOf?: string;
  status: TaskStatus;
  /** 0..100 */
  progress: number;
  queuePosition?: number;
  failureReason?: string;
  download: { state: DownloadState; error?: string; fileName?: string };
  hasVideoUrl: boolean;
  /** https, or the configured API origin; otherwise absent and the page shows a placeholder. */
  thumbnail?: string;
  /** A passing problem while tracking (rate limit, network, missing key) and what to do about it. */
  problem?: { kind: string; message: string; nextStep: string };
}

/** What a task item offers; the extension maps each to one of the extension's commands. */
export type TaskAction = 'play' | 'openFile' | 'copyUrl' | 'download' | 'remix' | 'retry' | 'remove';
/** Task-independent buttons (empty state, "set your key" on a paused task). */
export type SidebarCommand = 'setKey' | 'generate' | 'gettingStarted';
export type PreviewAction = 'openFile' | 'reveal' | 'copyUrl' | 'download' | 'playExternal';

/** Localized labels, handed to a page in its `data-strings` attribute (webviews can't call vscode.l10n). `{0}` is a placeholder. */
export interface Strings {
  videos: string;
  play: string;
  openFile: string;
  copyUrl: string;
  download: string;
  remix: string;
  retry: string;
  remove: string;
  reveal: string;
  setKey: string;
  generate: string;
  gettingStarted: string;
  /** "Actions for {0}" (the group of buttons of one task). */
  actionsFor: string;
  emptyTitle: string;
  stepKey: string;
  stepKeyDone: string;
  stepGenerate: string;
  copilotHint: string;
  statusQueued: string;
  statusQueuedAt: string;
  statusGenerating: string;
  statusDownloading: string;
  statusReady: string;
  statusNotSaved: string;
  statusFailed: string;
  landscape: string;
  portrait: string;
  sizeSmall: string;
  sizeLarge: string;
  seconds: string;
  private: string;
  public: string;
  watermark: string;
  images: string;
  character: string;
  remixed: string;
  fromCopilot: string;
  fromPalette: string;
  hintModeration: string;
  hintTimedOut: string;
  hintFailed: string;
  hintDownloadFailed: string;
  hintExpired: string;
  notDownloaded: string;
  noVideo: string;
  mediaError: string;
  player: string;
  /** The video has AAC sound this window cannot play (desktop VS Code, microsoft/vscode#167685). */
  aacNote: string;
  playExternal: string;
}

/** The pages' `data-settings`: what they need to double-check URLs the extension already checked. */
export interface PageSettings {
  apiBaseUrl: string;
}

export interface SidebarState {
  tasks: TaskSnapshot[];
  hasKey: boolean;
}

/** The sidebar page's `data-state` (first paint) and every later full snapshot. */
export type ToSidebar =
  | ({ type: 'tasks' } & SidebarState)
  /** One task changed or was added: sent on every engine change. */
  | { type: 'task'; task: TaskSnapshot }
  | { type: 'removed'; id: string };

export type FromSidebar = { type: 'ready' } | { type: 'action'; action: TaskAction; id: string } | { type: 'command'; command: SidebarCommand };

/** Where the preview plays from: a webview URI of the downloaded file, or an allowed remote URL. */
export interface PreviewMedia {
  src: string;
  local: boolean;
}

/** The preview page's `data-state`. */
export interface PreviewState {
  task: TaskSnapshot;
  media?: PreviewMedia;
  /** The saved file's sound track, so the page can say when this window cannot play it. */
  audio?: { codec: string; codecString?: string };
  /** The window can hand the file to the system's player (a local desktop window). */
  systemPlayer?: boolean;
}

/** A new media source re-renders the page (new CSP and resource roots); everything else is a message. */
export type ToPreview = { type: 'task'; task: TaskSnapshot };

export type FromPreview = { type: 'ready' } | { type: 'action'; action: PreviewAction; id: string } | { type: 'mediaError'; id: string };

/** What the preview persists with `setState` so its serializer can bring it back after a reload. */
export interface PersistedPreview {
  taskId: string;
}
