/**
 * Messages between the extension and the storyboard view (the filmstrip of one storyboard). Types
 * only: imported by both sides. Every message the page sends is untrusted and validated by the
 * extension (src/extension/storyboard/messages.ts).
 */
import type { ClipStatus } from '../storyboard/status';
import type { ClipStatusWords } from './model/clipStatus';

export type { ClipStatus };

/** One clip as the page may see it: no local path (its video is a webview URI), text raw (rendered as text). */
export interface ClipCardData {
  id: string;
  /** 1-based place in the storyboard. */
  number: number;
  title: string;
  /** Seconds (as the storyboard asks for). */
  duration: number;
  status: ClipStatus;
  /** A webview URI of the clip's video (this version's, or an earlier one while out of date). */
  video?: string;
  /** The relay's thumbnail (https or the API origin only), while there is no video on disk yet. */
  thumbnail?: string;
  /** Its first subtitle line, as a caption. */
  caption?: string;
}

export interface FilmData {
  /** A webview URI of the joined film. */
  src: string;
  name: string;
}

/** The page's `data-state` and every later full update. */
export interface StoryboardPageState {
  title: string;
  fileName: string;
  clips: ClipCardData[];
  /** How many clips "Generate all" would start. */
  toGenerate: number;
  /** Errors in the file (shown as a count; the Problems panel has them). */
  errors: number;
  film?: FilmData;
}

/** What the page asks the extension to do with one clip. */
export type ClipAction = 'play' | 'generate' | 'regenerate' | 'retry' | 'download' | 'reveal';
export type StoryboardAction = 'generateAll' | 'assemble' | 'revealFilm';

export type ToStoryboardPage =
  | { type: 'state'; state: StoryboardPageState }
  /** Play in the page's player: every clip in order, the film, or one clip. */
  | { type: 'play'; what: 'all' | 'film' | { clipId: string } };

export type FromStoryboardPage =
  | { type: 'ready' }
  | { type: 'clip'; action: ClipAction; clipId: string }
  | { type: 'storyboard'; action: StoryboardAction }
  | { type: 'mediaError'; clipId?: string };

/** Labels, in the UI language; `{0}`, `{1}` are placeholders. */
export interface StoryboardStrings {
  status: ClipStatusWords;
  play: string;
  generate: string;
  regenerate: string;
  retry: string;
  download: string;
  reveal: string;
  /** "Generate All ({0})" */
  generateAll: string;
  assemble: string;
  playAll: string;
  playFilm: string;
  revealFilm: string;
  /** "{0} of {1} clips ready" */
  summary: string;
  /** "{0} s" */
  seconds: string;
  /** "Clip {0}" */
  clip: string;
  /** "Playing clip {0} of {1}" */
  nowPlaying: string;
  nowPlayingFilm: string;
  /** "Film: {0}" */
  film: string;
  noClips: string;
  nothingToPlay: string;
  /** "{0} problem(s) in the file" */
  problems: string;
  clips: string;
  player: string;
  mediaError: string;
  /** "Actions for clip {0}" */
  actionsFor: string;
}

/** What the page persists so the serializer can bring the panel back after a reload. */
export interface PersistedStoryboard {
  file: string;
}
