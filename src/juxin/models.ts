import type { ListedModel } from './types';

/**
 * What we know about the relay's models, as data: which ids are video models, and which families were
 * retired upstream. `GET /v1/models` mixes chat, image and video models and labels endpoints in English
 * or in Chinese, so a model is a video model when an endpoint type says so or its id belongs to a known
 * video family. (The next step grows this table into the model catalog.)
 */
export interface VideoFamily {
  name: string;
  /** Matches the family's model ids (the relay's names and the upstream names it sometimes echoes). */
  ids: RegExp;
  /** The day (YYYY-MM-DD) the family was switched off upstream, when it was. */
  retiredOn?: string;
}

export const VIDEO_FAMILIES: readonly VideoFamily[] = [
  // OpenAI removed Sora 2 and its Videos API on 2026-09-24 (shared/juxin-api.md §0).
  { name: 'Sora 2', ids: /^sora[-_](2|video2)/i, retiredOn: '2026-09-24' },
  { name: 'Veo', ids: /^veo[-_]?\d/i },
  { name: 'Grok video', ids: /^grok-video/i },
  { name: 'Jimeng', ids: /^jimeng-video/i },
  { name: 'Seedance', ids: /seedance/i },
  { name: 'Kling', ids: /^kling/i },
  { name: 'Hailuo', ids: /hailuo/i },
  { name: 'Wan', ids: /^wan[x\d.-]/i },
  { name: 'Luma', ids: /^luma/i },
  { name: 'Runway', ids: /^runway/i },
];

/** Endpoint types the relay gives video models: `openai-video`, `视频统一格式` (its unified video format)… */
const VIDEO_ENDPOINT_TYPE = /video|视频/i;

export function videoFamilyOf(modelId: string): VideoFamily | undefined {
  return VIDEO_FAMILIES.find((family) => family.ids.test(modelId));
}

export function isVideoModel(model: ListedModel): boolean {
  return model.endpointTypes.some((type) => VIDEO_ENDPOINT_TYPE.test(type)) || videoFamilyOf(model.id) !== undefined;
}

/** The video models of a `GET /v1/models` list, in the relay's order, each once. */
export function videoModelIds(models: readonly ListedModel[]): string[] {
  return [...new Set(models.filter(isVideoModel).map((model) => model.id))];
}
