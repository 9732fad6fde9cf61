/**
 * The models the simulated relay carries (§1, §0): chat, image and video models in one list, as
 * `GET /v1/models` shows them, endpoint types in English or in the relay's Chinese labels. Only the Sora
 * family is generated here for now (validate.ts); the others are listed, as the relay lists them.
 */

export interface CatalogueModel {
  id: string;
  owner: string;
  /** As the relay labels them; `endpointLabels: 'english'` swaps its Chinese labels for English ones. */
  types: readonly string[];
}

const UNIFIED = '视频统一格式';

export const CATALOGUE: readonly CatalogueModel[] = [
  { id: 'gpt-4o-mini', owner: 'openai', types: ['openai'] },
  { id: 'sora-2', owner: 'openai', types: [UNIFIED, 'openai-video'] },
  { id: 'sora-2-pro', owner: 'openai', types: [UNIFIED, 'openai-video'] },
  { id: 'sora-2-all', owner: 'custom', types: [UNIFIED] },
  { id: 'deepseek-v3', owner: 'deepseek', types: ['openai'] },
  { id: 'veo3.1', owner: 'vertex-ai', types: [UNIFIED, 'openai-video'] },
  { id: 'veo3.1-fast', owner: 'vertex-ai', types: [UNIFIED] },
  { id: 'veo3.1-pro', owner: 'vertex-ai', types: ['openai-video'] },
  { id: 'gpt-image-1', owner: 'openai', types: ['image-generation'] },
  { id: 'grok-video-3', owner: 'xai', types: [UNIFIED] },
  { id: 'jimeng-video-3.0', owner: 'jimeng', types: [UNIFIED] },
  { id: 'doubao-seedance-1-0-pro-250528', owner: 'volcengine', types: ['openai-video'] },
  { id: 'claude-sonnet-4-5', owner: 'anthropic', types: ['anthropic', 'openai'] },
];

/** Sora 2 was removed upstream on 2026-09-24: with `retireSora`, the relay has no channel for these. */
export const isSora = (model: string): boolean => /^sora-2/.test(model);

export interface ModelRules {
  /** The key's whitelist (undefined: every model of the catalogue). */
  whitelist?: readonly string[];
  retireSora: boolean;
  endpointLabels: 'as-listed' | 'english';
}

/** What `GET /v1/models` lists for this key: its whitelist, minus what no channel serves. */
export function listedModels(rules: ModelRules, created: number): Record<string, unknown>[] {
  return CATALOGUE.filter((m) => (!rules.whitelist || rules.whitelist.includes(m.id)) && served(m.id, rules)).map((m) => ({
    id: m.id,
    object: 'model',
    created,
    owned_by: m.owner,
    supported_endpoint_types: rules.endpointLabels === 'english' ? [...new Set(m.types.map((t) => (t === UNIFIED ? 'openai-video' : t)))] : [...m.types],
  }));
}

/** Whether a channel of the relay serves the model. */
export function served(model: string, rules: ModelRules): boolean {
  return CATALOGUE.some((m) => m.id === model) && !(rules.retireSora && isSora(model));
}

/** Why the relay refuses a model for this key before anything else: outside its whitelist (403), or no channel (503). */
export function refusalOf(model: string, rules: ModelRules): 'no_access' | 'no_channel' | undefined {
  if (rules.whitelist && !rules.whitelist.includes(model)) return 'no_access';
  if (!served(model, rules)) return 'no_channel';
  return undefined;
}
