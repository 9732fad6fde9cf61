import assert from 'node:assert/strict';
import { JuxinClient } from '../../../src/juxin/client';
import { errorFromResponse, JuxinError, NEXT_STEPS } from '../../../src/juxin/errors';
import { readModelRefusal } from '../../../src/juxin/modelErrors';
import { isVideoModel, videoFamilyOf, videoModelIds } from '../../../src/juxin/models';
import { normalizeModelList } from '../../../src/juxin/normalize';
import { isRetryable, mayHaveBeenAccepted } from '../../../src/juxin/retry';
import type { GenerationParams } from '../../../src/juxin/types';
import { captureLogger, fixture, fixtureText, json, type Responder, startServer, TEST_KEY, VirtualClock } from './helpers';

const PARAMS: GenerationParams = {
  prompt: 'a cat surfing at sunset',
  model: 'sora-2',
  orientation: 'landscape',
  size: 'small',
  duration: 10,
  watermark: false,
  private: false,
  images: [],
};

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A relay that answers creates with `refusal` and `GET /v1/models` with `models`. */
async function relay(refusal: Responder, models: Responder = json(200, fixture('models-list.json'))) {
  const requests: string[] = [];
  const server = await startServer((req, res, raw) => {
    requests.push(`${req.method} ${req.url}`);
    (req.url === '/v1/models' ? models : refusal)(req, res, raw);
  });
  servers.push(server);
  const api = new JuxinClient({
    apiKey: TEST_KEY,
    baseUrl: server.url,
    clock: new VirtualClock(),
    logger: captureLogger(),
    random: () => 1,
    retry: { maxAttempts: 3 },
  });
  return { api, requests, server };
}

async function refusalOf(promise: Promise<unknown>): Promise<JuxinError> {
  const error = await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof JuxinError, String(error));
  return error;
}

describe('juxin/models: which models are video models', () => {
  it('judges by endpoint type (English or the relay\u2019s Chinese label) or by a known video family', () => {
    const listed = normalizeModelList(fixture('models-list.json'));
    assert.deepEqual(videoModelIds(listed), ['veo3.1-fast', 'veo3.1', 'grok-video-3', 'doubao-seedance-1-0-pro-250528']);
    assert.equal(isVideoModel({ id: 'some-new-model', endpointTypes: ['openai-video'] }), true);
    assert.equal(isVideoModel({ id: 'another', endpointTypes: ['视频统一格式'] }), true);
    assert.equal(isVideoModel({ id: 'gpt-image-1', endpointTypes: ['image-generation'] }), false);
    assert.equal(isVideoModel({ id: 'sora-2-all', endpointTypes: [] }), true);
    assert.deepEqual(videoModelIds([...listed, ...listed]), videoModelIds(listed), 'each once');
  });

  it('knows Sora 2 (and the upstream names the relay echoes) was retired on 2026-09-24', () => {
    for (const id of ['sora-2', 'sora-2-pro', 'sora-2-all', 'sora_video2']) assert.equal(videoFamilyOf(id)?.retiredOn, '2026-09-24', id);
    assert.equal(videoFamilyOf('veo3.1-fast')?.retiredOn, undefined);
    assert.equal(videoFamilyOf('gpt-4o'), undefined);
  });
});

describe('juxin: "this key cannot use this model" (model_unavailable)', () => {
  it('reads every wording of §7: the model and the group', () => {
    const read = (name: string, status: number) => {
      const body = JSON.parse(fixtureText(name)) as { error: { message: string; code?: string } };
      return readModelRefusal(status, body.error.message, body.error.code);
    };
    assert.deepEqual(read('error-model-not-found.json', 503), { reason: 'no_channel', model: 'sora-2', group: 'default' });
    assert.deepEqual(read('error-model-not-found-older.json', 503), { reason: 'no_channel', model: 'sora-2-pro', group: 'vip' });
    assert.deepEqual(read('error-model-not-found-zh.json', 503), { reason: 'no_channel', model: 'sora-2', group: 'default' });
    assert.deepEqual(read('error-no-access.json', 403), { reason: 'no_access', model: 'sora-2-pro' });
    assert.deepEqual(readModelRefusal(503, 'something odd', 'model_not_found'), { reason: 'no_channel' });
    assert.equal(readModelRefusal(503, '请求上游地址失败', undefined), undefined, 'an upstream failure stays an upstream failure');
    assert.equal(readModelRefusal(404, 'channel not found', undefined), undefined);
  });

  for (const [name, status, model, group] of [
    ['error-model-not-found.json', 503, 'sora-2', 'default'],
    ['error-model-not-found-older.json', 503, 'sora-2-pro', 'vip'],
    ['error-model-not-found-zh.json', 503, 'sora-2', 'default'],
    ['error-no-access.json', 403, 'sora-2-pro', undefined],
  ] as const) {
    it(`${name} (${status}) is model_unavailable: never retried, never "may have been created", never called temporary`, () => {
      const error = errorFromResponse(status, fixtureText(name), { 'retry-after': '5' });
      assert.equal(error.kind, 'model_unavailable');
      assert.equal(error.model, model);
      assert.equal(error.group, group);
      assert.equal(error.retiredOn, '2026-09-24');
      assert.equal(isRetryable(error, 'query'), false);
      assert.equal(isRetryable(error, 'create'), false);
      assert.equal(mayHaveBeenAccepted(error), false);
      const text = error.describe();
      assert.match(text, new RegExp(`cannot use the model ${model}`));
      assert.match(text, new RegExp(`无法使用模型 ${model}`));
      if (group) assert.match(text, new RegExp(`group ${group}.*分组 ${group}`, 's'));
      assert.match(text, /Sora 2 was retired upstream on 2026-09-24/);
      assert.match(text, /Sora 2 已于 2026-09-24 被上游下线/);
      assert.doesNotMatch(text, /temporary, try|通常是暂时的|try again in a few minutes/i);
      assert.match(NEXT_STEPS.model_unavailable.en, /not temporary/);
    });
  }

  it('a model that was not retired is not said to be', () => {
    const error = errorFromResponse(
      503,
      JSON.stringify({ error: { message: 'No available channel for model veo3.1-4k under group default (distributor)', code: 'model_not_found' } }),
    );
    assert.equal(error.retiredOn, undefined);
    assert.doesNotMatch(error.describe(), /retired|下线/);
  });

  it('the client names the video models the key can use, read from GET /v1/models at that moment', async () => {
    const { api, requests } = await relay(json(503, fixtureText('error-model-not-found.json')));
    const error = await refusalOf(api.createVideo(PARAMS));
    assert.equal(error.kind, 'model_unavailable');
    assert.deepEqual(error.videoModels, ['veo3.1-fast', 'veo3.1', 'grok-video-3', 'doubao-seedance-1-0-pro-250528']);
    assert.match(error.message, /Video models this key can use: veo3\.1-fast, veo3\.1, grok-video-3, doubao-seedance-1-0-pro-250528\./);
    assert.match(error.messageZh!, /此 Key 可用的视频模型：veo3\.1-fast、veo3\.1、grok-video-3、doubao-seedance-1-0-pro-250528。/);
    assert.doesNotMatch(error.message, /gpt-4o-mini|gpt-image-1|deepseek/, 'no chat or image model');
    assert.deepEqual(requests, ['POST /v1/video/create', 'GET /v1/models'], 'the create is sent once, never retried');
    assert.equal(JSON.parse(JSON.stringify(error)).videoModels.length, 4);
  });

  it('uses the model it sent when the relay does not name one, and explains a refused remix too', async () => {
    const { api } = await relay(json(503, { error: { message: 'model_not_found', type: 'new_api_error', code: 'model_not_found' } }));
    const error = await refusalOf(api.createVideo({ ...PARAMS, model: 'sora-2-pro' }));
    assert.equal(error.model, 'sora-2-pro');
    assert.match(error.message, /cannot use the model sora-2-pro/);
    const remix = await refusalOf(api.remixVideo('video_x', 'again'));
    assert.equal(remix.kind, 'model_unavailable');
  });

  it('says when the key can use no video model, and when the list could not be read', async () => {
    const none = await relay(
      json(403, fixtureText('error-no-access.json')),
      json(200, { success: true, object: 'list', data: [{ id: 'gpt-4o-mini', supported_endpoint_types: ['openai'] }] }),
    );
    const empty = await refusalOf(none.api.createVideo(PARAMS));
    assert.deepEqual(empty.videoModels, []);
    assert.match(empty.message, /can use no video model at all/);
    assert.match(empty.messageZh!, /没有任何可用的视频模型/);

    const broken = await relay(json(503, fixtureText('error-model-not-found.json')), json(401, fixtureText('error-401-zh.json')));
    const unread = await refusalOf(broken.api.createVideo(PARAMS));
    assert.equal(unread.kind, 'model_unavailable', 'still the refusal, not the listing problem');
    assert.equal(unread.videoModels, undefined);
    assert.match(unread.message, /could not be read \(Juxin rejected the API key \(401\)/);
  });

  it('an abort while listing is the abort', async () => {
    const controller = new AbortController();
    const { api } = await relay(json(503, fixtureText('error-model-not-found.json')), () => controller.abort());
    const error = await api.createVideo(PARAMS, { signal: controller.signal }).then(
      () => assert.fail('expected an abort'),
      (e: unknown) => e,
    );
    assert.equal((error as Error).name, 'AbortError');
  });
});

describe('juxin: what else the relay answers (§7)', () => {
  it('404 "Invalid URL (POST /v1/…)" is no_route: the relay lacks the route, not the task', () => {
    const error = errorFromResponse(404, fixtureText('error-invalid-url.json'));
    assert.equal(error.kind, 'no_route');
    assert.match(error.message, /does not offer this route/);
    assert.match(error.describe(), /Invalid URL \(POST \/v1\/video\/generations\)/);
    assert.doesNotMatch(error.describe(), /task id|任务 ID|not found/i);
    assert.match(NEXT_STEPS.no_route.zh, /Base URL/);
    assert.match(error.messageZh!, /^聚鑫不提供此接口（404 Invalid URL）/);
    assert.equal(isRetryable(error, 'query'), false);
  });

  it('the task routes\u2019 {"code":"task_not_exist"} (400) is not_found', () => {
    const error = errorFromResponse(400, fixtureText('error-task-not-exist.json'));
    assert.equal(error.kind, 'not_found');
    assert.equal(error.vendorCode, 'task_not_exist');
  });

  it('the gateway\'s 403 for a used-up balance is quota, not "cannot use this model"', () => {
    const body = JSON.stringify({
      error: { message: '用户额度不足，请充值 (insufficient quota) (request id: 2026)', type: 'new_api_error', code: 'insufficient_user_quota' },
    });
    assert.equal(errorFromResponse(403, body).kind, 'quota');
  });

  it('the Chinese 401 is auth, the Chinese 429 without Retry-After is a rate limit', () => {
    const auth = errorFromResponse(401, fixtureText('error-401-zh.json'));
    assert.equal(auth.kind, 'auth');
    assert.match(auth.message, /无效的令牌 \(request id: /);
    const limited = errorFromResponse(429, fixtureText('error-rate-limit-zh.json'), {});
    assert.equal(limited.kind, 'rate_limit');
    assert.equal(limited.retryAfterMs, undefined);
    assert.match(limited.message, /您已达到请求数限制/);
  });
});

describe('JuxinClient.listModels and downloadHeaders', () => {
  it('GET /v1/models with the key', async () => {
    const server = await startServer(json(200, fixture('models-list.json')));
    servers.push(server);
    const api = new JuxinClient({ apiKey: TEST_KEY, baseUrl: server.url, clock: new VirtualClock() });
    assert.equal((await api.listModels()).length, 7);
    assert.equal(server.requests[0].url, '/v1/models');
    assert.equal(server.requests[0].headers.authorization, `Bearer ${TEST_KEY}`);
  });

  it('gives the key to the relay\u2019s own routes only: never another host, port, scheme or path', () => {
    const api = new JuxinClient({ apiKey: TEST_KEY, baseUrl: 'https://api.jxincm.cn/' });
    assert.deepEqual(api.downloadHeaders('https://api.jxincm.cn/v1/videos/video_x/content'), { authorization: `Bearer ${TEST_KEY}` });
    for (const url of [
      'https://juxin-video-bucket.oss-us-west-1.aliyuncs.com/sora/x.mp4',
      'https://api.jxincm.cn.evil.example/v1/videos/x/content',
      'https://api.jxincm.cn:8443/v1/videos/x/content',
      'http://api.jxincm.cn/v1/videos/x/content',
      'https://user@api.jxincm.cn/v1/videos/x/content',
      'https://api.jxincm.cn/files/x.mp4',
      'https://api.jxincm.cn/v1/../files/x.mp4',
      'not a url',
    ]) {
      assert.deepEqual(api.downloadHeaders(url), {}, url);
    }
    const prefixed = new JuxinClient({ apiKey: TEST_KEY, baseUrl: 'http://127.0.0.1:8787/relay/v1' });
    assert.ok(prefixed.downloadHeaders('http://127.0.0.1:8787/relay/v1/videos/x/content').authorization);
    assert.deepEqual(prefixed.downloadHeaders('http://127.0.0.1:8787/v1/videos/x/content'), {}, 'outside the base path');
    assert.deepEqual(prefixed.downloadHeaders('http://localhost:8787/relay/v1/videos/x/content'), {}, 'another host name is another origin');
    assert.deepEqual(new JuxinClient({ apiKey: '', baseUrl: 'https://api.jxincm.cn' }).downloadHeaders('https://api.jxincm.cn/v1/videos/x/content'), {});
  });
});
