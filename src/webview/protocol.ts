/** Messages between the extension and its webviews. Types only: imported by both sides. */

export type TaskStatus = 'queued' | 'processing' | 'completed' | 'failed';

/** A task as a webview shows it: plain strings, already localized; never the API key. */
export interface TaskView {
  id: string;
  prompt: string;
  params: string;
  status: TaskStatus;
  statusText: string;
  progress: number;
  failureReason?: string;
  /** What to do about a failure, localized. */
  hint?: string;
  downloaded: boolean;
  hasUrl: boolean;
  canRemix: boolean;
  /** A thumbnail the webview may load (https, or the configured API origin), else undefined. */
  thumbnail?: string;
  created: string;
  source: string;
}

export type SidebarAction = 'play' | 'openFile' | 'copyUrl' | 'download' | 'remix' | 'retry' | 'remove';
export type SidebarCommand = 'setKey' | 'generate' | 'gettingStarted';

export type ToSidebar = { type: 'tasks'; tasks: TaskView[]; hasKey: boolean } | { type: 'task'; task: TaskView } | { type: 'removed'; id: string };

export type FromSidebar = { type: 'ready' } | { type: 'action'; action: SidebarAction; id: string } | { type: 'command'; command: SidebarCommand };

export type PreviewAction = 'openFile' | 'reveal' | 'copyUrl' | 'download';

export type ToPreview = { type: 'update'; task: TaskView; src?: string };

export type FromPreview = { type: 'ready' } | { type: 'action'; action: PreviewAction; id: string } | { type: 'mediaError'; id: string };

/** Localized labels handed to a webview in its `data-strings` attribute. */
export type Strings = Record<string, string>;
