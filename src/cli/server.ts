// The standalone MCP server (`npx juxin-sora-mcp`): stdio transport, logs on stderr only.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { describeModel, PREFERRED_MODELS } from '../catalog';
import { VideoEngine } from '../core/engine';
import { TaskStore } from '../core/store';
import { WrittenFiles } from '../core/writtenFiles';
import { JuxinClient } from '../juxin/client';
import { JuxinError } from '../juxin/errors';
import { createSoraMcpServer } from '../mcp/server';
import { scaledClock, systemClock } from '../util/clock';
import { stderrLogger } from '../util/log';
import { version } from '../../package.json';
import { ConfigError, ENV_HELP, loadServerConfig, spendHelp } from './config';

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stderr.write(`juxin-sora-mcp ${version}: Sora-2 video generation through the Juxin API, as an MCP server on stdio.\n\n${ENV_HELP}\n`);
    return;
  }
  if (process.argv.includes('--version')) {
    process.stderr.write(`${version}\n`);
    return;
  }
  const config = loadServerConfig(process.env);
  const logger = stderrLogger(config.logLevel);
  // The last resort: a background promise nobody caught is logged, and the server keeps serving.
  process.on('unhandledRejection', (reason) =>
    logger.error(`unhandled rejection (the server keeps running): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`),
  );

  const clock = config.timeScale === 1 ? systemClock : scaledClock(config.timeScale, config.timeOrigin);
  const client = config.apiKey ? new JuxinClient({ apiKey: config.apiKey, baseUrl: config.baseUrl, logger, clock }) : undefined;
  const engine = new VideoEngine({
    api: () => {
      if (!client) throw new JuxinError('config', 'No Juxin API key: set JUXIN_API_KEY in the MCP server configuration.');
      return client;
    },
    store: new TaskStore(config.home, logger),
    videosDir: config.videosDir,
    clock,
    logger,
    minPollIntervalMs: config.minPollIntervalMs,
    maxRequestsPerSecond: config.maxRequestsPerSecond,
    leaseMs: config.leaseMs,
    spendLimits: () => config.spend,
    spendHelp: spendHelp(config.spend),
    defaults: () => (config.defaultModel ? { model: config.defaultModel } : {}),
  });
  const server = createSoraMcpServer({
    engine,
    version,
    logger,
    hasApiKey: () => client !== undefined,
    keepAliveMs: config.keepAliveMs,
    host: 'stdio',
    defaults: config.defaultModel ? { model: config.defaultModel } : {},
    baseUrl: () => config.baseUrl,
    storyboards: {
      defaultDirectory: () => config.storyboardsDir,
      maxConcurrentClips: () => config.maxConcurrentClips,
      ownFiles: new WrittenFiles(config.home, logger),
    },
  });

  // Answer the client first, then pick up unfinished tasks: tools/list must be fast.
  await server.connect(new StdioServerTransport());
  logger.info(`juxin-sora-mcp ${version} ready (home ${config.home}${client ? '' : '; no API key set'})`);
  const retired = config.defaultModel ? describeModel(config.defaultModel) : undefined;
  if (retired?.retiredOn) {
    // Said once, where the setting lives (the server's configuration): a retired default never fails silently.
    logger.warn(
      `JUXIN_DEFAULT_MODEL is ${config.defaultModel}, but ${retired.familyName} was retired upstream on ${retired.retiredOn}: a call that names no model uses ` +
        `the first model this key can use (${PREFERRED_MODELS[0]} first). Set JUXIN_DEFAULT_MODEL to one list_models shows. ` +
        `JUXIN_DEFAULT_MODEL 设为 ${config.defaultModel}，但 ${retired.familyName} 已于 ${retired.retiredOn} 被上游下线：未指定模型时将改用此 Key 可用的第一个模型（优先 ${PREFERRED_MODELS[0]}）。请改为 list_models 列出的模型之一。`,
    );
  }
  engine.start().catch((error: unknown) => logger.error(`resuming tasks failed: ${error instanceof Error ? error.message : error}`));

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await engine.dispose().catch(() => undefined);
    await server.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.stdin.on('close', shutdown);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `juxin-sora-mcp failed to start: ${error instanceof Error ? error.message : error}`;
  process.stderr.write(`${message}\n`);
  process.exit(2);
});
