import path from 'node:path';
import * as vscode from 'vscode';
import {
  AssembleError,
  assembleStoryboard,
  batchesOf,
  clipLabel,
  clipProgressValue,
  clipStatus,
  generateStoryboard,
  ImagesNotAllowedError,
  isClipBusy,
  type ClipBatch,
  type ClipPlan,
  type StoryboardGeneration,
  type StoryboardState,
} from '../../storyboard';
import type { Confirm } from '../../mcp/context';
import type { OwnFiles } from '../../util/safeWrite';
import { clipStatusText } from '../../webview/model/clipStatus';
import { describeError } from '../messages';
import type { Services } from '../services';
import { askingApproval } from '../spendPrompt';
import { SECTION } from '../settings';
import { workspaceRoots, type StoryboardDocuments } from './documents';
import type { StoryboardPanels } from './panel';
import { findClip } from './refs';
import { prepareForGeneration } from './target';
import { clipStatusWords, inUiLanguage } from './words';

export interface StoryboardFeatures {
  services: Services;
  documents: StoryboardDocuments;
  panels: StoryboardPanels;
  /** The window's questions (mcpConfirm.ts): a clip's images from outside the workspace are asked about, as for Copilot's calls. */
  confirm: Confirm;
  /** The films this program wrote: only those are replaced when a film is assembled again. */
  ownFiles: OwnFiles;
}

/** "Generate all" and the one-clip buttons never start more than this many clips at once. */
export function maxConcurrentClips(): number {
  const value = vscode.workspace.getConfiguration(SECTION).get<number>('storyboard.maxConcurrentClips', 3);
  return Math.min(10, Math.max(1, Math.floor(Number(value) || 3)));
}

async function hasKey(services: Services): Promise<boolean> {
  if (await services.keys.get()) return true;
  const set = vscode.l10n.t('Set API Key');
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Set your Juxin API key first.'), set);
  return choice === set && (await services.keys.prompt()) !== undefined;
}

/** Batches this window already shows a notification for (a second "Generate all" joins the first). */
const followed = new WeakSet<ClipBatch>();

/**
 * Generates the storyboard's missing and out-of-date clips, or the clips named (`regenerate`: even
 * if ready), at most `maxConcurrentClips` at once, and follows them in one notification. Returns the
 * ids of the clips started.
 */
export async function generateClips(
  features: StoryboardFeatures,
  uri: vscode.Uri,
  options: { clipRefs?: string[]; regenerate?: boolean } = {},
): Promise<string[]> {
  const { services, documents } = features;
  if (!(await hasKey(services))) return [];
  const before = documents.stateOf(await documents.document(uri));
  // A clip without an id is named by its place; it gets its id now, before its first video.
  const ids = options.clipRefs?.map((ref) => findClip(before.plan.clips, ref)?.index);
  const doc = await prepareForGeneration(documents, uri);
  const state = documents.stateOf(doc);
  const clipIds = ids?.map((index) => (index === undefined ? '' : (state.plan.clips[index]?.clip.id ?? ''))).filter(Boolean);
  if (options.clipRefs && !clipIds?.length) return [];
  const engine = services.host.engine;
  // Past a daily limit the whole batch is asked about once ("These 8 videos would bring today to 25…");
  // a "no" starts nothing and needs no error: the user just chose.
  const approval = askingApproval();
  let generation: StoryboardGeneration;
  try {
    generation = await generateStoryboard({
      engine,
      batches: batchesOf(engine),
      file: uri.fsPath,
      text: doc.getText(),
      roots: workspaceRoots(),
      clipIds,
      regenerate: options.regenerate,
      origin: { kind: 'storyboard', storyboard: state.key, host: 'vscode' },
      maxInFlight: maxConcurrentClips(),
      approveSpend: approval.approveSpend,
      allowImageFolder: (folder) => features.confirm({ kind: 'readImages', folder, storyboard: path.basename(uri.fsPath) }),
    });
  } catch (error) {
    // A "no" (to the spend or to a folder of images) starts nothing and needs no error: the user just chose.
    if (!approval.answeredNo(error) && !(error instanceof ImagesNotAllowedError)) void vscode.window.showErrorMessage(describeError(error));
    return [];
  }
  const started = generation.targets.map((c) => c.clip.id!);
  if (!generation.batch) {
    explainNothingStarted(
      generation.state,
      generation.skipped.map((s) => s.plan),
    );
    return [];
  }
  if (!followed.has(generation.batch)) {
    followed.add(generation.batch);
    void follow(features, uri, generation.batch);
  }
  return started;
}

function explainNothingStarted(state: StoryboardState, skipped: ClipPlan[]): void {
  if (!state.plan.clips.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This storyboard has no clips yet: start each clip with a "## " heading.'));
    return;
  }
  const invalid = skipped.filter((c) => c.state === 'invalid');
  if (invalid.length) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Fix the errors in the file first (see the Problems panel): {0}', invalid.map((c) => clipLabel(c)).join(', ')),
    );
    return;
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to generate: every clip is ready or generating. Use Regenerate on a clip for a new take.'));
}

/** "2/5 ready · clip 3 generating 42%" in the UI language. */
function progressMessage(clips: readonly ClipPlan[]): string {
  const words = clipStatusWords();
  const ready = clips.filter((c) => c.state === 'ready').length;
  const busy = clips
    .map((c) => ({ c, status: clipStatus(c) }))
    .filter((x) => isClipBusy(x.status))
    .map((x) => vscode.l10n.t('clip {0} {1}', x.c.index + 1, clipStatusText(x.status, words)));
  return [vscode.l10n.t('{0}/{1} ready', ready, clips.length), ...busy].join(' · ');
}

/** One cancellable notification for a batch: progress across its clips, then what became of each. */
async function follow(features: StoryboardFeatures, uri: vscode.Uri, batch: ClipBatch): Promise<void> {
  const { documents } = features;
  const inBatch = (state: StoryboardState) => state.plan.clips.filter((c) => batch.runs.some((r) => r.job.clipId === c.clip.id));
  const current = async () => documents.stateOf(await documents.document(uri));
  const title = path.basename(uri.fsPath).replace(/\.storyboard\.md$/i, '');
  const cancelled = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Storyboard {0}', title), cancellable: true },
    async (progress, token) => {
      let shown = 0;
      const report = async () => {
        const clips = inBatch(await current());
        const value = clips.reduce((t, c) => t + clipProgressValue(clipStatus(c)), 0) / Math.max(1, batch.runs.length);
        progress.report({ message: progressMessage(clips), increment: Math.max(0, value - shown) });
        shown = Math.max(shown, value);
      };
      const offDocs = documents.onDidChange((changed) => changed.toString() === uri.toString() && void report());
      const offBatch = batch.onDidChange(() => void report());
      token.onCancellationRequested(() => batch.cancel());
      await report();
      try {
        await batch.done;
      } finally {
        offDocs.dispose();
        offBatch();
      }
      return token.isCancellationRequested;
    },
  );
  if (cancelled) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No more clips will be started. Clips already generating go on and appear in the storyboard.'));
    return;
  }
  await summarize(features, uri, batch, inBatch(await current()));
}

/** What became of the batch: ready to assemble, or which clips failed and why. */
async function summarize(features: StoryboardFeatures, uri: vscode.Uri, batch: ClipBatch, clips: ClipPlan[]): Promise<void> {
  const words = clipStatusWords();
  const errors = batch.runs.filter((r) => r.state === 'error').map((r) => `${r.job.label}: ${describeError(r.error)}`);
  const failed = clips.filter((c) => c.state === 'failed').map((c) => `${clipLabel(c)}: ${clipStatusText(clipStatus(c), words)}`);
  const state = features.documents.stateOf(await features.documents.document(uri));
  const open = vscode.l10n.t('Open Storyboard View');
  if (errors.length || failed.length) {
    const choice = await vscode.window.showErrorMessage(
      vscode.l10n.t('Some clips did not make it: {0}. Change their prompts if needed, then Retry them in the storyboard.', [...errors, ...failed].join('; ')),
      open,
    );
    if (choice === open) features.panels.open(uri);
    return;
  }
  const assemble = vscode.l10n.t('Assemble Film');
  const allReady = state.plan.clips.every((c) => c.state === 'ready');
  const choice = await vscode.window.showInformationMessage(
    allReady
      ? vscode.l10n.t('Every clip of the storyboard is ready ({0}). Join them into the film?', state.plan.clips.length)
      : vscode.l10n.t('{0} of {1} clips are ready.', state.plan.ready.length, state.plan.clips.length),
    ...(allReady ? [assemble, open] : [open]),
  );
  if (choice === assemble) await vscode.commands.executeCommand('juxinSora.storyboard.assemble', uri);
  else if (choice === open) features.panels.open(uri);
}

/**
 * Joins the ready clips into the film beside the storyboard and plays it in the storyboard view.
 * Clips that are not ready are named first (`confirm: false` skips the question). Returns the film.
 */
export async function assembleFilm(features: StoryboardFeatures, uri: vscode.Uri, options: { confirm?: boolean } = {}): Promise<string | undefined> {
  const { documents } = features;
  const state = documents.stateOf(await documents.document(uri));
  const { plan } = state;
  const skipped = plan.clips.filter((c) => c.state !== 'ready');
  if (plan.ready.length && skipped.length && options.confirm !== false) {
    const join = vscode.l10n.t('Join the Ready Clips');
    const words = clipStatusWords();
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} clip(s) are not ready and will be left out: {1}. Join the {2} ready clip(s) anyway?',
        skipped.length,
        skipped.map((c) => `${clipLabel(c)} (${clipStatusText(clipStatus(c), words)})`).join(', '),
        plan.ready.length,
      ),
      { modal: true },
      join,
    );
    if (choice !== join) return undefined;
  }
  let film;
  try {
    film = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Joining {0} clips into the film…', plan.ready.length), cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let shown = 0;
        return assembleStoryboard({
          file: uri.fsPath,
          plan,
          ownFiles: features.ownFiles,
          signal: abort.signal,
          onProgress: (f) => {
            progress.report({ increment: f * 100 - shown });
            shown = f * 100;
          },
        });
      },
    );
  } catch (error) {
    if (error instanceof AssembleError) void vscode.window.showErrorMessage(inUiLanguage(error));
    else if (!(error instanceof Error && error.name === 'AbortError')) void vscode.window.showErrorMessage(describeError(error));
    return undefined;
  }
  const view = features.panels.open(uri, true);
  await view.update();
  view.play('film');
  const reveal = vscode.l10n.t('Reveal in OS');
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t(
        'The film is ready: {0} ({1} s, {2} clips{3}).',
        path.basename(film.output),
        Math.round(film.duration * 10) / 10,
        film.used.length,
        film.method === 'ffmpeg' ? vscode.l10n.t(', re-encoded with ffmpeg because the clips differ') : '',
      ),
      reveal,
    )
    .then((choice) => choice === reveal && vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(film.output)));
  return film.output;
}
