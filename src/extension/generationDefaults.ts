import { orientationOf, RESOLUTIONS } from '../catalog';
import { ORIENTATIONS, SIZES, type GenerationParams, type Orientation, type VideoSize } from '../juxin/types';

// Free of VS Code: the settings' generation defaults as a pure reading, so unit tests read them too.

/**
 * The user's defaults for a generation. `model` unset: the engine's choice (the first usable model of
 * the catalog's preference list, Veo 3.1 fast first). Each value applies where the chosen model takes it
 * (core/params); `orientation` and `size` are the old settings' words, kept so old settings still work.
 */
export type GenerationDefaults = Partial<Pick<GenerationParams, 'model' | 'aspectRatio' | 'resolution'>> &
  Pick<GenerationParams, 'orientation' | 'size' | 'duration' | 'watermark' | 'private'>;

/** What a settings reader gives: `get(key)` of VS Code's configuration (a seam for the unit tests). */
export type SettingsSource = { get<T>(key: string): T | undefined };

/**
 * The generation defaults of the settings. The new `defaultAspectRatio` and `defaultResolution` win;
 * without them the deprecated `defaultOrientation` and `defaultSize` still say the shape and size, as
 * they did. A value of the wrong type (settings.json is hand-written) counts as unset.
 */
export function readGenerationDefaults(c: SettingsSource): GenerationDefaults {
  const text = (key: string) => {
    const v = c.get<unknown>(key);
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const model = text('defaultModel');
  const ratio = text('defaultAspectRatio');
  const aspectRatio = ratio && /^\d{1,2}:\d{1,2}$/.test(ratio) ? ratio : undefined;
  const wanted = text('defaultResolution')?.toLowerCase();
  const resolution = RESOLUTIONS.find((r) => r === wanted);
  const orientation = text('defaultOrientation') as Orientation | undefined;
  const size = text('defaultSize') as VideoSize | undefined;
  const duration = c.get<unknown>('defaultDuration');
  const flag = (key: string, fallback: boolean) => {
    const v = c.get<unknown>(key);
    return typeof v === 'boolean' ? v : fallback;
  };
  return {
    ...(model ? { model } : {}),
    ...(aspectRatio ? { aspectRatio } : {}),
    ...(resolution ? { resolution } : {}),
    orientation: aspectRatio ? orientationOf(aspectRatio) : orientation && ORIENTATIONS.includes(orientation) ? orientation : 'landscape',
    size: resolution ? (resolution === '720p' ? 'small' : 'large') : size && SIZES.includes(size) ? size : 'small',
    duration: typeof duration === 'number' && Number.isInteger(duration) && duration > 0 ? duration : 10,
    watermark: flag('defaultWatermark', false),
    private: flag('defaultPrivate', true),
  };
}
