import type { Resolution } from '../catalog/types';
import type { LocalImage } from './images';

/**
 * The Juxin API as the rest of the product sees it. Only `src/juxin` knows the wire shapes;
 * everything else works with these types.
 */

/** Sora's models (the spend prices' keys still name them); every other model is the catalog's (src/catalog). */
export type VideoModel = 'sora-2' | 'sora-2-pro';
export const ORIENTATIONS = ['landscape', 'portrait'] as const;
export type Orientation = (typeof ORIENTATIONS)[number];
export const SIZES = ['small', 'large'] as const;
export type VideoSize = (typeof SIZES)[number];

export const DEFAULT_BASE_URL = 'https://api.jxincm.cn';

/** Parameters of one generation, as the user chose them (also what the task store keeps). */
export interface GenerationParams {
  prompt: string;
  /** Any video model the key can use (src/catalog describes the families; records before it hold a Sora id). */
  model: string;
  /** Sora's own word; for other families, the shape of `aspectRatio` (records, spend and summaries read it). */
  orientation: Orientation;
  /** Sora's own word; for other families, small = 720p and large = anything more. */
  size: VideoSize;
  /** Set for every family but Sora (whose shape is `orientation`): "16:9", "9:16", "3:2"… */
  aspectRatio?: string;
  /** Set for every family but Sora (whose resolution is `size`). */
  resolution?: Resolution;
  duration: number;
  watermark: boolean;
  private: boolean;
  /** http(s) image URLs and/or local image file paths: what they mean depends on the model (src/catalog). */
  images: string[];
  /** The first frame (families whose images are frames), a URL or an absolute local path. */
  firstFrame?: string;
  /** The last frame, with a first frame. */
  lastFrame?: string;
  /** Veo: translate and enrich the prompt (Veo wants English). */
  enhancePrompt?: boolean;
  /** Veo: upscale the result. */
  enableUpsample?: boolean;
  /** A video model the relay lists that the catalog does not describe: sent with the common fields only. */
  undescribed?: boolean;
  characterUrl?: string;
  /** "start,end" seconds, span 1..3. */
  characterTimestamps?: string;
}

export type TaskStatus = 'queued' | 'processing' | 'completed' | 'failed';

/** One query (or create) response, whatever its wire shape, reduced to what we use. */
export interface NormalizedTask {
  id: string;
  status: TaskStatus;
  /** 0..100 */
  progress: number;
  videoUrl?: string;
  thumbnailUrl?: string;
  gifUrl?: string;
  /** Set when status is 'failed': the vendor's reason, or "no reason given". */
  failureReason?: string;
  queuePosition?: number;
  /** While queued: the relay's estimate of the wait left, ms (Shape A `estimated_queue_wait_time`); an estimate, often stale. */
  queueEtaMs?: number;
  width?: number;
  height?: number;
  /** Milliseconds since epoch, when the vendor gives it. */
  updatedAt?: number;
  /** The vendor's status string as received (for logs). */
  rawStatus: string;
  remixedFrom?: string;
}

export interface Character {
  id: string;
  username: string;
  permalink?: string;
  profilePictureUrl?: string;
}

export type CharacterSource = { url: string } | { fromTask: string };

export type JuxinErrorKind =
  | 'config' // no key, bad base URL: nothing was sent
  | 'auth'
  | 'quota'
  | 'rate_limit'
  | 'upstream'
  | 'bad_request'
  | 'not_found'
  | 'model_unavailable' // this key cannot use this model (no channel in its group, not in its whitelist, retired): never temporary
  | 'no_route' // the relay does not offer this route (404 "Invalid URL"): a wrong base URL, or a model family it lacks
  | 'malformed_response'
  | 'network'
  | 'timeout';

/** One entry of `GET /v1/models`: a model the key's group may use (chat, image and video mixed). */
export interface ListedModel {
  id: string;
  ownedBy?: string;
  /** As the relay labels them: English (`openai-video`, `image-generation`…) or Chinese (`视频统一格式`…). */
  endpointTypes: string[];
}

export interface RequestOptions {
  signal?: AbortSignal;
  /**
   * Once this aborts, no new attempt starts (an attempt on its way is not cut). For a paid create whose
   * caller gave up: a retry after a 429 would be a new request for a call nobody waits for.
   */
  stopRetries?: AbortSignal;
  /**
   * Waits for the key's turn (the caller's rate cap) before any further request this call makes of its
   * own: the `GET /v1/models` that names what the key can use after a model was refused. Default: none.
   */
  turn?: () => Promise<void>;
}

export interface CreateVideoOptions extends RequestOptions {
  /**
   * The local files of `params.images`, already checked and read (core's `prepareGeneration`), in
   * order. Without them the client reads each file itself, once.
   */
  images?: readonly LocalImage[];
}

/** The client the engine depends on (the real one is `JuxinClient`; tests may fake it). */
export interface JuxinApi {
  /**
   * Text- or URL-image-to-video through the unified format, or the multipart path when `images` holds
   * local files. `params` are trusted as validated (core's `validateGenerationParams`).
   */
  createVideo(params: GenerationParams, options?: CreateVideoOptions): Promise<NormalizedTask>;
  queryVideo(id: string, options?: RequestOptions): Promise<NormalizedTask>;
  remixVideo(id: string, prompt: string, options?: RequestOptions): Promise<NormalizedTask>;
  createCharacter(source: CharacterSource, timestamps: string, options?: RequestOptions): Promise<Character>;
  /** `GET /v1/models`: every model this key may use, video or not (`videoModelIds` in models.ts picks the video ones). */
  listModels(options?: RequestOptions): Promise<ListedModel[]>;
  /**
   * The headers a download of `url` needs: the API key for the relay's own routes (its
   * `/v1/videos/{id}/content`), nothing at all for any other host. The key never leaves this folder otherwise.
   */
  downloadHeaders(url: string): Record<string, string>;
  /**
   * Which relay and key answer (`relayScope`: the base URL and a one-way fingerprint of the key, never
   * the key), so what is kept per key in the shared home is never read for another. Absent: one scope for all.
   */
  readonly scope?: string;
}
