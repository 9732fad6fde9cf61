import { z } from 'zod';
import type { ClipAction, FromStoryboardPage, StoryboardAction } from '../../webview/storyboardProtocol';

// The page is untrusted input: only exact protocol shapes pass, and a clip must be one of the storyboard's.
const clipId = z.string().min(1).max(40);
const clipActions = ['play', 'generate', 'regenerate', 'retry', 'download', 'reveal'] as const satisfies readonly ClipAction[];
const storyboardActions = ['generateAll', 'assemble', 'revealFilm'] as const satisfies readonly StoryboardAction[];

const fromPage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('clip'), action: z.enum(clipActions), clipId }),
  z.object({ type: z.literal('storyboard'), action: z.enum(storyboardActions) }),
  z.object({ type: z.literal('mediaError'), clipId: clipId.optional() }),
]);

/** The message if it has exactly a protocol shape and names a clip the storyboard has, else undefined. */
export function validateStoryboardMessage(value: unknown, hasClip: (id: string) => boolean): FromStoryboardPage | undefined {
  const r = fromPage.safeParse(value);
  if (!r.success) return undefined;
  if (r.data.type === 'clip' && !hasClip(r.data.clipId)) return undefined;
  return r.data;
}
