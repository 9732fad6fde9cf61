import type { ClipCardData, StoryboardPageState, StoryboardStrings } from '../../../src/webview/storyboardProtocol';

/** Labels of the storyboard view as the extension would send them in English (placeholders kept). */
export const STORYBOARD_STRINGS: StoryboardStrings = {
  status: {
    invalid: 'has errors',
    missing: 'not generated',
    outdated: 'out of date',
    queued: 'queued',
    queuedAt: 'queued, position {0}',
    generating: 'generating {0}%',
    downloading: 'downloading',
    ready: 'ready',
    notSaved: 'not saved: {0}',
    failed: 'failed: {0}',
    noReason: 'no reason given',
  },
  play: 'Play',
  generate: 'Generate',
  regenerate: 'Regenerate',
  retry: 'Retry',
  download: 'Download',
  reveal: 'Show in Editor',
  generateAll: 'Generate All ({0})',
  assemble: 'Assemble Film',
  playAll: 'Play All',
  playFilm: 'Play Film',
  revealFilm: 'Reveal Film',
  summary: '{0} of {1} clips ready',
  seconds: '{0} s',
  clip: 'Clip {0}',
  nowPlaying: 'Playing clip {0} of {1}',
  nowPlayingFilm: 'Playing the film',
  film: 'Film: {0}',
  noClips: 'No clips yet',
  nothingToPlay: 'Nothing to play',
  problems: '{0} problem(s)',
  clips: 'Clips',
  player: 'Video player',
  mediaError: 'Could not play',
  actionsFor: 'Actions for clip {0}',
};

export function clip(patch: Partial<ClipCardData> = {}): ClipCardData {
  return { id: 'c1', number: 1, title: 'Opening', duration: 10, status: { kind: 'missing' }, ...patch };
}

export function page(clips: ClipCardData[], patch: Partial<StoryboardPageState> = {}): StoryboardPageState {
  return { title: 'Rain', fileName: 'rain.storyboard.md', clips, toGenerate: clips.filter((c) => c.status.kind === 'missing').length, errors: 0, ...patch };
}
