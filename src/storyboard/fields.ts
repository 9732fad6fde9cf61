/**
 * The names a person may give each setting, in English or Chinese. One table, read by the parser and
 * shown in the docs; the writer always uses the first (English) name.
 */
export const FRONT_MATTER_KEYS = {
  title: ['title', '标题', '片名'],
  model: ['model', '模型'],
  orientation: ['orientation', '方向', '画面方向'],
  size: ['size', '尺寸', '清晰度'],
  aspect_ratio: ['aspect_ratio', 'aspect-ratio', 'ratio', '画面比例', '比例'],
  resolution: ['resolution', '分辨率'],
  duration: ['duration', '时长'],
  style: ['style', '风格'],
  cast: ['cast', '角色', '演员'],
  subtitles: ['subtitles', '字幕'],
} as const;

export type FrontMatterKey = keyof typeof FRONT_MATTER_KEYS;

export const CLIP_KEYS = {
  duration: ['duration', '时长'],
  images: ['images', 'image', '图片', '参考图'],
  first_frame: ['first_frame', 'first-frame', '首帧'],
  last_frame: ['last_frame', 'last-frame', '尾帧'],
} as const;

export type ClipKey = keyof typeof CLIP_KEYS;

function lookup<K extends string>(table: Record<K, readonly string[]>, name: string): K | undefined {
  const wanted = name.trim().toLowerCase();
  for (const [key, names] of Object.entries(table) as [K, readonly string[]][]) {
    if (names.some((n) => n.toLowerCase() === wanted)) return key;
  }
  return undefined;
}

export const frontMatterKey = (name: string): FrontMatterKey | undefined => lookup(FRONT_MATTER_KEYS, name);
export const clipKey = (name: string): ClipKey | undefined => lookup(CLIP_KEYS, name);

/** Values people write for the orientation and size, mapped to the API's words. */
const ORIENTATION_WORDS: Record<string, string> = {
  landscape: 'landscape',
  horizontal: 'landscape',
  横屏: 'landscape',
  横: 'landscape',
  portrait: 'portrait',
  vertical: 'portrait',
  竖屏: 'portrait',
  竖: 'portrait',
};
const SIZE_WORDS: Record<string, string> = { small: 'small', large: 'large', 标清: 'small', 高清: 'large' };

export function orientationWord(value: string): string {
  return ORIENTATION_WORDS[value.trim().toLowerCase()] ?? value;
}

export function sizeWord(value: string): string {
  return SIZE_WORDS[value.trim().toLowerCase()] ?? value;
}

/** `15`, `15s`, `15 秒` → 15; anything else → NaN. */
export function parseDurationValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return NaN;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds|秒)?\s*$/i.exec(value);
  return m ? Number(m[1]) : NaN;
}

/** A list written as YAML, or `a.png, b.png` / `a.png，b.png` on one line. */
export function parseListValue(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
  if (typeof value !== 'string') return [];
  return value
    .split(/[,，;；]\s*|\s+(?=https?:\/\/)/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The closest known name within two edits, for "did you mean …". */
export function suggestKey(name: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of names) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
