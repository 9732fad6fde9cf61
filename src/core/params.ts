import {
  describeCapabilities,
  describeModel,
  FALLBACK_MODEL,
  familyOf,
  orientationOf,
  PREFERRED_MODELS,
  RESOLUTIONS,
  sameModel,
  type ModelSpec,
  type Resolution,
} from '../catalog';
import { ORIENTATIONS, SIZES, type GenerationParams } from '../juxin/types';
import { ImageError, isHttpUrl, type LocalImage, MAX_IMAGES, readLocalImage } from '../juxin/images';
import { parseTimestamps } from '../juxin/client';
import { imagesOfParams } from '../juxin/imageOrder';

export const MAX_PROMPT_CHARS = 4000;

export const DEFAULT_PARAMS: Omit<GenerationParams, 'prompt'> = {
  model: FALLBACK_MODEL,
  orientation: 'landscape',
  size: 'small',
  duration: 10,
  watermark: false,
  private: true,
  images: [],
};

/** A parameter the user has to change; says which and how, in English and Chinese. */
export class ParamError extends Error {
  override readonly name = 'ParamError';
  constructor(
    readonly field: string,
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
  }
}

export type GenerationInput = { prompt?: unknown } & Partial<Omit<GenerationParams, 'prompt'>>;
type Defaults = Partial<Omit<GenerationParams, 'prompt'>>;

/**
 * The video models this key can use, as the relay lists them (`GET /v1/models`), or undefined when
 * that is not known (an old relay, an error): then the catalog alone decides.
 */
export type UsableModels = readonly string[] | undefined;

/**
 * The model a generation uses when the caller names none: the user's setting when the key can use it,
 * else the first usable model of the catalog's preference list (Veo 3.1 fast first), else the first
 * video model the relay lists; never one the relay does not list. Without a list: the setting, or Sora.
 */
export function defaultModel(usable: UsableModels, setting?: string): string {
  if (!usable) return setting ?? FALLBACK_MODEL;
  if (setting && usable.some((id) => sameModel(id, setting))) return setting;
  const preferred = PREFERRED_MODELS.find((id) => usable.some((listed) => sameModel(listed, id)));
  return preferred ?? usable.find((id) => familyOf(id)) ?? usable[0] ?? setting ?? FALLBACK_MODEL;
}

/**
 * The sentence for a default model (the user's setting) this key cannot use, with the model used
 * instead, or undefined when the setting is usable or unset: a retired Sora in the settings never fails
 * silently. `where` names what lists the models (list_models for agents, the model step in VS Code).
 * Each front end says it once per session.
 */
export function settingNotUsable(setting: string | undefined, used: string, where: { en: string; zh: string }): { en: string; zh: string } | undefined {
  if (!setting || sameModel(setting, used)) return undefined;
  const spec = describeModel(setting);
  const why = spec?.retiredOn
    ? { en: ` (${spec.familyName} was retired upstream on ${spec.retiredOn})`, zh: `（${spec.familyName} 已于 ${spec.retiredOn} 被上游下线）` }
    : { en: '', zh: '' };
  return {
    en: `Your default model ${setting} is not available to this API key${why.en}, so this video uses ${used}. Set the default model to one ${where.en} shows.`,
    zh: `你设置的默认模型 ${setting} 此 API Key 无法使用${why.zh}，本次改用 ${used}。请把默认模型改为${where.zh}列出的模型之一。`,
  };
}

/** A refusal that ends with what the model takes. */
function refuse(field: string, spec: ModelSpec, en: string, zh: string): ParamError {
  const takes = describeCapabilities(spec);
  return new ParamError(field, `${en} ${takes.en}.`, `${zh}${takes.zh}。`);
}

const RATIO = /^\d{1,2}:\d{1,2}$/;
const SIZE_TO_RESOLUTION: Record<string, Resolution> = { small: '720p', large: '1080p' };

/** The first offered ratio of that shape (Grok's landscape is 3:2), else the model's first. */
function ratioFor(orientation: string, ratios: readonly string[]): string {
  return ratios.find((r) => orientationOf(r) === orientation && r !== '1:1') ?? ratios[0];
}

/**
 * Applies defaults and checks every rule that doesn't need the disk (`prepareGeneration` also reads
 * the local images), against the chosen model as the catalog describes it. A value the caller gave
 * that the model does not take is refused, naming what it takes; a default it does not take gives
 * way to the model's own. Values of the wrong type, from any caller, are refused with a ParamError.
 * `usable`: the video models the key can use (see UsableModels).
 */
export function validateGenerationParams(input: GenerationInput, defaults: Defaults = {}, usable?: UsableModels): GenerationParams {
  const given = stripUndefined(input);
  const d = { ...DEFAULT_PARAMS, ...stripUndefined(defaults) };
  const prompt = typeof given.prompt === 'string' ? given.prompt.trim() : '';
  if (!prompt) throw new ParamError('prompt', 'The prompt is empty: describe the video you want.', '提示词为空：请描述你想要的视频。');
  if (prompt.length > MAX_PROMPT_CHARS) {
    throw new ParamError(
      'prompt',
      `The prompt has ${prompt.length} characters; the limit is ${MAX_PROMPT_CHARS}. Shorten it.`,
      `提示词有 ${prompt.length} 个字符，超过 ${MAX_PROMPT_CHARS} 的上限，请精简。`,
    );
  }
  const model = given.model ?? defaultModel(usable, defaults.model);
  const spec = checkModel(model, usable);
  const base = { prompt, model: model as string };
  if (given.orientation !== undefined && !ORIENTATIONS.includes(given.orientation)) {
    throw new ParamError(
      'orientation',
      `Unknown orientation "${given.orientation}": use landscape or portrait.`,
      `未知方向 "${given.orientation}"：请使用 landscape（横屏）或 portrait（竖屏）。`,
    );
  }
  if (given.size !== undefined && !SIZES.includes(given.size)) {
    throw new ParamError('size', `Unknown size "${given.size}": use small or large.`, `未知清晰度 "${given.size}"：请使用 small 或 large。`);
  }
  // Every later check names the model chosen, given or defaulted.
  const chosen = { ...given, model };
  const shape = checkShape(spec, chosen, d);
  const duration = checkDuration(spec, chosen, d);
  const images = checkImages(spec, chosen);
  const switches = checkSwitches(spec, chosen, d);
  if (spec?.family === 'sora') {
    return {
      ...base,
      orientation: orientationOf(shape.aspectRatio),
      size: shape.resolution === '720p' ? 'small' : 'large',
      duration,
      ...(switches as SoraSwitches),
      ...images,
    };
  }
  return {
    ...base,
    orientation: orientationOf(shape.aspectRatio),
    size: shape.resolution === '720p' ? 'small' : 'large',
    aspectRatio: shape.aspectRatio,
    resolution: shape.resolution,
    duration,
    watermark: false,
    private: false,
    ...images,
    ...switches,
    ...(spec ? {} : { undescribed: true }),
  };
}

/** The model asked for, as the catalog describes it; undefined for a video model the relay lists that it does not describe. */
function checkModel(model: unknown, usable: UsableModels): ModelSpec | undefined {
  if (typeof model !== 'string' || !model.trim()) {
    throw new ParamError(
      'model',
      'model must be a model id, e.g. "veo3.1-fast": call list_models to see which.',
      'model 必须是模型名，例如 "veo3.1-fast"：调用 list_models 查看可用模型。',
    );
  }
  const spec = describeModel(model);
  if (usable && !usable.some((id) => sameModel(id, model))) {
    const retired = spec?.retiredOn
      ? { en: ` (${spec.familyName} was retired upstream on ${spec.retiredOn})`, zh: `（${spec.familyName} 已于 ${spec.retiredOn} 被上游下线）` }
      : { en: '', zh: '' };
    const list = usable.length ? usable.join(', ') : undefined;
    throw new ParamError(
      'model',
      `This API key cannot use ${model}${retired.en}. ${list ? `It can use: ${list}.` : 'The relay lists no video model for it.'} Choose one of those (list_models says what each takes).`,
      `此 API Key 无法使用 ${model}${retired.zh}。${list ? `可用的视频模型：${usable.join('、')}。` : '中转站没有为它列出任何视频模型。'}请改用其中之一（list_models 会说明每个模型支持什么）。`,
    );
  }
  if (!spec && !usable) {
    const known = FAMILY_EXAMPLES.join(', ');
    throw new ParamError(
      'model',
      `Unknown model "${model}": use a video model this key can use, e.g. ${known}.`,
      `未知模型 "${model}"：请使用此 Key 可用的视频模型，例如 ${FAMILY_EXAMPLES.join('、')}。`,
    );
  }
  return spec;
}

const FAMILY_EXAMPLES = ['veo3.1-fast', 'veo3.1', 'grok-video-3', 'jimeng-video-3.0', 'sora-2', 'sora-2-pro'];

/** The aspect ratio and resolution: the caller's (`aspectRatio`/`resolution`, or the old `orientation`/`size`), else the defaults the model takes. */
function checkShape(spec: ModelSpec | undefined, given: GenerationInput, d: Defaults & typeof DEFAULT_PARAMS): { aspectRatio: string; resolution: Resolution } {
  const model = String(given.model ?? d.model);
  const ratios = spec?.aspectRatios ?? ['16:9', '9:16'];
  let aspectRatio: string;
  if (given.aspectRatio !== undefined) {
    const ratio = given.aspectRatio;
    const ok = typeof ratio === 'string' && (spec ? ratios.includes(ratio) : RATIO.test(ratio));
    if (!ok)
      throw notTaken(
        'aspectRatio',
        spec,
        `${model} does not take aspect ratio ${JSON.stringify(ratio)}.`,
        `${model} 不支持画面比例 ${JSON.stringify(ratio)}。`,
        'an aspect ratio such as "16:9"',
      );
    aspectRatio = ratio;
  } else if (given.orientation !== undefined) {
    aspectRatio = ratioFor(given.orientation, ratios);
  } else {
    aspectRatio = d.aspectRatio && (spec ? ratios.includes(d.aspectRatio) : RATIO.test(d.aspectRatio)) ? d.aspectRatio : ratioFor(d.orientation, ratios);
  }
  if (given.orientation !== undefined && orientationOf(aspectRatio) !== given.orientation) {
    throw notTaken(
      'orientation',
      spec,
      `orientation "${given.orientation}" and aspect ratio ${aspectRatio} disagree for ${model}: give one of them.`,
      `${model} 的方向 "${given.orientation}" 与画面比例 ${aspectRatio} 不一致：请只给出其中一个。`,
      '',
    );
  }
  const offered: readonly Resolution[] = spec?.resolutions ?? RESOLUTIONS;
  let resolution: Resolution;
  if (given.resolution !== undefined) {
    if (!offered.includes(given.resolution)) {
      throw notTaken(
        'resolution',
        spec,
        `${model} does not take resolution ${JSON.stringify(given.resolution)}.`,
        `${model} 不支持分辨率 ${JSON.stringify(given.resolution)}。`,
        'resolution "720p", "1080p" or "4k"',
      );
    }
    resolution = given.resolution;
    if (given.size !== undefined && SIZE_TO_RESOLUTION[given.size] !== (resolution === '720p' ? '720p' : '1080p')) {
      throw notTaken(
        'size',
        spec,
        `size "${given.size}" and resolution ${resolution} disagree: give one of them.`,
        `清晰度 "${given.size}" 与分辨率 ${resolution} 不一致：请只给出其中一个。`,
        '',
      );
    }
  } else if (given.size !== undefined) {
    resolution = SIZE_TO_RESOLUTION[given.size];
    if (!offered.includes(resolution)) {
      throw notTaken(
        'size',
        spec,
        `${model} does not take size "${given.size}" (${resolution}).`,
        `${model} 不支持清晰度 "${given.size}"（${resolution}）。`,
        '',
      );
    }
  } else {
    const wanted = d.resolution ?? SIZE_TO_RESOLUTION[d.size];
    resolution = wanted && offered.includes(wanted) ? wanted : offered[0];
  }
  return { aspectRatio, resolution };
}

/** A refusal naming what the model takes; for a model the catalog does not describe, what the field looks like. */
function notTaken(field: string, spec: ModelSpec | undefined, en: string, zh: string, shape: string): ParamError {
  if (spec) return refuse(field, spec, en, zh);
  return new ParamError(field, `${en}${shape ? ` Use ${shape}.` : ''}`, zh);
}

function checkDuration(spec: ModelSpec | undefined, given: GenerationInput, d: typeof DEFAULT_PARAMS): number {
  const model = String(given.model ?? d.model);
  if (given.duration === undefined) return spec && !spec.durations.includes(d.duration) ? spec.durations[0] : d.duration;
  const value = given.duration;
  const ok = typeof value === 'number' && Number.isInteger(value) && (spec ? spec.durations.includes(value) : value >= 1 && value <= 60);
  if (ok) return value;
  const allowed = spec?.durations ?? [];
  throw notTaken(
    'duration',
    spec,
    `duration ${String(value)} is not available for ${model}${allowed.length ? `: use ${allowed.join(' or ')}` : ''}.`,
    `${model} 不支持 ${String(value)} 秒${allowed.length ? `：请选择 ${allowed.join(' 或 ')} 秒` : ''}。`,
    'whole seconds from 1 to 60',
  );
}

function imageList(value: unknown): string[] {
  if (value !== undefined && (!Array.isArray(value) || value.some((i) => typeof i !== 'string'))) {
    throw new ParamError('images', 'images must be a list of image URLs or absolute file paths.', 'images 必须是图片链接或绝对路径的列表。');
  }
  return ((value as string[] | undefined) ?? []).map((i) => i.trim()).filter(Boolean);
}

function oneImage(value: unknown, field: 'firstFrame' | 'lastFrame', name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new ParamError(field, `${name} must be one image: an http(s) URL or an absolute file path.`, `${name} 必须是一张图片：http(s) 链接或绝对路径。`);
  return value.trim() || undefined;
}

/** The images, checked against what they mean to the model (frames, elements, references…). */
function checkImages(spec: ModelSpec | undefined, given: GenerationInput): Pick<GenerationParams, 'images' | 'firstFrame' | 'lastFrame'> {
  const model = String(given.model);
  const images = imageList(given.images);
  const firstFrame = oneImage(given.firstFrame, 'firstFrame', 'first_frame');
  const lastFrame = oneImage(given.lastFrame, 'lastFrame', 'last_frame');
  if (lastFrame && !firstFrame) throw new ParamError('lastFrame', 'A last_frame needs a first_frame too.', '给出 last_frame 时也需要 first_frame。');
  const max = spec?.images.max ?? MAX_IMAGES;
  if (firstFrame || lastFrame) {
    if (spec?.images.meaning !== 'frames' || (lastFrame && max < 2)) {
      const field = lastFrame && spec?.images.meaning === 'frames' ? 'lastFrame' : 'firstFrame';
      throw notTaken(
        field,
        spec,
        `${model} takes no ${field === 'lastFrame' ? 'last' : 'first'} frame.`,
        `${model} 不支持${field === 'lastFrame' ? '尾帧' : '首帧'}。`,
        'images instead',
      );
    }
    if (images.length) {
      throw refuse(
        'images',
        spec,
        `For ${model} images are its frames: give either images or first_frame/last_frame, not both.`,
        `对 ${model} 来说 images 就是首尾帧：请只给 images 或 first_frame/last_frame 之一。`,
      );
    }
  }
  const count = images.length + (firstFrame ? 1 : 0) + (lastFrame ? 1 : 0);
  if (count > max) {
    throw notTaken('images', spec, `At most ${max} images per video with ${model}.`, `${model} 每个视频最多 ${max} 张图片。`, '');
  }
  if (spec?.family === 'sora') {
    // Sora's URLs go in the JSON body, its files through the multipart route: one request is one or the other.
    const urls = images.filter(isHttpUrl);
    if (urls.length && urls.length !== images.length) {
      throw new ParamError(
        'images',
        'Use only image URLs or only local image files in one request, not both.',
        '一次请求中请只使用图片链接或只使用本地图片，不要混用。',
      );
    }
    return { images };
  }
  return { images, ...(firstFrame ? { firstFrame } : {}), ...(lastFrame ? { lastFrame } : {}) };
}

const SORA_SWITCHES = { watermark: 'watermark', private: 'private', characterUrl: 'character_url', characterTimestamps: 'character_timestamps' } as const;

/** The switches of the model's family; another family's switch is refused. */
type SoraSwitches = Pick<GenerationParams, 'watermark' | 'private' | 'characterUrl' | 'characterTimestamps'>;

function checkSwitches(spec: ModelSpec | undefined, given: GenerationInput, d: Defaults & typeof DEFAULT_PARAMS): SoraSwitches | Partial<GenerationParams> {
  const model = String(given.model ?? d.model);
  const has = (name: string) => spec?.switches.includes(name as never) ?? false;
  const alien = (field: string, name: string) =>
    notTaken(
      field,
      spec,
      `${model} has no ${name} switch (${name === 'enhance_prompt' || name === 'enable_upsample' ? 'Veo' : 'Sora'} only).`,
      `${model} 没有 ${name} 开关。`,
      '',
    );
  for (const [field, name] of [
    ['enhancePrompt', 'enhance_prompt'],
    ['enableUpsample', 'enable_upsample'],
  ] as const) {
    const value = given[field];
    if (value === undefined) continue;
    if (!has(name)) throw alien(field, name);
    if (typeof value !== 'boolean') throw new ParamError(field, `${name} must be true or false.`, `${name} 只能是 true 或 false。`);
  }
  if (spec?.family !== 'sora') {
    for (const [field, name] of Object.entries(SORA_SWITCHES) as [keyof typeof SORA_SWITCHES, string][]) {
      // false is what records of other families keep (a retry passes them back); anything else asks for a switch the model lacks.
      if (given[field] !== undefined && given[field] !== false) throw alien(field, name);
    }
    const veo: Partial<GenerationParams> = {};
    if (has('enhance_prompt') && (given.enhancePrompt ?? d.enhancePrompt) !== undefined) veo.enhancePrompt = Boolean(given.enhancePrompt ?? d.enhancePrompt);
    if (has('enable_upsample') && (given.enableUpsample ?? d.enableUpsample) !== undefined)
      veo.enableUpsample = Boolean(given.enableUpsample ?? d.enableUpsample);
    return veo;
  }
  const p = { ...d, ...given };
  const out: SoraSwitches = { watermark: Boolean(p.watermark), private: Boolean(p.private) };
  if (p.characterUrl !== undefined || p.characterTimestamps !== undefined) {
    if (typeof p.characterUrl !== 'string' || !isHttpUrl(p.characterUrl)) {
      throw new ParamError(
        'characterUrl',
        'character_url must be an http(s) URL of a video with the character.',
        'character_url 必须是包含角色的视频的 http(s) 链接。',
      );
    }
    if (typeof p.characterTimestamps !== 'string' || !parseTimestamps(p.characterTimestamps)) {
      throw new ParamError(
        'characterTimestamps',
        'character_timestamps must be "start,end" seconds with a span of 1 to 3, e.g. "1,3".',
        'character_timestamps 格式应为 "开始,结束"（秒），时长 1～3 秒，例如 "1,3"。',
      );
    }
    out.characterUrl = p.characterUrl;
    out.characterTimestamps = p.characterTimestamps.trim();
  }
  return out;
}

/** A generation ready to send: its parameters validated once, its local images checked and read once. */
export interface PreparedGeneration {
  params: GenerationParams;
  /** The local files among `imagesOfParams(params)`, in order (URLs are Juxin's to fetch). */
  images: LocalImage[];
}

/**
 * The one owner of a generation's parameters: applies the user's defaults to what the caller left
 * out, checks every rule (`validateGenerationParams`) against the model, then reads each local image
 * once, so the bytes checked are the bytes sent. Everything happens before any request: a mistake
 * never costs money.
 */
export async function prepareGeneration(input: GenerationInput, defaults: Defaults = {}, usable?: UsableModels): Promise<PreparedGeneration> {
  const params = validateGenerationParams(input, defaults, usable);
  const images: LocalImage[] = [];
  const fieldOf = (image: string) => (image === params.firstFrame ? 'firstFrame' : image === params.lastFrame ? 'lastFrame' : 'images');
  for (const image of imagesOfParams(params)) {
    const field = fieldOf(image);
    if (isHttpUrl(image)) continue;
    try {
      images.push(await readLocalImage(image));
    } catch (error) {
      if (error instanceof ImageError) throw new ParamError(field, error.message, error.messageZh);
      throw error;
    }
  }
  return { params, images };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
