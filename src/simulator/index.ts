import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { Request as UndiciRequest } from 'undici';
import { systemClock, type Clock } from '../util/clock';
import { FaultController, type FaultSpec, type FaultTarget } from './faults';
import { createJob, jobState, newTaskId, type IdStyle, type SimTask } from './jobs';
import { HTML_PAGE, renderTask, vendorError } from './shapes';
import { findMediaFile, serveVideo, sourceSize, type VideoSource } from './video';

export type { FaultSpec, FaultKind } from './faults';
export type { SimTask } from './jobs';

export interface SimulatorOptions {
  port?: number;
  host?: string;
  /** Simulated seconds per real second (default 1). 60: a 4-minute job takes 4 s. */
  timeScale?: number;
  clock?: Clock;
  acceptKey?: (key: string) => boolean;
  idStyle?: IdStyle | 'alternate';
  upperCaseStatus?: boolean;
  omitTopLevelVideoUrl?: boolean | 'detail-url' | 'downloadable-url';
  videoFile?: string;
  /** Serve a synthetic MP4 of this many bytes instead of the sample (streamed, never in memory). */
  videoBytes?: number;
  /** Simulated lifetime of signed video URLs (default 3600 s). */
  urlLifetimeSeconds?: number;
  /** Simulated queue time of a 10 s sora-2 job (default 150 s). */
  queueSeconds?: number;
  /** Simulated generation time of a 10 s sora-2 job (default 90 s). */
  generateSeconds?: number;
  /** Relative spread of job times (default 0.2: ±20%), so jobs don't all finish in step. */
  timingJitter?: number;
  quiet?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Simulated time, ms. */
  at: number;
  status: number;
}

export interface Simulator {
  url: string;
  faults: FaultController;
  requests: RecordedRequest[];
  tasks: ReadonlyMap<string, SimTask>;
  /** Simulated time now, ms. */
  now(): number;
  close(): Promise<void>;
}

const defaultAcceptKey = (key: string) => /^sk-[A-Za-z0-9-]{8,}$/.test(key) && !key.includes('invalid');

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(String(status));
  }
}

const bad = (message: string, zh: string) => new HttpError(400, vendorError(message, zh));

/** Starts a Juxin-compatible server on loopback. See README.md beside this file. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.clock ?? systemClock;
  const scale = options.timeScale ?? 1;
  const origin = clock.now();
  const now = () => origin + (clock.now() - origin) * scale;
  const acceptKey = options.acceptKey ?? defaultAcceptKey;
  const signingKey = randomBytes(16);
  const timing = { queueSeconds: options.queueSeconds ?? 150, generateSeconds: options.generateSeconds ?? 90, jitter: options.timingJitter ?? 0.2 };
  const video: VideoSource = options.videoBytes ? { bytes: options.videoBytes } : { file: options.videoFile ?? findMediaFile('sample.mp4') };
  const thumbnail = findMediaFile('sample-thumbnail.png');
  const faults = new FaultController();
  const requests: RecordedRequest[] = [];
  const tasks = new Map<string, SimTask>();
  let alternate = 0;
  let baseUrl = '';

  const sign = (id: string, expires: string) => createHmac('sha256', signingKey).update(`${id}|${expires}`).digest('hex').slice(0, 32);
  const fileUrl = (task: SimTask, name: string) => {
    const expires = new Date((task.markers.expired ? task.completesAt - 1000 : now() + (options.urlLifetimeSeconds ?? 3600) * 1000)).toISOString();
    return `${baseUrl}/files/${encodeURIComponent(task.id)}/${name}?se=${encodeURIComponent(expires)}&sp=r&sig=${sign(task.id, expires)}`;
  };
  const shapeOptions = () => ({
    upperCaseStatus: options.upperCaseStatus ?? false,
    omitTopLevelVideoUrl: options.omitTopLevelVideoUrl ?? false,
    now: now(),
    videoUrl: (t: SimTask) => fileUrl(t, 'src.mp4'),
    fileUrl,
  });
  const render = (task: SimTask) => renderTask(task, jobState(task, now()), shapeOptions());
  const nextStyle = (): IdStyle => {
    const style = options.idStyle ?? 'alternate';
    return style === 'alternate' ? (alternate++ % 2 ? 'video' : 'task') : style;
  };

  const findTask = (id: string) => {
    const task = tasks.get(id);
    if (!task) throw new HttpError(404, vendorError(`task not found: ${id}`, `任务不存在：${id}`, 'invalid_request_error', 'not_found'));
    return task;
  };

  const checkParams = (p: { prompt?: unknown; model?: unknown; orientation?: unknown; size?: unknown; duration?: unknown; character_url?: unknown; character_timestamps?: unknown }) => {
    if (typeof p.prompt !== 'string' || !p.prompt.trim()) throw bad('prompt is required', 'prompt 不能为空');
    const model = typeof p.model === 'string' ? p.model : 'sora-2';
    if (!['sora-2', 'sora-2-pro', 'sora-2-all'].includes(model)) throw bad(`invalid model: ${model}`, `无效的模型：${model}`);
    if (p.orientation !== undefined && !['portrait', 'landscape'].includes(String(p.orientation))) throw bad('orientation must be portrait or landscape', 'orientation 只能是 portrait 或 landscape');
    if (p.size !== undefined && !['small', 'large'].includes(String(p.size))) throw bad('size must be small or large', 'size 只能是 small 或 large');
    const duration = Number(p.duration ?? 10);
    const allowed = model === 'sora-2-pro' ? [10, 15, 25] : [10, 15];
    if (!allowed.includes(duration)) throw bad(`duration ${p.duration} is not supported for ${model}: use ${allowed.join(', ')}`, `${model} 不支持时长 ${p.duration}，可选：${allowed.join('、')}`);
    if (p.character_url !== undefined || p.character_timestamps !== undefined) checkTimestamps(p.character_timestamps);
    return { model, duration };
  };

  const routes = async (req: IncomingMessage, url: URL): Promise<{ status: number; body?: unknown; html?: string; handled?: boolean }> => {
    const method = req.method ?? 'GET';
    const path = url.pathname;

    if (method === 'POST' && path === '/v1/video/create') {
      const body = await readJson(req);
      const { model, duration } = checkParams(body);
      if (!Array.isArray(body.images)) throw bad('images is required (use [] for text-to-video)', 'images 字段必填（文生视频请传 []）');
      const style = nextStyle();
      const task = createJob(
        {
          id: newTaskId(style),
          style,
          model,
          prompt: String(body.prompt),
          orientation: String(body.orientation ?? 'landscape'),
          size: String(body.size ?? 'small'),
          duration,
          private: body.private === true,
          images: body.images.map(String),
          createdAt: now(),
        },
        timing,
      );
      tasks.set(task.id, task);
      if (style === 'video') return { status: 200, body: render(task) };
      return { status: 200, body: { id: task.id, status: 'pending', status_update_time: Math.round(now()) } };
    }

    if (method === 'POST' && path === '/v1/videos') {
      const form = await readForm(req, url);
      const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      const { model, duration } = checkParams({ ...fields, duration: fields.seconds ?? 10, orientation: undefined, size: undefined });
      const files = form.getAll('input_reference').filter((v) => typeof v !== 'string') as Blob[];
      for (const file of files) {
        if (!/^image\//.test(file.type)) throw bad(`input_reference must be an image, got ${file.type || 'unknown type'}`, 'input_reference 必须是图片');
      }
      const [w, h] = (fields.size ?? '1280x720').split('x').map(Number);
      const task = createJob(
        {
          id: newTaskId('video'),
          style: 'video',
          model,
          prompt: fields.prompt,
          orientation: h > w ? 'portrait' : 'landscape',
          size: Math.max(w, h) >= 1920 ? 'large' : 'small',
          duration,
          private: fields.private === 'true',
          images: files.map((_, i) => `upload-${i}`),
          createdAt: now(),
        },
        timing,
      );
      tasks.set(task.id, task);
      return { status: 200, body: render(task) };
    }

    if (method === 'GET' && path === '/v1/video/query') {
      const id = url.searchParams.get('id');
      if (!id) throw bad('id is required', '缺少 id 参数');
      return { status: 200, body: render(findTask(id)) };
    }

    const videoMatch = /^\/v1\/videos\/([^/]+)(\/content|\/remix)?$/.exec(path);
    if (videoMatch) {
      const task = findTask(decodeURIComponent(videoMatch[1]));
      if (method === 'GET' && !videoMatch[2]) return { status: 200, body: render(task) };
      if (method === 'GET' && videoMatch[2] === '/content') {
        if (jobState(task, now()).status !== 'completed') throw new HttpError(400, vendorError('video is not ready', '视频尚未生成完成'));
        return { status: 200, handled: true };
      }
      if (method === 'POST' && videoMatch[2] === '/remix') {
        const body = await readJson(req);
        if (typeof body.prompt !== 'string' || !body.prompt.trim()) throw bad('prompt is required', 'prompt 不能为空');
        if (task.private) throw bad('this video is private and cannot be remixed', '该视频为私有视频，无法二次创作（remix）');
        if (jobState(task, now()).status !== 'completed') throw bad('only completed videos can be remixed', '只能对已完成的视频进行二次创作');
        const remix = createJob({ ...task, id: newTaskId('video'), style: 'video', prompt: body.prompt, createdAt: now(), remixedFrom: task.id }, timing);
        tasks.set(remix.id, remix);
        return { status: 200, body: render(remix) };
      }
    }

    if (method === 'POST' && path === '/sora/v1/characters') {
      const body = await readJson(req);
      if ('model' in body) throw new HttpError(404, vendorError('channel not found', '渠道不存在', 'invalid_request_error', 'channel_not_found'));
      checkTimestamps(body.timestamps);
      if (typeof body.from_task === 'string') {
        const task = findTask(body.from_task);
        if (jobState(task, now()).status !== 'completed') throw bad('from_task must be a completed task', 'from_task 必须是已完成的任务');
      } else if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) {
        throw bad('url or from_task is required', '需要提供 url 或 from_task');
      }
      const handle = randomBytes(6).toString('hex');
      return {
        status: 200,
        body: {
          id: `ch_${randomBytes(12).toString('hex')}`,
          username: `sim${handle.slice(0, 6)}.character`,
          permalink: `https://sora.chatgpt.com/profile/sim${handle}`,
          profile_picture_url: `${baseUrl}/files/character/${handle}.png`,
        },
      };
    }
    return { status: 200, html: HTML_PAGE };
  };

  const targetOf = (method: string, path: string): Exclude<FaultTarget, 'any'> | undefined => {
    if (path.startsWith('/files/')) return 'download';
    if (path === '/v1/video/create' || (method === 'POST' && path === '/v1/videos')) return 'create';
    if (path.endsWith('/remix')) return 'remix';
    if (path === '/sora/v1/characters') return 'character';
    if (method === 'GET' && (path === '/v1/video/query' || path.startsWith('/v1/videos/'))) return 'query';
    return undefined;
  };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), at: now(), status: 0 };
    if (!url.pathname.startsWith('/__sim')) requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    handle(req, res, url, record, send).catch((error: unknown) => {
      if (error instanceof HttpError) return send(error.status, error.body);
      if (!options.quiet) console.error('simulator error', error);
      if (!res.headersSent) send(500, vendorError('simulator internal error', '模拟器内部错误'));
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL, record: RecordedRequest, send: (s: number, b: unknown, h?: Record<string, string>) => void) => {
    const path = url.pathname;
    if (path.startsWith('/__sim/')) return control(req, url, send);

    const target = targetOf(req.method ?? 'GET', path);
    const fault = target ? faults.take(target) : undefined;
    if (fault?.kind === 'hang') return; // never answers; close() ends it
    if (fault?.kind === 'rate_limit') {
      return send(429, vendorError('Too many requests, please slow down', '请求过于频繁，请稍后再试', 'rate_limit_error'), { 'retry-after': String(fault.retryAfterSeconds ?? 1) });
    }
    if (fault?.kind === 'server_error') return send(fault.status ?? 502, vendorError('upstream request failed', '请求上游地址失败', 'upstream_error'));
    if (fault?.kind === 'html_200') {
      record.status = 200;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(HTML_PAGE);
    }
    if (fault?.kind === 'malformed_json') return send(200, '{"id": "sora-2:task_trunc", "status": "proc');

    if (path.startsWith('/files/')) return files(req, res, url, record, fault);

    const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!auth || !acceptKey(auth[1])) return send(401, vendorError('Invalid token', '无效的令牌', 'invalid_request_error', 'invalid_api_key'));

    const result = await routes(req, url);
    if (result.handled) {
      const id = decodeURIComponent(/^\/v1\/videos\/([^/]+)/.exec(path)![1]);
      const task = findTask(id);
      task.downloads++;
      record.status = 200;
      return serveVideo(req, res, video, cutFor(task, fault));
    }
    if (result.html !== undefined) {
      record.status = result.status;
      res.writeHead(result.status, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(result.html);
    }
    send(result.status, result.body);
  };

  const cutFor = (task: SimTask, fault: FaultSpec | undefined): number | undefined => {
    if (fault?.kind === 'cut_download') return fault.afterBytes ?? Math.floor(sourceSize(video) / 2);
    if (task.markers.cut && task.downloads === 1) return Math.floor(sourceSize(video) / 2);
    return undefined;
  };

  const files = (req: IncomingMessage, res: ServerResponse, url: URL, record: RecordedRequest, fault: FaultSpec | undefined) => {
    const m = /^\/files\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const denied = () => {
      record.status = 403;
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Signed expiry time has passed or the signature is invalid.</Message></Error>');
    };
    if (!m) return denied();
    if (m[1] === 'character') {
      record.status = 200;
      res.writeHead(200, { 'content-type': 'image/png' });
      return void Readable.from([]).pipe(res);
    }
    const id = decodeURIComponent(m[1]);
    const expires = url.searchParams.get('se') ?? '';
    const task = tasks.get(id);
    if (!task || url.searchParams.get('sig') !== sign(id, expires) || !(Date.parse(expires) > now()) || fault?.kind === 'expired_url') return denied();
    record.status = 200;
    if (m[2] === 'src.mp4') {
      task.downloads++;
      return serveVideo(req, res, video, cutFor(task, fault));
    }
    serveVideo(req, res, { file: thumbnail });
  };

  const control = async (req: IncomingMessage, url: URL, send: (s: number, b: unknown) => void) => {
    if (url.pathname === '/__sim/faults' && req.method === 'POST') {
      const body = await readJson(req);
      try {
        for (const spec of Array.isArray(body) ? body : [body]) faults.add(spec as FaultSpec);
      } catch (error) {
        return send(400, { error: String(error) });
      }
      return send(200, { faults: faults.list() });
    }
    if (url.pathname === '/__sim/faults' && req.method === 'DELETE') {
      faults.clear();
      return send(200, { faults: [] });
    }
    if (url.pathname === '/__sim/faults') return send(200, { faults: faults.list() });
    if (url.pathname === '/__sim/requests') return send(200, { requests });
    if (url.pathname === '/__sim/tasks') return send(200, { now: now(), tasks: [...tasks.values()].map((t) => ({ ...t, state: jobState(t, now()) })) });
    send(404, { error: 'unknown control path' });
  };

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  if (!options.quiet) console.log(`Juxin simulator listening on ${baseUrl} (time scale ${scale}×)`);

  return {
    url: baseUrl,
    faults,
    requests,
    tasks,
    now,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function checkTimestamps(value: unknown): void {
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*$/.exec(value) : null;
  const span = m ? Number(m[2]) - Number(m[1]) : NaN;
  if (!(span >= 1 && span <= 3)) throw bad(`timestamps must be "start,end" with a span of 1 to 3 seconds, got ${JSON.stringify(value)}`, '时间戳格式应为 "开始,结束"，时长 1～3 秒');
}

async function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, vendorError('request body too large', '请求体过大'));
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req)).toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw bad('request body must be JSON', '请求体必须是 JSON');
}

async function readForm(req: IncomingMessage, url: URL) {
  const body = await readBody(req);
  try {
    return await new UndiciRequest(`http://sim${url.pathname}`, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body }).formData();
  } catch {
    throw bad('request body must be multipart/form-data', '请求体必须是 multipart/form-data');
  }
}
