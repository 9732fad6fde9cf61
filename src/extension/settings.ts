import * as vscode from 'vscode';
export { resolveDownloadFolder } from './paths';
import { DEFAULT_BASE_URL, type GenerationParams } from '../juxin/types';

export const SECTION = 'juxinSora';

export interface ExtensionSettings {
  baseUrl: string;
  defaults: Omit<GenerationParams, 'prompt' | 'images'>;
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
    defaults: {
      model: c.get('defaultModel', 'sora-2'),
      orientation: c.get('defaultOrientation', 'landscape'),
      size: c.get('defaultSize', 'small'),
      duration: c.get('defaultDuration', 10),
      watermark: c.get('defaultWatermark', false),
      private: c.get('defaultPrivate', true),
    },
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
  return ['defaultModel', 'defaultOrientation', 'defaultSize', 'defaultDuration', 'defaultWatermark', 'defaultPrivate'].some((k) =>
    e.affectsConfiguration(`${SECTION}.${k}`),
  );
}
