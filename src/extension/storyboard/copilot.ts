import path from 'node:path';
import * as vscode from 'vscode';
import { ensureClipIdsEdits, isDraftPrompt, setClipPromptEdits, storyboardLanguage, takenClipIds, writeShots, type Clip } from '../../storyboard';
import type { StoryboardDocuments } from './documents';
import { findClip } from './refs';
import { applyLineEdits } from './target';

/** The chat model to write with: Copilot's when there is one, else any the editor offers. */
async function chooseModel(): Promise<vscode.LanguageModelChat | undefined> {
  try {
    const copilot = await vscode.lm.selectChatModels({ vendor: 'copilot' });
    if (copilot.length) return copilot.find((m) => /gpt-4o|gpt-4\.1|gpt-5|claude/i.test(m.family)) ?? copilot[0];
    return (await vscode.lm.selectChatModels())[0];
  } catch {
    return undefined;
  }
}

export interface WriteShotsResult {
  written: string[];
  /** No language model was available: every prompt kept its subtitle text. */
  noModel?: boolean;
}

/**
 * "Write the Shot Prompts with Copilot": for each clip still holding its draft (or the clip named),
 * asks the language model for a prompt by the shot rules (establishing shot, 4–6 shots, the cast as
 * @name, the style kept apart) and puts the answer in the clip, one undoable edit per clip. Without
 * a model the draft keeps the subtitle text and the person is told so.
 */
export async function writeShotPrompts(documents: StoryboardDocuments, uri: vscode.Uri, ref?: string): Promise<WriteShotsResult> {
  let doc = await documents.document(uri);
  // Each answer goes into its clip by the clip's id: a clip someone just added gets one first.
  const before = documents.stateOf(doc);
  await applyLineEdits(doc, ensureClipIdsEdits(doc.getText(), { taken: takenClipIds(before.records) }));
  doc = await documents.document(uri);
  const { storyboard } = documents.stateOf(doc).parsed;
  let clips = ref
    ? [
        findClip(
          storyboard.clips.map((clip, index) => ({ clip, index })),
          ref,
        )?.clip,
      ].filter((c): c is Clip => !!c)
    : storyboard.clips.filter(isDraftPrompt);
  if (!ref && !clips.length) {
    const all = vscode.l10n.t('Rewrite All');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Every clip already has its shots written. Rewrite all of them with Copilot?'),
      { modal: true },
      all,
    );
    if (choice !== all) return { written: [] };
    clips = storyboard.clips;
  }
  if (!clips.length) return { written: [] };
  const model = await chooseModel();
  if (!model) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'No language model is available (sign in to GitHub Copilot to use one). Each clip keeps its subtitle text as its prompt: write the shots by hand — 4 to 6 shots, the first a 1–2 second establishing shot, characters as @name.',
      ),
    );
    return { written: [], noModel: true };
  }
  const language = storyboardLanguage(storyboard);
  let result: { written: string[]; failed: { clipId: string; reason: string }[] } = { written: [], failed: [] };
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Writing the shots with {0}…', model.name), cancellable: true },
    async (progress, token) => {
      result = await writeShots({
        storyboard,
        clips,
        language,
        onClip: (i, clip) => {
          if (token.isCancellationRequested) return false;
          progress.report({ message: `${i + 1}/${clips.length} ${clip.title}`, increment: 100 / clips.length });
          return true;
        },
        ask: async (rules, request) => {
          const messages = [vscode.LanguageModelChatMessage.User(rules), vscode.LanguageModelChatMessage.User(request)];
          const response = await model.sendRequest(
            messages,
            { justification: vscode.l10n.t('Writes the shots of each storyboard clip from its subtitles.') },
            token,
          );
          let answer = '';
          for await (const part of response.text) answer += part;
          return answer;
        },
        // The file may have changed since: the edit is made against its text now, by the clip's id.
        put: async (clipId, prompt) => {
          const now = await documents.document(uri);
          return applyLineEdits(now, setClipPromptEdits(now.getText(), clipId, prompt));
        },
      });
    },
  );
  const { written } = result;
  const failures = result.failed.map((f) => `${f.clipId}: ${f.reason}`);
  if (failures.length) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Copilot could not write these clips; they keep their text: {0}', failures.join('; ')));
  } else if (written.length) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Shots written for {0} clip(s) of {1}. Read them over, then Generate.', written.length, path.basename(uri.fsPath)),
    );
  }
  return { written };
}
