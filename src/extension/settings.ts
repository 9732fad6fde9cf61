import * as vscode from 'vscode';
export { resolveDownloadFolder } from './paths';
import { DEFAULT_BASE_URL } from '../juxin/types';
import { DEFAULT_LIMITS, readPrices, type SpendLimits } from '../core/spend';
import { readGenerationDefaults, type GenerationDefaults } from './generationDefaults';

export const SECTION = 'juxinSora';

export interface ExtensionSettings {
  baseUrl: string;
  defaults: GenerationDefaults;
  /** Empty: a folder in the extension's global storage. */
  downloadFolder: string;
  pollIntervalSeconds: number;
  maxRequestsPerSecond: number;
  /** Open the Videos view when a generation starts from the palette. */
  showVideosOnGenerate: boolean;
}

export function readSettings(): ExtensionSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    baseUrl: (c.get<string>('baseUrl') || DEFAULT_BASE_URL).trim().replace(/\/+$/, ''),
    defaults: readGenerationDefaults(c),
    downloadFolder: (c.get<string>('downloadFolder') ?? '').trim(),
    pollIntervalSeconds: Math.max(1, c.get('pollIntervalSeconds', 5)),
    maxRequestsPerSecond: Math.max(0.1, c.get('maxRequestsPerSecond', 2)),
    showVideosOnGenerate: c.get('showVideosOnGenerate', true),
  };
}

/** Settings whose change means new MCP definitions (the tools' defaults and where they talk to). */
export function affectsMcpDefinition(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.baseUrl`);
}

/** Settings the tools' descriptions state (updated in every open MCP session, no restart). */
export function affectsToolDefaults(e: vscode.ConfigurationChangeEvent): boolean {
  return [
    'defaultModel',
    'defaultAspectRatio',
    'defaultResolution',
    'defaultOrientation',
    'defaultSize',
    'defaultDuration',
    'defaultWatermark',
    'defaultPrivate',
  ].some((k) => e.affectsConfiguration(`${SECTION}.${k}`));
}

/** The daily limits and prices (read at every request), and what was wrong with the prices setting. */
export function readSpendSettings(): { limits: SpendLimits; problems: string[] } {
  const c = vscode.workspace.getConfiguration(SECTION);
  const prices = readPrices(c.get('prices'));
  return {
    limits: {
      dailyVideos: wholeNumber(c.get('dailyVideoLimit'), DEFAULT_LIMITS.dailyVideos),
      dailySeconds: wholeNumber(c.get('dailySecondsLimit'), DEFAULT_LIMITS.dailySeconds),
      prices: prices.prices,
    },
    problems: prices.problems,
  };
}

/** A limit as typed in settings.json: a number ≥ 0 (rounded down), else the default (never "no limit" by mistake). */
function wholeNumber(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}

export function affectsSpend(e: vscode.ConfigurationChangeEvent): boolean {
  return ['dailyVideoLimit', 'dailySecondsLimit', 'prices'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`));
}
