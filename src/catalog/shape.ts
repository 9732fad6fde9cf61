import { familyOf, veoName } from './families';
import type { Resolution } from './types';

/**
 * What a video is, as every front end shows it (gallery cards, the preview, the chat card, the status
 * bar, the palette's lists): the model by a readable name, its aspect ratio, resolution and length.
 * Browser-safe: the pages and the extension read the same words.
 */
export interface VideoShape {
  model: string;
  /** "Veo 3.1 Fast" for a model of a known family; the id itself for any other. */
  modelName: string;
  aspectRatio: string;
  resolution: Resolution;
  duration: number;
}

/** The parameters a shape is read from: a record's, new (aspect ratio, resolution) or from the Sora days (orientation, size only). */
export interface ShapeParams {
  model: string;
  orientation?: string;
  size?: string;
  aspectRatio?: string;
  resolution?: Resolution | string;
  duration: number;
}

const RESOLUTION_WORDS: Record<string, Resolution> = { '720p': '720p', '1080p': '1080p', '4k': '4k' };

/** A record's shape: records before the catalog name only Sora's orientation (landscape 16:9, portrait 9:16) and size (small ~720p, large ~1080p). */
export function videoShape(params: ShapeParams): VideoShape {
  return {
    model: params.model,
    modelName: modelName(params.model),
    aspectRatio: params.aspectRatio ?? (params.orientation === 'portrait' ? '9:16' : '16:9'),
    resolution: RESOLUTION_WORDS[String(params.resolution).toLowerCase()] ?? (params.size === 'large' ? '1080p' : '720p'),
    duration: params.duration,
  };
}

/** Words of an id written as a person reads them: "veo3.1-fast" → "Veo 3.1 Fast", "sora-2-pro" → "Sora 2 Pro", "-4k" → "4K". */
function wordsOf(id: string): string {
  return id
    .replace(/^([a-z]+)(\d)/i, '$1 $2')
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => (/^\d+k$/i.test(w) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

/** A model's readable name: from its id when the catalog knows its family; the id itself otherwise (nothing is guessed about it). */
export function modelName(modelId: string): string {
  const family = familyOf(modelId);
  if (!family) return modelId;
  // Veo's aliases (veo_3_1-fast) read as their one spelling.
  const id = family.id === 'veo' ? veoName(modelId) : modelId;
  return wordsOf(id);
}

/** "Veo 3.1 Fast · 16:9 · 8 s": model, aspect ratio, length; `seconds` says the length in the reader's language ("{0} s"). */
export function shapeLine(shape: VideoShape, seconds: (n: number) => string = (n) => `${n} s`): string {
  return [shape.modelName, shape.aspectRatio, seconds(shape.duration)].join(' · ');
}
