import { type Dispatcher, FormData } from 'undici';
import { systemClock, type Clock } from '../util/clock';
import { silentLogger, type Logger } from '../util/log';
import { JuxinError, modelUnavailableError } from './errors';
import { readModelRefusal, type ModelAccess } from './modelErrors';
import { videoModelIds } from './models';
import { JuxinHttp } from './http';
import { createRequestOf } from './body';
import { imagesOfParams } from './imageOrder';
import { ImageError, isHttpUrl, type LocalImage, readLocalImage } from './images';
import { normalizeCharacter, normalizeModelList, normalizeQueryResponse } from './normalize';
import { relayScope } from './scope';
import { DEFAULT_RETRY, type RetryOptions } from './retry';
import {
  type Character,
  type CharacterSource,
  type CreateVideoOptions,
  DEFAULT_BASE_URL,
  type GenerationParams,
  type JuxinApi,
  type ListedModel,
  type NormalizedTask,
  type RequestOptions,
} from './types';

export interface JuxinClientOptions {
  apiKey: string;
  baseUrl?: string;
  clock?: Clock;
  logger?: Logger;
  /** undici dispatcher (an Agent, a ProxyAgent, a MockAgent in tests). */
  dispatcher?: Dispatcher;
  requestTimeoutMs?: number;
  /** The clock of `requestTimeoutMs` (default systemClock: real time, whatever `clock` is; tests pass their own). */
  timeoutClock?: Clock;
  retry?: Partial<RetryOptions>;
  /** 0..1, for the backoff jitter (injected by tests). */
  random?: () => number;
}

/** The Juxin HTTP API. Only this folder knows its paths and shapes. */
export class JuxinClient implements JuxinApi {
  private readonly http: JuxinHttp;
  readonly scope: string;

  constructor(options: JuxinClientOptions) {
    this.scope = relayScope(options.baseUrl?.trim() || DEFAULT_BASE_URL, options.apiKey ?? '');
    this.http = new JuxinHttp({
      apiKey: options.apiKey,
      baseUrl: options.baseUrl?.trim() || DEFAULT_BASE_URL,
      clock: options.clock ?? systemClock,
      logger: options.logger ?? silentLogger,
      dispatcher: options.dispatcher,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      timeoutClock: options.timeoutClock ?? systemClock,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      random: options.random ?? Math.random,
    });
  }

  async createVideo(params: GenerationParams, options: CreateVideoOptions = {}): Promise<NormalizedTask> {
    // The parameters were validated once (core's params): e.g. Sora's URLs and files are never mixed here.
    const files = imagesOfParams(params).filter((image) => !isHttpUrl(image));
    const read = files.length ? (options.images ?? (await readImages(files))) : [];
    const byPath = new Map(read.map((image) => [image.path, image]));
    const request = createRequestOf(params, (ref) => {
      const file = isHttpUrl(ref) ? undefined : byPath.get(ref);
      return file ? dataUri(file) : ref;
    });
    let body: { json: unknown } | { form: FormData };
    if (request.path === '/v1/videos') {
      // The OpenAI-style multipart path: Sora's only way to take image files rather than URLs.
      const form = new FormData();
      for (const [name, value] of Object.entries(request.fields)) form.set(name, value);
      for (const file of request.files) {
        const image = byPath.get(file)!;
        form.append('input_reference', new Blob([image.data], { type: image.mimeType }), image.fileName);
      }
      body = { form };
    } else {
      body = { json: request.json };
    }
    return this.create(params.model, options, () =>
      this.http.send({
        method: 'POST',
        path: request.path,
        kind: 'create',
        body,
        parse: (b) => normalizeQueryResponse(b),
        signal: options.signal,
        stopRetries: options.stopRetries,
      }),
    );
  }

  async queryVideo(id: string, options: RequestOptions = {}): Promise<NormalizedTask> {
    // Some answers carry another id (the inner task_…, the gateway's row number): the caller tracks the id it asked about.
    return this.http.send({
      method: 'GET',
      path: `/v1/video/query?id=${encodeURIComponent(id)}`,
      kind: 'query',
      parse: (body) => normalizeQueryResponse(body, id),
      signal: options.signal,
    });
  }

  async remixVideo(id: string, prompt: string, options: RequestOptions = {}): Promise<NormalizedTask> {
    const path = `/v1/videos/${pathSegment(id)}/remix`;
    const task = await this.create(undefined, options, () =>
      this.http.send({
        method: 'POST',
        path,
        kind: 'create',
        body: { json: { prompt } },
        parse: (b) => normalizeQueryResponse(b),
        signal: options.signal,
        stopRetries: options.stopRetries,
      }),
    );
    return { ...task, remixedFrom: task.remixedFrom ?? id };
  }

  async listModels(options: RequestOptions = {}): Promise<ListedModel[]> {
    return this.http.send({ method: 'GET', path: '/v1/models', kind: 'query', parse: normalizeModelList, signal: options.signal });
  }

  downloadHeaders(url: string): Record<string, string> {
    return this.http.downloadHeaders(url);
  }

  /**
   * A paid request; when the relay says the key cannot use the model, the error names the video models
   * the key can use, read from `GET /v1/models` now (a query: it bills nothing).
   */
  private async create<T>(model: string | undefined, options: RequestOptions, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof JuxinError) || error.kind !== 'model_unavailable' || options.signal?.aborted) throw error;
      const refusal = readModelRefusal(error.status ?? 0, error.vendorMessage, error.vendorCode) ?? { reason: 'no_channel' as const };
      const vendor = { status: error.status, message: error.vendorMessage, messageZh: error.vendorMessageZh, type: error.vendorType, code: error.vendorCode };
      const refused = { ...refusal, model: refusal.model ?? model };
      let access: ModelAccess;
      try {
        // The list may still name the refused model (a relay lists what it prices, not what has a channel).
        await options.turn?.();
        access = { videoModels: videoModelIds(await this.listModels(options)).filter((id) => id !== refused.model) };
      } catch (listError) {
        if (options.signal?.aborted) throw listError;
        const why = listError instanceof JuxinError ? listError : undefined;
        access = { listProblem: { en: why?.message ?? String(listError), zh: why?.messageZh ?? why?.message ?? String(listError) } };
      }
      throw modelUnavailableError(refused, vendor, access);
    }
  }

  async createCharacter(source: CharacterSource, timestamps: string, options: RequestOptions = {}): Promise<Character> {
    if (!parseTimestamps(timestamps)) {
      throw new JuxinError('bad_request', `Character timestamps "${timestamps}" must be "start,end" in seconds with end − start between 1 and 3, e.g. "1,3".`, {
        messageZh: `角色时间戳 "${timestamps}" 应为 "开始,结束"（秒），且时长在 1～3 秒之间，例如 "1,3"。`,
      });
    }
    const from = 'url' in source ? source.url : source.fromTask;
    if (!from?.trim() || ('url' in source && !isHttpUrl(source.url))) {
      throw new JuxinError('bad_request', 'A character needs the http(s) URL of a video, or the id of a completed task.', {
        messageZh: '创建角色需要视频的 http(s) 网址，或已完成任务的 ID。',
      });
    }
    // Never send `model` here: the relay answers 404 "channel not found" when it is present.
    const body = 'url' in source ? { url: source.url.trim(), timestamps } : { from_task: source.fromTask.trim(), timestamps };
    return this.create(undefined, options, () =>
      this.http.send({ method: 'POST', path: '/sora/v1/characters', kind: 'create', body: { json: body }, parse: normalizeCharacter, signal: options.signal }),
    );
  }
}

/**
 * A task id as one path segment. Percent-encoding keeps `/`, `?` and `#` inside the segment, but "."
 * and ".." (also written %2e) are dot segments that URL parsing resolves: `/v1/videos/../remix` is
 * `POST /v1/remix`. No Juxin id looks like that, so they are refused before anything is sent.
 */
function pathSegment(id: string): string {
  const value = String(id ?? '').trim();
  if (!value || /^(\.|%2e){1,2}$/i.test(value)) {
    throw new JuxinError('bad_request', `${JSON.stringify(value.slice(0, 40))} is not a task id, so nothing was sent.`, {
      messageZh: `${JSON.stringify(value.slice(0, 40))} 不是任务 ID，未发送请求。`,
    });
  }
  return encodeURIComponent(value);
}

/** Each file read once, for callers that did not prepare them (the engine always does). */
async function readImages(files: string[]): Promise<LocalImage[]> {
  const images: LocalImage[] = [];
  for (const file of files) {
    try {
      images.push(await readLocalImage(file));
    } catch (error) {
      if (error instanceof ImageError) throw new JuxinError('bad_request', error.message, { messageZh: error.messageZh });
      throw error;
    }
  }
  return images;
}

/** A local image inline, as sibling relays of this one take it in `images` (shared/juxin-api.md §2). */
function dataUri(image: LocalImage): string {
  return `data:${image.mimeType};base64,${Buffer.from(image.data).toString('base64')}`;
}

/** "start,end" seconds with 1 ≤ end − start ≤ 3, or undefined. */
export function parseTimestamps(value: string): { start: number; end: number } | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*$/.exec(value ?? '');
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const span = end - start;
  return span >= 1 && span <= 3 ? { start, end } : undefined;
}
