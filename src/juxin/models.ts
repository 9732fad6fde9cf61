import { FAMILIES, OTHER_VIDEO_FAMILIES } from '../catalog';
import type { ListedModel } from './types';

/**
 * Which ids of `GET /v1/models` are video models, and which families were retired upstream, read from
 * the model catalog (src/catalog). The list mixes chat, image and video models and labels endpoints in
 * English or in Chinese, so a model is a video model when an endpoint type says so or its id belongs
 * to a known video family.
 */
export interface VideoFamily {
  name: string;
  /** Matches the family's model ids (the relay's names and the upstream names it sometimes echoes). */
  ids: RegExp;
  /** The day (YYYY-MM-DD) the family was switched off upstream, when it was. */
  retiredOn?: string;
}

export const VIDEO_FAMILIES: readonly VideoFamily[] = [
  ...FAMILIES.map(({ name, ids, retiredOn }) => ({ name, ids, ...(retiredOn ? { retiredOn } : {}) })),
  ...OTHER_VIDEO_FAMILIES,
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
