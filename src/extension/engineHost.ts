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
import { SECTION, readSettings } from './settings';

/**
 * The one engine of this window: the palette, the sidebar and Copilot (through the MCP server) all
 * use it, so a task is tracked once. The client is rebuilt when the key or the base URL changes.
 */
export class EngineHost extends Disposable {
  readonly engine: VideoEngine;
  readonly home: string;
  private client: JuxinClient | undefined;
  private readonly clock: Clock;

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
        if (!this.client) throw new JuxinError('config', 'No Juxin API key is set: run "Sora: Set API Key".');
        return this.client;
      },
      store: new TaskStore(this.home, logger),
      videosDir: () => this.videosDir(),
      logger,
      minPollIntervalMs: settings.pollIntervalSeconds * 1000,
      maxRequestsPerSecond: settings.maxRequestsPerSecond,
      defaults: () => readSettings().defaults,
    });
    this._register(toDisposable(() => void this.engine.dispose()));
    this._register(keys.onDidChange(() => this.rebuildClient()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.baseUrl`)) this.rebuildClient();
      }),
    );
  }

  async start(): Promise<void> {
    await this.keys.get();
    this.rebuildClient();
    await this.engine.start();
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
        vscode.l10n.t('The Sora base URL setting {0}. Nothing is sent to Juxin until it is fixed.', isChinese() ? problem.zh : problem.en),
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
