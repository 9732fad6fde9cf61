import { ALLOWED_DURATIONS, MODELS, ORIENTATIONS, SIZES, type GenerationParams, type VideoModel } from '../juxin/types';
import { ImageError, isHttpUrl, type LocalImage, MAX_IMAGES, readLocalImage } from '../juxin/images';
import { parseTimestamps } from '../juxin/client';

export const MAX_PROMPT_CHARS = 4000;

export const DEFAULT_PARAMS: Omit<GenerationParams, 'prompt'> = {
  model: 'sora-2',
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

/**
 * Applies defaults and checks every rule that doesn't need the disk (`prepareGeneration` also reads
 * the local images). Values of the wrong type, from any caller, are refused with a ParamError.
 */
export function validateGenerationParams(input: GenerationInput, defaults: Partial<Omit<GenerationParams, 'prompt'>> = {}): GenerationParams {
  const p = { ...DEFAULT_PARAMS, ...stripUndefined(defaults), ...stripUndefined(input) };
  const prompt = typeof p.prompt === 'string' ? p.prompt.trim() : '';
  if (!prompt) throw new ParamError('prompt', 'The prompt is empty: describe the video you want.', '提示词为空：请描述你想要的视频。');
  if (prompt.length > MAX_PROMPT_CHARS) {
    throw new ParamError(
      'prompt',
      `The prompt has ${prompt.length} characters; the limit is ${MAX_PROMPT_CHARS}. Shorten it.`,
      `提示词有 ${prompt.length} 个字符，超过 ${MAX_PROMPT_CHARS} 的上限，请精简。`,
    );
  }
  if (!MODELS.includes(p.model as VideoModel)) {
    throw new ParamError('model', `Unknown model "${p.model}": use sora-2 or sora-2-pro.`, `未知模型 "${p.model}"：请使用 sora-2 或 sora-2-pro。`);
  }
  const model = p.model as VideoModel;
  if (!ORIENTATIONS.includes(p.orientation)) {
    throw new ParamError(
      'orientation',
      `Unknown orientation "${p.orientation}": use landscape or portrait.`,
      `未知方向 "${p.orientation}"：请使用 landscape（横屏）或 portrait（竖屏）。`,
    );
  }
  if (!SIZES.includes(p.size)) throw new ParamError('size', `Unknown size "${p.size}": use small or large.`, `未知清晰度 "${p.size}"：请使用 small 或 large。`);
  if (p.size === 'large' && model !== 'sora-2-pro') {
    throw new ParamError(
      'size',
      'Size "large" (~1080p) is only available with sora-2-pro: choose sora-2-pro or size "small".',
      '“large”（约 1080p）仅 sora-2-pro 支持：请改用 sora-2-pro 或选择 small。',
    );
  }
  const allowed = ALLOWED_DURATIONS[model];
  if (typeof p.duration !== 'number' || !allowed.includes(p.duration)) {
    const pro = model === 'sora-2' ? ' (sora-2-pro also allows 25)' : '';
    const proZh = model === 'sora-2' ? '（sora-2-pro 还支持 25 秒）' : '';
    throw new ParamError(
      'duration',
      `duration ${String(p.duration)} is not available for ${model}: use ${allowed.join(' or ')}${pro}.`,
      `${model} 不支持 ${String(p.duration)} 秒：请选择 ${allowed.join(' 或 ')} 秒${proZh}。`,
    );
  }
  if (p.images !== undefined && (!Array.isArray(p.images) || p.images.some((i) => typeof i !== 'string'))) {
    throw new ParamError('images', 'images must be a list of image URLs or absolute file paths.', 'images 必须是图片链接或绝对路径的列表。');
  }
  const images = (p.images ?? []).map((i) => i.trim()).filter(Boolean);
  if (images.length > MAX_IMAGES) throw new ParamError('images', `At most ${MAX_IMAGES} images per video.`, `每个视频最多 ${MAX_IMAGES} 张图片。`);
  const urls = images.filter(isHttpUrl);
  if (urls.length && urls.length !== images.length) {
    throw new ParamError(
      'images',
      'Use only image URLs or only local image files in one request, not both.',
      '一次请求中请只使用图片链接或只使用本地图片，不要混用。',
    );
  }
  const params: GenerationParams = {
    prompt,
    model,
    orientation: p.orientation,
    size: p.size,
    duration: p.duration,
    watermark: Boolean(p.watermark),
    private: Boolean(p.private),
    images,
  };
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
    params.characterUrl = p.characterUrl;
    params.characterTimestamps = p.characterTimestamps.trim();
  }
  return params;
}

/** A generation ready to send: its parameters validated once, its local images checked and read once. */
export interface PreparedGeneration {
  params: GenerationParams;
  /** The local files of `params.images`, in order (URLs are Juxin's to fetch). */
  images: LocalImage[];
}

/**
 * The one owner of a generation's parameters: applies the user's defaults to what the caller left
 * out, checks every rule (`validateGenerationParams`), then reads each local image once, so the bytes
 * checked are the bytes sent. Everything happens before any request: a mistake never costs money.
 */
export async function prepareGeneration(input: GenerationInput, defaults: Partial<Omit<GenerationParams, 'prompt'>> = {}): Promise<PreparedGeneration> {
  const params = validateGenerationParams(input, defaults);
  const images: LocalImage[] = [];
  for (const image of params.images) {
    if (isHttpUrl(image)) continue;
    try {
      images.push(await readLocalImage(image));
    } catch (error) {
      if (error instanceof ImageError) throw new ParamError('images', error.message, error.messageZh);
      throw error;
    }
  }
  return { params, images };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
