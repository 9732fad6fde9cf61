import { describeOverrun, type SpendCheck } from '../core/spend';

/** `vscode.l10n` (or a stand-in in the unit tests: this module never imports vscode). */
export interface L10n {
  t(message: string, ...args: (string | number | boolean)[]): string;
}

export interface OverrunDialog {
  message: string;
  detail: string;
  /** The button that lets this one request through. */
  generate: string;
  /** The button that opens the settings (and sends nothing). */
  changeLimits: string;
}

/**
 * The modal before a generation past a daily limit: "This would be video 21 today, over your limit
 * of 20 (about ¥3.50). Generate anyway?", what today comes to, and what each button does.
 */
export function overrunDialog(check: SpendCheck, l10n: L10n, chinese: boolean): OverrunDialog {
  const words = describeOverrun(check);
  const { dailyVideos, dailySeconds } = check.limits;
  const videos = dailyVideos > 0 ? l10n.t('{0} videos a day', dailyVideos) : l10n.t('no limit on videos');
  const seconds = dailySeconds > 0 ? l10n.t('{0} s of video a day', dailySeconds) : l10n.t('no limit on seconds');
  return {
    message: chinese ? `${words.zh}${l10n.t('Generate anyway?')}` : `${words.en} ${l10n.t('Generate anyway?')}`,
    detail: [
      l10n.t('With this, today comes to {0} video(s) and {1} s of video. Your limits: {2}, {3}.', check.videos, check.seconds, videos, seconds),
      l10n.t(
        'The limits keep an agent on auto-approve from spending without you. "Generate Anyway" allows this request only; "Change Limits…" opens the settings and sends nothing.',
      ),
    ].join('\n'),
    generate: l10n.t('Generate Anyway'),
    changeLimits: l10n.t('Change Limits…'),
  };
}
