import { describeModel, familyOf, type Resolution } from '../catalog';
import { imagesOfParams } from './imageOrder';
import { isHttpUrl } from './images';
import type { GenerationParams } from './types';

/**
 * The body of `POST /v1/video/create` (the unified format) for these parameters, built by the model's
 * family as the catalog describes it. `image(ref)` turns each image (a URL or a local path) into what is
 * sent: the URL itself, or a local file's bytes as a data: URI (the client); the history keeps the
 * path (the engine), so a record says what was sent without holding the picture.
 */
export function unifiedBody(params: GenerationParams, image: (ref: string) => string = (ref) => ref): Record<string, unknown> {
  const images = imagesOfParams(params).map(image);
  const aspectRatio = params.aspectRatio ?? (params.orientation === 'portrait' ? '9:16' : '16:9');
  const resolution: Resolution = params.resolution ?? (params.size === 'large' ? '1080p' : '720p');
  const family = familyOf(params.model);
  if (!family || !describeModel(params.model)) {
    // Not described: the fields every family of the unified format shares.
    return { prompt: params.prompt, model: params.model, images, aspect_ratio: aspectRatio, duration: params.duration };
  }
  return family.body({ ...params, aspectRatio, resolution, images });
}

/** A create request: the unified JSON route, or Sora's multipart route for local files (its form fields, then its files). */
export type CreateRequest =
  { path: '/v1/video/create'; json: Record<string, unknown> } | { path: '/v1/videos'; fields: Record<string, string>; files: string[] };

/**
 * THE create request for these parameters: what the client sends and what the history keeps (with each
 * local image by its path: `image` turns it into what is sent). Sora takes local files only through
 * its multipart route; every other family takes them inline in `images` (data: URIs, made by `image`).
 */
export function createRequestOf(params: GenerationParams, image: (ref: string) => string = (ref) => ref): CreateRequest {
  const files = imagesOfParams(params).filter((ref) => !isHttpUrl(ref));
  if (!files.length || describeModel(params.model)?.family !== 'sora') return { path: '/v1/video/create', json: unifiedBody(params, image) };
  const fields: Record<string, string> = {
    model: params.model,
    prompt: params.prompt,
    seconds: String(params.duration),
    size: pixelSize(params),
    watermark: String(params.watermark),
    private: String(params.private),
  };
  if (params.characterUrl) fields.character_url = params.characterUrl;
  if (params.characterTimestamps) fields.character_timestamps = params.characterTimestamps;
  return { path: '/v1/videos', fields, files };
}

/** The multipart path wants pixels: small ≈ 720p, large ≈ 1080p, turned by orientation. */
function pixelSize(params: GenerationParams): string {
  const [long, short] = params.size === 'large' ? [1920, 1080] : [1280, 720];
  return params.orientation === 'portrait' ? `${short}x${long}` : `${long}x${short}`;
}
