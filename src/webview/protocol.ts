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
import type { TaskPhase } from '../core/phase';
import type { SourceKind, TaskCounts } from '../core/query';
import type { SpendLedger } from '../core/spend';

export type { TaskPhase, SourceKind, TaskCounts, SpendLedger };

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
    /** "16:9", "9:16", "3:2"…; derived from `orientation` for records from the Sora days (catalog's `videoShape`). */
    aspectRatio: string;
    /** "720p", "1080p" or "4k"; derived from `size` for records from the Sora days. */
    resolution: string;
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
  /** The relay gave an animated preview the page may load (the URL itself comes only on hover). */
  hasPreview?: boolean;
  /** https, or the configured API origin; otherwise absent and the page shows a placeholder. */
  thumbnail?: string;
  /** A passing problem while tracking (rate limit, network, missing key) and what to do about it. */
  problem?: { kind: string; message: string; nextStep: string };
}

/** What a task item offers; the extension maps each to one of the extension's commands. */
export type TaskAction = 'play' | 'openFile' | 'reveal' | 'copyUrl' | 'download' | 'remix' | 'retry' | 'remove';
/** Task-independent buttons (empty state, "set your key" on a paused task, the ledger's settings button). */
export type SidebarCommand = 'setKey' | 'generate' | 'gettingStarted' | 'spendSettings';
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
  seconds: string;
  private: string;
  public: string;
  watermark: string;
  images: string;
  character: string;
  remixed: string;
  /** Short source labels on cards and in the source filter. */
  sourcePalette: string;
  sourceCopilot: string;
  sourceAgent: string;
  sourceStoryboard: string;
  sourceCli: string;
  search: string;
  searchPlaceholder: string;
  filterStatus: string;
  filterSource: string;
  allStatuses: string;
  allSources: string;
  running: string;
  /** "{0} ({1})": a filter option and its count. */
  withCount: string;
  showList: string;
  showGrid: string;
  today: string;
  yesterday: string;
  /** "{0} videos" */
  resultCount: string;
  /** "{0} of {1} videos" */
  resultCountFiltered: string;
  noMatches: string;
  clearFilters: string;
  moreActions: string;
  loading: string;
  /** "Video {0} of {1}" (a card's position, for screen readers). */
  position: string;
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
  /** The ledger in the header: "Today: {0}", "This month: {0}". */
  spendRegion: string;
  spendToday: string;
  spendMonth: string;
  /** "{0}/{1} videos" (with a daily limit), "{0} video(s)" (without). */
  spendVideosOf: string;
  spendVideos: string;
  spendSecondsOf: string;
  spendSeconds: string;
  /** "≈ ¥{0}" */
  spendYuan: string;
  /** "Failed: {0} today, {1} this month (may or may not have been billed)" */
  spendFailed: string;
  spendNear: string;
  spendOver: string;
  spendSettings: string;
}

/** The pages' `data-settings`: what they need to double-check URLs the extension already checked. */
export interface PageSettings {
  apiBaseUrl: string;
  /**
   * The Videos view only: a random token its cards put in their context menu's context, so a menu command
   * knows it was run from our own view, not called by another extension with a look-alike argument.
   */
  menuToken?: string;
}

/** The Videos view's `data-state`: bounded, whatever the size of the history (the tasks come by message). */
export interface SidebarInit {
  hasKey: boolean;
  counts: TaskCounts;
  /** Today's and this month's spend, and the limits (the header). */
  spend: SpendLedger;
  /**
   * The first page of the query the view showed last, so it paints without waiting for the extension
   * (at most one page, whatever the size of the history). The page shows it only if it is still its
   * query, and replaces it with the answer to its own query.
   */
  first?: { query: ViewQuery; timeZone: string; shape: ResultsShape; tasks: TaskSnapshot[] };
  /**
   * The history is still being read (the view opened right after VS Code started): the counts say
   * nothing yet, so the page shows no "no videos yet" until its first `state`.
   */
  loading?: true;
}

/** What the Videos view shows: search words and filters (empty lists: everything). */
export interface ViewQuery {
  text: string;
  phases: TaskPhase[];
  sources: SourceKind[];
}

/**
 * The list the current query found, without its tasks: the page sizes its scroll area from it and
 * asks for the pages it shows. `version` changes whenever the list changes (a task added, removed,
 * or no longer matching); a page of an older version is stale.
 */
export interface ResultsShape {
  version: number;
  total: number;
  /** Calendar days, newest first, flat: [day, count, day, count, …]; a day is a day number of the page's own time zone. */
  days: number[];
  /** Today's day number in the page's time zone. */
  today: number;
}

/** Most tasks one message carries (a page of the list). */
export const MAX_PAGE = 200;

/**
 * The extension never sends the whole history: the page asks for the pages it shows, and the
 * extension pushes small changes. `seq` is the number the page gave its current query; messages
 * about another query are ignored.
 */
export type ToSidebar =
  /** The key and the counts of every phase and source (the filters show them), whenever one changes. */
  | { type: 'state'; hasKey: boolean; counts: TaskCounts }
  /** The answer to a query: its shape and the page that was asked for. */
  | { type: 'results'; seq: number; shape: ResultsShape; offset: number; tasks: TaskSnapshot[] }
  | { type: 'page'; seq: number; version: number; offset: number; tasks: TaskSnapshot[] }
  /** A task of the list changed in place (progress, status): one small message. */
  | { type: 'task'; task: TaskSnapshot }
  /** A task joined the list at `index` (new, or it matches the filters now). */
  | { type: 'inserted'; seq: number; shape: ResultsShape; index: number; task: TaskSnapshot }
  /** A task left the list (removed from the history, or no longer matches the filters). */
  | { type: 'removed'; seq: number; shape: ResultsShape; index: number; id: string }
  /**
   * What to play while the pointer rests on a card: the downloaded file (a webview URI, muted), or the
   * relay's animated preview (an allowed https or API-origin GIF) before the video is saved.
   */
  | { type: 'media'; id: string; src: string; kind: 'video' | 'image' }
  /** The ledger changed (a task started or failed, a limit or a price changed, a new day). */
  | { type: 'spend'; spend: SpendLedger };

export type FromSidebar =
  | { type: 'ready' }
  | { type: 'query'; seq: number; query: ViewQuery; timeZone: string; offset: number; limit: number }
  | { type: 'page'; seq: number; offset: number; limit: number }
  | { type: 'action'; action: TaskAction; id: string }
  | { type: 'command'; command: SidebarCommand }
  | { type: 'hover'; id: string };

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
