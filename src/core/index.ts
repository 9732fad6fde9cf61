export { VideoEngine, type EngineOptions, type WaitOptions, type WaitResult } from './engine';
export { defaultHomeDir } from './home';
export { TaskStore, fileNameForId } from './store';
export { downloadVideo, DownloadError, isMp4File } from './downloader';
export { videoFileName, promptSlug, safeJoin, shortId, UnsafePathError } from './naming';
export { validateGenerationParams, prepareGeneration, ParamError, DEFAULT_PARAMS, MAX_PROMPT_CHARS, type PreparedGeneration } from './params';
export { RateLimiter } from './rateLimiter';
export { nextPollDelay, estimateRemainingMs, typicalTimings } from './pollSchedule';
export { isSettled, type TaskRecord, type DownloadState } from './types';
