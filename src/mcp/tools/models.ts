import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { describeCapabilities, describeModel, offeredModels } from '../../catalog';
import type { ModelsAnswer } from '../../core/modelsCache';
import { defaultModel } from '../../core/params';
import { priceOf, type PriceTable } from '../../core/spend';
import { guarded, type ToolContext } from '../context';

export const MODELS_URI = 'juxin-sora://models';

const modelShape = z.object({
  id: z.string(),
  family: z.string().optional().describe('Sora 2, Veo 3.x, Grok video, Jimeng…; absent for a model the catalog does not describe.'),
  described: z
    .boolean()
    .describe(
      'false: a video model the relay lists that this program does not know; it takes the common fields only (prompt, images, aspect_ratio, duration).',
    ),
  aspect_ratios: z.array(z.string()).optional(),
  resolutions: z.array(z.string()).optional(),
  durations: z.array(z.number()).optional(),
  fixed_duration: z.boolean().optional(),
  images: z.object({ meaning: z.string(), max: z.number() }).optional(),
  audio: z.boolean().optional().describe('Whether its videos have sound; absent when not known.'),
  switches: z.array(z.string()).optional(),
  retired_on: z.string().optional(),
  price: z.object({ per_second: z.number().optional(), per_video: z.number().optional() }).optional().describe("The user's own price, when set."),
  summary: z.string(),
  summary_zh: z.string(),
});

export const listModelsOutputShape = {
  models: z.array(modelShape),
  default_model: z.string(),
  source: z
    .enum(['relay', 'catalog'])
    .describe('relay: what GET /v1/models lists for this key; catalog: the relay could not say, so every model this program knows.'),
};

type ListModelsOutput = z.infer<z.ZodObject<typeof listModelsOutputShape>>;

/** The video models this key can use (or the catalog's, when the relay cannot say), each with what it takes and the user's price. */
export function modelsOutput(answer: ModelsAnswer, prices: PriceTable, setting?: string): ListModelsOutput {
  const ids = offeredModels(answer.usable);
  const models = ids.map((id) => {
    const spec = describeModel(id);
    // The model's own price (a key without a resolution), however the user spelled its id.
    const price = priceOf({ model: id }, prices);
    const priced = price
      ? {
          price: {
            ...(price.perSecond !== undefined ? { per_second: price.perSecond } : {}),
            ...(price.perVideo !== undefined ? { per_video: price.perVideo } : {}),
          },
        }
      : {};
    if (!spec) {
      return {
        id,
        described: false,
        summary: `${id}: a video model this program does not describe; it takes the common fields only.`,
        summary_zh: `${id}：本程序未收录的视频模型，只能使用通用参数。`,
        ...priced,
      };
    }
    const words = describeCapabilities(spec);
    return {
      id,
      family: spec.familyName,
      described: true,
      aspect_ratios: [...spec.aspectRatios],
      resolutions: [...spec.resolutions],
      durations: [...spec.durations],
      fixed_duration: spec.fixedDuration,
      images: { ...spec.images },
      ...(spec.audio === undefined ? {} : { audio: spec.audio }),
      switches: [...spec.switches],
      ...(spec.retiredOn ? { retired_on: spec.retiredOn } : {}),
      ...priced,
      summary: words.en,
      summary_zh: words.zh,
    };
  });
  return { models, default_model: defaultModel(answer.usable, setting), source: answer.usable ? 'relay' : 'catalog' };
}

/**
 * `list_models` and the resource `juxin-sora://models`: the video models this key can use with their
 * capabilities. `noticed` hears every answer, so generate_video's description follows the list.
 */
export function registerModelTools(server: McpServer, ctx: ToolContext, noticed: (answer: ModelsAnswer) => void): void {
  const read = async () => {
    const answer = await ctx.engine.models();
    noticed(answer);
    return modelsOutput(answer, ctx.engine.spend().limits.prices, ctx.userModel());
  };
  server.registerTool(
    'list_models',
    {
      title: 'List video models',
      description:
        'The video models this API key can use (from the relay, refreshed every few minutes), each with its aspect ratios, resolutions, durations, what its images mean, sound and its own switches, and the price the user set. Use it before generate_video to choose a model and values it takes.',
      inputSchema: {},
      outputSchema: listModelsOutputShape,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async () =>
      guarded(ctx, async () => {
        const output = await read();
        const lines = output.models.map((m) => `- ${m.summary}`).join('\n');
        const from = output.source === 'relay' ? 'This key can use' : 'The relay did not say which models this key can use; the models this program knows';
        return { content: [{ type: 'text', text: `${from}:\n${lines}\nDefault: ${output.default_model}.` }], structuredContent: output };
      }),
  );
  server.registerResource(
    'models',
    MODELS_URI,
    { title: 'Video models', description: 'The video models this key can use, with their capabilities and prices.', mimeType: 'application/json' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(await read(), null, 2) }] }),
  );
}
