import { describeModel, orientationOf, type ModelSpec } from '../catalog';
import { CLIPS, unknownClipMarker } from './markers';
import { badRequest, sniffImage } from './validate';

/**
 * The unified format's other families (shared/juxin-api.md §2) as the relay checks their bodies: Veo
 * (`aspect_ratio`, `enhance_prompt`, `enable_upsample`, no length: 8 s), Grok (`aspect_ratio`, `size`
 * "720P", `duration`, up to 6 references) and Jimeng (`aspect_ratio`, `size` 720P|1080P, frames).
 * Which values each model takes comes from the catalog (the one description of the families); the
 * field names, types and image forms are checked here, as the wire has them.
 */

export interface FamilyRequest {
  prompt: string;
  model: string;
  orientation: string;
  size: string;
  aspectRatio: string;
  duration: number;
  private: boolean;
  images: string[];
}

const DATA_URI = /^data:(image\/[a-z+.-]+);base64,([A-Za-z0-9+/=\s]+)$/;

/** The spec of a non-Sora model of the unified format, or undefined (Sora, or no family of it). */
export function unifiedFamilyOf(model: unknown): ModelSpec | undefined {
  const spec = typeof model === 'string' ? describeModel(model) : undefined;
  return spec && spec.family !== 'sora' ? spec : undefined;
}

export function checkFamilyBody(spec: ModelSpec, body: Record<string, unknown>): FamilyRequest {
  const model = spec.id;
  if (typeof body.prompt !== 'string' || !body.prompt.trim()) throw badRequest('prompt is required', 'prompt 不能为空');
  const clip = unknownClipMarker(body.prompt);
  if (clip) throw badRequest(`simulator: no clip "${clip}"; use one of ${CLIPS.join(', ')}`, `模拟器：没有片段 "${clip}"，可用：${CLIPS.join('、')}`);
  for (const field of ['orientation', 'watermark', 'private', 'character_url'] as const) {
    if (field in body) throw badRequest(`${field} is not a field of ${model} (Sora only)`, `${field} 不是 ${model} 的参数（仅 Sora 支持）`);
  }
  const aspectRatio = body.aspect_ratio ?? spec.aspectRatios[0];
  if (typeof aspectRatio !== 'string' || !spec.aspectRatios.includes(aspectRatio)) {
    throw badRequest(
      `aspect_ratio of ${model} must be one of ${spec.aspectRatios.join(', ')}`,
      `${model} 的 aspect_ratio 只能是 ${spec.aspectRatios.join('、')}`,
    );
  }
  let size: string;
  let duration = spec.durations[0];
  if (spec.family === 'veo') {
    if (body.duration !== undefined && body.duration !== 8)
      throw badRequest(`${model} makes 8 s videos: leave duration out`, `${model} 固定生成 8 秒视频，请勿传 duration`);
    for (const flag of ['enhance_prompt', 'enable_upsample'] as const) {
      if (body[flag] !== undefined && typeof body[flag] !== 'boolean') throw badRequest(`${flag} must be true or false`, `${flag} 只能是 true 或 false`);
    }
    if ('size' in body) throw badRequest(`size is not a field of ${model}`, `size 不是 ${model} 的参数`);
    size = spec.resolutions[0] === '4k' ? '4K' : '720P';
  } else {
    const sizes = spec.resolutions.map((r) => r.toUpperCase());
    size = typeof body.size === 'string' ? body.size : sizes[0];
    if (!sizes.includes(size)) throw badRequest(`size of ${model} must be ${sizes.join(' or ')}`, `${model} 的 size 只能是 ${sizes.join(' 或 ')}`);
    duration = typeof body.duration === 'number' ? body.duration : NaN;
    if (!spec.durations.includes(duration)) {
      throw badRequest(`duration of ${model} must be ${spec.durations.join(', ')}`, `${model} 的 duration 只能是 ${spec.durations.join('、')} 秒`);
    }
  }
  const images = checkImages(spec, body.images);
  return {
    prompt: body.prompt,
    model,
    orientation: orientationOf(aspectRatio),
    size: size === '720P' ? 'small' : 'large',
    aspectRatio,
    duration,
    private: false,
    images,
  };
}

/** http(s) URLs or data:image/…;base64 URIs (sibling relays take those), as many as the model reads. */
function checkImages(spec: ModelSpec, images: unknown): string[] {
  if (!Array.isArray(images)) throw badRequest('images is required (use [] for text-to-video)', 'images 字段必填（文生视频请传 []）');
  if (images.length > spec.images.max) {
    throw badRequest(`${spec.id} takes at most ${spec.images.max} images (${spec.images.meaning})`, `${spec.id} 最多接受 ${spec.images.max} 张图片`);
  }
  return images.map((image) => {
    if (typeof image === 'string' && /^https?:\/\/\S+$/.test(image)) return image;
    const data = typeof image === 'string' ? DATA_URI.exec(image) : null;
    const bytes = data ? Buffer.from(data[2], 'base64') : undefined;
    if (!data || !bytes || sniffImage(bytes) !== data[1].replace('image/jpg', 'image/jpeg')) {
      throw badRequest(
        `images must be http(s) URLs or data:image/…;base64 URIs of PNG, JPEG, WebP or GIF images, got ${JSON.stringify(String(image).slice(0, 60))}`,
        'images 只能是图片的 http(s) 网址或 data:image/…;base64 数据',
      );
    }
    // Kept short: the task remembers what came, not the picture.
    return `data:${data[1]};${bytes.length} bytes`;
  });
}
