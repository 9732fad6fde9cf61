import type { ClipStatus } from '../../storyboard/status';
import { fill } from './format';

/**
 * The words of a clip's status, in the UI language (the extension fills them with vscode.l10n; `{0}`
 * is a placeholder). The CodeLens and the storyboard view both word a clip with `clipStatusText`.
 */
export interface ClipStatusWords {
  invalid: string;
  missing: string;
  outdated: string;
  queued: string;
  /** "queued, position {0}" */
  queuedAt: string;
  /** "generating {0}%" */
  generating: string;
  downloading: string;
  ready: string;
  /** "ready, but not saved: {0}" */
  notSaved: string;
  /** "failed: {0}" */
  failed: string;
  noReason: string;
}

export function clipStatusText(status: ClipStatus, w: ClipStatusWords): string {
  switch (status.kind) {
    case 'invalid':
    case 'missing':
    case 'outdated':
    case 'downloading':
    case 'ready':
      return w[status.kind];
    case 'queued':
      return status.position ? fill(w.queuedAt, status.position) : w.queued;
    case 'generating':
      return fill(w.generating, status.progress);
    case 'notSaved':
    case 'failed':
      return fill(w[status.kind], status.reason || w.noReason);
  }
}

/** How a status reads at a glance; the page maps it to a theme colour. */
export function clipTone(status: ClipStatus): 'idle' | 'running' | 'ready' | 'warning' | 'error' {
  switch (status.kind) {
    case 'queued':
    case 'generating':
    case 'downloading':
      return 'running';
    case 'ready':
      return 'ready';
    case 'outdated':
    case 'notSaved':
      return 'warning';
    case 'failed':
    case 'invalid':
      return 'error';
    case 'missing':
      return 'idle';
  }
}
