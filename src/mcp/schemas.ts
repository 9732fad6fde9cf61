import { z } from 'zod';
import { bilingual, says } from './bilingual';
import { FAMILIES, RESOLUTIONS } from '../catalog';
import { type GenerationParams, ORIENTATIONS, SIZES } from '../juxin/types';

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

export type ToolDefaults = Omit<GenerationParams, 'prompt' | 'images'>;

/** The models a description names: those this key can use, else the catalog's. */
function modelsLine(usable: readonly string[] | undefined): string {
  if (usable?.length) return `This key can use: ${usable.join(', ')}.`;
  return `Families: ${FAMILIES.map((f) => `${f.name} (${f.known.slice(0, 3).join(', ')}…)`).join('; ')}.`;
}

/**
 * generate_video's input, its descriptions stating the defaults that really apply (the VS Code
 * settings when the extension serves it) and the models this key can use. Only names and types are
 * checked here: the engine applies the defaults and checks every value against the model, once.
 */
export function generateInputShape(d: ToolDefaults, usable?: readonly string[]) {
  return {
    prompt: z
      .string(bilingual)
      .describe(
        'What the video shows: subject, action, setting, camera, style. Chinese or English both work (Veo: English, or set enhance_prompt). ' +
          'Grok: name reference images @img1, @img2…. Sora: a character created with create_character as @username. Max 4000 characters.',
      ),
    model: z
      .string(bilingual)
      .optional()
      .describe(
        `The video model (default "${d.model}"). ${modelsLine(usable)} Call list_models for what each takes (aspect ratios, resolutions, durations, images).`,
      ),
    aspect_ratio: z
      .string(bilingual)
      .optional()
      .describe('"16:9", "9:16", "1:1", "3:2", "2:3", "4:3", "3:4", "21:9": as the model takes them (Veo 16:9 or 9:16; Grok 3:2, 2:3, 1:1).'),
    resolution: z.enum(RESOLUTIONS, bilingual).optional().describe('"720p", "1080p" or "4k", as the model takes them (Veo 4k: the -4k models).'),
    duration: z
      .number(bilingual)
      .int(bilingual)
      .optional()
      .describe(
        `Seconds, as the model takes them: Veo 8 (fixed), Sora 10/15 (pro also 25), Grok 6/10/15, Jimeng 5/10. Default ${d.duration} when the model takes it, else its first.`,
      ),
    images: z
      .array(z.string(bilingual), bilingual)
      .max(6, bilingual)
      .optional()
      .describe(
        'Optional images (http(s) URLs, or absolute paths of local PNG/JPEG/WebP/GIF files up to 20 MB). What they mean depends on the model: ' +
          'Sora: images to animate; Veo and Jimeng: first frame, then last frame; Veo components models: up to 3 elements of the scene; Grok: up to 6 references.',
      ),
    first_frame: z.string(bilingual).optional().describe('The first frame (Veo, Jimeng): an http(s) URL or an absolute local path.'),
    last_frame: z.string(bilingual).optional().describe('The last frame, with first_frame (Veo 3.1, Jimeng).'),
    orientation: z
      .enum(ORIENTATIONS, bilingual)
      .optional()
      .describe(`Older form of aspect_ratio: "landscape" or "portrait" (the model's own wide or tall ratio). Default "${d.orientation}".`),
    size: z.enum(SIZES, bilingual).optional().describe('Older form of resolution: "small" = 720p, "large" = 1080p.'),
    enhance_prompt: z.boolean(bilingual).optional().describe('Veo only: true translates and enriches the prompt (Veo wants English).'),
    enable_upsample: z.boolean(bilingual).optional().describe('Veo only: upscale the result.'),
    watermark: z
      .boolean(bilingual)
      .optional()
      .describe(`Sora only: keep the Sora watermark. Default ${d.watermark}${d.watermark ? '' : ' (no watermark; may be slightly slower)'}.`),
    private: z
      .boolean(bilingual)
      .optional()
      .describe(`Sora only. Default ${d.private}. true: the video is not published, and can NOT be remixed later; set false if you plan to use remix_video.`),
    character_url: z
      .string(bilingual)
      .optional()
      .describe('Sora only: URL of a video with a character to use (no real people). Requires character_timestamps.'),
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
  aspect_ratio: z.string().optional(),
  resolution: z.string().optional(),
  first_frame: z.string().optional(),
  last_frame: z.string().optional(),
  enhance_prompt: z.boolean().optional(),
  enable_upsample: z.boolean().optional(),
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
