import * as vscode from 'vscode';
import { imageWords, modelChoices, orientationOf, PREFERRED_MODELS } from '../../catalog';
import type { ModelsAnswer } from '../../core/modelsCache';
import { defaultModel, MAX_PROMPT_CHARS, type UsableModels } from '../../core/params';
import type { TaskRecord } from '../../core/types';
import { isHttpUrl } from '../../juxin/images';
import type { GenerationParams } from '../../juxin/types';
import { describeError, isChinese } from '../messages';
import { readSettings } from '../settings';
import type { Services } from '../services';
import { createAndFollow } from '../progress';
import { askingApproval } from '../spendPrompt';
import { modelItems, preselectedValues, sayUnusableSettingOnce, tickedToggles, toggleAnswers, toggleItems } from './modelPicks';
import { Back, inputText, pickOne, pickSome } from './quickInput';

const LAST_CHOICES = 'juxinSora.lastChoices';

export type GenerateAnswers = Partial<Omit<GenerationParams, 'prompt'>> & { prompt: string };

type Draft = Partial<GenerateAnswers>;

/**
 * "Generate Video…": a multi-step quick input (prompt, model, then what that model takes: aspect ratio,
 * resolution, duration, its switches, images) that remembers the last choices but the model. Called with answers (the internal retry, or a caller's
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

interface QuestionStep {
  /** True when the chosen model leaves nothing to choose here (one value): the step is not shown. */
  skip?: () => boolean;
  run(n: number, total: number): Promise<boolean>;
}

/**
 * The palette's questions: the prompt, then a model among those the key can use (the relay's list, or
 * the catalog's when it cannot say), then only what that model takes: aspect ratio, resolution and
 * duration where it has more than one, its own switches, its images.
 */
async function askQuestions(services: Services): Promise<GenerateAnswers | undefined> {
  const settings = readSettings();
  const remembered = services.context.globalState.get<Draft>(LAST_CHOICES) ?? {};
  // The model is not remembered: the step starts at the default model (the settings', else the engine's preference).
  const defaults = { ...settings.defaults, ...remembered, model: undefined, images: [] };
  const draft: Draft = { images: [] };
  const selection = selectedText();
  const title = vscode.l10n.t('Generate a video');
  // Asked while the person types the prompt; a key that cannot list its models leaves the catalog to offer.
  const models = services.host.engine.models().catch(() => ({ usable: undefined }) as ModelsAnswer);
  let usable: UsableModels;
  let preset: Partial<GenerationParams> = {};
  // Until the model is chosen, the steps counted are those of the model expected (the list is still on its way).
  const expected = settings.defaults.model ?? PREFERRED_MODELS[0];
  const choices = () => modelChoices(draft.model ?? expected);
  const step = (n: number, total: number) => ({ title, step: n, totalSteps: total });
  const steps: QuestionStep[] = [
    {
      run: async (n, total) => {
        const value = await inputText(step(n, total), {
          prompt: vscode.l10n.t('Describe the video: subject, action, setting, camera, style. Chinese or English.'),
          value: draft.prompt ?? selection ?? '',
          placeholder: vscode.l10n.t('e.g. a cat playing piano under cherry blossoms, slow dolly-in'),
          validate: (v) =>
            !v.trim()
              ? vscode.l10n.t('The prompt is empty.')
              : v.length > MAX_PROMPT_CHARS
                ? vscode.l10n.t('At most {0} characters.', MAX_PROMPT_CHARS)
                : undefined,
        });
        if (value === undefined) return false;
        draft.prompt = value.trim();
        return true;
      },
    },
    {
      run: async (n, total) => {
        usable = (await models).usable;
        const fallback = defaultModel(usable, settings.defaults.model);
        sayUnusableSettingOnce(settings.defaults, fallback);
        const model = await pickOne(step(n, total), vscode.l10n.t('Model (what each takes is beside it)'), modelItems(usable), draft.model ?? fallback);
        if (!model) return false;
        if (model !== draft.model) {
          draft.model = model;
          preset = preselectedValues(model, defaults, usable);
        }
        return true;
      },
    },
    {
      skip: () => choices().aspectRatios.length < 2,
      run: async (n, total) => {
        const ratio = await pickOne(
          step(n, total),
          vscode.l10n.t('Aspect ratio'),
          choices().aspectRatios.map((r) => ({ label: r, description: ratioWords(r), value: r })),
          draft.aspectRatio ?? preset.aspectRatio,
        );
        if (!ratio) return false;
        draft.aspectRatio = ratio;
        return true;
      },
    },
    {
      skip: () => choices().resolutions.length < 2,
      run: async (n, total) => {
        const resolution = await pickOne(
          step(n, total),
          vscode.l10n.t('Resolution'),
          choices().resolutions.map((r) => ({ label: r, value: r })),
          draft.resolution ?? preset.resolution,
        );
        if (!resolution) return false;
        draft.resolution = resolution;
        return true;
      },
    },
    {
      skip: () => choices().durations.length < 2,
      run: async (n, total) => {
        const durations = choices().durations;
        const duration = await pickOne(
          step(n, total),
          vscode.l10n.t('Duration'),
          durations.map((d) => ({ label: vscode.l10n.t('{0} seconds', d), value: d })),
          draft.duration ?? preset.duration,
        );
        if (!duration) return false;
        draft.duration = duration;
        return true;
      },
    },
    {
      skip: () => toggleItems(choices().toggles).length === 0,
      run: async (n, total) => {
        const { toggles } = choices();
        const ticked = await pickSome(step(n, total), vscode.l10n.t('Options (tick to turn on)'), toggleItems(toggles), tickedToggles({ ...preset, ...draft }));
        if (!ticked) return false;
        Object.assign(draft, toggleAnswers(toggles, ticked));
        return true;
      },
    },
    { run: (n, total) => askImages(step(n, total), draft) },
  ];
  if (!(await runSteps(steps))) return undefined;
  return answersOf(draft);
}

/** Runs the steps in order; the back button goes to the previous step shown. False: cancelled. */
async function runSteps(steps: QuestionStep[]): Promise<boolean> {
  let direction = 1;
  for (let i = 0; i < steps.length;) {
    if (steps[i].skip?.()) {
      i = Math.max(0, i + direction);
      continue;
    }
    const shown = steps.filter((s) => !s.skip?.());
    try {
      if (!(await steps[i].run(shown.indexOf(steps[i]) + 1, shown.length))) return false;
      direction = 1;
      i++;
    } catch (error) {
      if (!(error instanceof Back)) throw error;
      direction = -1;
      i = Math.max(0, i - 1);
    }
  }
  return true;
}

/** The answers for the engine: only what this model takes (a value it does not take was never asked). */
function answersOf(draft: Draft): GenerateAnswers {
  const choices = modelChoices(draft.model ?? '');
  const answers: GenerateAnswers = { prompt: draft.prompt ?? '', model: draft.model, images: draft.images ?? [] };
  if (draft.aspectRatio && choices.aspectRatios.includes(draft.aspectRatio)) answers.aspectRatio = draft.aspectRatio;
  if (draft.resolution && choices.resolutions.includes(draft.resolution)) answers.resolution = draft.resolution;
  if (draft.duration && choices.durations.includes(draft.duration)) answers.duration = draft.duration;
  for (const key of ['watermark', 'private', 'enhancePrompt', 'enableUpsample'] as const) if (draft[key] !== undefined) answers[key] = draft[key];
  return answers;
}

/** "16:9" → "landscape": the shape in words. */
function ratioWords(ratio: string): string {
  if (ratio === '1:1') return vscode.l10n.t('square');
  return orientationOf(ratio) === 'portrait' ? vscode.l10n.t('portrait — phones, short-video apps') : vscode.l10n.t('landscape');
}

/** The images step: what images mean to this model, then files, URLs or none. */
async function askImages(at: { title: string; step: number; totalSteps: number }, draft: Draft): Promise<boolean> {
  const { images } = modelChoices(draft.model ?? '');
  const words = images.meaning ? imageWords({ meaning: images.meaning, max: images.max }) : undefined;
  const meaning = words && (isChinese() ? words.zh : words.en);
  const how = await pickOne<'none' | 'files' | 'urls'>(
    at,
    meaning ? vscode.l10n.t('Start from images? (optional) This model takes {0}.', meaning) : vscode.l10n.t('Start from an image? (optional)'),
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
      canSelectMany: images.max > 1,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'webp', 'gif'] },
      openLabel: vscode.l10n.t('Use these images'),
    });
    if (!picked) return false;
    draft.images = picked.map((u) => u.fsPath);
  } else if (how === 'urls') {
    const urls = await inputText(at, {
      prompt: vscode.l10n.t('Image URLs, separated by spaces'),
      validate: (v) => {
        const list = v.split(/\s+/).filter(Boolean);
        if (!list.every(isHttpUrl)) return vscode.l10n.t('Each image must be an http(s) URL.');
        return list.length > images.max ? vscode.l10n.t('This model takes at most {0} images.', images.max) : undefined;
      },
    });
    if (urls === undefined) return false;
    draft.images = urls.split(/\s+/).filter(Boolean);
  } else {
    draft.images = [];
  }
  return true;
}

function selectedText(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return undefined;
  return editor.document.getText(editor.selection).trim().slice(0, MAX_PROMPT_CHARS) || undefined;
}
