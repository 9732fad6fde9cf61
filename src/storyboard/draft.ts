import type { Orientation, VideoSize } from '../juxin/types';
import { groupSubtitles, modelDurations, type SubtitleGroup } from './grouping';
import { SrtError, type SubtitleCue } from './srt';
import { MAX_STORYBOARD_CLIPS, type CastMember, type StoryboardDefaults } from './types';
import type { StoryboardDraft } from './write';

export interface DraftOptions {
  title: string;
  /** Any model the catalog describes: the clips take its durations. */
  model: string;
  orientation: Orientation;
  size: VideoSize;
  /** For every family but Sora: the checked shape and resolution (see StoryboardDefaults). */
  aspectRatio?: string;
  resolution?: StoryboardDefaults['resolution'];
  style?: string;
  cast?: CastMember[];
  /** The subtitle file, as the storyboard should name it (relative to the storyboard). */
  subtitles?: string;
  /** At most this long per clip (seconds); default: the model's longest. */
  maxSeconds?: number;
}

/**
 * A first storyboard from subtitles: one clip per group of lines, each clip's prompt is its lines'
 * text until someone (or Copilot) writes the shots. The default duration is the model's shortest;
 * a clip that needs longer says so itself.
 */
export function draftFromSubtitles(cues: readonly SubtitleCue[], options: DraftOptions): { draft: StoryboardDraft; groups: SubtitleGroup[] } {
  const groups = groupSubtitles(cues, { model: options.model, maxSeconds: options.maxSeconds });
  if (groups.length > MAX_STORYBOARD_CLIPS) {
    throw new SrtError(
      `These subtitles make ${groups.length} clips, but a storyboard has at most ${MAX_STORYBOARD_CLIPS} (each clip is one paid video). ` +
        `Split the subtitle file into parts of about ${MAX_STORYBOARD_CLIPS} clips (${Math.floor(cues.length / Math.ceil(groups.length / MAX_STORYBOARD_CLIPS))} lines or fewer each) and make one storyboard of each.`,
      `这些字幕会切成 ${groups.length} 个片段，而一个分镜最多 ${MAX_STORYBOARD_CLIPS} 个（每个片段都是一个付费视频）。请把字幕文件拆成几份，每份约 ${MAX_STORYBOARD_CLIPS} 个片段，分别创建分镜。`,
    );
  }
  const shortest = Math.min(...groups.map((g) => g.duration), Infinity);
  const duration = Number.isFinite(shortest) ? shortest : modelDurations(options.model)[0];
  const defaults: StoryboardDefaults = { model: options.model, orientation: options.orientation, size: options.size, duration };
  if (options.aspectRatio) defaults.aspectRatio = options.aspectRatio;
  if (options.resolution) defaults.resolution = options.resolution;
  const draft: StoryboardDraft = {
    title: options.title,
    defaults,
    style: options.style ?? '',
    cast: options.cast ?? [],
    clips: groups.map((group) => ({
      title: clipTitle(group),
      prompt: subtitlePrompt(group.cues),
      duration: group.duration === duration ? undefined : group.duration,
      images: [],
      subtitles: group.cues,
    })),
  };
  if (options.subtitles) draft.subtitles = options.subtitles;
  return { draft, groups };
}

/** The prompt a clip has before anyone writes shots: the words of its lines. */
export function subtitlePrompt(cues: readonly { text: string }[]): string {
  return cues.map((c) => c.text.replace(/\s*\n\s*/g, ' ')).join('\n');
}

function clipTitle(group: SubtitleGroup): string {
  const first = group.cues[0]?.text.split('\n')[0].trim() ?? '';
  return first.length > 24 ? `${first.slice(0, 24)}…` : first;
}
