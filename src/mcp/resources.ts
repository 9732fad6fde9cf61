import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { VideoEngine } from '../core/engine';
import { TASK_URI_PREFIX, summarize, taskUri, toTaskOutput } from './present';

/**
 * Every task is a resource `juxin-sora://tasks/{id}` (listed and readable); subscribers hear about
 * changes through the list-changed notification whenever a task appears or settles.
 */
export function registerTaskResources(server: McpServer, engine: VideoEngine): () => void {
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

  // Tell clients when the list changes (a task appears) or a task settles, not on every progress tick.
  const seen = new Map<string, string>(engine.list({}).map((t) => [t.id, t.status]));
  return engine.onDidChange((task) => {
    const before = seen.get(task.id);
    seen.set(task.id, task.status);
    if (before !== task.status && server.isConnected()) server.sendResourceListChanged();
  });
}
