export * from './types';
export { JuxinError, NEXT_STEPS, errorFromResponse, parseRetryAfter, scrubSecrets, type JuxinErrorInit, type ResponseHeaders } from './errors';
export { JuxinClient, type JuxinClientOptions, parseTimestamps } from './client';
export { normalizeQueryResponse, normalizeCharacter, normalizeStatus } from './normalize';
export { DEFAULT_RETRY, isRetryable, retryDelay, withRetry, type RequestKind, type RetryOptions } from './retry';
export { ImageError, readLocalImage, isHttpUrl, MAX_IMAGE_BYTES, MAX_IMAGES, type LocalImage } from './images';
