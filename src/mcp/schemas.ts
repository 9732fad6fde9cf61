import { z } from 'zod';
import { bilingual, says } from './bilingual';
import { ALLOWED_DURATIONS, type GenerationParams, MODELS, ORIENTATIONS, SIZES } from '../juxin/types';

/** Shapes shared by several tools' inputs and outputs (zod raw shapes, as the SDK wants them). */

export const taskIdSchema = z
  .string(bilingual)
  .trim()
  .min(1, says('task_id is required: use the id returned by generate_video or list_videos', 'task_id 必填：请使用 generate_video 或 list_videos 返回的 ID'))
  .max(200, bilingual)
  .describe('The task id returned by generate_video (e.g. "sora-2:task_01k…" or "video_5c6a…"). Pass it exactly as returned.');

export const timeoutSchema = z
  .number(bilingual)
  .int(bilingual)
  .min(1, bilingual)
  .max(3600, bilingual)
  .describe('How long to wait before returning the still-running task, in seconds. Default 600.');

const durations = Object.entries(ALLOWED_DURATIONS)
  .map(([model, values]) => `${model}: ${values.join(' or ')}`)
  .join('; ');

export type ToolDefaults = Omit<GenerationParams, 'prompt' | 'images'>;

/**
 * generate_video's input, its descriptions stating the defaults that really apply (the VS Code
 * settings when the extension serves it). Only names and types are checked here: the engine applies
 * the defaults and every rule, once.
 */
export function generateInputShape(d: ToolDefaults) {
  const model = (name: string, text: string) => `"${name}" (${d.model === name ? 'default: ' : ''}${text})`;
  return {
    prompt: z
      .string(bilingual)
      .describe(
        'What the video shows: subject, action, setting, camera, style. Chinese or English both work. ' +
          'Reference a character created with create_character as @username. Max 4000 characters.',
      ),
    images: z
      .array(z.string(bilingual), bilingual)
      .max(4, bilingual)
      .optional()
      .describe(
        'Optional images to animate (image-to-video): http(s) URLs, or absolute paths of local PNG/JPEG/WebP files (up to 20 MB). Do not mix URLs and local files.',
      ),
    model: z
      .enum(MODELS, bilingual)
      .optional()
      .describe(`${model('sora-2', 'faster, cheaper')} or ${model('sora-2-pro', 'higher quality, slower, allows 25 s and size "large"')}.`),
    orientation: z
      .enum(ORIENTATIONS, bilingual)
      .optional()
      .describe(`"landscape" 16:9 or "portrait" 9:16 (phones, short-video apps). Default "${d.orientation}".`),
    size: z.enum(SIZES, bilingual).optional().describe(`"small" ~720p or "large" ~1080p (sora-2-pro only). Default "${d.size}".`),
    duration: z.number(bilingual).int(bilingual).optional().describe(`Seconds. Allowed: ${durations}. Default ${d.duration}.`),
    watermark: z
      .boolean(bilingual)
      .optional()
      .describe(`Keep the Sora watermark. Default ${d.watermark}${d.watermark ? '' : ' (no watermark; may be slightly slower)'}.`),
    private: z
      .boolean(bilingual)
      .optional()
      .describe(`Default ${d.private}. true: the video is not published, and can NOT be remixed later; set false if you plan to use remix_video.`),
    character_url: z.string(bilingual).optional().describe('Optional: URL of a video with a character to use (no real people). Requires character_timestamps.'),
    character_timestamps: z
      .string(bilingual)
      .optional()
      .describe('With character_url: "start,end" seconds where the character appears, span 1–3 s, e.g. "1,3".'),
    wait: z
      .boolean(bilingual)
      .optional()
      .describe(
        'Default true: wait until the video is ready and downloaded (typically 3–6 minutes), reporting progress. false: return the task id at once and use wait_for_video / get_video_status later.',
      ),
    timeout_seconds: timeoutSchema.optional(),
  };
}

export const generationParamsOutput = z.object({
  prompt: z.string(),
  model: z.string(),
  orientation: z.string(),
  size: z.string(),
  duration: z.number(),
  watermark: z.boolean(),
  private: z.boolean(),
  images: z.array(z.string()),
  character_url: z.string().optional(),
  character_timestamps: z.string().optional(),
});

/** The result every task-returning tool gives in structuredContent. */
export const taskOutputShape = {
  task_id: z.string(),
  status: z.enum(['queued', 'processing', 'completed', 'failed']),
  progress: z.number().describe('0–100'),
  queue_position: z.number().optional(),
  video_url: z.string().optional().describe('Signed URL; it expires (hours). Prefer local_path.'),
  local_path: z.string().optional().describe('Where the MP4 was saved on this machine.'),
  copied_to: z.string().optional().describe('download_video with a directory: where the copy was written.'),
  thumbnail_url: z.string().optional(),
  download_state: z.string(),
  error: z.string().optional().describe('Why it failed or what went wrong, with the next step.'),
  timed_out: z.boolean().optional(),
  reused_cancelled_call: z
    .boolean()
    .optional()
    .describe('generate_video: an identical call from this client was cancelled after ordering this video; this is its task (nothing paid again).'),
  created_at: z.string(),
  source: z.string(),
  origin: z
    .object({ kind: z.string(), client: z.string().optional(), host: z.string().optional(), storyboard: z.string().optional() })
    .describe("Who started it: palette (VS Code), mcp (client = the MCP client's own name), storyboard, cli."),
  remix_of: z.string().optional(),
  params: generationParamsOutput,
};

export const taskOutputSchema = z.object(taskOutputShape);
export type TaskOutput = z.infer<typeof taskOutputSchema>;
