import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { VideoEngine } from '../core/engine';
import { TASK_URI_PREFIX, summarize, taskUri, toTaskOutput } from './present';
import { SPEND_URI, spendOutput, spendSummary } from './spend';

/** What the server does with its resources once registered. */
export interface TaskResources {
  /** The ledger may have changed without a task changing (a limit or a price in the settings). */
  spendChanged(): void;
  stop(): void;
}

/**
 * Every task is a resource `juxin-sora://tasks/{id}` (listed and readable), and the ledger is
 * `juxin-sora://spend`. Clients hear about new tasks through the list-changed notification, and a
 * subscriber of a resource hears when it changes (a task settles; the ledger moves), never on every
 * progress tick.
 */
export function registerTaskResources(server: McpServer, engine: VideoEngine): TaskResources {
  server.registerResource(
    'task',
    new ResourceTemplate(`${TASK_URI_PREFIX}{id}`, {
      list: async () => ({
        resources: engine.list({ limit: 200 }).map((t) => ({
          uri: taskUri(t.id),
          name: `${t.status}: ${t.params.prompt.slice(0, 60)}`,
          description: summarize(t),
          mimeType: 'application/json',
        })),
      }),
    }),
    {
      title: 'Video task',
      description: 'One Sora video task: parameters, status, progress, URLs and the local file.',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const id = decodeURIComponent(String(variables.id));
      const task = engine.get(id);
      if (!task) throw new Error(`Unknown task ${id}: list the resources or call list_videos.`);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(toTaskOutput(task), null, 2) }] };
    },
  );

  server.registerResource(
    'spend',
    SPEND_URI,
    {
      title: 'Spend today and this month',
      description:
        "Videos, seconds and estimated ¥ today and this month (failed tasks apart: whether they were billed is not known), and the daily limits past which a generation needs the user's yes.",
      mimeType: 'application/json',
    },
    async (uri) => {
      const ledger = engine.spend();
      const text = JSON.stringify({ summary: spendSummary(ledger), ...spendOutput(ledger) }, null, 2);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text }] };
    },
  );

  const subscribed = new Set<string>();
  server.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
  const updated = (uri: string) => {
    if (subscribed.has(uri) && server.isConnected()) void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  };

  // Tell clients when the list changes (a task appears) or a task settles, not on every progress tick.
  const seen = new Map<string, string>(engine.list({}).map((t) => [t.id, t.status]));
  const stopChanges = engine.onDidChange((task) => {
    const before = seen.get(task.id);
    seen.set(task.id, task.status);
    if (before === task.status) return;
    if (server.isConnected()) server.sendResourceListChanged();
    updated(taskUri(task.id));
    // A new task counts today; a failed one moves to the failed column.
    updated(SPEND_URI);
  });
  const stopRemovals = engine.onDidRemove((id) => {
    seen.delete(id);
    if (server.isConnected()) server.sendResourceListChanged();
    updated(SPEND_URI);
  });
  return {
    spendChanged: () => updated(SPEND_URI),
    stop: () => {
      stopChanges();
      stopRemovals();
    },
  };
}
