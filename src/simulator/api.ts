import type { IncomingMessage } from 'node:http';
import type { RequestTarget } from './faults';
import { HttpError, readForm, readJson } from './http';
import { newId } from './ids';
import { createJob, jobState, type JobCounters, type JobInput, type Timing } from './jobs';
import { isSora, listedModels, refusalOf, type ModelRules } from './models';
import { randomString, type Random } from './random';
import type { RefusalWording, RelayError, RelayErrors } from './relayErrors';
import { vendorError } from './shapes';
import { checkFamilyBody, unifiedFamilyOf } from './families';
import { badRequest, checkImageUrls, checkParams, checkTimestamps, formFlag, MODELS, parsePixelSize, sniffImage } from './validate';
import { decideWire, readWireMarkers, storageFileOf, type RelayTask, type TaskWire, type WireCounters, type WireName, type WireOptions } from './wire';

/** The API endpoints (everything behind `Authorization: Bearer`). */

export interface ApiContext {
  tasks: Map<string, RelayTask>;
  random: Random;
  counters: JobCounters;
  timing: Timing;
  now(): number;
  baseUrl(): string;
  wire: WireOptions;
  wireCounters: WireCounters;
  /** The run's dialect, for errors that belong to no task. */
  dialect: WireName;
  errors: RelayErrors;
  models: ModelRules;
  /** The key's group (分组), named in refusals. */
  group: string;
  refusalWording: RefusalWording;
  render(task: RelayTask): Record<string, unknown>;
  renderCreated(task: RelayTask): Record<string, unknown>;
  /** Where the task's video sits on the storage host (for `/content` redirects). */
  storageUrl(task: RelayTask): string;
}

/** A JSON answer, "serve this task's video" (the content endpoint), or a redirect. */
export type Answer = { status: number; body: unknown; taskId?: string } | { download: RelayTask } | { redirect: string; taskId: string };

export interface Route {
  target: RequestTarget;
  run(req: IncomingMessage, url: URL): Promise<Answer>;
}

const ok = (body: unknown, taskId?: string): Answer => ({ status: 200, body, taskId });
const fail = (error: RelayError) => new HttpError(error.status, error.body, error.headers);

/** The route for this request, or undefined (the gateway's 404, or the web front end, answers those). */
export function matchRoute(ctx: ApiContext, method: string, path: string): Route | undefined {
  if (method === 'POST' && path === '/v1/video/create') return { target: 'create', run: (req) => createFromJson(ctx, req) };
  if (method === 'POST' && path === '/v1/videos') return { target: 'create', run: (req) => createFromForm(ctx, req) };
  if (method === 'GET' && path === '/v1/models')
    return { target: 'models', run: async () => ok({ success: true, object: 'list', data: listedModels(ctx.models, 1626777600) }) };
  if (method === 'GET' && path === '/v1/video/query') return { target: 'query', run: async (_req, url) => query(ctx, url.searchParams.get('id')) };
  if (method === 'POST' && path === '/sora/v1/characters') return { target: 'character', run: (req) => createCharacter(ctx, req) };
  const m = /^\/v1\/videos\/([^/]+)(\/content|\/remix)?$/.exec(path);
  if (!m) return undefined;
  if (method === 'GET' && !m[2]) return { target: 'query', run: async () => query(ctx, decodeId(ctx, m[1])) };
  if ((method === 'GET' || method === 'HEAD') && m[2] === '/content')
    return { target: 'download', run: async () => contentOf(ctx, findTask(ctx, decodeId(ctx, m[1]))) };
  if (method === 'POST' && m[2] === '/remix') return { target: 'remix', run: (req) => remix(ctx, req, findTask(ctx, decodeId(ctx, m[1]))) };
  return undefined;
}

/** Path segments arrive percent-encoded ("sora-2%3Atask_…"); a broken encoding names no task. */
function decodeId(ctx: ApiContext, segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw fail(ctx.errors.taskNotExist(ctx.dialect, segment));
  }
}

function findTask(ctx: ApiContext, id: string | null): RelayTask {
  if (!id) throw badRequest('id is required', '缺少 id 参数');
  const task = ctx.tasks.get(id);
  if (!task) throw fail(ctx.errors.taskNotExist(ctx.dialect, id));
  return task;
}

function query(ctx: ApiContext, id: string | null): Answer {
  const task = findTask(ctx, id);
  return ok(ctx.render(task), task.id);
}

/**
 * What the gateway checks before anything reaches a vendor: the key's whitelist (403), a channel for
 * the model (503 `model_not_found`; Sora once it is retired), or a prompt's `#sim:model-not-found` /
 * `#sim:no-access`. The brochure knew none of this: there an unknown model is a 400 (validate.ts).
 */
function refuse(ctx: ApiContext, model: unknown, prompt: unknown): void {
  const name = typeof model === 'string' ? model : 'sora-2';
  const marked = readWireMarkers(typeof prompt === 'string' ? prompt : '').refuse;
  let reason = marked ?? refusalOf(name, ctx.models);
  if (reason === 'no_channel' && !marked && ctx.dialect === 'brochure' && !(ctx.models.retireSora && isSora(name))) reason = undefined;
  if (reason === 'no_access') throw fail(ctx.errors.noAccess(name));
  if (reason === 'no_channel') throw fail(ctx.errors.modelNotFound(name, ctx.group, ctx.refusalWording));
}

function addJob(ctx: ApiContext, input: Omit<JobInput, 'createdAt' | 'id' | 'style'>, via: 'unified' | 'openai'): RelayTask {
  const dress = decideWire(ctx.wire, readWireMarkers(input.prompt), ctx.wireCounters, via);
  const id = newId(dress.id, input.model, ctx.random, ctx.now());
  const wire: TaskWire = { ...dress, file: storageFileOf(id) };
  const task = createJob({ ...input, id, style: wire.id === 'video' ? 'video' : 'task', createdAt: ctx.now() }, ctx.timing, ctx.random, ctx.counters);
  const relayTask = Object.assign(task, { wire });
  ctx.tasks.set(id, relayTask);
  return relayTask;
}

async function createFromJson(ctx: ApiContext, req: IncomingMessage): Promise<Answer> {
  const body = await readJson(req);
  refuse(ctx, body.model, body.prompt);
  const family = unifiedFamilyOf(body.model);
  if (family) {
    const task = addJob(ctx, checkFamilyBody(family, body), 'unified');
    return ok(ctx.renderCreated(task), task.id);
  }
  const params = checkParams(body);
  const images = checkImageUrls(body.images);
  const task = addJob(ctx, { ...params, images }, 'unified');
  return ok(ctx.renderCreated(task), task.id);
}

/** The OpenAI-style path: multipart with the image files themselves. */
async function createFromForm(ctx: ApiContext, req: IncomingMessage): Promise<Answer> {
  const form = await readForm(req);
  const field = (name: string): string | undefined => {
    const value = form.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  refuse(ctx, field('model'), field('prompt'));
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
  const task = addJob(ctx, { ...params, images }, 'openai');
  return ok(openAiCreated(ctx, task), task.id);
}

/** The OpenAI-format routes answer with a video object: the real relay's create answer, or (brochure) Shape C. */
function openAiCreated(ctx: ApiContext, task: RelayTask): Record<string, unknown> {
  return task.wire.dialect === 'real' ? ctx.renderCreated(task) : ctx.render(task);
}

function contentOf(ctx: ApiContext, task: RelayTask): Answer {
  if (jobState(task, ctx.now()).status !== 'completed') throw badRequest('video is not ready yet', '视频尚未生成完成');
  if (task.wire.video === 'content-redirect') return { redirect: ctx.storageUrl(task), taskId: task.id };
  return { download: task };
}

async function remix(ctx: ApiContext, req: IncomingMessage, source: RelayTask): Promise<Answer> {
  const body = await readJson(req);
  if (typeof body.prompt !== 'string' || !body.prompt.trim()) throw badRequest('prompt is required', 'prompt 不能为空');
  refuse(ctx, source.model, body.prompt);
  if (unifiedFamilyOf(source.model))
    throw badRequest(`only Sora videos can be remixed, not ${source.model}`, `只有 Sora 视频可以二次创作（remix），${source.model} 不行`);
  if (source.private) {
    throw badRequest(
      'This video was created with private: true and cannot be remixed. Create a new video instead, or make it with private: false next time.',
      '该视频创建时设置了 private: true（不公开），无法二次创作（remix）。请重新生成，或下次创建时设置 private: false。',
    );
  }
  if (jobState(source, ctx.now()).status !== 'completed') throw badRequest('only completed videos can be remixed', '只能对已完成的视频进行二次创作（remix）');
  const { model, orientation, size, duration, images } = source;
  const task = addJob(ctx, { model, orientation, size, duration, images, private: false, prompt: body.prompt, remixedFrom: source.id }, 'openai');
  return ok(openAiCreated(ctx, task), task.id);
}

async function createCharacter(ctx: ApiContext, req: IncomingMessage): Promise<Answer> {
  const body = await readJson(req);
  // The real relay routes on `model`: with one, no channel serves this endpoint.
  if ('model' in body) throw new HttpError(404, vendorError('channel not found', '未找到可用渠道', 'invalid_request_error'));
  // Characters are Sora's: gone with it.
  if (ctx.models.retireSora) throw fail(ctx.errors.modelNotFound(MODELS[0], ctx.group, ctx.refusalWording));
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
