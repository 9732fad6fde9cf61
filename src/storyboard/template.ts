import type { StoryboardDefaults } from './types';
import { formatStoryboard, type Language, type StoryboardDraft } from './write';

/** What a new, empty storyboard starts with: the settings and two example clips to write over. */
const EXAMPLES: Record<Language, Pick<StoryboardDraft, 'style' | 'clips'>> = {
  en: {
    style: 'cinematic, 35mm film grain, warm light, shallow depth of field',
    clips: [
      {
        title: 'Opening',
        prompt: [
          'Shot 1 (0–1.5 s, wide): a quiet street at dawn, mist over wet cobblestones, one window lit.',
          'Shot 2 (1.5–5 s, medium): a young woman in a red coat walks toward the camera, holding a letter.',
          'Shot 3 (5–8 s, close-up): she stops and reads it; her eyes widen.',
          'Shot 4 (8–10 s, wide): she turns and runs back the way she came.',
        ].join('\n'),
        images: [],
        subtitles: [{ start: 5200, end: 7800, text: 'It was from him.' }],
      },
      {
        title: 'The station',
        prompt: 'Describe this clip in 4–6 shots, the first a 1–2 s establishing shot. Write recurring characters as @name (see cast).',
        images: [],
        subtitles: [],
      },
    ],
  },
  zh: {
    style: '电影感，35mm 胶片颗粒，暖色光线，浅景深',
    clips: [
      {
        title: '开场',
        prompt: [
          '镜头 1（0–1.5 秒，远景）：黎明时分安静的街道，湿漉漉的石板路上飘着薄雾，一扇窗亮着灯。',
          '镜头 2（1.5–5 秒，中景）：一位穿红色大衣的年轻女子拿着一封信，朝镜头走来。',
          '镜头 3（5–8 秒，特写）：她停下脚步读信，眼睛睁大。',
          '镜头 4（8–10 秒，远景）：她转身沿着来路跑回去。',
        ].join('\n'),
        images: [],
        subtitles: [{ start: 5200, end: 7800, text: '是他写来的。' }],
      },
      {
        title: '车站',
        prompt: '用 4–6 个镜头描述这个片段，第一个是 1–2 秒的建立镜头。反复出现的角色写成 @名字（见 cast）。',
        images: [],
        subtitles: [],
      },
    ],
  },
};

/** The text of a new storyboard file with the given settings, in the person's language. */
export function storyboardTemplate(language: Language, title: string, defaults: StoryboardDefaults): string {
  const example = EXAMPLES[language];
  return formatStoryboard({ title, defaults, cast: [], style: example.style, clips: example.clips }, { language });
}
