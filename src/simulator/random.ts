import { seededRandom } from '../util/random';
import { randomBytes } from 'node:crypto';

/** A source of numbers in [0, 1). */
export type Random = () => number;

/**
 * With a seed, a small deterministic generator (mulberry32) so ids, job times and character names
 * repeat from run to run; without one, fresh randomness every time.
 */
export function createRandom(seed?: number): Random {
  return seed === undefined ? Math.random : seededRandom(seed);
}

export function randomString(random: Random, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

/** A UUID v4 drawn from `random` (so seeded simulators give repeatable `video_…` ids). */
export function randomUuid(random: Random): string {
  const hex = randomString(random, '0123456789abcdef', 32).split('');
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)];
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Key for signing video URLs: from the seed when there is one, so URLs repeat too. */
export function signingKey(random: Random, seeded: boolean): Buffer {
  return seeded ? Buffer.from(randomString(random, '0123456789abcdef', 32), 'hex') : randomBytes(16);
}
