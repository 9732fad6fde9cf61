import * as vscode from 'vscode';
import { capabilityWords, describeModel, offeredModels, type SwitchName } from '../../catalog';
import { settingNotUsable, validateGenerationParams, type UsableModels } from '../../core/params';
import type { GenerationParams } from '../../juxin/types';
import type { GenerationDefaults } from '../generationDefaults';
import { isChinese } from '../messages';
import type { PickItem } from './quickInput';

// What the palette's steps offer for a model: its items in the person's language, and the values the
// engine would apply preselected. Which values a model takes is the catalog's (modelChoices).

/** The models to choose from, each with what it takes; the default model first among equals (preselected). */
export function modelItems(usable: UsableModels): PickItem<string>[] {
  const zh = isChinese();
  return offeredModels(usable).map((id) => {
    const spec = describeModel(id);
    if (!spec)
      return { label: id, description: vscode.l10n.t('not described: sent with the common fields only (prompt, images, aspect ratio, duration)'), value: id };
    const words = capabilityWords(spec);
    const retired = spec.retiredOn ? `${vscode.l10n.t('retired on {0}', spec.retiredOn)} · ` : '';
    return { label: id, description: `${retired}${spec.familyName} · ${zh ? words.zh : words.en}`, value: id };
  });
}

let settingSaid = false;

/** A default model in the settings this key cannot use (a retired Sora…): said once per window, with the model used instead. */
export function sayUnusableSettingOnce(defaults: GenerationDefaults, used: string): void {
  const note = settingNotUsable(defaults.model, used, { en: 'the model step', zh: '模型这一步' });
  if (!note || settingSaid) return;
  settingSaid = true;
  void vscode.window.showWarningMessage(isChinese() ? note.zh : note.en);
}

/**
 * The values the engine would apply for this model from the user's defaults (each where the model takes
 * it, else the model's own): preselected in the steps, so Enter all the way makes what the settings say.
 */
export function preselectedValues(model: string, defaults: Partial<Omit<GenerationParams, 'prompt'>>, usable: UsableModels): Partial<GenerationParams> {
  try {
    const checked = validateGenerationParams({ prompt: 'x', model }, defaults, usable);
    // Sora's records keep its shape as orientation and size; the steps speak ratios and resolutions.
    const aspectRatio = checked.aspectRatio ?? (checked.orientation === 'portrait' ? '9:16' : '16:9');
    const resolution = checked.resolution ?? (checked.size === 'large' ? '1080p' : '720p');
    return { ...checked, aspectRatio, resolution };
  } catch {
    return {};
  }
}

/** The words of the switches a person ticks, by the catalog's names. */
export function toggleItems(toggles: readonly SwitchName[]): PickItem<SwitchName>[] {
  const words: Partial<Record<SwitchName, { label: string; description: string }>> = {
    watermark: { label: vscode.l10n.t('Watermark'), description: vscode.l10n.t("keep the maker's watermark") },
    private: { label: vscode.l10n.t('Private'), description: vscode.l10n.t('not in the public feed; private videos cannot be remixed') },
    enhance_prompt: { label: vscode.l10n.t('Enhance the prompt'), description: vscode.l10n.t('translate it to English and enrich it (Veo works in English)') },
    enable_upsample: { label: vscode.l10n.t('Upscale'), description: vscode.l10n.t('upscale the finished video') },
  };
  return toggles.flatMap((name) => {
    const w = words[name];
    return w ? [{ ...w, value: name }] : [];
  });
}

/** The switches ticked at the start: those on in the defaults the engine applies. */
export function tickedToggles(values: Partial<GenerationParams>): SwitchName[] {
  const on: SwitchName[] = [];
  if (values.watermark) on.push('watermark');
  if (values.private) on.push('private');
  if (values.enhancePrompt) on.push('enhance_prompt');
  if (values.enableUpsample) on.push('enable_upsample');
  return on;
}

/** The ticked switches as generation answers, each switch of the model said (on or off). */
export function toggleAnswers(toggles: readonly SwitchName[], ticked: readonly SwitchName[]): Partial<GenerationParams> {
  const out: Partial<GenerationParams> = {};
  const on = (name: SwitchName) => ticked.includes(name);
  if (toggles.includes('watermark')) out.watermark = on('watermark');
  if (toggles.includes('private')) out.private = on('private');
  if (toggles.includes('enhance_prompt')) out.enhancePrompt = on('enhance_prompt');
  if (toggles.includes('enable_upsample')) out.enableUpsample = on('enable_upsample');
  return out;
}
