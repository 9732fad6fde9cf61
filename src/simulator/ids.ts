import { newTaskId } from './jobs';
import { randomString, type Random } from './random';
import type { IdKind } from './wire';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A new task id of the given kind: `video_<uuid>`, `sora-2:task_<ulid>`, or the Veo docs' `<model>:<seconds>-<10 letters>`
 * (e.g. `veo3.1-fast:1770350082-trii1OXZc3`). Clients must treat all of them as opaque strings.
 */
export function newId(kind: IdKind, model: string, random: Random, now: number): string {
  if (kind === 'veo') return `${model}:${Math.floor(now / 1000)}-${randomString(random, ALPHANUMERIC, 10)}`;
  return newTaskId(kind, random, now);
}
