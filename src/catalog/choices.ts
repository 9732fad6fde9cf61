import { FAMILIES } from './families';
import type { ImageMeaning, ModelSpec, Resolution, SwitchName } from './types';

/**
 * The values a person chooses among for one model (the palette's steps, the storyboard's completion):
 * what the catalog says it takes, and for a model the relay lists that the catalog does not describe,
 * the values of the fields every family shares (it is sent with those fields only: no resolution, no switches).
 */
export interface ModelChoices {
  described: boolean;
  aspectRatios: readonly string[];
  /** Empty: the model has no resolution to choose (an undescribed model is sent without one). */
  resolutions: readonly Resolution[];
  durations: readonly number[];
  /** The switches a person turns on or off; Sora's character needs a video and times, so it is not one of them. */
  toggles: readonly SwitchName[];
  images: { meaning: ImageMeaning | undefined; max: number };
}

/** Every aspect ratio some family takes, the common ones first: the suggestions for a model the catalog does not describe, and for the settings. */
export function catalogAspectRatios(): string[] {
  const all = FAMILIES.flatMap((family) => family.known.flatMap((id) => [...family.spec(id).aspectRatios]));
  return [...new Set(['16:9', '9:16', ...all])];
}

/** Every length some family takes, shortest first. */
function catalogDurations(): number[] {
  const all = FAMILIES.flatMap((family) => family.known.flatMap((id) => [...family.spec(id).durations]));
  return [...new Set(all)].sort((a, b) => a - b);
}

/** The most images any family takes (Grok's six references). */
function catalogMaxImages(): number {
  return Math.max(...FAMILIES.flatMap((family) => family.known.map((id) => family.spec(id).images.max)));
}

/** The choices of a model as the catalog describes it (`spec`), or of one it does not (undefined). */
export function choicesOf(spec: ModelSpec | undefined): ModelChoices {
  if (!spec) {
    return {
      described: false,
      aspectRatios: catalogAspectRatios(),
      resolutions: [],
      durations: catalogDurations(),
      toggles: [],
      images: { meaning: undefined, max: catalogMaxImages() },
    };
  }
  return {
    described: true,
    aspectRatios: spec.aspectRatios,
    resolutions: spec.resolutions,
    durations: spec.durations,
    toggles: spec.switches.filter((s) => s !== 'character'),
    images: spec.images,
  };
}
