import path from 'node:path';
import * as vscode from 'vscode';
import { modelName, sameModel } from '../../catalog';
import type { TaskRecord } from '../../core/types';
import {
  appendClipEdits,
  clipFingerprint,
  formatStoryboard,
  storyboardDefaultsOf,
  storyboardFileName,
  storyboardState,
  takenClipIds,
  writeNewFile,
  type ClipDraft,
  type StoryboardDefaults,
} from '../../storyboard';
import { isChinese } from '../messages';
import { workspaceRoots, type StoryboardDocuments } from './documents';
import { applyLineEdits } from './target';

/** A clip's title from a prompt: its first words, short enough for a heading and the filmstrip. */
export function titleFromPrompt(prompt: string): string {
  const first = prompt.replace(/\s+/g, ' ').trim();
  const words = [...first];
  const short = words.length > 32 ? `${words.slice(0, 31).join('').trimEnd()}…` : first;
  return short.replace(/\{#/g, '{ #') || 'Clip';
}

/** The clip a finished video becomes: its prompt as it was sent, its duration when it is not the storyboard's. */
function clipFor(task: TaskRecord, defaults: Pick<StoryboardDefaults, 'duration'>): ClipDraft {
  return {
    title: titleFromPrompt(task.params.prompt),
    prompt: task.params.prompt,
    duration: task.params.duration === defaults.duration ? undefined : task.params.duration,
    images: [],
    subtitles: [],
  };
}

/** "landscape, small" in the UI language: what must match for the clips to join into one film. */
function shapeWords(p: { orientation: string; size: string }): string {
  const orientation = p.orientation === 'portrait' ? vscode.l10n.t('portrait') : vscode.l10n.t('landscape');
  const size = p.size === 'large' ? vscode.l10n.t('large (~1080p)') : vscode.l10n.t('small (~720p)');
  return `${orientation}, ${size}`;
}

interface Choice extends vscode.QuickPickItem {
  /** A storyboard of the workspace, or a new one. */
  target: vscode.Uri | 'new';
}

/**
 * "Add to Storyboard" (the chat card's button, the Videos view's menu): a finished video becomes a new
 * clip at the end of a storyboard the person picks (or of a new one made from the video's settings),
 * ready at once: the clip's prompt is the video's, and the history links the video to the clip, so
 * Assemble puts it in the film and editing the prompt later marks it out of date like any clip.
 * Returns the storyboard and the clip's id.
 */
export async function addVideoToStoryboard(
  documents: StoryboardDocuments,
  engine: {
    get(id: string): TaskRecord | undefined;
    linkToStoryboard(id: string, link: { file: string; clipId: string; fingerprint: string }): Promise<TaskRecord>;
  },
  taskId: unknown,
  target?: unknown,
): Promise<{ file: string; clipId: string } | undefined> {
  const task = typeof taskId === 'string' ? engine.get(taskId) : undefined;
  if (!task) {
    void vscode.window.showErrorMessage(vscode.l10n.t('This video is not in the history any more.'));
    return undefined;
  }
  if (task.status !== 'completed') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Only a finished video can be added to a storyboard.'));
    return undefined;
  }
  if (task.storyboard) {
    const open = vscode.l10n.t('Open Storyboard');
    const file = path.isAbsolute(task.storyboard.file) ? task.storyboard.file : path.join(workspaceRoots()[0] ?? '', task.storyboard.file);
    void vscode.window
      .showInformationMessage(vscode.l10n.t('This video is already clip {0} of {1}.', task.storyboard.clipId, path.basename(task.storyboard.file)), open)
      .then((choice) => (choice === open ? vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false }) : undefined));
    return undefined;
  }
  const uri = target instanceof vscode.Uri ? target : typeof target === 'string' && path.isAbsolute(target) ? vscode.Uri.file(target) : await pickStoryboard();
  if (!uri) return undefined;
  if (uri === 'new') return addToNewStoryboard(engine, task);

  const doc = await documents.document(uri);
  const state = documents.stateOf(doc);
  const { defaults } = state.parsed.storyboard;
  // Every clip of a storyboard is of its model: a video of another one could never be that clip (never ready).
  if (!sameModel(defaults.model, task.params.model)) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'This video was made with {0}; the clips of {1} are made with {2}. Pick a storyboard of the same model, or make a new one with this video.',
        modelName(task.params.model),
        path.basename(uri.fsPath),
        modelName(defaults.model),
      ),
    );
    return undefined;
  }
  if (defaults.orientation !== task.params.orientation || defaults.size !== task.params.size) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'This video is {0}; the clips of {1} are {2}. Videos of different shapes cannot be joined into one film: pick a storyboard of the same shape, or make a new one with this video.',
        shapeWords(task.params),
        path.basename(uri.fsPath),
        shapeWords(defaults),
      ),
    );
    return undefined;
  }
  const { edits, id } = appendClipEdits(doc.getText(), clipFor(task, defaults), { language: isChinese() ? 'zh' : 'en', taken: takenClipIds(state.records) });
  if (!(await applyLineEdits(doc, edits))) throw new Error(vscode.l10n.t('{0} could not be changed: is the file read-only?', path.basename(uri.fsPath)));
  await doc.save();
  const after = documents.stateOf(doc);
  const clip = after.plan.clips.find((c) => c.clip.id === id);
  await engine.linkToStoryboard(task.id, { file: after.key, clipId: id, fingerprint: clip?.fingerprint ?? clipFingerprintOf(task) });
  await reveal(uri, clip?.clip.lines.heading);
  void vscode.window.showInformationMessage(vscode.l10n.t('Added as clip {0} of {1}.', id, path.basename(uri.fsPath)));
  return { file: uri.fsPath, clipId: id };
}

function clipFingerprintOf(task: TaskRecord): string {
  const { prompt, model, orientation, size, duration } = task.params;
  return clipFingerprint({ prompt, model, orientation, size, duration, images: [] });
}

async function pickStoryboard(): Promise<vscode.Uri | 'new' | undefined> {
  const found = await vscode.workspace.findFiles('**/*.storyboard.md', '**/node_modules/**', 200);
  const items: Choice[] = [
    { label: `$(add) ${vscode.l10n.t('New Storyboard with This Video')}`, target: 'new' },
    ...found.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), target: uri })),
  ];
  const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Add the video to which storyboard?') });
  return picked?.target;
}

async function addToNewStoryboard(engine: Parameters<typeof addVideoToStoryboard>[1], task: TaskRecord): Promise<{ file: string; clipId: string } | undefined> {
  const title = await vscode.window.showInputBox({
    title: vscode.l10n.t('New storyboard'),
    prompt: vscode.l10n.t("The film's title (also the file name)"),
    value: titleFromPrompt(task.params.prompt).replace(/…$/, ''),
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Give the film a title.')),
  });
  if (!title?.trim()) return undefined;
  let folder: string | undefined = workspaceRoots()[0];
  if (!folder) {
    const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, openLabel: vscode.l10n.t('Save the Storyboard Here') });
    folder = picked?.[0]?.fsPath;
  }
  if (!folder) return undefined;
  // The video's own settings (its model, shape and length): the clip is ready at once, and more clips of it join.
  const defaults = storyboardDefaultsOf(task.params);
  const clipId = 'c1';
  const text = formatStoryboard(
    { title: title.trim(), defaults, style: '', cast: [], clips: [{ ...clipFor(task, defaults), id: clipId }] },
    { language: isChinese() ? 'zh' : 'en' },
  );
  const file = await writeNewFile(folder, storyboardFileName(title.trim()), text);
  const state = storyboardState(text, file, [], workspaceRoots());
  await engine.linkToStoryboard(task.id, { file: state.key, clipId, fingerprint: state.plan.clips[0]?.fingerprint ?? clipFingerprintOf(task) });
  await reveal(vscode.Uri.file(file));
  return { file, clipId };
}

async function reveal(uri: vscode.Uri, line?: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(uri, { preview: false });
  if (line !== undefined) {
    const at = new vscode.Position(line, 0);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenter);
  }
}
