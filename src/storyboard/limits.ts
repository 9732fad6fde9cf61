/**
 * How much of each input the storyboard parsers take, so that no file (a cloned repository's, a
 * model's, a mistake) can freeze or exhaust the server: past a bound the input is refused with a
 * clear message, before the work starts. Each bound is far above what a real file needs.
 */
export const LIMITS = {
  /** A storyboard file: 200 clips of long prompts and subtitles fit in a few hundred KB. */
  storyboardBytes: 4 * 1024 * 1024,
  /** Its settings block (title, model, style, a cast of 50…): a few KB. YAML parsing is kept well away from its slow paths. */
  frontMatterChars: 16 * 1024,
  /** An .srt or .vtt: a feature film's subtitles are about 100 KB. */
  subtitleBytes: 4 * 1024 * 1024,
  /** One subtitle line lasts seconds; a "line" of hours is a typing mistake (and would be cut into thousands of clips). */
  cueMs: 60 * 60 * 1000,
  /** Subtitle lines once lines longer than a clip are cut: a two-hour film has about 2,000. */
  subtitleLines: 100_000,
  /**
   * Subtitle lines one clip may hold: at most 25 s of film, where a person reads three lines a second
   * at the very most. Also what keeps the grouping linear however dense the lines are.
   */
  linesPerClip: 100,
} as const;
