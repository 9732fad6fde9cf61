import { describeModel, familyOf, type Resolution } from '../catalog';
import { imagesOfParams } from './imageOrder';
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
