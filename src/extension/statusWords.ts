import { shapeLine, videoShape, type ShapeParams } from '../catalog';
import type { L10n } from './spendWords';

/** A running task as the status bar needs it (a TaskRecord fits). */
export interface RunningTask {
  status: string;
  progress: number;
  params: ShapeParams;
}

export interface StatusBarWords {
  text: string;
  tooltip: string;
}

/**
 * The status bar while videos generate: one video by its model, aspect ratio and length
 * ("$(loading~spin) Veo 3.1 Fast · 16:9 · 8 s · 42%"), several by their count and mean progress; the
 * tooltip lists each. Pure (this module never imports vscode): unit-tested in both languages.
 */
export function statusBarWords(running: readonly RunningTask[], l10n: L10n): StatusBarWords | undefined {
  if (!running.length) return undefined;
  const percent = (t: RunningTask) => (t.status === 'completed' ? 100 : Math.round(t.progress));
  const line = (t: RunningTask) => shapeLine(videoShape(t.params), (n) => l10n.t('{0} s', n));
  const avg = Math.round(running.reduce((a, t) => a + percent(t), 0) / running.length);
  const what = running.length === 1 ? line(running[0]) : l10n.t('{0} videos', running.length);
  return {
    text: `$(loading~spin) ${what} · ${avg}%`,
    tooltip: [l10n.t('{0} video(s) generating — click to show the videos', running.length), ...running.map((t) => `${line(t)} · ${percent(t)}%`)].join('\n'),
  };
}
