import type { Resolution } from '../catalog';
import type { Orientation, VideoSize } from '../juxin/types';

/**
 * The most clips one storyboard may have, however it is made (the clips a caller gives, a draft from
 * subtitles, a file written by hand): one `generate_storyboard` orders them all, so a runaway file must
 * not become thousands of paid videos when the daily limits are off.
 */
export const MAX_STORYBOARD_CLIPS = 200;

/**
 * A storyboard (分镜) as read from a `*.storyboard.md` file: a front matter with the defaults, the
 * style string and the cast, then one `## ` section per clip. See docs/storyboard.md for the format.
 */
export interface Storyboard {
  title: string;
  /** Generation settings every clip uses unless it says otherwise (only `duration`, the images and the frames can differ per clip). */
  defaults: StoryboardDefaults;
  /** Appended to every clip's prompt so the clips look alike. May be empty. */
  style: string;
  /** Recurring characters: written `@name` in prompts, sent as `@username`. */
  cast: CastMember[];
  /** The subtitle file the draft was made from, as written (informative). */
  subtitles?: string;
  clips: Clip[];
}

export interface StoryboardDefaults {
  /** Any video model (src/catalog); files written before name a Sora model. */
  model: string;
  /** Sora's words; for other families, the shape and size of `aspectRatio` and `resolution`. */
  orientation: Orientation;
  size: VideoSize;
  /** Set for every family but Sora (whose shape and size are `orientation` and `size`, as files written before say). */
  aspectRatio?: string;
  resolution?: Resolution;
  duration: number;
}

export interface CastMember {
  /** The name used in the storyboard, e.g. 小林 or Mika. */
  name: string;
  /** The Sora character's username, with its leading @, e.g. @hfspncadz.mooflapand. */
  username: string;
}

export interface Clip {
  /** Stable id written in the heading (`{#c3}`); survives reordering and edits. Missing on a clip a person just added. */
  id?: string;
  /** The heading text without the id. */
  title: string;
  /** The prompt as written (cast by `@name`, no style string). */
  prompt: string;
  /** Seconds; when absent the storyboard's default duration applies. */
  duration?: number;
  /** Image URLs or paths relative to the storyboard file (image-to-video). */
  images: string[];
  /** The first and last frame (models whose images are frames): a URL or a path, absolute or relative to the storyboard file. */
  firstFrame?: string;
  lastFrame?: string;
  /** The subtitle lines this clip covers, timed from the clip's own start. */
  subtitles: ClipCue[];
  /** Where the clip is in the file (0-based lines): for CodeLens, diagnostics and edits. */
  lines: ClipLines;
}

export interface ClipLines {
  /** The `## ` heading line. */
  heading: number;
  /** The last line of the section (inclusive). */
  end: number;
  /** The prompt's first and last lines (inclusive), when it has any. */
  prompt?: { start: number; end: number };
  /** The lines of the clip's own settings, when written. */
  fields: { duration?: number; images?: number; first_frame?: number; last_frame?: number };
  /** The line of each subtitle (same order as `subtitles`). */
  subtitles: number[];
}

/** One subtitle line, in milliseconds from the start of its clip. */
export interface ClipCue {
  start: number;
  end: number;
  text: string;
}

export type ProblemSeverity = 'error' | 'warning';

/** Something wrong in a storyboard file, at a line, said in English and Chinese. */
export interface StoryboardProblem {
  severity: ProblemSeverity;
  /** 0-based line (the message itself says the 1-based line). */
  line: number;
  message: string;
  messageZh: string;
  /** The clip it belongs to, when it belongs to one (by index in `clips`). */
  clipIndex?: number;
  /** A value on this line an editor can replace in one step (a retired model → the model to use instead). */
  fix?: { from: string; to: string };
}

export interface ParsedStoryboard {
  storyboard: Storyboard;
  problems: StoryboardProblem[];
}

/** A storyboard that cannot be used as it is; carries every error with its line. */
export class StoryboardError extends Error {
  override readonly name = 'StoryboardError';
  readonly messageZh: string;
  constructor(readonly problems: StoryboardProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.messageZh = problems.map((p) => p.messageZh).join('\n');
  }
}
