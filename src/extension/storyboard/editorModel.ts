import type { CharacterRecord } from '../../core/characters';
import { clipStatus, isClipBusy, isDraftPrompt, type ClipPlan, type ClipStatusKind, type StoryboardProblem, type StoryboardState } from '../../storyboard';
import { clipStatusText, type ClipStatusWords } from '../../webview/model/clipStatus';
import { clipActions } from '../../webview/model/filmstrip';
import { fill } from '../../webview/model/format';
import { Commands } from '../commands/ids';
import { clipRef } from './refs';

// What the editor features show in a storyboard (CodeLens, `@` completion, diagnostics), decided
// without VS Code so it is tested without an editor.

/** One CodeLens as data (title and command), so the mapping is tested without an editor. */
export interface LensSpec {
  line: number;
  title: string;
  command: string;
  args?: unknown[];
  tooltip?: string;
}

const ICONS: Record<ClipStatusKind, string> = {
  queued: '$(clock)',
  generating: '$(sync~spin)',
  downloading: '$(cloud-download)',
  ready: '$(pass)',
  outdated: '$(history)',
  missing: '$(circle-outline)',
  failed: '$(error)',
  notSaved: '$(warning)',
  invalid: '$(error)',
};

export interface LensWords {
  status: ClipStatusWords;
  generateAll: string;
  assemble: string;
  openView: string;
  writeShots: string;
  play: string;
  generate: string;
  regenerate: string;
  retry: string;
  download: string;
  summary: string;
}

/** The lenses of a storyboard: at the top Generate all / Assemble / the view; on each clip its status and what it offers. */
export function storyboardLenses(state: StoryboardState, uri: unknown, words: LensWords): LensSpec[] {
  const { plan } = state;
  const top = 0;
  const lenses: LensSpec[] = [];
  lenses.push({
    line: top,
    title: `$(layout) ${fill(words.summary, plan.counts.ready, plan.clips.length)}`,
    command: Commands.openStoryboardView,
    args: [uri],
    tooltip: words.openView,
  });
  if (plan.toGenerate.length)
    lenses.push({ line: top, title: `$(play-circle) ${fill(words.generateAll, plan.toGenerate.length)}`, command: Commands.generateStoryboard, args: [uri] });
  if (plan.ready.length) lenses.push({ line: top, title: `$(device-camera-video) ${words.assemble}`, command: Commands.assembleStoryboard, args: [uri] });
  if (state.parsed.storyboard.clips.some((c) => isDraftPrompt(c)))
    lenses.push({ line: top, title: `$(sparkle) ${words.writeShots}`, command: Commands.writeShotPrompts, args: [uri] });
  for (const clip of plan.clips) lenses.push(...clipLenses(clip, uri, words));
  return lenses;
}

function clipLenses(plan: ClipPlan, uri: unknown, words: LensWords): LensSpec[] {
  const status = clipStatus(plan);
  const line = plan.clip.lines.heading;
  const ref = clipRef(plan);
  const text = clipStatusText(status, words.status);
  const lenses: LensSpec[] = [{ line, title: `${ICONS[status.kind]} ${text}`, command: Commands.openStoryboardView, args: [uri], tooltip: text }];
  for (const action of clipActions(status, Boolean(plan.video))) {
    if (action === 'play') lenses.push({ line, title: `$(play) ${words.play}`, command: Commands.playClip, args: [uri, ref] });
    else if (action === 'generate') lenses.push({ line, title: `$(sparkle) ${words.generate}`, command: Commands.generateClip, args: [uri, ref] });
    else if (action === 'retry') lenses.push({ line, title: `$(refresh) ${words.retry}`, command: Commands.generateClip, args: [uri, ref] });
    else if (action === 'regenerate')
      lenses.push({ line, title: `$(refresh) ${words.regenerate}`, command: Commands.generateClip, args: [uri, ref, { regenerate: true }] });
    else if (action === 'download' && plan.failed)
      lenses.push({ line, title: `$(cloud-download) ${words.download}`, command: Commands.downloadVideo, args: [plan.failed.taskId] });
  }
  // While a clip runs, its progress is the news: no buttons that would start it twice.
  return isClipBusy(status) ? lenses.slice(0, 1) : lenses;
}

/** What `@` offers: the cast by name, then the characters of the history by username. */
export interface CastSuggestion {
  /** Inserted after the `@`. */
  insert: string;
  label: string;
  detail: string;
  kind: 'cast' | 'character';
}

export function castSuggestions(
  cast: readonly { name: string; username: string }[],
  characters: readonly Pick<CharacterRecord, 'username'>[],
  inFrontMatter: boolean,
  words: { cast: string; character: string },
): CastSuggestion[] {
  const out: CastSuggestion[] = [];
  // In the settings, `@` starts a username (the cast's values); in a prompt, a cast name.
  if (!inFrontMatter) for (const c of cast) out.push({ insert: c.name, label: `@${c.name}`, detail: `${c.username} · ${words.cast}`, kind: 'cast' });
  const known = new Set(cast.map((c) => c.username.replace(/^@/, '')));
  for (const ch of characters) {
    if (!inFrontMatter && known.has(ch.username)) continue;
    out.push({ insert: ch.username, label: `@${ch.username}`, detail: words.character, kind: 'character' });
  }
  return out;
}

/** The problem's words without the "Line 12:" the Problems panel shows by itself. */
export function problemMessage(problem: StoryboardProblem, chinese: boolean): string {
  return chinese ? problem.messageZh.replace(/^第 \d+ 行：/, '') : problem.message.replace(/^Line \d+: /, '');
}
