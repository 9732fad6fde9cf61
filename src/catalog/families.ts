import type { BodyInput, ModelFamily, Resolution } from './types';

/**
 * The unified-format families (视频统一格式, shared/juxin-api.md §2), each described once. Every value
 * comes from those notes; where they are silent a comment says so and the choice is the narrow one
 * (a value a model might refuse is left out: a refusal before sending costs nothing, one after may).
 */

/** "9:16" → portrait: what Sora's `orientation` and our old parameters call the shape. */
export function orientationOf(aspectRatio: string): 'portrait' | 'landscape' {
  const [w, h] = aspectRatio.split(':').map(Number);
  return h > w ? 'portrait' : 'landscape';
}

const common = (input: BodyInput) => ({ prompt: input.prompt, model: input.model, images: [...input.images] });

/** The vendors' own size words ("720P"), used by Grok and Jimeng. */
const vendorSize = (resolution: Resolution) => (resolution === '4k' ? '4K' : resolution.toUpperCase());

export const SORA: ModelFamily = {
  id: 'sora',
  name: 'Sora 2',
  ids: /^sora[-_](2|video2)/i,
  known: ['sora-2', 'sora-2-pro', 'sora-2-all'],
  // OpenAI removed Sora 2 and its Videos API on 2026-09-24 (§0).
  retiredOn: '2026-09-24',
  spec(id) {
    const pro = /pro/i.test(id);
    return {
      // Sora's body has `orientation` (landscape | portrait) and `size` (small ~720p | large ~1080p, pro only).
      aspectRatios: ['16:9', '9:16'],
      resolutions: pro ? ['720p', '1080p'] : ['720p'],
      durations: pro ? [10, 15, 25] : [10, 15],
      fixedDuration: false,
      images: { meaning: 'animate', max: 4 },
      // The notes do not say; Sora 2's videos carry a sound track (the preview's AAC note is about them).
      audio: true,
      switches: ['watermark', 'private', 'character'],
    };
  },
  body(input) {
    const body: Record<string, unknown> = {
      ...common(input),
      orientation: orientationOf(input.aspectRatio),
      size: input.resolution === '720p' ? 'small' : 'large',
      duration: input.duration,
      watermark: input.watermark ?? false,
      private: input.private ?? true,
    };
    if (input.characterUrl) body.character_url = input.characterUrl;
    if (input.characterTimestamps) body.character_timestamps = input.characterTimestamps;
    return body;
  },
};

/** Veo's ids in one spelling: the aliases `veo_3_1-fast` are `veo3.1-fast`. */
export function veoName(id: string): string {
  return id
    .toLowerCase()
    .replace(/^veo[-_]?(\d)[._](\d)/, 'veo$1.$2')
    .replace(/_/g, '-');
}

export const VEO: ModelFamily = {
  id: 'veo',
  name: 'Veo 3.x',
  ids: /^veo[-_]?\d/i,
  known: ['veo3.1-fast', 'veo3.1', 'veo3.1-pro', 'veo3.1-4k', 'veo3.1-pro-4k', 'veo3.1-components', 'veo3.1-fast-components', 'veo3.1-components-4k'],
  spec(id) {
    const name = veoName(id);
    const components = name.includes('components');
    // First + last frame: the `frames` variants and Veo 3.1; older ids (veo3, veo2) take one first frame.
    const lastFrame = name.startsWith('veo3.1') || name.includes('frames');
    return {
      // "16:9" | "9:16" for the veo3 family; the notes say nothing of veo2's, so it gets the same two.
      aspectRatios: ['16:9', '9:16'],
      // The notes give Veo no resolution field: the 4k variants are their own ids, `enable_upsample` upscales.
      resolutions: name.includes('4k') ? ['4k'] : ['720p'],
      durations: [8],
      fixedDuration: true,
      images: components ? { meaning: 'components', max: 3 } : { meaning: 'frames', max: lastFrame ? 2 : 1 },
      // The notes do not say; Google describes Veo 3 with native sound and Veo 2 without.
      audio: name.startsWith('veo3'),
      switches: ['enhance_prompt', 'enable_upsample'],
    };
  },
  body(input) {
    const body: Record<string, unknown> = { ...common(input), aspect_ratio: input.aspectRatio };
    // Only when chosen: the relay's own default applies otherwise (the notes do not give it).
    if (input.enhancePrompt !== undefined) body.enhance_prompt = input.enhancePrompt;
    if (input.enableUpsample !== undefined) body.enable_upsample = input.enableUpsample;
    return body;
  },
};

export const GROK: ModelFamily = {
  id: 'grok',
  name: 'Grok video',
  ids: /^grok-video/i,
  known: ['grok-video-3'],
  spec(id) {
    const fixed = /-(\d+)s$/i.exec(id);
    return {
      // 2:3, 3:2, 1:1 everywhere; 16:9 and 9:16 only on some relays (not known for this one), so left out.
      aspectRatios: ['3:2', '2:3', '1:1'],
      // "720P"; 1080P only on some relays.
      resolutions: ['720p'],
      // The `-10s` / `-15s` variants have their length in their name.
      durations: fixed ? [Number(fixed[1])] : [6, 10, 15],
      fixedDuration: false,
      images: { meaning: 'references', max: 6 },
      audio: undefined, // the notes do not say
      switches: [],
    };
  },
  body(input) {
    return { ...common(input), aspect_ratio: input.aspectRatio, size: vendorSize(input.resolution), duration: input.duration };
  },
};

export const JIMENG: ModelFamily = {
  id: 'jimeng',
  name: 'Jimeng (即梦)',
  ids: /^jimeng-video/i,
  known: ['jimeng-video-3.0', 'jimeng-video-2.0'],
  spec() {
    return {
      // The notes name the `aspect_ratio` field without its values: these are the ratios ByteDance's video
      // models take elsewhere on this relay (§4 Seedance, without "adaptive").
      aspectRatios: ['16:9', '9:16', '4:3', '3:4', '1:1', '21:9'],
      resolutions: ['720p', '1080p'],
      // The notes give no durations for Jimeng: 5 and 10 s are what its maker offers; sent as `duration`.
      durations: [5, 10],
      fixedDuration: false,
      images: { meaning: 'frames', max: 2 },
      audio: undefined, // the notes do not say
      switches: [],
    };
  },
  body(input) {
    return { ...common(input), aspect_ratio: input.aspectRatio, size: vendorSize(input.resolution), duration: input.duration };
  },
};

/** Every family the unified format serves, in the order they are shown. */
export const FAMILIES: readonly ModelFamily[] = [VEO, SORA, GROK, JIMENG];

export function familyOf(modelId: string): ModelFamily | undefined {
  return FAMILIES.find((family) => family.ids.test(modelId));
}

/**
 * Video families the relay carries on their own routes (§4): recognised as video models in
 * `GET /v1/models`, not generated by this program.
 */
export const OTHER_VIDEO_FAMILIES: readonly { name: string; ids: RegExp }[] = [
  { name: 'Seedance', ids: /seedance/i },
  { name: 'Kling', ids: /^kling/i },
  { name: 'Hailuo', ids: /hailuo/i },
  { name: 'Wan', ids: /^wan[x\d.-]/i },
  { name: 'Luma', ids: /^luma/i },
  { name: 'Runway', ids: /^runway/i },
];
