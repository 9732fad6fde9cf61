import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { systemClock, type Clock } from '../util/clock';
import { matchRoute, type ApiContext } from './api';
import { handleControl, type RecordedRequest } from './control';
import { FaultController, type FaultSpec } from './faults';
import type { SimClip } from './markers';
import { handleFile, serveTaskVideo, UrlSigner, type FileContext } from './files';
import { HttpError, sendJson, sendText } from './http';
import { jobState, type IdStyle, type JobCounters, type SimTask } from './jobs';
import { isProfileName, PROFILE_NAMES, PROFILES, type ProfileName } from './profiles';
import { createRandom, signingKey } from './random';
import { HTML_PAGE, renderCreated, renderTask, vendorError, type ShapeOptions } from './shapes';
import { findMediaFile, sourceSize, type VideoSource } from './video';

export interface SimulatorOptions {
  /** 0 = a free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Simulated seconds per real second (default 1). 60: a 4-minute job takes 4 s. */
  timeScale?: number;
  /** Default systemClock; simulated time runs `timeScale` times as fast as this clock. */
  clock?: Clock;
  /** Default: any `sk-` key of 8+ letters, digits or dashes, unless it contains "invalid". */
  acceptKey?: (key: string) => boolean;
  /** 'task': "sora-2:task_…" ids and shapes A/B; 'video': "video_<uuid>" and shape C; default 'alternate'. */
  idStyle?: IdStyle | 'alternate';
  /** NOT_START / IN_PROGRESS / SUCCESS / FAILURE, as some relays answer. */
  upperCaseStatus?: boolean;
  /** Leave out the top-level `video_url`, so clients must fall back to `detail.url` or `detail.draft_info.downloadable_url`. */
  omitTopLevelVideoUrl?: boolean | 'detail-url' | 'downloadable-url';
  /** The MP4 to serve (default media/sample.mp4 of this package). */
  videoFile?: string;
  /** Serve a synthetic MP4 of this many bytes instead (streamed, never held in memory). */
  videoBytes?: number;
  /** Simulated lifetime of signed file URLs (default 3600 s). */
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
  /** Base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  faults: FaultController;
  /** Every request except /__sim ones; never the Authorization header. */
  requests: RecordedRequest[];
  tasks: ReadonlyMap<string, SimTask>;
  /** Simulated time now, ms. */
  now(): number;
  /** Stops the server and ends every open connection, hanging ones included. */
  close(): Promise<void>;
}

export const defaultAcceptKey = (key: string): boolean => /^sk-[A-Za-z0-9-]{8,}$/.test(key) && !key.includes('invalid');

const HTML = 'text/html; charset=utf-8';

/** Starts a Juxin-compatible server on loopback. See README.md beside this file. */
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
  const video: VideoSource = options.videoBytes !== undefined ? { bytes: options.videoBytes } : { file: options.videoFile ?? findMediaFile('sample.mp4') };
  sourceSize(video); // fail now, with the path in the message, rather than on the first download
  const media = { thumbnail: findMediaFile('sample-thumbnail.webp'), gif: findMediaFile('sample-preview.gif') };
  const faults = new FaultController();
  const requests: RecordedRequest[] = [];
  const tasks = new Map<string, SimTask>();
  const counters: JobCounters = { serial: 0, failures: 0 };
  const lifetimeMs = (options.urlLifetimeSeconds ?? 3600) * 1000;
  let created = 0;
  let baseUrl = '';

  const shapeOptions = (): ShapeOptions => {
    const at = now(); // one instant per answer: every URL in it is signed alike
    return {
      upperCaseStatus: options.upperCaseStatus ?? false,
      omitTopLevelVideoUrl: options.omitTopLevelVideoUrl ?? false,
      now: at,
      // #sim:expired: the link was already dead when handed out.
      fileUrl: (task, name) => signer.url(baseUrl, task.id, name, at, task.markers.expired ? task.completesAt - 1000 : at + lifetimeMs),
    };
  };
  const clipVideo = (clip: SimClip): VideoSource => ({ file: findMediaFile(`clips/${clip}.mp4`) });
  const fileContext: FileContext = { tasks, signer, now, video, clipVideo, media };
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
    nextStyle: () => {
      const style = options.idStyle ?? 'alternate';
      return style === 'alternate' ? (created++ % 2 ? 'video' : 'task') : style;
    },
    render: (task) => renderTask(task, jobState(task, now()), shapeOptions()),
    renderCreated: (task) => renderCreated(task, jobState(task, now()), shapeOptions()),
  };

  /** Answers for a fault that replaces the whole response; returns the status, or 0 for none sent. */
  const applyFault = (fault: FaultSpec | undefined, res: ServerResponse): number | undefined => {
    switch (fault?.kind) {
      case 'hang':
        return 0; // never answers; close() ends it
      case 'rate_limit':
        sendJson(res, 429, vendorError('Too many requests, please slow down', '请求过于频繁，请稍后再试', 'rate_limit_error'), {
          'retry-after': String(fault.retryAfterSeconds ?? 1),
        });
        return 429;
      case 'server_error': {
        const status = fault.status ?? 502;
        sendJson(res, status, vendorError('upstream request failed: 请求上游地址失败', '请求上游地址失败', 'upstream_error'));
        return status;
      }
      case 'html_200':
        sendText(res, 200, HTML, HTML_PAGE);
        return 200;
      case 'malformed_json':
        sendJson(res, 200, '{"id": "sora-2:task_01k6x15vhrff09dkkqjrzwhm60", "status": "proc');
        return 200;
      default:
        return undefined; // none, or one the handler applies itself (cut_download, expired_url)
    }
  };

  const dispatch = async (req: IncomingMessage, res: ServerResponse, url: URL, record: RecordedRequest): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path.startsWith('/files/')) {
      const fault = faults.take('download');
      record.status = applyFault(fault, res) ?? handleFile(fileContext, req, res, url, fault);
      return;
    }
    const route = matchRoute(api, method, path);
    if (!route) {
      // The relay's web front end answers every path that is not the API, with 200.
      sendText(res, 200, HTML, HTML_PAGE);
      record.status = 200;
      return;
    }
    const auth = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!auth || !acceptKey(auth[1])) {
      sendJson(res, 401, vendorError('Invalid token', '无效的令牌', 'invalid_request_error'));
      record.status = 401;
      return;
    }
    const fault = faults.take(route.target);
    const faulted = applyFault(fault, res);
    if (faulted !== undefined) {
      record.status = faulted;
      return;
    }
    const answer = await route.run(req, url);
    if ('download' in answer) {
      record.status = serveTaskVideo(fileContext, req, res, answer.download, fault);
      return;
    }
    sendJson(res, answer.status, answer.body);
    record.status = answer.status;
  };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith('/__sim/')) {
      handleControl({ faults, requests, tasks, now }, req, res, url.pathname).catch((error: unknown) => fail(res, error));
      return;
    }
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), at: now(), status: 0 };
    requests.push(record);
    dispatch(req, res, url, record).catch((error: unknown) => {
      record.status = fail(res, error);
    });
  });

  const fail = (res: ServerResponse, error: unknown): number => {
    if (error instanceof HttpError) {
      if (!res.headersSent) sendJson(res, error.status, error.body);
      return error.status;
    }
    if (!options.quiet) console.error('Juxin simulator: internal error', error);
    if (!res.headersSent) sendJson(res, 500, vendorError('simulator internal error', '模拟器内部错误', 'server_error'));
    else res.destroy();
    return 500;
  };

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!options.quiet) console.log(`Juxin simulator listening on ${baseUrl} (time scale ${scale}×)`);

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    faults,
    requests,
    tasks,
    now,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      })),
  };
}
