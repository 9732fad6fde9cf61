import { z } from 'zod';
import { catalogModelIds, modelChoices, RESOLUTIONS } from '../../catalog';
import { ORIENTATIONS, SIZES } from '../../juxin/types';
import { MAX_PROMPT_CHARS } from '../../core/params';

// The arguments of the public commands. Anything can run a command with any argument (another
// extension, a `command:` link in a markdown preview or a hover), so each command reads its argument
// through one of these schemas and treats what it says as a request to be confirmed, never as the
// user's own choice. Our own views call the internal functions instead (views/actions.ts).

const taskId = z.string().trim().min(1).max(300);

/** A task named by id: `"sora-2:task_…"` or `{ taskId }` (extra keys such as `confirm` are ignored, never obeyed). */
export const taskRefArg = z.union([taskId, z.object({ taskId }).loose()]).transform((v) => (typeof v === 'string' ? v : v.taskId));

/** The most images any model takes (whether this model takes them is the engine's check, against the catalog). */
const MOST_IMAGES = Math.max(...catalogModelIds().map((id) => modelChoices(id).images.max));
const image = z.string().max(2000);

/**
 * `juxinSora.generateVideo` with answers: every question skipped, so it is always confirmed. Only names
 * and shapes here: the model is any id (the relay may list models the catalog does not describe), and
 * every value is checked against it by the engine before anything is sent.
 */
export const generateArg = z
  .object({
    prompt: z.string().trim().min(1).max(MAX_PROMPT_CHARS),
    model: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/)
      .optional(),
    aspectRatio: z
      .string()
      .regex(/^\d{1,2}:\d{1,2}$/)
      .optional(),
    resolution: z.enum(RESOLUTIONS).optional(),
    orientation: z.enum(ORIENTATIONS).optional(),
    size: z.enum(SIZES).optional(),
    duration: z.number().int().positive().optional(),
    watermark: z.boolean().optional(),
    private: z.boolean().optional(),
    enhancePrompt: z.boolean().optional(),
    enableUpsample: z.boolean().optional(),
    images: z.array(image).max(MOST_IMAGES).optional(),
    firstFrame: image.optional(),
    lastFrame: image.optional(),
    characterUrl: z.string().max(2000).optional(),
    characterTimestamps: z.string().max(40).optional(),
  })
  .strict();

/** `juxinSora.remixVideo`: a task, and optionally the change (then nobody typed it: confirmed). */
export const remixArg = z.union([
  taskId.transform((id) => ({ taskId: id, prompt: undefined as string | undefined })),
  z.object({ taskId, prompt: z.string().trim().min(1).max(MAX_PROMPT_CHARS).optional() }).strict(),
]);

/** `juxinSora.removeApiKey`: `{ confirm: false }` is accepted for old callers but never skips the question. */
export const removeKeyArg = z.object({ confirm: z.boolean().optional() }).strict().optional();

/** `juxinSora.setApiKey`: a key to store, or nothing to ask for one. */
export const setKeyArg = z.string().max(500).optional();

export type ParsedArg<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Reads a command argument; the problem names the first wrong field, for the error message. */
export function parseArg<S extends z.ZodType>(schema: S, arg: unknown): ParsedArg<z.output<S>> {
  const result = schema.safeParse(arg);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, problem: `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}` };
}
