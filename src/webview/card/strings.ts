// The card cannot call vscode.l10n (it is served by the MCP server, also outside VS Code), so it
// carries its English labels and takes the Chinese from the extension's own translation file: one
// translation per phrase for the whole product. The labels shared with the pages are the same English
// keys as src/extension/views/strings.ts (a unit test keeps them equal).
import zhBundle from '../../../l10n/bundle.l10n.zh-cn.json';
import type { Strings } from '../protocol';

export type Lang = 'en' | 'zh';

/** The host's locale (`hostContext.locale`, e.g. "zh-cn", "zh-Hans", "en-US") to the card's language. */
export function langOf(locale: string | undefined): Lang {
  return /^zh\b/i.test(locale ?? '') ? 'zh' : 'en';
}

/** The card's own labels, beyond the pages' ones. `{0}` is a placeholder. */
export interface CardLabels {
  card: string;
  starting: string;
  startFailed: string;
  callFailed: string;
  loading: string;
  missing: string;
  noAnswer: string;
  openPreview: string;
  copied: string;
  remixStart: string;
  remixPlaceholder: string;
  remixConfirm: string;
  remixCost: string;
  remixFollowing: string;
  cancel: string;
  addToStoryboard: string;
  tooLarge: string;
  loadFailed: string;
  actionFailed: string;
}

export type CardStrings = Strings & CardLabels;

const ZH: Record<string, string> = zhBundle;

/** Every label in the card's language (English when a translation is missing). */
export function cardStrings(lang: Lang): CardStrings {
  const t = (english: string) => (lang === 'zh' ? (ZH[english] ?? english) : english);
  return {
    // Shared with the pages (same English keys as the extension's webviewStrings()).
    videos: t('AI videos'),
    play: t('Play'),
    openFile: t('Open File'),
    copyUrl: t('Copy URL'),
    download: t('Download'),
    remix: t('Remix'),
    retry: t('Retry'),
    remove: t('Remove'),
    reveal: t('Reveal in OS'),
    setKey: t('Set API Key'),
    generate: t('Generate Video…'),
    gettingStarted: t('Open Getting Started'),
    actionsFor: t('Actions for "{0}"'),
    emptyTitle: t('Make your first AI video'),
    stepKey: t('1. Set your Juxin API key'),
    stepKeyDone: t('1. Juxin API key is set ✓'),
    stepGenerate: t('2. Make your first video'),
    copilotHint: t('Or ask Copilot in agent mode: "make a 10 s landscape video of a paper boat on a rainy street".'),
    statusQueued: t('Queued'),
    statusQueuedAt: t('Queued · position {0}'),
    statusGenerating: t('Generating · {0}%'),
    statusDownloading: t('Downloading…'),
    statusReady: t('Ready'),
    statusNotSaved: t('Ready, but not saved'),
    statusFailed: t('Failed'),
    seconds: t('{0} seconds'),
    private: t('private'),
    public: t('public'),
    watermark: t('watermark'),
    images: t('{0} image(s)'),
    character: t('with a character'),
    remixed: t('remix'),
    sourcePalette: t('Command Palette'),
    sourceCopilot: t('Copilot'),
    sourceAgent: t('Other AI apps'),
    sourceStoryboard: t('Storyboards'),
    sourceCli: t('Command line'),
    search: t('Search videos by prompt'),
    searchPlaceholder: t('Search prompts (中文 or English)'),
    filterStatus: t('Filter by status'),
    filterSource: t('Filter by source'),
    allStatuses: t('All statuses'),
    allSources: t('All sources'),
    running: t('Running'),
    withCount: t('{0} ({1})'),
    showList: t('Show as a list'),
    showGrid: t('Show as a grid'),
    today: t('Today'),
    yesterday: t('Yesterday'),
    resultCount: t('{0} videos'),
    resultCountFiltered: t('{0} of {1} videos'),
    noMatches: t('No video matches the search and filters.'),
    clearFilters: t('Clear Search and Filters'),
    moreActions: t('More Actions…'),
    position: t('Video {0} of {1}'),
    hintModeration: t('The content check rejected this prompt. Generate again with a new prompt: no real people, no copyrighted characters.'),
    hintTimedOut: t('Look the task up in the Juxin console. Retry starts a new generation with the same parameters.'),
    hintFailed: t('This is often temporary: Retry in a few minutes with the same parameters.'),
    hintDownloadFailed: t('The video is ready on Juxin but was not saved. Press Download to try again.'),
    hintExpired: t('Juxin no longer serves this video (the link expired). Retry generates it again with the same parameters.'),
    notDownloaded: t('Not downloaded yet: playing from the video URL.'),
    noVideo: t('The video is not ready yet.'),
    mediaError: t('The video could not be played. Try Download again.'),
    player: t('Video player'),
    aacNote: t('This video has sound, but this window cannot play its AAC audio, so it plays silently here. To hear it, play it in the system player.'),
    playExternal: t('Play in System Player'),
    spendRegion: t('Spending today and this month'),
    spendToday: t('Today: {0}'),
    spendMonth: t('This month: {0}'),
    spendVideosOf: t('{0}/{1} videos'),
    spendVideos: t('{0} video(s)'),
    spendSecondsOf: t('{0}/{1} s'),
    spendSeconds: t('{0} s'),
    spendYuan: t('≈ ¥{0}'),
    spendFailed: t('Failed: {0} today, {1} this month (may or may not have been billed)'),
    spendNear: t("Near today's limit."),
    spendOver: t("At today's limit: the next generation asks you first."),
    spendSettings: t('Daily Limits and Prices…'),
    // The card's own.
    card: t('Sora video'),
    starting: t('Starting the generation…'),
    startFailed: t('The generation did not start.'),
    callFailed: t('The tool call failed.'),
    loading: t('Loading…'),
    missing: t('This video is no longer in the history.'),
    noAnswer: t('No task yet. The answer of the tool call in the chat says what happened.'),
    openPreview: t('Open in Preview'),
    copied: t('Copied'),
    remixStart: t('Remix…'),
    remixPlaceholder: t('Describe the change, e.g. "make the sky purple"'),
    remixConfirm: t('Remix (paid)'),
    remixCost: t('A remix is a new generation and costs like one.'),
    remixFollowing: t('Remix started: this card now follows the new video.'),
    cancel: t('Cancel'),
    addToStoryboard: t('Add to Storyboard'),
    tooLarge: t('This video ({0} MB) is too large to play in the chat: open it in the preview.'),
    loadFailed: t('The video could not be loaded here. Open it in the preview instead.'),
    actionFailed: t('That did not work: {0}'),
  };
}
