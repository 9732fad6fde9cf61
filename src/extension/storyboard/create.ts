import path from 'node:path';
import * as vscode from 'vscode';
import { describeModel } from '../../catalog';
import type { VideoEngine } from '../../core/engine';
import { defaultModel, validateGenerationParams, type UsableModels } from '../../core/params';
import {
  LIMITS,
  SrtError,
  StoryboardFileError,
  draftFromSubtitles,
  formatStoryboard,
  parseSrt,
  readSubtitleFile,
  storyboardDefaultsOf,
  storyboardFileName,
  storyboardTemplate,
  writeNewFile,
  type Language,
  type StoryboardDefaults,
  type SubtitleCue,
} from '../../storyboard';
import { describeBytes } from '../../util/boundedRead';
import { isChinese } from '../messages';
import { modelItems, sayUnusableSettingOnce } from '../commands/modelPicks';
import { readSettings } from '../settings';
import { inUiLanguage } from './words';

function uiLanguage(): Language {
  return isChinese() ? 'zh' : 'en';
}

/** What the storyboard commands need of the engine: what the key can use. */
export type ModelSource = Pick<VideoEngine, 'models'>;

/** The models this key can use, or undefined (the catalog decides) when the relay cannot say. */
async function usableModels(engine: ModelSource): Promise<UsableModels> {
  return (await engine.models().catch(() => ({ usable: undefined }))).usable;
}

/**
 * The settings a new storyboard starts from: the user's defaults, each where the model takes it, else
 * the model's own (the engine's one check, so a model it cannot use is refused here, in both languages).
 */
function defaultsFor(model: string, usable: UsableModels): StoryboardDefaults {
  return storyboardDefaultsOf(validateGenerationParams({ prompt: 'x', model }, readSettings().defaults, usable));
}

/** The default model: the settings' when the key can use it, else the engine's preference (said once when the setting is not usable). */
function defaultModelOf(usable: UsableModels): string {
  const { defaults } = readSettings();
  const model = defaultModel(usable, defaults.model);
  sayUnusableSettingOnce(defaults, model);
  return model;
}

/** The model of a storyboard drafted from subtitles: its durations decide how the lines are cut. Only models the catalog describes can be cut for. */
async function pickModel(usable: UsableModels): Promise<string | undefined> {
  const preselected = defaultModelOf(usable);
  const items = modelItems(usable).filter((item) => describeModel(item.value));
  // The default first: a single-choice list starts at its first item.
  items.sort((a, b) => Number(b.value === preselected) - Number(a.value === preselected));
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder: vscode.l10n.t('Which model? It decides how long each clip can be.'),
    ignoreFocusOut: true,
    matchOnDescription: true,
  });
  return picked?.value;
}

async function openStoryboard(file: string): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
}

function showWriteError(error: unknown): undefined {
  if (error instanceof SrtError || error instanceof StoryboardFileError) void vscode.window.showErrorMessage(inUiLanguage(error));
  else void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
  return undefined;
}

/**
 * The cues of the subtitle file picked: a local file goes through the server's own reader (a plain
 * file of a sane size); a file of another file system is looked at first, never read past the bound.
 */
async function readSubtitles(srt: vscode.Uri): Promise<SubtitleCue[]> {
  if (srt.scheme === 'file') return readSubtitleFile(srt.fsPath);
  const info = await vscode.workspace.fs.stat(srt);
  if (info.type !== vscode.FileType.File || info.size > LIMITS.subtitleBytes) {
    const limit = describeBytes(LIMITS.subtitleBytes);
    throw new StoryboardFileError(
      `${srt.toString()} is not a subtitle file of at most ${limit}: check it is the right file.`,
      `${srt.toString()} 不是不超过 ${limit} 的字幕文件：请确认是否选对了文件。`,
    );
  }
  return parseSrt(new TextDecoder().decode(await vscode.workspace.fs.readFile(srt)));
}

/**
 * "New Storyboard from Subtitles…": the .srt named, open, or picked; its lines cut into clips no
 * longer than the model allows; a draft `name.storyboard.md` written beside it (never over another
 * file) and opened. Returns the new file.
 */
export async function newStoryboardFromSubtitles(engine: ModelSource, arg: unknown, options: { model?: string } = {}): Promise<string | undefined> {
  let srt = arg instanceof vscode.Uri ? arg : undefined;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (!srt && active?.scheme === 'file' && /\.srt$/i.test(active.fsPath)) srt = active;
  if (!srt) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: { [vscode.l10n.t('Subtitles')]: ['srt', 'vtt'] },
      openLabel: vscode.l10n.t('Make a Storyboard'),
    });
    srt = picked?.[0];
  }
  if (!srt) return undefined;
  const usable = await usableModels(engine);
  const model = options.model ?? (await pickModel(usable));
  if (!model) return undefined;
  const { orientation, size, aspectRatio, resolution } = defaultsFor(model, usable);
  try {
    const cues = await readSubtitles(srt);
    const title = path.basename(srt.fsPath).replace(/\.(srt|vtt)$/i, '');
    const shape = { ...(aspectRatio ? { aspectRatio } : {}), ...(resolution ? { resolution } : {}) };
    const { draft } = draftFromSubtitles(cues, { title, model, orientation, size, ...shape, subtitles: path.basename(srt.fsPath) });
    const file = await writeNewFile(path.dirname(srt.fsPath), storyboardFileName(title), formatStoryboard(draft, { language: uiLanguage() }));
    await openStoryboard(file);
    const write = vscode.l10n.t('Write the Shots with Copilot');
    const view = vscode.l10n.t('Open Storyboard View');
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t(
          'Storyboard drafted: {0} clip(s) from {1} subtitle line(s). Each prompt is still its subtitle text: write the shots with Copilot, or by hand.',
          draft.clips.length,
          cues.length,
        ),
        write,
        view,
      )
      .then((choice) => {
        if (choice === write) return vscode.commands.executeCommand('juxinSora.storyboard.writeShots', vscode.Uri.file(file));
        if (choice === view) return vscode.commands.executeCommand('juxinSora.storyboard.open', vscode.Uri.file(file));
        return undefined;
      });
    return file;
  } catch (error) {
    return showWriteError(error);
  }
}

/** "New Storyboard": a title, then a template with the settings and two example clips in the workspace. */
export async function newStoryboard(engine: ModelSource, options: { title?: string; folder?: string } = {}): Promise<string | undefined> {
  const title =
    options.title ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('New storyboard'),
      prompt: vscode.l10n.t("The film's title (also the file name)"),
      value: vscode.l10n.t('My film'),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Give the film a title.')),
    }));
  if (!title?.trim()) return undefined;
  let folder = options.folder ?? vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
  if (!folder) {
    const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, openLabel: vscode.l10n.t('Save the Storyboard Here') });
    folder = picked?.[0]?.fsPath;
  }
  if (!folder) return undefined;
  const usable = await usableModels(engine);
  const defaults = defaultsFor(defaultModelOf(usable), usable);
  try {
    const text = storyboardTemplate(uiLanguage(), title.trim(), defaults);
    const file = await writeNewFile(folder, storyboardFileName(title.trim()), text);
    await openStoryboard(file);
    return file;
  } catch (error) {
    return showWriteError(error);
  }
}
