import type { IncomingMessage } from 'node:http';
import type { RequestTarget } from './faults';
import { HttpError, readForm, readJson } from './http';
import { createJob, jobState, newTaskId, type IdStyle, type JobCounters, type JobInput, type SimTask, type Timing } from './jobs';
import { randomString, type Random } from './random';
import { vendorError } from './shapes';
import { badRequest, checkImageUrls, checkParams, checkTimestamps, formFlag, parsePixelSize, sniffImage } from './validate';

/** The API endpoints (everything behind `Authorization: Bearer`). */

export interface ApiContext {
  tasks: Map<string, SimTask>;
  random: Random;
  counters: JobCounters;
  timing: Timing;
  now(): number;
  baseUrl(): string;
  nextStyle(): IdStyle;
  render(task: SimTask): Record<string, unknown>;
  renderCreated(task: SimTask): Record<string, unknown>;
}

/** A JSON answer, or "serve this task's video" (the content endpoint). */
export type Answer = { status: number; body: unknown } | { download: SimTask };

export interface Route {
  target: RequestTarget;
  run(req: IncomingMessage, url: URL): Promise<Answer>;
}

const ok = (body: unknown): Answer => ({ status: 200, body });

/** The route for this request, or undefined (the relay's web front end answers those). */
export function matchRoute(ctx: ApiContext, method: string, path: string): Route | undefined {
  if (method === 'POST' && path === '/v1/video/create') return { target: 'create', run: (req) => createFromJson(ctx, req) };
  if (method === 'POST' && path === '/v1/videos') return { target: 'create', run: (req) => createFromForm(ctx, req) };
  if (method === 'GET' && path === '/v1/video/query')
    return { target: 'query', run: async (_req, url) => ok(ctx.render(findTask(ctx, url.searchParams.get('id')))) };
  if (method === 'POST' && path === '/sora/v1/characters') return { target: 'character', run: (req) => createCharacter(ctx, req) };
  const m = /^\/v1\/videos\/([^/]+)(\/content|\/remix)?$/.exec(path);
  if (!m) return undefined;
  if (method === 'GET' && !m[2]) return { target: 'query', run: async () => ok(ctx.render(findTask(ctx, decodeId(m[1])))) };
  if ((method === 'GET' || method === 'HEAD') && m[2] === '/content')
    return { target: 'download', run: async () => contentOf(ctx, findTask(ctx, decodeId(m[1]))) };
  if (method === 'POST' && m[2] === '/remix') return { target: 'remix', run: (req) => remix(ctx, req, findTask(ctx, decodeId(m[1]))) };
  return undefined;
}

function notFound(id: string): HttpError {
  return new HttpError(404, vendorError(`task not found: ${id}`, `任务不存在：${id}`, 'invalid_request_error', 'task_not_exist'));
}

/** Path segments arrive percent-encoded ("sora-2%3Atask_…"); a broken encoding names no task. */
function decodeId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw notFound(segment);
  }
}

function findTask(ctx: ApiContext, id: string | null): SimTask {
  if (!id) throw badRequest('id is required', '缺少 id 参数');
  const task = ctx.tasks.get(id);
  if (!task) throw notFound(id);
  return task;
}

function addJob(ctx: ApiContext, input: Omit<JobInput, 'createdAt'>): SimTask {
  const task = createJob({ ...input, createdAt: ctx.now() }, ctx.timing, ctx.random, ctx.counters);
  ctx.tasks.set(task.id, task);
  return task;
}

async function createFromJson(ctx: ApiContext, req: IncomingMessage): Promise<Answer> {
  const body = await readJson(req);
  const params = checkParams(body);
  const images = checkImageUrls(body.images);
  const style = ctx.nextStyle();
  const task = addJob(ctx, { ...params, id: newTaskId(style, ctx.random, ctx.now()), style, images });
  return ok(ctx.renderCreated(task));
}

/** The OpenAI-style path: multipart with the image files themselves. */
async function createFromForm(ctx: ApiContext, req: IncomingMessage): Promise<Answer> {
  const form = await readForm(req);
  const field = (name: string): string | undefined => {
    const value = form.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const pixels = parsePixelSize(field('size'));
  const params = checkParams({
    prompt: field('prompt'),
    model: field('model'),
    duration: field('seconds'),
    orientation: pixels.orientation,
    size: pixels.size,
    watermark: formFlag(field('watermark'), 'watermark'),
    private: formFlag(field('private'), 'private'),
    character_url: field('character_url'),
    character_timestamps: field('character_timestamps'),
  });
  const images: string[] = [];
  for (const value of form.getAll('input_reference')) {
    if (typeof value === 'string') throw badRequest('input_reference must be an uploaded image file', 'input_reference 必须是上传的图片文件');
    const head = new Uint8Array(await value.slice(0, 12).arrayBuffer());
    if (!sniffImage(head)) {
      throw badRequest(
        `input_reference ${JSON.stringify(value.name)} is not an image (PNG, JPEG, WebP or GIF)`,
        `input_reference ${JSON.stringify(value.name)} 不是图片（支持 PNG、JPEG、WebP、GIF）`,
      );
    }
    images.push(`upload://${value.name}`);
  }
  const task = addJob(ctx, { ...params, id: newTaskId('video', ctx.random), style: 'video', images });
  return ok(ctx.render(task));
}

function contentOf(ctx: ApiContext, task: SimTask): Answer {
  if (jobState(task, ctx.now()).status !== 'completed') throw badRequest('video is not ready yet', '视频尚未生成完成');
  return { download: task };
}

async function remix(ctx: ApiContext, req: IncomingMessage, source: SimTask): Promise<Answer> {
  const body = await readJson(req);
  if (typeof body.prompt !== 'string' || !body.prompt.trim()) throw badRequest('prompt is required', 'prompt 不能为空');
  if (source.private) {
    throw badRequest(
      'This video was created with private: true and cannot be remixed. Create a new video instead, or make it with private: false next time.',
      '该视频创建时设置了 private: true（不公开），无法二次创作（remix）。请重新生成，或下次创建时设置 private: false。',
    );
  }
  if (jobState(source, ctx.now()).status !== 'completed') throw badRequest('only completed videos can be remixed', '只能对已完成的视频进行二次创作（remix）');
  const { model, orientation, size, duration, images } = source;
  const task = addJob(ctx, {
    model,
    orientation,
    size,
    duration,
    images,
    private: false,
    id: newTaskId('video', ctx.random),
    style: 'video',
    prompt: body.prompt,
    remixedFrom: source.id,
  });
  return ok(ctx.render(task));
}

async function createCharacter(ctx: ApiContext, req: IncomingMessage): Promise<Answer> {
  const body = await readJson(req);
  // The real relay routes on `model`: with one, no channel serves this endpoint.
  if ('model' in body) throw new HttpError(404, vendorError('channel not found', '未找到可用渠道', 'invalid_request_error'));
  checkTimestamps(body.timestamps);
  if (body.from_task !== undefined) {
    const task = findTask(ctx, typeof body.from_task === 'string' ? body.from_task : null);
    if (jobState(task, ctx.now()).status !== 'completed') throw badRequest('from_task must be a completed task', 'from_task 必须是已完成的任务');
  } else if (typeof body.url !== 'string' || !/^https?:\/\/\S+$/.test(body.url)) {
    throw badRequest('url (an http(s) video URL) or from_task is required', '需要提供 url（视频的 http(s) 网址）或 from_task');
  }
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const username = `${randomString(ctx.random, letters, 9)}.${randomString(ctx.random, letters, 10)}`;
  return ok({
    id: `ch_${randomString(ctx.random, '0123456789abcdef', 32)}`,
    username,
    permalink: `https://sora.chatgpt.com/profile/${username}`,
    profile_picture_url: `${ctx.baseUrl()}/files/characters/${username}.webp`,
  });
}
