import { FAMILIES, OTHER_VIDEO_FAMILIES, familyOf, veoName } from './families';
import { choicesOf, type ModelChoices } from './choices';
import type { ModelSpec } from './types';

export { FAMILIES, OTHER_VIDEO_FAMILIES, familyOf, orientationOf } from './families';
export { catalogAspectRatios, type ModelChoices } from './choices';
export { modelName, shapeLine, videoShape, type ShapeParams, type VideoShape } from './shape';
export * from './types';

/**
 * THE model catalog: which family an id belongs to and what it takes. Validation (core/params), the
 * request bodies (juxin/client), the tools (mcp) and the simulator read it; nothing else names a model.
 */

/** The default model when the user chose none: the first of these the key can use. Veo 3.1 fast first. */
export const PREFERRED_MODELS: readonly string[] = [
  'veo3.1-fast',
  'veo3.1',
  'veo3.1-pro',
  'jimeng-video-3.0',
  'grok-video-3',
  'veo3',
  'sora-2',
  'sora-2-pro',
  'sora-2-all',
];

/** The default when nothing tells us what the key can use (no `GET /v1/models`): the model this program always used. */
export const FALLBACK_MODEL = 'sora-2';

/** What the catalog says of this id, or undefined for a model it does not describe. */
export function describeModel(modelId: string): ModelSpec | undefined {
  const family = familyOf(modelId);
  if (!family) return undefined;
  return { id: modelId, family: family.id, familyName: family.name, ...(family.retiredOn ? { retiredOn: family.retiredOn } : {}), ...family.spec(modelId) };
}

/** What a person chooses among for this model (see ModelChoices). */
export function modelChoices(modelId: string): ModelChoices {
  return choicesOf(describeModel(modelId));
}

/** The name of any video family, ours or one on its own route (for `GET /v1/models` and refusals). */
export function videoFamilyName(modelId: string): string | undefined {
  return familyOf(modelId)?.name ?? OTHER_VIDEO_FAMILIES.find((f) => f.ids.test(modelId))?.name;
}

/** Every id the catalog names, family by family: what is offered when the relay cannot say what the key can use. */
export function catalogModelIds(): string[] {
  return FAMILIES.flatMap((family) => family.known);
}

/** The models a person or an agent chooses from: what the relay lists for this key, or the catalog's when it cannot say. */
export function offeredModels(usable: readonly string[] | undefined): string[] {
  return usable ? [...usable] : catalogModelIds();
}

/** Two ids of one model (Veo's aliases): `veo_3_1-fast` is `veo3.1-fast`. */
export function sameModel(a: string, b: string): boolean {
  const canon = (id: string) => (/^veo/i.test(id) ? veoName(id) : id.toLowerCase());
  return canon(a) === canon(b);
}

const IMAGE_WORDS = {
  animate: (max: number) => ({ en: `up to ${max} images to animate`, zh: `最多 ${max} 张要动起来的图片` }),
  frames: (max: number) => (max >= 2 ? { en: 'a first frame and optionally a last frame', zh: '首帧，可再加尾帧' } : { en: 'one first frame', zh: '一张首帧' }),
  components: (max: number) => ({ en: `up to ${max} images used as elements of the scene`, zh: `最多 ${max} 张图片作为画面元素` }),
  references: (max: number) => ({
    en: `up to ${max} references, named @img1, @img2… in the prompt`,
    zh: `最多 ${max} 张参考图，提示词中用 @img1、@img2… 指代`,
  }),
};

/** What a model's images mean ("a first frame and optionally a last frame"), in both languages. */
export function imageWords(images: ModelSpec['images']): { en: string; zh: string } {
  return IMAGE_WORDS[images.meaning](images.max);
}

/** What a model takes, in one sentence per language: said by refusals, list_models and the tool descriptions. */
export function describeCapabilities(spec: ModelSpec): { en: string; zh: string } {
  const words = capabilityWords(spec);
  return { en: `${spec.id} (${spec.familyName}): ${words.en}`, zh: `${spec.id}（${spec.familyName}）：${words.zh}` };
}

/** What a model takes without its name (where the name stands beside it: a picker's item). */
export function capabilityWords(spec: ModelSpec): { en: string; zh: string } {
  const images = IMAGE_WORDS[spec.images.meaning](spec.images.max);
  const seconds = spec.durations.join('/');
  const audio =
    spec.audio === undefined ? { en: 'sound: not stated', zh: '声音：未知' } : spec.audio ? { en: 'with sound', zh: '有声音' } : { en: 'silent', zh: '无声音' };
  const switches = spec.switches.length ? { en: `; switches: ${spec.switches.join(', ')}`, zh: `；开关：${spec.switches.join('、')}` } : { en: '', zh: '' };
  return {
    en: `aspect ratio ${spec.aspectRatios.join(', ')}; resolution ${spec.resolutions.join(', ')}; ${seconds} s${spec.fixedDuration ? ' (fixed)' : ''}; images: ${images.en}; ${audio.en}${switches.en}`,
    zh: `画面比例 ${spec.aspectRatios.join('、')}；分辨率 ${spec.resolutions.join('、')}；${seconds} 秒${spec.fixedDuration ? '（固定）' : ''}；图片：${images.zh}；${audio.zh}${switches.zh}`,
  };
}
