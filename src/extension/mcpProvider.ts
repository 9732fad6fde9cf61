import * as vscode from 'vscode';
import type { Confirm } from '../mcp/context';
import type { createSoraMcpServer } from '../mcp/server';
import type { McpHttpHost } from '../mcp/httpHost';
import type { StoryboardHooks } from '../mcp/tools/storyboard';
import type { Logger } from '../util/log';
import type { ApiKeyStore } from './apiKey';
import { chatCardHooks } from './chatCard';
import type { EngineHost } from './engineHost';
import { affectsMcpDefinition, affectsSpend, affectsToolDefaults, readSettings } from './settings';
import { Disposable, toDisposable } from './util/dispose';

export const MCP_PROVIDER_ID = 'juxin-sora.mcp';
export const MCP_SERVER_LABEL = 'Juxin Sora';

/**
 * Serves the MCP server to VS Code (Copilot agent mode) from inside the extension host, over
 * Streamable HTTP on 127.0.0.1: no separate Node.js needed, works in remote windows, and every
 * session uses the window's one engine. The definition carries only a random per-session secret
 * header; the API key never leaves the extension host.
 */
export class SoraMcpProvider extends Disposable implements vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition> {
  private host: Promise<McpHttpHost> | undefined;
  /** The MCP servers of the open sessions (one per session, all on the window's engine). */
  private readonly servers = new Set<ReturnType<typeof createSoraMcpServer>>();
  private generation = 0;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeMcpServerDefinitions = this.changed.event;

  constructor(
    private readonly engineHost: EngineHost,
    private readonly keys: ApiKeyStore,
    private readonly logger: Logger,
    private readonly version: string,
    /** One for every session and the storyboard commands: a folder allowed once stays allowed in this window. */
    private readonly confirm: Confirm,
    private readonly storyboards?: StoryboardHooks,
  ) {
    super();
    this._register(
      keys.onDidChange(() => {
        this.generation++;
        this.changed.fire();
      }),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        // New defaults reach every open session in place; a new definition would restart the server
        // and cancel the calls in flight.
        if (affectsToolDefaults(e)) for (const server of this.servers) server.refreshDefaults();
        if (affectsSpend(e)) for (const server of this.servers) server.refreshSpend();
        if (!affectsMcpDefinition(e)) return;
        this.generation++;
        this.changed.fire();
      }),
    );
    this._register(toDisposable(() => void this.host?.then((h) => h.close())));
  }

  /** Cheap and silent: starts the loopback listener (once) and describes it. */
  async provideMcpServerDefinitions(): Promise<vscode.McpHttpServerDefinition[]> {
    const host = await this.ensureHost();
    return [new vscode.McpHttpServerDefinition(MCP_SERVER_LABEL, vscode.Uri.parse(host.url), { ...host.headers }, `${this.version}+${this.generation}`)];
  }

  /** Interaction belongs here: without a key, ask for one (cancelling leaves the server stopped). */
  async resolveMcpServerDefinition(definition: vscode.McpHttpServerDefinition): Promise<vscode.McpHttpServerDefinition | undefined> {
    if (await this.keys.get()) return definition;
    const key = await this.keys.prompt();
    return key ? definition : undefined;
  }

  private ensureHost(): Promise<McpHttpHost> {
    this.host ??= this.startHost().catch((error: unknown) => {
      this.host = undefined;
      throw error;
    });
    return this.host;
  }

  private async startHost(): Promise<McpHttpHost> {
    // The MCP SDK and the tools' schemas load once the history is read, not at activation: a first
    // look at the Videos view right after VS Code starts does not wait behind them (the tools wait for
    // the history anyway).
    await this.engineHost.ready.catch(() => undefined);
    const [{ startMcpHttpHost }, { createSoraMcpServer }] = await Promise.all([import('../mcp/httpHost'), import('../mcp/server')]);
    return startMcpHttpHost({
      createServer: () => {
        const server = createSoraMcpServer({
          engine: this.engineHost.engine,
          version: this.version,
          logger: this.logger,
          hasApiKey: () => this.engineHost.hasKey,
          host: 'vscode',
          storyboards: this.storyboards,
          // The description states what the engine applies (refreshed in place when a setting changes).
          defaults: () => readSettings().defaults,
          confirm: this.confirm,
          baseUrl: () => readSettings().baseUrl,
          ui: chatCardHooks(),
        });
        this.servers.add(server);
        const close = server.close.bind(server);
        server.close = async () => {
          this.servers.delete(server);
          await close();
        };
        return server;
      },
      logger: this.logger,
    });
  }
}

export function registerMcpProvider(provider: SoraMcpProvider): vscode.Disposable {
  return vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider);
}
