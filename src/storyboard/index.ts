/**
 * Storyboards (分镜): the `*.storyboard.md` format, subtitles, the clip plan and joining clips into
 * a film. Pure TypeScript with no VS Code or MCP imports, so the extension, the MCP tools and the
 * CLI share it. See docs/storyboard.md.
 */
export * from './types';
export { parseStoryboard, requireUsable, CLIP_ID } from './parse';
export {
  formatStoryboard,
  appendClipEdits,
  ensureClipIds,
  ensureClipIdsEdits,
  setClipPrompt,
  setClipPromptEdits,
  setCastMember,
  setCastMemberEdits,
  promptLines,
  type ClipDraft,
  type StoryboardDraft,
  type Language,
} from './write';
export { applyEdits, type TextEdit } from './edits';
export { effectivePrompt, substituteCast, clipParams, clipDuration, clipFingerprint, normalizePromptText, type ClipParams } from './prompt';
export { parseSrt, retimeSubtitles, formatSrt, SrtError, type SubtitleCue, type ClipOnFilm } from './srt';
export { groupSubtitles, type SubtitleGroup, type GroupingOptions } from './grouping';
export { draftFromSubtitles, subtitlePrompt, type DraftOptions } from './draft';
export { SHOT_PROMPT_RULES, shotPromptRequest } from './rules';
export { planStoryboard, type ClipTaskRecord, type ClipState, type ClipPlan, type StoryboardPlan } from './plan';
export { assembleFilm, AssembleError, type AssembleClip, type AssembleOptions, type AssembleResult, type AssembleErrorCode } from './assemble';
export { findFfmpeg } from './ffmpegJoin';
export type { ClipMismatch } from './probe';
export { formatClipTime, parseClipTime } from './time';
export { clipLabel } from './plan';
export {
  storyboardKey,
  storyboardLinkMatcher,
  linksTo,
  currentStoryboardLink,
  toClipTaskRecord,
  clipTaskRecords,
  concernsStoryboard,
  takenClipIds,
  storyboardState,
  type StoryboardState,
} from './history';
export { clipStatus, isClipBusy, clipProgressValue, type ClipStatus, type ClipStatusKind } from './status';
export {
  ClipBatch,
  StoryboardBatches,
  batchesOf,
  clipJobs,
  resolveClipImages,
  type ClipEngine,
  type ClipJob,
  type ClipRun,
  type ClipRunState,
  type BatchOptions,
} from './batch';
export { filmPath, describeClips, subtitleLanguageOf, assembleStoryboard, type StoryboardFilm, type StoryboardFilmOptions } from './film';
export { isDraftPrompt, storyboardLanguage, cleanShotPrompt, writeShots, type AskModel, type ShotWriting } from './shots';
export { storyboardTemplate } from './template';
export {
  StoryboardFileError,
  STORYBOARD_EXTENSION,
  storyboardFileName,
  checkAbsolutePath,
  readStoryboardFile,
  readSubtitleFile,
  saveStoryboardText,
  writeNewFile,
  type StoryboardText,
} from './files';
export { LIMITS } from './limits';
export {
  generateStoryboard,
  ImagesNotAllowedError,
  type StoryboardEngine,
  type GenerateStoryboardRequest,
  type StoryboardGeneration,
  type SkippedClip,
} from './generate';
