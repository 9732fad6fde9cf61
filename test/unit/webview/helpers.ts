import type { Strings, TaskSnapshot } from '../../../src/webview/protocol';

/** Labels as the extension would send them in English (placeholders kept). */
export const STRINGS: Strings = {
  videos: 'Sora videos',
  play: 'Play',
  openFile: 'Open File',
  copyUrl: 'Copy URL',
  download: 'Download',
  remix: 'Remix',
  retry: 'Retry',
  remove: 'Remove',
  reveal: 'Reveal in OS',
  setKey: 'Set API Key',
  generate: 'Generate Video…',
  gettingStarted: 'Open Getting Started',
  actionsFor: 'Actions for "{0}"',
  emptyTitle: 'Make your first AI video',
  stepKey: '1. Set your Juxin API key',
  stepKeyDone: '1. Juxin API key is set ✓',
  stepGenerate: '2. Make your first video',
  copilotHint: 'Or ask Copilot in agent mode.',
  statusQueued: 'Queued',
  statusQueuedAt: 'Queued · position {0}',
  statusGenerating: 'Generating · {0}%',
  statusDownloading: 'Downloading…',
  statusReady: 'Ready',
  statusNotSaved: 'Ready, but not saved',
  statusFailed: 'Failed',
  landscape: 'landscape',
  portrait: 'portrait',
  sizeSmall: 'small (~720p)',
  sizeLarge: 'large (~1080p)',
  seconds: '{0} seconds',
  private: 'private',
  public: 'public',
  watermark: 'watermark',
  images: '{0} image(s)',
  character: 'with a character',
  remixed: 'remix',
  fromCopilot: 'from Copilot',
  fromPalette: 'from the Command Palette',
  hintModeration: 'HINT-MODERATION',
  hintTimedOut: 'HINT-TIMED-OUT',
  hintFailed: 'HINT-FAILED',
  hintDownloadFailed: 'HINT-DOWNLOAD-FAILED',
  hintExpired: 'HINT-EXPIRED',
  notDownloaded: 'Not downloaded yet',
  noVideo: 'Not ready',
  mediaError: 'Could not play',
  player: 'Video player',
  aacNote: 'NO-AAC-HERE',
  playExternal: 'Play in System Player',
};

export function snapshot(patch: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return {
    id: 'sora-2:task_1',
    prompt: 'a paper boat on a rainy street',
    source: 'vscode',
    origin: { kind: 'palette', host: 'vscode' },
    createdAt: 1_700_000_000_000,
    params: { model: 'sora-2', orientation: 'landscape', size: 'small', duration: 10, private: true, watermark: false, images: 0, character: false },
    status: 'queued',
    progress: 0,
    download: { state: 'none' },
    hasVideoUrl: false,
    ...patch,
  };
}

/** A completed task whose download is in the given state. */
export function completed(download: TaskSnapshot['download']['state'], patch: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return snapshot({ status: 'completed', progress: 100, hasVideoUrl: true, download: { state: download }, ...patch });
}
