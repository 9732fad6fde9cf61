import { videoFamilyOf } from './models';

/**
 * "This key cannot use this model": how the relay says it (every wording of §7 of the API notes) and
 * how we say it. Never temporary, so never retried (retry.ts) and never called so.
 */

export type ModelRefusalReason = 'no_channel' | 'no_access';

export interface ModelRefusal {
  reason: ModelRefusalReason;
  /** The model the relay named, when it did. */
  model?: string;
  /** The key's group (分组), when the relay named it. */
  group?: string;
}

const clean = (word: string | undefined) => word?.replace(/[\s,.;:，。；：)）]+$/u, '') || undefined;

/**
 * Reads a refusal from the vendor's error: 503 `model_not_found` "No available channel for model X
 * under group Y (distributor)", the older "No available channels for model X in group Y", the Chinese
 * "分组 Y 下模型 X 无可用渠道", and 403 "This token has no access to model X". Undefined for anything else.
 */
export function readModelRefusal(status: number, message: string | undefined, code: string | undefined): ModelRefusal | undefined {
  const text = message ?? '';
  const channel = /no available channels? for model\s+(\S+)\s+(?:under|in)\s+group\s+(\S+)/i.exec(text);
  if (channel) return { reason: 'no_channel', model: clean(channel[1]), group: clean(channel[2]) };
  const chinese = /分组\s*(\S+?)\s*下\s*模型\s*(\S+?)\s*无可用渠道/u.exec(text);
  if (chinese) return { reason: 'no_channel', model: clean(chinese[2]), group: clean(chinese[1]) };
  const access = /has no access to (?:the )?model\s+(\S+)/i.exec(text) ?? (status === 403 ? /has no access to\s+(\S+)/i.exec(text) : null);
  if (access) return { reason: 'no_access', model: clean(access[1]) };
  if (code === 'model_not_found' || /no available channels?\b|无可用渠道/i.test(text)) return { reason: 'no_channel' };
  return undefined;
}

export interface ModelAccess {
  /** The video models the key can use (`GET /v1/models` just now); undefined when the list could not be read. */
  videoModels?: readonly string[];
  /** Why the list could not be read. */
  listProblem?: { en: string; zh: string };
}

/** The sentences, English and Chinese: which model, which group, why, Sora's retirement, what the key can use. */
export function describeModelRefusal(refusal: ModelRefusal, status: number | undefined, access: ModelAccess = {}): { en: string; zh: string } {
  const model = refusal.model ?? 'this model';
  const modelZh = refusal.model ?? '该模型';
  const group = refusal.group ? ` (group ${refusal.group})` : '';
  const groupZh = refusal.group ? `（分组 ${refusal.group}）` : '';
  const code = status ? ` (${status}${refusal.reason === 'no_channel' ? ' model_not_found' : ''})` : '';
  const en = [`This API key cannot use the model ${model}${group}:`];
  const zh = [`此 API Key 无法使用模型 ${modelZh}${groupZh}：`];
  if (refusal.reason === 'no_access') {
    en.push(`it is not among the models this key may use${code}.`);
    zh.push(`该模型不在此 Key 允许使用的模型之内${code}。`);
  } else {
    en.push(`Juxin has no channel that serves it for this key${code}.`);
    zh.push(`聚鑫没有为此 Key 提供该模型的可用渠道${code}。`);
  }
  const family = refusal.model ? videoFamilyOf(refusal.model) : undefined;
  if (family?.retiredOn) {
    en.push(`${family.name} was retired upstream on ${family.retiredOn} (its maker switched it off), so relays no longer serve it.`);
    zh.push(`${family.name} 已于 ${family.retiredOn} 被上游下线（原厂已停止提供），中转站不再提供。`);
  }
  if (access.videoModels?.length) {
    en.push(`Video models this key can use: ${access.videoModels.join(', ')}.`);
    zh.push(`此 Key 可用的视频模型：${access.videoModels.join('、')}。`);
  } else if (access.videoModels) {
    en.push('This key can use no video model at all (GET /v1/models lists none).');
    zh.push('此 Key 没有任何可用的视频模型（GET /v1/models 未列出）。');
  } else if (access.listProblem) {
    en.push(`The models this key can use could not be read (${access.listProblem.en}).`);
    zh.push(`无法读取此 Key 可用的模型（${access.listProblem.zh}）。`);
  }
  return { en: en.join(' '), zh: zh.join('') };
}
