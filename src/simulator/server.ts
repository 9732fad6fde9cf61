import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { systemClock, type Clock } from '../util/clock';
import { matchRoute, type ApiContext } from './api';
import { handleControl, type RecordedRequest } from './control';
import { FaultController, type FaultSpec } from './faults';
import type { SimClip } from './markers';
import { handleFile, serveTaskVideo, UrlSigner, type FileContext } from './files';
import { HttpError, sendJson, sendText } from './http';
import { jobState, type JobCounters } from './jobs';
import { type ModelRules } from './models';
import { isProfileName, PROFILE_NAMES, PROFILES, type ProfileName } from './profiles';
import { createRandom, signingKey } from './random';
import { RelayErrors, type RefusalWording, type RelayError } from './relayErrors';
import { HTML_PAGE, renderCreated, renderTask, type ShapeOptions } from './shapes';
import { handleStorage, isStorageVideo, type StorageContext } from './storage';
import { findMediaFile, findSamples, sourceSize, type VideoSource } from './video';
import { newWireCounters, type RelayTask, type WireOptions } from './wire';

export interface SimulatorOptions extends WireOptions {
  /** 0 = a free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The storage host's port (default 0: a free one). It is another origin: the key must never reach it. */
  storagePort?: number;
  /** Simulated seconds per real second (default 1). 60: a 4-minute job takes 4 s. */
  timeScale?: number;
  /** Default systemClock; simulated time runs `timeScale` times as fast as this clock. */
  clock?: Clock;
  /** Default: any `sk-` key of 8+ letters, digits or dashes, unless it contains "invalid". */
  acceptKey?: (key: string) => boolean;
  /** NOT_START / IN_PROGRESS / SUCCESS / FAILURE in the unified and OpenAI shapes, as some relays answer. */
  upperCaseStatus?: boolean;
  /** Leave out the top-level `video_url`, so clients must fall back to `detail.url` or `detail.draft_info.downloadable_url`. */
  omitTopLevelVideoUrl?: boolean | 'detail-url' | 'downloadable-url';
  /** The models the key may use (its whitelist): `GET /v1/models` lists only these, others answer 403. Default: every model. */
  models?: readonly string[];
  /**
   * Sora 2 retired, as on the real relay since 2026-09-24: `sora-2*` answer 503 `model_not_found` and
   * leave `GET /v1/models` (default true). `false` is a relay that still carries Sora (before the
   * retirement, or a sibling relay with a channel left), for tests about Sora itself.
   */
  retireSora?: boolean;
  /** Endpoint types in `GET /v1/models`: as the relay lists them (English and its Chinese labels, the default) or English only. */
  endpointLabels?: 'as-listed' | 'english';
  /** The key's group (分组), named in refusals (default "default"). */
  group?: string;
  /** How a refusal for want of a channel is worded (default 'current'). */
  refusalWording?: RefusalWording;
  /** The MP4 to serve for every job (default: media/sample-<N>s.mp4 of this package, as long as the job asked, media/sample.mp4 for 10 s). */
  videoFile?: string;
  /** Serve a synthetic MP4 of this many bytes instead (streamed, never held in memory). */
  videoBytes?: number;
  /** Simulated lifetime of the brochure's signed file URLs (default 3600 s). */
  urlLifetimeSeconds?: number;
  /** How the relay times jobs and what it reports while they run (default 'typical'; see profiles.ts). A prompt's `#sim:profile-…` overrides it. */
  profile?: ProfileName;
  /** Simulated queue time of a 10 s sora-2 job (default: the profile's, 150 s for 'typical'). */
  queueSeconds?: number;
  /** Simulated generation time of a 10 s sora-2 job (default: the profile's, 90 s for 'typical'). */
  generateSeconds?: number;
  /** Relative spread of both job times (default: the profile's, 0.2 = ±20% for 'typical'), so jobs don't all finish in step. */
  timingJitter?: number;
  /** Makes ids, job times, URLs and character names repeat from run to run. */
  seed?: number;
  /** No console output. */
  quiet?: boolean;
}

export interface Simulator {
  /** Base URL of the relay, e.g. http://127.0.0.1:PORT */
  url: string;
  /** Base URL of the storage host (another port: another origin), where the real relay's videos live. */
  storageUrl: string;
  faults: FaultController;
  /** Every request to either host except /__sim ones; never the Authorization header, only whether one came. */
  requests: RecordedRequest[];
  tasks: ReadonlyMap<string, RelayTask>;
  /** Simulated time now, ms. */
  now(): number;
  /** Stops both servers and ends every open connection, hanging ones included. */
  close(): Promise<void>;
}

export const defaultAcceptKey = (key: string): boolean => /^sk-[A-Za-z0-9-]{8,}$/.test(key) && !key.includes('invalid');

const HTML = 'text/html; charset=utf-8';

/** Starts a Juxin-compatible relay (and its storage host) on loopback. See README.md beside this file. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.clock ?? systemClock;
  const scale = options.timeScale ?? 1;
  if (!(scale > 0)) throw new Error(`timeScale must be a positive number, got ${scale}`);
  const profile = options.profile ?? 'typical';
  if (!isProfileName(profile)) throw new Error(`profile must be one of ${PROFILE_NAMES.join(', ')}, got ${String(profile)}`);
  const origin = clock.now();
  const now = () => origin + (clock.now() - origin) * scale;
  const acceptKey = options.acceptKey ?? defaultAcceptKey;
  const random = createRandom(options.seed);
  const signer = new UrlSigner(signingKey(random, options.seed !== undefined));
  const fixed: VideoSource | undefined =
    options.videoBytes !== undefined ? { bytes: options.videoBytes } : options.videoFile !== undefined ? { file: options.videoFile } : undefined;
  if (fixed) sourceSize(fixed); // fail now, with the path in the message, rather than on the first download
  const video: (seconds: number) => VideoSource = fixed ? () => fixed : findSamples().for;
  const media = { thumbnail: findMediaFile('sample-thumbnail.webp'), gif: findMediaFile('sample-preview.gif') };
  const faults = new FaultController();
  const requests: RecordedRequest[] = [];
  const tasks = new Map<string, RelayTask>();
  const byFile = new Map<string, RelayTask>();
  const counters: JobCounters = { serial: 0, failures: 0 };
  const lifetimeMs = (options.urlLifetimeSeconds ?? 3600) * 1000;
  const dialect = options.wire ?? 'real';
  const errors = new RelayErrors(now);
  const models: ModelRules = { whitelist: options.models, retireSora: options.retireSora ?? true, endpointLabels: options.endpointLabels ?? 'as-listed' };
  const group = options.group ?? 'default';
  let baseUrl = '';
  let storageUrl = '';

  const storageFile = (task: RelayTask, ext: string) => `${storageUrl}/sora/${task.wire.file}.${ext}`;
  const shapeOptions = (): ShapeOptions => {
    const at = now(); // one instant per answer: every URL in it is signed alike
    return {
      upperCaseStatus: options.upperCaseStatus ?? false,
      omitTopLevelVideoUrl: options.omitTopLevelVideoUrl ?? false,
      now: at,
      fileUrl: (dressed, name) => {
        const task = dressed as RelayTask;
        // #sim:expired: the link was already dead when handed out.
        if (task.wire.video === 'signed') return signer.url(baseUrl, task.id, name, at, task.markers.expired ? task.completesAt - 1000 : at + lifetimeMs);
        const image = name === 'thumbnail.webp' ? 'webp' : name === 'preview.gif' ? 'gif' : undefined;
        if (image || task.wire.video === 'storage') return storageFile(task, image ?? 'mp4');
        return `${baseUrl}/v1/videos/${encodeURIComponent(task.id)}/content`;
      },
    };
  };
  const clipVideo = (clip: SimClip): VideoSource => ({ file: findMediaFile(`clips/${clip}.mp4`) });
  const fileContext: FileContext = { tasks, signer, now, video, clipVideo, media };
  const storageContext: StorageContext = {
    ...fileContext,
    byFile: (file) => {
      if (!byFile.has(file)) for (const task of tasks.values()) byFile.set(task.wire.file, task);
      return byFile.get(file);
    },
  };
  const api: ApiContext = {
    tasks,
    random,
    counters,
    timing: {
      ...PROFILES[profile],
      ...(options.queueSeconds !== undefined && { queueSeconds: options.queueSeconds }),
      ...(options.generateSeconds !== undefined && { generateSeconds: options.generateSeconds }),
      ...(options.timingJitter !== undefined && { jitter: options.timingJitter, queueJitter: options.timingJitter }),
    },
    now,
    baseUrl: () => baseUrl,
    wire: options,
    wireCounters: newWireCounters(),
    dialect,
    errors,
    models,
    group,
    refusalWording: options.refusalWording ?? 'current',
    render: (task) => renderTask(task, jobState(task, now()), shapeOptions()),
    renderCreated: (task) => renderCreated(task, jobState(task, now()), shapeOptions()),
    storageUrl: (task) => storageFile(task, 'mp4'),
  };

  const sendError = (res: ServerResponse, error: RelayError): number => {
    sendJson(res, error.status, error.body, error.headers);
    return error.status;
  };

  /** Answers for a fault that replaces the whole response; returns the status, or 0 for none sent. */
  const applyFault = (fault: FaultSpec | undefined, req: IncomingMessage, res: ServerResponse, path: string): number | undefined => {
    switch (fault?.kind) {
      case 'hang':
        return 0; // never answers; close() ends it
      case 'rate_limit':
        return sendError(res, errors.rateLimited(dialect, fault.retryAfterSeconds));
      case 'server_error':
        return sendError(res, errors.upstreamFailed(dialect, fault.status ?? 502));
      case 'model_not_found':
        return sendError(res, errors.modelNotFound(fault.model ?? 'sora-2', group, fault.wording ?? api.refusalWording));
      case 'no_access':
        return sendError(res, errors.noAccess(fault.model ?? 'sora-2'));
      case 'quota':
        return sendError(res, errors.quotaUsedUp());
      case 'invalid_url':
        return sendError(res, errors.invalidUrl(req.method ?? 'GET', path));
      case 'task_not_exist':
        return sendError(res, errors.taskNotExist(dialect, ''));
      case 'html_200':
        sendText(res, 200, HTML, HTML_PAGE);
        return 200;
      case 'malformed_json':
        sendJson(res, 200, '{"id": "sora-2:task_01k6x15vhrff09dkkqjrzwhm60", "status": "proc');
        return 200;
      case 'not_json':
        sendText(res, 200, 'text/plain; charset=utf-8', 'system busy, please retry later 系统繁忙，请稍后重试');
        return 200;
      case 'huge_body': {
        const bytes = fault.bytes ?? 6 * 1024 * 1024;
        const head = '{"id":"video_huge","status":"processing","padding":"';
        sendJson(res, 200, `${head}${'x'.repeat(Math.max(0, bytes - head.length - 2))}"}`);
        return 200;
      }
      default:
        return undefined; // none, or one the handler applies itself (cut_download, expired_url)
    }
  };

  const dispatch = async (req: IncomingMessage, res: ServerResponse, url: URL, record: RecordedRequest): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path.startsWith('/files/')) {
      const fault = faults.take('download');
      record.target = 'download';
      record.taskId = taskOfFilePath(path);
      record.status = applyFault(fault, req, res, path) ?? handleFile(fileContext, req, res, url, fault);
      return;
    }
    const route = matchRoute(api, method, path);
    if (!route) {
      // The gateway's own 404 for a /v1 path it does not route; its web front end answers everything else, with 200.
      if (dialect === 'real' && (path === '/v1' || path.startsWith('/v1/'))) record.status = sendError(res, errors.invalidUrl(method, path));
      else {
        sendText(res, 200, HTML, HTML_PAGE);
        record.status = 200;
      }
      return;
    }
    record.target = route.target;
    const auth = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!auth || !acceptKey(auth[1])) {
      record.status = sendError(res, errors.invalidToken(dialect));
      return;
    }
    const fault = faults.take(route.target);
    const faulted = applyFault(fault, req, res, path);
    if (faulted !== undefined) {
      record.status = faulted;
      return;
    }
    const answer = await route.run(req, url);
    if ('download' in answer) {
      record.taskId = answer.download.id;
      record.status = serveTaskVideo(fileContext, req, res, answer.download, fault);
      return;
    }
    if ('redirect' in answer) {
      record.taskId = answer.taskId;
      res.writeHead(302, { location: answer.redirect, 'content-length': 0 });
      res.end();
      record.status = 302;
      return;
    }
    record.taskId = answer.taskId;
    sendJson(res, answer.status, answer.body);
    record.status = answer.status;
  };

  /** The task a signed `/files/<encoded id>/<name>` URL names, if it is one of ours. */
  const taskOfFilePath = (path: string): string | undefined => {
    try {
      const id = decodeURIComponent(path.split('/')[2] ?? '');
      return tasks.has(id) ? id : undefined;
    } catch {
      return undefined;
    }
  };

  const dispatchStorage = (req: IncomingMessage, res: ServerResponse, url: URL, record: RecordedRequest): void => {
    const fault = isStorageVideo(url.pathname) ? faults.take('download') : undefined;
    record.target = 'download';
    const faulted = applyFault(fault, req, res, url.pathname);
    if (faulted !== undefined) {
      record.status = faulted;
      return;
    }
    const { status, taskId } = handleStorage(storageContext, req, res, url, fault);
    record.status = status;
    record.taskId = taskId;
  };

  const fail = (res: ServerResponse, error: unknown): number => {
    if (error instanceof HttpError) {
      if (!res.headersSent) sendJson(res, error.status, error.body, error.headers);
      return error.status;
    }
    if (!options.quiet) console.error('Juxin simulator: internal error', error);
    if (!res.headersSent) sendJson(res, 500, { error: { message: 'simulator internal error 模拟器内部错误', type: 'server_error' } });
    else res.destroy();
    return 500;
  };

  const recordOf = (req: IncomingMessage, url: URL, origin: RecordedRequest['origin']): RecordedRequest => {
    const record: RecordedRequest = {
      origin,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorized: req.headers.authorization !== undefined,
      at: now(),
      status: 0,
    };
    requests.push(record);
    return record;
  };

  const sockets = new Set<Socket>();
  const relay = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith('/__sim/')) {
      handleControl({ faults, requests, tasks, now }, req, res, url.pathname).catch((error: unknown) => fail(res, error));
      return;
    }
    const record = recordOf(req, url, 'relay');
    dispatch(req, res, url, record).catch((error: unknown) => {
      record.status = fail(res, error);
    });
  });
  const storage = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://storage');
    const record = recordOf(req, url, 'storage');
    try {
      dispatchStorage(req, res, url, record);
    } catch (error) {
      record.status = fail(res, error);
    }
  });

  const host = options.host ?? '127.0.0.1';
  const urlOf = (server: Server) => `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`;
  const listen = (server: Server, port: number) =>
    new Promise<void>((resolve, reject) => {
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(relay, options.port ?? 0);
  try {
    await listen(storage, options.storagePort ?? 0);
  } catch (error) {
    relay.close();
    throw error;
  }
  baseUrl = urlOf(relay);
  storageUrl = urlOf(storage);
  if (!options.quiet) console.log(`Juxin simulator listening on ${baseUrl} (time scale ${scale}×; ${dialect} wire; videos on ${storageUrl})`);

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    storageUrl,
    faults,
    requests,
    tasks,
    now,
    close: () =>
      (closing ??= Promise.all(
        [relay, storage].map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              for (const socket of sockets) socket.destroy();
            }),
        ),
      ).then(() => undefined)),
  };
}
