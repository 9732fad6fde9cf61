/**
 * The shape of the model catalog: what a video model takes and how our parameters reach its request
 * body. Pure data and pure functions (no Node, no VS Code): the MCP server, core, the simulator and,
 * later, the pages read the same description.
 */

export type FamilyId = 'sora' | 'veo' | 'grok' | 'jimeng';

/** Our resolution words; each family turns them into its own field (Sora's `size`, Grok's "720P"…). */
export const RESOLUTIONS = ['720p', '1080p', '4k'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** The switches only some families have, by the name the tools use. */
export type SwitchName = 'watermark' | 'private' | 'character' | 'enhance_prompt' | 'enable_upsample';

/**
 * What the images of a request mean to a model:
 * - `animate`: pictures to animate (Sora);
 * - `frames`: the first frame, then optionally the last frame (`maxImages` 1 or 2);
 * - `components`: up to `maxImages` elements of the scene (Veo's components variants);
 * - `references`: up to `maxImages` references the prompt may name `@img1`, `@img2`… (Grok).
 */
export type ImageMeaning = 'animate' | 'frames' | 'components' | 'references';

/** One model as the catalog describes it (the per-id values of its family). */
export interface ModelSpec {
  id: string;
  family: FamilyId;
  familyName: string;
  aspectRatios: readonly string[];
  resolutions: readonly Resolution[];
  durations: readonly number[];
  /** true when the length cannot be chosen (Veo: 8 s): `duration` is then not sent. */
  fixedDuration: boolean;
  images: { meaning: ImageMeaning; max: number };
  /** Whether its videos have sound; undefined when our notes do not say. */
  audio: boolean | undefined;
  switches: readonly SwitchName[];
  /** The day its maker switched it off, when it did. */
  retiredOn?: string;
}

/** What a family's request body is built from: our validated parameters (a structural subset of GenerationParams). */
export interface BodyInput {
  prompt: string;
  model: string;
  aspectRatio: string;
  resolution: Resolution;
  duration: number;
  /** The images in the order the family reads them (frames: first, then last), as URLs or data: URIs. */
  images: readonly string[];
  orientation?: string;
  size?: string;
  watermark?: boolean;
  private?: boolean;
  characterUrl?: string;
  characterTimestamps?: string;
  enhancePrompt?: boolean;
  enableUpsample?: boolean;
}

export interface ModelFamily {
  id: FamilyId;
  name: string;
  /** Matches the family's ids (with aliases and the upstream names the relay sometimes echoes). */
  ids: RegExp;
  /** The ids our notes have seen (shared/juxin-api.md §2), in the order we prefer them. */
  known: readonly string[];
  retiredOn?: string;
  /** The values of one id of this family (variants differ: `-4k`, `-components`, `-10s`…). */
  spec(id: string): Omit<ModelSpec, 'id' | 'family' | 'familyName' | 'retiredOn'>;
  /** Our parameters as this family's body of `POST /v1/video/create` (the unified format). */
  body(input: BodyInput): Record<string, unknown>;
}
