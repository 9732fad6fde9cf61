import * as vscode from 'vscode';
import type { Strings } from '../../webview/protocol';

// Templates keep their `{0}`: passing '{0}' as the argument leaves the placeholder for the page to fill.
const PLACEHOLDER = '{0}';

/** Every label the pages show, in the UI language (pages cannot call vscode.l10n themselves). */
export function webviewStrings(): Strings {
  return {
    videos: vscode.l10n.t('Sora videos'),
    play: vscode.l10n.t('Play'),
    openFile: vscode.l10n.t('Open File'),
    copyUrl: vscode.l10n.t('Copy URL'),
    download: vscode.l10n.t('Download'),
    remix: vscode.l10n.t('Remix'),
    retry: vscode.l10n.t('Retry'),
    remove: vscode.l10n.t('Remove'),
    reveal: vscode.l10n.t('Reveal in OS'),
    setKey: vscode.l10n.t('Set API Key'),
    generate: vscode.l10n.t('Generate Video…'),
    gettingStarted: vscode.l10n.t('Open Getting Started'),
    actionsFor: vscode.l10n.t('Actions for "{0}"', PLACEHOLDER),
    emptyTitle: vscode.l10n.t('Make your first AI video'),
    stepKey: vscode.l10n.t('1. Set your Juxin API key'),
    stepKeyDone: vscode.l10n.t('1. Juxin API key is set ✓'),
    stepGenerate: vscode.l10n.t('2. Make your first video'),
    copilotHint: vscode.l10n.t('Or ask Copilot in agent mode: "make a 10 s landscape video of a paper boat on a rainy street".'),
    statusQueued: vscode.l10n.t('Queued'),
    statusQueuedAt: vscode.l10n.t('Queued · position {0}', PLACEHOLDER),
    statusGenerating: vscode.l10n.t('Generating · {0}%', PLACEHOLDER),
    statusDownloading: vscode.l10n.t('Downloading…'),
    statusReady: vscode.l10n.t('Ready'),
    statusNotSaved: vscode.l10n.t('Ready, but not saved'),
    statusFailed: vscode.l10n.t('Failed'),
    landscape: vscode.l10n.t('landscape'),
    portrait: vscode.l10n.t('portrait'),
    sizeSmall: vscode.l10n.t('small (~720p)'),
    sizeLarge: vscode.l10n.t('large (~1080p)'),
    seconds: vscode.l10n.t('{0} seconds', PLACEHOLDER),
    private: vscode.l10n.t('private'),
    public: vscode.l10n.t('public'),
    watermark: vscode.l10n.t('watermark'),
    images: vscode.l10n.t('{0} image(s)', PLACEHOLDER),
    character: vscode.l10n.t('with a character'),
    remixed: vscode.l10n.t('remix'),
    fromCopilot: vscode.l10n.t('from Copilot'),
    fromPalette: vscode.l10n.t('from the Command Palette'),
    hintModeration: vscode.l10n.t('The content check rejected this prompt. Generate again with a new prompt: no real people, no copyrighted characters.'),
    hintTimedOut: vscode.l10n.t('Look the task up in the Juxin console. Retry starts a new generation with the same parameters.'),
    hintFailed: vscode.l10n.t('This is often temporary: Retry in a few minutes with the same parameters.'),
    hintDownloadFailed: vscode.l10n.t('The video is ready on Juxin but was not saved. Press Download to try again.'),
    hintExpired: vscode.l10n.t('Juxin no longer serves this video (the link expired). Retry generates it again with the same parameters.'),
    notDownloaded: vscode.l10n.t('Not downloaded yet: playing from the video URL.'),
    noVideo: vscode.l10n.t('The video is not ready yet.'),
    mediaError: vscode.l10n.t('The video could not be played. Try Download again.'),
    player: vscode.l10n.t('Video player'),
    aacNote: vscode.l10n.t(
      'This video has sound, but this window cannot play its AAC audio, so it plays silently here. To hear it, play it in the system player.',
    ),
    playExternal: vscode.l10n.t('Play in System Player'),
  };
}
