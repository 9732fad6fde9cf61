import * as vscode from 'vscode';
import type { ClipStatusWords } from '../../webview/model/clipStatus';
import type { StoryboardStrings } from '../../webview/storyboardProtocol';
import { isChinese } from '../messages';

// Templates keep their `{0}`: passing '{0}' as the argument leaves the placeholder for `fill`.
const P = '{0}';
const Q = '{1}';

/** The words of a clip's status in the UI language: the CodeLens and the storyboard view both use them. */
export function clipStatusWords(): ClipStatusWords {
  return {
    invalid: vscode.l10n.t('has errors (see Problems)'),
    missing: vscode.l10n.t('not generated'),
    outdated: vscode.l10n.t('out of date'),
    queued: vscode.l10n.t('queued'),
    queuedAt: vscode.l10n.t('queued, position {0}', P),
    generating: vscode.l10n.t('generating {0}%', P),
    downloading: vscode.l10n.t('downloading'),
    ready: vscode.l10n.t('ready'),
    notSaved: vscode.l10n.t('ready, but not saved: {0}', P),
    failed: vscode.l10n.t('failed: {0}', P),
    noReason: vscode.l10n.t('no reason given'),
  };
}

/** Every label of the storyboard view (pages cannot call vscode.l10n). */
export function storyboardStrings(): StoryboardStrings {
  return {
    status: clipStatusWords(),
    play: vscode.l10n.t('Play'),
    generate: vscode.l10n.t('Generate'),
    regenerate: vscode.l10n.t('Regenerate'),
    retry: vscode.l10n.t('Retry'),
    download: vscode.l10n.t('Download'),
    reveal: vscode.l10n.t('Show in Editor'),
    generateAll: vscode.l10n.t('Generate All ({0})', P),
    assemble: vscode.l10n.t('Assemble Film'),
    playAll: vscode.l10n.t('Play All'),
    playFilm: vscode.l10n.t('Play Film'),
    revealFilm: vscode.l10n.t('Reveal Film'),
    summary: vscode.l10n.t('{0} of {1} clips ready', P, Q),
    seconds: vscode.l10n.t('{0} s', P),
    clip: vscode.l10n.t('Clip {0}', P),
    nowPlaying: vscode.l10n.t('Playing clip {0} of {1}', P, Q),
    nowPlayingFilm: vscode.l10n.t('Playing the film'),
    film: vscode.l10n.t('Film: {0}', P),
    noClips: vscode.l10n.t('No clips yet: each "## " heading in the storyboard file starts a clip.'),
    nothingToPlay: vscode.l10n.t('No clip has a video yet: generate the clips first.'),
    problems: vscode.l10n.t('{0} problem(s) in the file: see the Problems panel.', P),
    clips: vscode.l10n.t('Clips'),
    player: vscode.l10n.t('Video player'),
    mediaError: vscode.l10n.t('This video could not be played.'),
    actionsFor: vscode.l10n.t('Actions for clip {0}', P),
  };
}

/** Prose the storyboard modules wrote in both languages, in the UI's. */
export function inUiLanguage(value: { message: string; messageZh?: string }): string {
  return isChinese() && value.messageZh ? value.messageZh : value.message;
}
