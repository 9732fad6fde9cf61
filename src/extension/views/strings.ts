import * as vscode from 'vscode';
import type { Strings } from '../../webview/protocol';

/** Labels the webviews show, localized here (webviews can't call vscode.l10n). */
export function webviewStrings(): Strings {
  return {
    play: vscode.l10n.t('Play'),
    openFile: vscode.l10n.t('Open File'),
    copyUrl: vscode.l10n.t('Copy URL'),
    download: vscode.l10n.t('Download'),
    remix: vscode.l10n.t('Remix'),
    retry: vscode.l10n.t('Retry'),
    remove: vscode.l10n.t('Remove'),
    reveal: vscode.l10n.t('Reveal in OS'),
    videos: vscode.l10n.t('Sora videos'),
    emptyTitle: vscode.l10n.t('Make your first AI video'),
    stepKey: vscode.l10n.t('1. Set your Juxin API key'),
    stepKeyDone: vscode.l10n.t('1. Juxin API key is set ✓'),
    stepGenerate: vscode.l10n.t('2. Make your first video'),
    setKey: vscode.l10n.t('Set API Key'),
    generate: vscode.l10n.t('Generate Video…'),
    copilotHint: vscode.l10n.t('Or ask Copilot in agent mode: "make a 10 s landscape video of a paper boat on a rainy street".'),
    gettingStarted: vscode.l10n.t('Open Getting Started'),
    progress: vscode.l10n.t('Progress'),
    parameters: vscode.l10n.t('Parameters'),
    notDownloaded: vscode.l10n.t('Not downloaded yet: playing from the video URL.'),
    noVideo: vscode.l10n.t('The video is not ready yet.'),
    mediaError: vscode.l10n.t('The video could not be played. Try Download again.'),
  };
}
