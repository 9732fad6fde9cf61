import * as vscode from 'vscode';
import { VideoEngine } from '../core/engine';
import { defaultHomeDir } from '../core/home';
import { TaskStore } from '../core/store';
import { JuxinClient } from '../juxin/client';
import { JuxinError } from '../juxin/errors';
import { baseUrlProblem } from '../juxin/http';
import { scaledClock, systemClock, type Clock } from '../util/clock';
import type { Logger } from '../util/log';
import type { ApiKeyStore } from './apiKey';
import { isChinese } from './messages';
import { Disposable, toDisposable } from './util/dispose';
import { resolveDownloadFolder } from './paths';
import { SECTION, readSettings, readSpendSettings } from './settings';
import { openSpendSettings } from './spendPrompt';

/** How to raise a limit in VS Code: the sentence a refused generation (Copilot's too) ends with. */
export const SPEND_HELP = {
  en: 'To allow more, raise the daily limits in the settings (juxinSora.dailyVideoLimit, juxinSora.dailySecondsLimit; 0 = no limit), or run "AI Video: Daily Limits and Prices…".',
  zh: '如需更多，请在设置中提高每日上限（juxinSora.dailyVideoLimit、juxinSora.dailySecondsLimit；0 表示不限），或运行“AI 视频: 每日上限与价格…”。',
};

/**
 * The one engine of this window: the palette, the sidebar and Copilot (through the MCP server) all
 * use it, so a task is tracked once. The client is rebuilt when the key or the base URL changes.
 */
export class EngineHost extends Disposable {
  readonly engine: VideoEngine;
  readonly home: string;
  private client: JuxinClient | undefined;
  private readonly clock: Clock;
  private starting: Promise<void> | undefined;
  private settled = false;
  private keyRead = false;
  private keyReading: Promise<void> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly keys: ApiKeyStore,
    private readonly logger: Logger,
  ) {
    super();
    this.home = defaultHomeDir(process.env);
    const settings = readSettings();
    this.clock = clockFromEnvironment();
    this.engine = new VideoEngine({
      clock: this.clock,
      api: () => {
        if (!this.client) throw new JuxinError('config', 'No Juxin API key is set: run "AI Video: Set API Key".');
        return this.client;
      },
      store: new TaskStore(this.home, logger),
      videosDir: () => this.videosDir(),
      logger,
      minPollIntervalMs: settings.pollIntervalSeconds * 1000,
      maxRequestsPerSecond: settings.maxRequestsPerSecond,
      defaults: () => readSettings().defaults,
      // Read at every request: a changed limit applies to the next generation, in every path.
      spendLimits: () => readSpendSettings().limits,
      spendHelp: SPEND_HELP,
    });
    this._register(toDisposable(() => void this.engine.dispose()));
    this._register(keys.onDidChange(() => this.rebuildClient()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.baseUrl`)) this.rebuildClient();
        if (e.affectsConfiguration(`${SECTION}.prices`)) this.checkPrices();
      }),
    );
  }

  /**
   * Reads the key and the history side by side, then lets the engine take over unfinished tasks (with
   * the client built, so a download that needs a fresh URL can ask for it). Activation does not wait
   * for it: what needs the key or the history awaits `ready`. Safe to call more than once.
   */
  start(): Promise<void> {
    this.starting ??= (async () => {
      try {
        // Awaited through engine.start() below; until then a failure is not an unhandled rejection.
        this.engine.load().catch(() => undefined);
        await this.readKey();
        await this.engine.start();
      } finally {
        this.settled = true;
      }
    })();
    return this.starting;
  }

  /** The key from the secret storage, and the client made with it (once). */
  private readKey(): Promise<void> {
    this.keyReading ??= this.keys.get().then(() => {
      this.keyRead = true;
      this.rebuildClient();
      this.checkPrices();
    });
    return this.keyReading;
  }

  /** Settles once `start` has: the key read and the history loaded (or the reason they could not be). */
  get ready(): Promise<void> {
    return this.start();
  }

  /** `ready` has settled: the history in the engine is the whole of it (or all there will be). */
  get isReady(): boolean {
    return this.settled;
  }

  /**
   * What the Videos view waits for, sooner than `ready`: the history there to show (from its index,
   * before every file is checked: the engine's `whenAvailable`), and the key only when the history is
   * empty (the onboarding's first step says whether one is set). Never rejects: if the history cannot be
   * read, it settles when `ready` does (which says why).
   */
  async whenViewable(): Promise<void> {
    const started = this.start();
    try {
      await this.engine.whenAvailable();
      if (this.engine.size === 0) await this.readKey();
    } catch {
      await started.catch(() => undefined);
    }
  }

  /** `whenViewable` has settled. */
  get isViewable(): boolean {
    return this.settled || (this.engine.available && (this.keyRead || this.engine.size > 0));
  }

  /** A prices setting that makes no sense is said once, naming it; no prices are used until it is fixed. */
  private checkPrices(): void {
    const { problems } = readSpendSettings();
    if (!problems.length) return;
    this.logger.warn(`the juxinSora.prices setting is not valid: ${problems.join('; ')}`);
    const open = vscode.l10n.t('Open Settings');
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t('The setting juxinSora.prices is not valid ({0}), so no ¥ estimates are shown until it is fixed.', problems.join('; ')),
        open,
      )
      .then((choice) => choice === open && openSpendSettings());
  }

  get hasKey(): boolean {
    return this.client !== undefined;
  }

  videosDir(): string {
    return resolveDownloadFolder(readSettings().downloadFolder, this.context.globalStorageUri.fsPath, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  }

  private rebuildClient(): void {
    const key = this.keys.current;
    const { baseUrl } = readSettings();
    // A bad base URL is said once, here; the client refuses to send anything to it (a config error).
    const problem = baseUrlProblem(baseUrl);
    if (problem) {
      this.logger.warn(`the juxinSora.baseUrl setting ${problem.en}`);
      void vscode.window.showErrorMessage(
        vscode.l10n.t('The Juxin base URL setting {0}. Nothing is sent to Juxin until it is fixed.', isChinese() ? problem.zh : problem.en),
      );
    }
    this.client = key ? new JuxinClient({ apiKey: key, baseUrl, logger: this.logger, clock: this.clock }) : undefined;
    if (this.client) this.engine.resumeTracking();
    this.logger.info(key ? `API key set; using ${baseUrl}` : 'no API key set');
  }
}

/** JUXIN_TIME_SCALE: only for runs against the simulator (the tests), where minutes pass in seconds. */
function clockFromEnvironment(): Clock {
  const scale = Number(process.env.JUXIN_TIME_SCALE);
  // Windows and servers on one home must agree on the simulated time: the harness gives them one origin.
  const origin = Number(process.env.JUXIN_TIME_ORIGIN);
  return Number.isFinite(scale) && scale > 1 ? scaledClock(scale, Number.isFinite(origin) && origin > 0 ? origin : undefined) : systemClock;
}
