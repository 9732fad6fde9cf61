import * as vscode from 'vscode';
import type { VideoEngine } from '../core/engine';
import { WrittenFiles } from '../core/writtenFiles';
import { ApiKeyStore } from './apiKey';
import { registerKeyCommands, offerEnvironmentKey } from './commands/keyCommands';
import { registerTaskCommands } from './commands/taskCommands';
import { EngineHost } from './engineHost';
import { createLogger } from './logger';
import { createMcpConfirm } from './mcpConfirm';
import { describeError } from './messages';
import { registerMcpProvider, SoraMcpProvider } from './mcpProvider';
import type { Services } from './services';
import { SoraStatusBar } from './statusBar';
import { registerStoryboards, storyboardMcpHooks } from './storyboard';
import { registerPreviewPanel, registerTaskMenu, registerVideosView, type PreviewPanels } from './views';

/** What activate() returns to the in-VS-Code tests (and to nobody else); it never exposes the key. */
export interface SoraExtensionApi {
  engine: VideoEngine;
  hasApiKey(): Promise<boolean>;
  mcpDefinitions(): Promise<vscode.McpHttpServerDefinition[]>;
  resolveMcp(definition: vscode.McpHttpServerDefinition): Promise<vscode.McpHttpServerDefinition | undefined>;
  openPreviewIds(): string[];
  /** The page of a task's open preview, and of the Videos view once resolved (for the views tests). */
  previewHtml(taskId: string): string | undefined;
  videosViewHtml(): string | undefined;
  /** The page of a storyboard's open view (for the storyboard tests). */
  storyboardViewHtml(file: string): string | undefined;
  videosDir(): string;
  activationMs: number;
}

export async function activate(context: vscode.ExtensionContext): Promise<SoraExtensionApi | undefined> {
  const started = performance.now();
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const { channel, logger } = createLogger();
  context.subscriptions.push(channel);

  const keys = new ApiKeyStore(context.secrets);
  const host = new EngineHost(context, keys, logger);
  context.subscriptions.push(keys, host);

  // One for the window: a folder allowed once (Copilot's call or a storyboard's command) is allowed everywhere in it.
  const confirm = createMcpConfirm(() => host.videosDir());
  const ownFiles = new WrittenFiles(host.home, logger);
  // The MCP provider first: VS Code may have activated us just to ask for it.
  const mcp = new SoraMcpProvider(host, keys, logger, version, confirm, storyboardMcpHooks(context, ownFiles));
  context.subscriptions.push(mcp, registerMcpProvider(mcp));

  // The views need the services, and the services open the views: the closures run later.
  const services: Services = { context, host, keys, logger, openPreview: (id) => previews.open(id), revealVideos: () => videosView.reveal() };
  const previews: PreviewPanels = registerPreviewPanel(services);
  const videosView = registerVideosView(services);
  const storyboards = registerStoryboards(services, { confirm, ownFiles });
  context.subscriptions.push(
    previews.disposable,
    videosView,
    storyboards,
    new SoraStatusBar(host.engine),
    ...registerKeyCommands(services),
    ...registerTaskCommands(services),
    ...registerTaskMenu(services),
  );
  void offerEnvironmentKey(services);

  // Everything above is registered before the history is read, so VS Code runs a command or opens the
  // Videos view at once; what needs the key or the history awaits host.ready.
  const activationMs = performance.now() - started;
  logger.info(`Juxin Sora ${version} activated in ${activationMs.toFixed(0)} ms; task history in ${host.home}`);
  const since = () => `${(performance.now() - started).toFixed(0)} ms after activation began`;
  void host.engine.whenAvailable().then(
    () => logger.info(`task history: ${host.engine.size} tasks can be shown ${since()}`),
    () => undefined,
  );
  host.start().then(
    () => logger.info(`task history: every file checked ${since()}`),
    async (error: unknown) => {
      const reason = describeError(error);
      logger.error(`Juxin Sora could not start: ${reason}`);
      const history = await host.engine.whenAvailable().then(
        () => false,
        () => true,
      );
      void vscode.window.showErrorMessage(
        history
          ? vscode.l10n.t(
              'The Sora task history in {0} cannot be read ({1}). Check that this folder can be read and written (or set JUXIN_SORA_HOME to another folder), then reload the window.',
              host.home,
              reason,
            )
          : reason,
      );
    },
  );
  // Any extension can read our exports: the engine in them would start paid generations past every
  // confirmation. Only the tests get it (VS Code's test mode, or the harness's JUXIN_SORA_TEST_API=1).
  if (context.extensionMode !== vscode.ExtensionMode.Test && process.env.JUXIN_SORA_TEST_API !== '1') return undefined;
  return {
    engine: host.engine,
    hasApiKey: async () => Boolean(await keys.get()),
    mcpDefinitions: () => mcp.provideMcpServerDefinitions(),
    resolveMcp: (d) => mcp.resolveMcpServerDefinition(d),
    openPreviewIds: () => previews.openTaskIds(),
    previewHtml: (taskId) => previews.htmlOf(taskId),
    videosViewHtml: () => videosView.html,
    storyboardViewHtml: (file) => storyboards.viewHtml(file),
    videosDir: () => host.videosDir(),
    activationMs,
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
