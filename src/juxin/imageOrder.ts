import type { GenerationParams } from './types';

/** Every image of a generation in the order its family reads them: the frames first (first, last), then the others. */
export function imagesOfParams(params: Pick<GenerationParams, 'images' | 'firstFrame' | 'lastFrame'>): string[] {
  return [...(params.firstFrame ? [params.firstFrame] : []), ...(params.lastFrame ? [params.lastFrame] : []), ...params.images];
}
