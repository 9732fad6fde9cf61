import type { Timing } from './jobs';

/**
 * Timing profiles: how different relays behave. A run picks one (`startSimulator({ profile })`, CLI
 * `--profile`), a prompt can pick its own (`#sim:profile-fast`). Times are those of a 10 s sora-2 job;
 * the spreads are drawn from the simulator's (seeded) randomness.
 */
export const PROFILE_NAMES = ['fast', 'typical', 'long-queue', 'no-progress'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export const PROFILES: Readonly<Record<ProfileName, Readonly<Required<Timing>>>> = {
  // Almost no queue (about 1–15 s) and generation under a minute (about 28–52 s).
  fast: { queueSeconds: 8, queueJitter: 0.85, generateSeconds: 40, jitter: 0.3, reportsProgress: true, reportsQueue: true },
  // The defaults, as users logged them: 120–180 s of queue, 72–108 s of generation.
  typical: { queueSeconds: 150, queueJitter: 0.2, generateSeconds: 90, jitter: 0.2, reportsProgress: true, reportsQueue: true },
  // A busy relay: 5–10 minutes of queue, then a typical generation.
  'long-queue': { queueSeconds: 450, queueJitter: 1 / 3, generateSeconds: 90, jitter: 0.2, reportsProgress: true, reportsQueue: true },
  // Typical times, but progress stays 0 until done and there is no queue position or ETA.
  'no-progress': { queueSeconds: 150, queueJitter: 0.2, generateSeconds: 90, jitter: 0.2, reportsProgress: false, reportsQueue: false },
};

export function isProfileName(name: unknown): name is ProfileName {
  return typeof name === 'string' && (PROFILE_NAMES as readonly string[]).includes(name);
}

/** The profile a prompt asks for with `#sim:profile-<name>`, if any (the last one wins). */
export function profileMarker(prompt: string): ProfileName | undefined {
  const named = [...prompt.matchAll(/#sim:profile-([a-z-]+)/g)].map((m) => m[1]).filter(isProfileName);
  return named.at(-1);
}
