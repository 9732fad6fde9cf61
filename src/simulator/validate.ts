import { HttpError } from './http';
import { CLIPS, unknownClipMarker } from './markers';
import { vendorError } from './shapes';

/** Request checks the way the relay makes them: a 400 with the vendor's error body, English and Chinese. */

export const MODELS = ['sora-2', 'sora-2-pro', 'sora-2-all'] as const;

export function badRequest(message: string, messageZh: string): HttpError {
  return new HttpError(400, vendorError(message, messageZh, 'invalid_request_error', 'invalid_parameter'));
}

export interface CheckedParams {
  prompt: string;
  model: string;
  orientation: string;
  size: string;
  duration: number;
  private: boolean;
}

/** The fields both create paths share; `duration` may come as a string ("10") from a form. */
export interface RawParams {
  prompt?: unknown;
  model?: unknown;
  orientation?: unknown;
  size?: unknown;
  duration?: unknown;
  private?: unknown;
  watermark?: unknown;
  character_url?: unknown;
  character_timestamps?: unknown;
}

export function checkParams(p: RawParams): CheckedParams {
  if (typeof p.prompt !== 'string' || !p.prompt.trim()) throw badRequest('prompt is required', 'prompt 不能为空');
  const clip = unknownClipMarker(p.prompt);
  if (clip) throw badRequest(`simulator: no clip "${clip}"; use one of ${CLIPS.join(', ')}`, `模拟器：没有片段 "${clip}"，可用：${CLIPS.join('、')}`);
  const model = p.model === undefined ? 'sora-2' : p.model;
  if (typeof model !== 'string' || !(MODELS as readonly string[]).includes(model)) {
    throw badRequest(
      `model ${JSON.stringify(model)} is not supported: use ${MODELS.join(', ')}`,
      `不支持的模型 ${JSON.stringify(model)}，可选：${MODELS.join('、')}`,
    );
  }
  const orientation = p.orientation ?? 'landscape';
  if (orientation !== 'portrait' && orientation !== 'landscape') {
    throw badRequest(
      `orientation must be portrait or landscape, got ${JSON.stringify(orientation)}`,
      'orientation 只能是 portrait（竖屏）或 landscape（横屏）',
    );
  }
  const size = p.size ?? 'small';
  if (size !== 'small' && size !== 'large') throw badRequest(`size must be small or large, got ${JSON.stringify(size)}`, 'size 只能是 small 或 large');
  if (size === 'large' && model !== 'sora-2-pro') throw badRequest('size large is only available with sora-2-pro', 'large 清晰度仅 sora-2-pro 支持');
  const duration = p.duration === undefined ? 10 : typeof p.duration === 'string' && /^\d+$/.test(p.duration) ? Number(p.duration) : p.duration;
  const allowed = model === 'sora-2-pro' ? [10, 15, 25] : [10, 15];
  if (typeof duration !== 'number' || !allowed.includes(duration)) {
    throw badRequest(
      `duration ${JSON.stringify(p.duration)} is not supported for ${model}: use ${allowed.join(', ')}`,
      `${model} 不支持时长 ${JSON.stringify(p.duration)}，可选：${allowed.join('、')} 秒`,
    );
  }
  for (const flag of ['watermark', 'private'] as const) {
    if (p[flag] !== undefined && typeof p[flag] !== 'boolean') throw badRequest(`${flag} must be true or false`, `${flag} 只能是 true 或 false`);
  }
  if (p.character_url !== undefined || p.character_timestamps !== undefined) {
    if (typeof p.character_url !== 'string' || !/^https?:\/\//.test(p.character_url)) {
      throw badRequest('character_url must be the http(s) URL of a video', 'character_url 必须是视频的 http(s) 网址');
    }
    checkTimestamps(p.character_timestamps, 'character_timestamps');
  }
  return { prompt: p.prompt, model, orientation, size, duration, private: p.private === true };
}

/** "start,end" seconds with an end − start of 1 to 3. */
export function checkTimestamps(value: unknown, field = 'timestamps'): void {
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*$/.exec(value) : null;
  const span = m ? Number(m[2]) - Number(m[1]) : NaN;
  if (!(span >= 1 && span <= 3)) {
    throw badRequest(
      `${field} must be "start,end" in seconds with a span of 1 to 3 seconds, got ${JSON.stringify(value)}`,
      `${field} 格式应为 "开始,结束"（秒），时长 1～3 秒`,
    );
  }
}

export function checkImageUrls(images: unknown): string[] {
  if (!Array.isArray(images)) throw badRequest('images is required (use [] for text-to-video)', 'images 字段必填（文生视频请传 []）');
  for (const image of images) {
    if (typeof image !== 'string' || !/^https?:\/\/\S+$/.test(image)) {
      throw badRequest(
        `images must be http(s) URLs, got ${JSON.stringify(image).slice(0, 80)}`,
        'images 只能是图片的 http(s) 网址；本地图片请用 /v1/videos 上传',
      );
    }
  }
  return images as string[];
}

/** Image type from the first bytes, as the vendor checks uploads (a renamed PDF is not an image). */
export function sniffImage(head: Uint8Array): string | undefined {
  const b = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 12));
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.toString('latin1', 0, 6))) return 'image/gif';
  return undefined;
}

/** The multipart `size`: "1280x720" pixels or "16x9" as a ratio. */
export function parsePixelSize(value: string | undefined): { orientation: string; size: string } {
  const m = /^(\d+)x(\d+)$/.exec(value ?? '1280x720');
  const w = Number(m?.[1]);
  const h = Number(m?.[2]);
  if (!m || !w || !h) throw badRequest(`size must look like 1280x720, got ${JSON.stringify(value)}`, 'size 格式应为 宽x高，例如 1280x720');
  return { orientation: h > w ? 'portrait' : 'landscape', size: Math.max(w, h) >= 1920 ? 'large' : 'small' };
}

/** Form fields are strings: "true"/"false" for flags. */
export function formFlag(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw badRequest(`${name} must be "true" or "false"`, `${name} 只能是 "true" 或 "false"`);
}
