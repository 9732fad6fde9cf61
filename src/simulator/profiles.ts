import type { Timing } from './jobs';

/**
 * Timing profiles: how different relays behave. A run picks one (`startSimulator({ profile })`, CLI
 * `--profile`), a prompt can pick its own (`#sim:profile-fast`). Times are those of a 10 s sora-2 job;
 * the spreads are drawn from the simulator's (seeded) randomness.
 */
export const PROFILE_NAMES = ['fast', 'typical', 'long-queue', 'no-progress', 'real-log'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/**
 * How a job's progress moves while it generates: `smooth` rises steadily; `jump` sits at 0 and then
 * jumps to 90% late in the generation (common in the real log); `none` stays 0 until done.
 */
export const PROGRESS_STYLES = ['smooth', 'jump', 'none'] as const;
export type ProgressStyle = (typeof PROGRESS_STYLES)[number];

export const PROFILES: Readonly<Record<ProfileName, Readonly<Timing>>> = {
  // Almost no queue (about 1–15 s) and generation under a minute (about 28–52 s).
  fast: { queueSeconds: 8, queueJitter: 0.85, generateSeconds: 40, jitter: 0.3, reportsProgress: true, reportsQueue: true },
  // The defaults, as users logged them: 120–180 s of queue, 72–108 s of generation.
  typical: { queueSeconds: 150, queueJitter: 0.2, generateSeconds: 90, jitter: 0.2, reportsProgress: true, reportsQueue: true },
  // A busy relay: 5–10 minutes of queue, then a typical generation.
  'long-queue': { queueSeconds: 450, queueJitter: 1 / 3, generateSeconds: 90, jitter: 0.2, reportsProgress: true, reportsQueue: true },
  // Typical times, but progress stays 0 until done and there is no queue position or ETA.
  'no-progress': { queueSeconds: 150, queueJitter: 0.2, generateSeconds: 90, jitter: 0.2, reportsProgress: false, reportsQueue: false },
  // The published log of ~300 real tasks (shared/juxin-api.md §6), create to done: median ~270 s, p75
  // ~350 s, p90 ~800 s, 8% over 15 min, a few over 30 min. Fitted as 82% of jobs log-normal around
  // 250 s and a slow 18% around 850 s (median 268, p75 350, p90 787, 8.3% > 900 s, 1.6% > 1800 s);
  // the log does not say how a job's time splits into queue and generation, so 10–50% of it queues.
  // Its answers carry no queue position or ETA; progress is smooth for some jobs, sits at 0 and jumps
  // to 90 for most, and never moves for some.
  'real-log': {
    queueSeconds: 80,
    generateSeconds: 190,
    reportsQueue: false,
    spread: {
      mix: [
        { share: 0.82, medianSeconds: 250, sigma: 0.26 },
        { share: 0.18, medianSeconds: 850, sigma: 0.55 },
      ],
      queueShare: [0.1, 0.5],
      maxSeconds: 90 * 60,
    },
    progressStyles: { smooth: 0.3, jump: 0.5, none: 0.2 },
  },
};

export function isProfileName(name: unknown): name is ProfileName {
  return typeof name === 'string' && (PROFILE_NAMES as readonly string[]).includes(name);
}

/** The profile a prompt asks for with `#sim:profile-<name>`, if any (the last one wins). */
export function profileMarker(prompt: string): ProfileName | undefined {
  const named = [...prompt.matchAll(/#sim:profile-([a-z-]+)/g)].map((m) => m[1]).filter(isProfileName);
  return named.at(-1);
}

/** The progress style a prompt asks for with `#sim:progress-<style>`, if any (the last one wins). */
export function progressMarker(prompt: string): ProgressStyle | undefined {
  const named = [...prompt.matchAll(/#sim:progress-([a-z]+)/g)]
    .map((m) => m[1])
    .filter((s): s is ProgressStyle => (PROGRESS_STYLES as readonly string[]).includes(s));
  return named.at(-1);
}
