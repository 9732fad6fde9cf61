import { clipDuration } from './prompt';
import { formatClipTime } from './time';
import type { Clip, Storyboard } from './types';
import type { Language } from './write';

/**
 * How one clip's subtitle lines become a Sora prompt. One text, used by the MCP prompt and by the
 * Copilot request in VS Code, so both write shots the same way.
 */
export const SHOT_PROMPT_RULES: Record<Language, string> = {
  en: `You write the prompt for ONE Sora video clip of a storyboard.
Rules:
1. Describe 4 to 6 shots in order, together filling the clip's duration exactly. Begin each shot on a new line as "Shot N (start–end s, framing): …".
2. Shot 1 is a 1–2 second establishing shot: the place, time of day, weather and light, before anyone speaks.
3. Every other shot says the framing (wide, medium, close-up…), the camera movement, what the characters do, and what they say: put each subtitle line in quotes, in its order and at about its time.
4. Name recurring characters only as @name, exactly as the cast writes them (e.g. @Mika); the @name becomes the character's Sora username, so they look the same in every clip. Describe anyone else in words.
5. Do not add the style string; it is appended to every clip automatically. Keep the look consistent with it.
6. No real people, no famous or copyrighted characters, nothing a content filter would refuse.
7. Write in the language of the subtitle lines. At most 1,500 characters. Answer with the prompt only: no title, no lines starting with "#" or ">", no quotes around the whole answer.`,
  zh: `你为分镜中的【一个】Sora 视频片段写提示词。
规则：
1. 按顺序描述 4 到 6 个镜头，合起来正好占满片段的时长。每个镜头另起一行，格式为“镜头 N（开始–结束 秒，景别）：……”。
2. 镜头 1 是 1–2 秒的建立镜头：交代地点、时间、天气和光线，此时还没有人说话。
3. 其余每个镜头写清景别（远景、中景、近景、特写……）、运镜、角色的动作和台词：每句字幕用引号写进去，保持原来的顺序，时间大致对应。
4. 反复出现的角色只用 @名字 指代，与角色表（cast）中的写法完全一致（例如 @小林）；@名字 会换成角色的 Sora 用户名，使角色在每个片段里长得一样。其他人物用文字描述。
5. 不要写风格描述（style），它会自动加在每个片段后面；画面风格与它保持一致即可。
6. 不要出现真人、名人或受版权保护的角色，也不要写可能被内容审核拒绝的内容。
7. 使用字幕的语言来写。不超过 1500 字。只回答提示词本身：不要标题，不要以 "#" 或 ">" 开头的行，不要给整段加引号。`,
};

/** The request for one clip: its length, the cast, the style to match, and its subtitle lines with their times. */
export function shotPromptRequest(storyboard: Storyboard, clip: Clip, language: Language): string {
  const duration = clipDuration(storyboard, clip);
  const cast = storyboard.cast.map((c) => `@${c.name}`).join(', ');
  const lines = clip.subtitles.map((c) => `${formatClipTime(c.start)}–${formatClipTime(c.end)} ${c.text.replace(/\n/g, ' ')}`);
  if (language === 'zh') {
    return [
      `片段：${clip.title || '（无标题）'}，时长 ${duration} 秒。`,
      storyboard.title ? `整部片子：${storyboard.title}` : '',
      `角色表：${cast || '（无）'}`,
      storyboard.style ? `风格（会自动追加，不要重复）：${storyboard.style}` : '',
      lines.length ? `字幕（时间从片段开头算起）：\n${lines.join('\n')}` : '这个片段没有字幕。',
      clip.prompt.trim() ? `现有的草稿（可参考）：\n${clip.prompt.trim()}` : '',
    ]
      .filter(Boolean)
      .join('\n');
  }
  return [
    `Clip: ${clip.title || '(untitled)'}, ${duration} seconds.`,
    storyboard.title ? `The film: ${storyboard.title}` : '',
    `Cast: ${cast || '(none)'}`,
    storyboard.style ? `Style (appended automatically, do not repeat it): ${storyboard.style}` : '',
    lines.length ? `Subtitle lines (times from the clip's start):\n${lines.join('\n')}` : 'This clip has no subtitle lines.',
    clip.prompt.trim() ? `The current draft (for reference):\n${clip.prompt.trim()}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}
