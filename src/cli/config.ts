import path from 'node:path';
import { defaultHomeDir } from '../core/engine';
import { DEFAULT_LIMITS, readPrices, type SpendLimits } from '../core/spend';
import { baseUrlProblem } from '../juxin/http';
import { DEFAULT_BASE_URL } from '../juxin/types';

/** Settings of the standalone server, all from the environment. */
export interface ServerConfig {
  apiKey?: string;
  baseUrl: string;
  home: string;
  videosDir: string;
  minPollIntervalMs: number;
  maxRequestsPerSecond: number;
  keepAliveMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Simulated seconds per real second; only for runs against the simulator (demo, tests, benchmark). */
  timeScale: number;
  /** With a time scale: the real moment simulated time starts from, so several processes agree on the time. */
  timeOrigin?: number;
  /** How long a killed server's task leases last before another process takes its tasks over (ms). */
  leaseMs: number;
  /** Where create_storyboard writes when the caller names no folder. */
  storyboardsDir: string;
  /** At most this many storyboard clips generating at once. */
  maxConcurrentClips: number;
  /** Daily limits and prices. */
  spend: SpendLimits;
  /** The user's default video model (used when this key can use it; else Veo 3.1 fast first, see the catalog). */
  defaultModel?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const ENV_HELP = `Environment variables:
  JUXIN_API_KEY                 your Juxin API key (sk-…); without it the server starts but tools explain how to set it
  JUXIN_BASE_URL                API base URL (default ${DEFAULT_BASE_URL})
  JUXIN_SORA_HOME               folder for task history and videos (default: a per-user folder)
  JUXIN_POLL_INTERVAL_MS        minimum time between status queries of one task, ms (default 5000, at least 50)
  JUXIN_MAX_REQUESTS_PER_SECOND cap on Juxin requests per second across all tasks (default 2)
  JUXIN_PROGRESS_KEEPALIVE_MS   progress keep-alive while waiting, ms (default 15000)
  JUXIN_LOG_LEVEL               debug | info | warn | error (default info; logs go to stderr)
  JUXIN_MAX_CONCURRENT_CLIPS    storyboards: at most this many clips generating at once (default 3)
  JUXIN_DAILY_VIDEO_LIMIT       videos a day before a generation needs the user's yes (default ${DEFAULT_LIMITS.dailyVideos}; 0 = no limit)
  JUXIN_DAILY_SECONDS_LIMIT     seconds of video a day before a generation needs the user's yes (default ${DEFAULT_LIMITS.dailySeconds}; 0 = no limit)
  JUXIN_PRICES                  optional prices to estimate ¥, JSON: {"sora-2": {"perSecond": 0.1}, "sora-2-pro/large": {"perVideo": 6}}
  JUXIN_DEFAULT_MODEL           the video model to use when a call names none, if this key can use it (default: veo3.1-fast, else the first usable of the preferred models)
  JUXIN_LEASE_MS                how long a stopped server's unfinished tasks wait before another process takes them over, ms (default 20000)
  JUXIN_TIME_SCALE              simulator runs only: how much faster than real time the clock runs (default 1)
  JUXIN_TIME_ORIGIN             simulator runs only: epoch ms the scaled clock starts from (several processes on one home share it)`;

type Env = Record<string, string | undefined>;

/** Reads and checks the environment; every bad value gets a message that says what to write instead. */
export function loadServerConfig(env: Env, platform: NodeJS.Platform = process.platform): ServerConfig {
  const problems: string[] = [];
  const apiKey = env.JUXIN_API_KEY?.trim() || undefined;
  if (apiKey && /\s/.test(apiKey)) problems.push('JUXIN_API_KEY contains spaces or line breaks: paste the key alone (it looks like sk-…).');

  const baseUrl = (env.JUXIN_BASE_URL?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
  const urlProblem = baseUrlProblem(baseUrl);
  if (urlProblem) problems.push(`JUXIN_BASE_URL ${urlProblem.en}.\n  ${urlProblem.zh}。`);

  const number = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      problems.push(`${name} "${raw}" must be a number from ${min} to ${max} (default ${fallback}).`);
      return fallback;
    }
    return value;
  };
  const minPollIntervalMs = number('JUXIN_POLL_INTERVAL_MS', 5000, 50, 600_000);
  const maxRequestsPerSecond = number('JUXIN_MAX_REQUESTS_PER_SECOND', 2, 0.01, 100);
  const keepAliveMs = number('JUXIN_PROGRESS_KEEPALIVE_MS', 15_000, 100, 60_000);
  const timeScale = number('JUXIN_TIME_SCALE', 1, 1, 10_000);
  const leaseMs = number('JUXIN_LEASE_MS', 20_000, 2_000, 600_000);
  const maxConcurrentClips = Math.floor(number('JUXIN_MAX_CONCURRENT_CLIPS', 3, 1, 20));
  const dailyVideos = number('JUXIN_DAILY_VIDEO_LIMIT', DEFAULT_LIMITS.dailyVideos, 0, 100_000);
  const dailySeconds = number('JUXIN_DAILY_SECONDS_LIMIT', DEFAULT_LIMITS.dailySeconds, 0, 10_000_000);
  const prices = readPrices(env.JUXIN_PRICES?.trim());
  for (const p of prices.problems) problems.push(`JUXIN_PRICES: ${p}`);
  const origin = number('JUXIN_TIME_ORIGIN', 0, 0, 8.64e15);

  const level = (env.JUXIN_LOG_LEVEL?.trim().toLowerCase() || 'info') as ServerConfig['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(level)) problems.push(`JUXIN_LOG_LEVEL "${env.JUXIN_LOG_LEVEL}" must be debug, info, warn or error.`);

  let home: string;
  try {
    home = path.resolve(defaultHomeDir(env, platform));
  } catch (error) {
    problems.push(`Cannot choose a home folder: ${error instanceof Error ? error.message : error}. Set JUXIN_SORA_HOME to a writable folder.`);
    home = '';
  }

  if (problems.length) throw new ConfigError(`Invalid configuration:\n- ${problems.join('\n- ')}\n\n${ENV_HELP}`);
  return {
    apiKey,
    baseUrl,
    home,
    videosDir: path.join(home, 'videos'),
    minPollIntervalMs,
    maxRequestsPerSecond,
    keepAliveMs,
    logLevel: level,
    timeScale,
    leaseMs,
    storyboardsDir: path.join(home, 'storyboards'),
    maxConcurrentClips,
    spend: { dailyVideos, dailySeconds, prices: prices.prices },
    ...(origin ? { timeOrigin: origin } : {}),
    ...(env.JUXIN_DEFAULT_MODEL?.trim() ? { defaultModel: env.JUXIN_DEFAULT_MODEL.trim() } : {}),
  };
}

/** How to raise a daily limit where the standalone server runs: the sentence a refused generation ends with. */
export function spendHelp(spend: SpendLimits): { en: string; zh: string } {
  const now = (n: number) => (n > 0 ? String(n) : 'none');
  const nowZh = (n: number) => (n > 0 ? String(n) : '不限');
  return {
    en:
      `To allow more, raise JUXIN_DAILY_VIDEO_LIMIT (now ${now(spend.dailyVideos)}) or JUXIN_DAILY_SECONDS_LIMIT (now ${now(spend.dailySeconds)}) ` +
      'in the "env" of the juxin-sora server in your MCP client\'s configuration (e.g. claude_desktop_config.json), then restart the client; 0 = no limit.',
    zh:
      `如需更多，请在 MCP 客户端配置（如 claude_desktop_config.json）中 juxin-sora 服务器的 "env" 里提高 JUXIN_DAILY_VIDEO_LIMIT（当前 ${nowZh(spend.dailyVideos)}）` +
      `或 JUXIN_DAILY_SECONDS_LIMIT（当前 ${nowZh(spend.dailySeconds)}），然后重启客户端；0 表示不限。`,
  };
}
