import * as vscode from 'vscode';
import { MAX_PROMPT_CHARS } from '../../core/params';
import type { TaskRecord } from '../../core/types';
import { isHttpUrl } from '../../juxin/images';
import { ALLOWED_DURATIONS, isSoraModel, type GenerationParams, type Orientation, type VideoModel, type VideoSize } from '../../juxin/types';
import { describeError } from '../messages';
import { readSettings } from '../settings';
import type { Services } from '../services';
import { createAndFollow } from '../progress';
import { askingApproval } from '../spendPrompt';
import { Back, inputText, pickOne, type PickItem } from './quickInput';

const LAST_CHOICES = 'juxinSora.lastChoices';

export type GenerateAnswers = Partial<Omit<GenerationParams, 'prompt'>> & { prompt: string };

type Draft = Partial<GenerateAnswers>;

/**
 * "Sora: Generate Video…": a multi-step quick input (prompt, model, orientation, size, duration,
 * images) that remembers the last choices. Called with answers (the internal retry, or a caller's
 * request the user confirmed: taskCommands.ts), it skips the questions.
 */
export async function generateVideo(services: Services, answers?: GenerateAnswers): Promise<TaskRecord | undefined> {
  if (!(await services.keys.get())) {
    const set = vscode.l10n.t('Set API Key');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Set your Juxin API key first.'), set);
    if (choice !== set || !(await services.keys.prompt())) return undefined;
  }
  const params = answers ?? (await askQuestions(services));
  if (!params) return undefined;
  // A beginner sees the progress where the video will be; asked questions means the palette started it.
  if (!answers && readSettings().showVideosOnGenerate) void services.revealVideos();
  let task: TaskRecord;
  // Past a daily limit the user is asked in a modal; their "no" sends nothing and needs no error.
  const approval = askingApproval();
  try {
    task = await createAndFollow(services, params.prompt, () => services.host.engine.generate(params, 'vscode', { approveSpend: approval.approveSpend }));
  } catch (error) {
    if (!approval.answeredNo(error)) void vscode.window.showErrorMessage(describeError(error));
    return undefined;
  }
  if (!answers) await services.context.globalState.update(LAST_CHOICES, { ...params, prompt: undefined });
  return task;
}

async function askQuestions(services: Services): Promise<GenerateAnswers | undefined> {
  const settings = readSettings();
  const remembered = services.context.globalState.get<Draft>(LAST_CHOICES) ?? {};
  const draft: Draft = { ...settings.defaults, ...remembered, images: [] };
  const selection = selectedText();
  const title = vscode.l10n.t('Generate a Sora video');
  const steps: ((n: number, total: number) => Promise<boolean>)[] = [
    async (n, total) => {
      const value = await inputText(
        { title, step: n, totalSteps: total },
        {
          prompt: vscode.l10n.t('Describe the video: subject, action, setting, camera, style. Chinese or English.'),
          value: draft.prompt ?? selection ?? '',
          placeholder: vscode.l10n.t('e.g. a cat playing piano under cherry blossoms, slow dolly-in'),
          validate: (v) =>
            !v.trim()
              ? vscode.l10n.t('The prompt is empty.')
              : v.length > MAX_PROMPT_CHARS
                ? vscode.l10n.t('At most {0} characters.', MAX_PROMPT_CHARS)
                : undefined,
        },
      );
      if (value === undefined) return false;
      draft.prompt = value.trim();
      return true;
    },
    async (n, total) => {
      const model = await pickOne<VideoModel>(
        { title, step: n, totalSteps: total },
        vscode.l10n.t('Model'),
        [
          { label: 'sora-2', description: vscode.l10n.t('standard: faster, cheaper'), value: 'sora-2' },
          { label: 'sora-2-pro', description: vscode.l10n.t('higher quality, slower; allows 25 s and 1080p'), value: 'sora-2-pro' },
        ],
        draft.model as VideoModel | undefined,
      );
      if (!model) return false;
      draft.model = model;
      return true;
    },
    async (n, total) => {
      const orientation = await pickOne<Orientation>(
        { title, step: n, totalSteps: total },
        vscode.l10n.t('Orientation'),
        [
          { label: vscode.l10n.t('Landscape 16:9'), description: 'landscape', value: 'landscape' },
          { label: vscode.l10n.t('Portrait 9:16'), description: vscode.l10n.t('portrait — phones, short-video apps'), value: 'portrait' },
        ],
        draft.orientation,
      );
      if (!orientation) return false;
      draft.orientation = orientation;
      return true;
    },
    async (n, total) => {
      const items: PickItem<VideoSize>[] = [{ label: vscode.l10n.t('Small (~720p)'), description: 'small', value: 'small' }];
      if (draft.model === 'sora-2-pro') items.push({ label: vscode.l10n.t('Large (~1080p)'), description: 'large', value: 'large' });
      const size = await pickOne<VideoSize>({ title, step: n, totalSteps: total }, vscode.l10n.t('Size'), items, draft.size);
      if (!size) return false;
      draft.size = size;
      return true;
    },
    async (n, total) => {
      const allowed = ALLOWED_DURATIONS[isSoraModel(draft.model) ? draft.model : 'sora-2'];
      const duration = await pickOne<number>(
        { title, step: n, totalSteps: total },
        vscode.l10n.t('Duration'),
        allowed.map((d) => ({ label: vscode.l10n.t('{0} seconds', d), value: d })),
        allowed.includes(draft.duration ?? 0) ? draft.duration : allowed[0],
      );
      if (!duration) return false;
      draft.duration = duration;
      return true;
    },
    async (n, total) => {
      const how = await pickOne<'none' | 'files' | 'urls'>(
        { title, step: n, totalSteps: total },
        vscode.l10n.t('Start from an image? (optional)'),
        [
          { label: vscode.l10n.t('No image (text to video)'), value: 'none' },
          { label: vscode.l10n.t('Pick image files…'), description: 'PNG, JPEG, WebP', value: 'files' },
          { label: vscode.l10n.t('Enter image URLs…'), description: 'https://…', value: 'urls' },
        ],
        'none',
      );
      if (!how) return false;
      if (how === 'files') {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: true,
          defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
          filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'webp', 'gif'] },
          openLabel: vscode.l10n.t('Use these images'),
        });
        if (!picked) return false;
        draft.images = picked.map((u) => u.fsPath);
      } else if (how === 'urls') {
        const urls = await inputText(
          { title, step: n, totalSteps: total },
          {
            prompt: vscode.l10n.t('Image URLs, separated by spaces'),
            validate: (v) => (v.split(/\s+/).filter(Boolean).every(isHttpUrl) ? undefined : vscode.l10n.t('Each image must be an http(s) URL.')),
          },
        );
        if (urls === undefined) return false;
        draft.images = urls.split(/\s+/).filter(Boolean);
      } else {
        draft.images = [];
      }
      return true;
    },
  ];
  for (let i = 0; i < steps.length;) {
    try {
      if (!(await steps[i](i + 1, steps.length))) return undefined;
      i++;
    } catch (error) {
      if (error instanceof Back) i = Math.max(0, i - 1);
      else throw error;
    }
  }
  return draft as GenerateAnswers;
}

function selectedText(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return undefined;
  return editor.document.getText(editor.selection).trim().slice(0, MAX_PROMPT_CHARS) || undefined;
}
