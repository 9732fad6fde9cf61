import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Agent, FormData } from 'undici';
import { download, harness, type Harness, PLAIN, SECOND, send, TEN_SECOND_JOB, TEST_KEY } from './helpers';

const JOB = TEN_SECOND_JOB.queue + TEN_SECOND_JOB.generate;
const SAMPLE = readFileSync(path.join(__dirname, '../../../media/sample.mp4'));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The task record, unwrapped when it came in its {code, data} wrapper. */
const recordOf = (body: Record<string, any>) => (body.code === 'success' ? body.data : body);

/** Every status word an answer carries, in any shape, lower-cased. */
function statusWords(body: Record<string, any>): string[] {
  const record = recordOf(body);
  return [record.status, record.data?.status, body.detail?.status].filter((w): w is string => typeof w === 'string').map((w) => w.toLowerCase());
}

describe('simulator: the real wire (the default)', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('creates answer as every logged create did: OpenAI-style, video_<uuid>, queued, seconds and size as strings', async () => {
    h = await harness();
    const answers = [];
    for (const body of [{ duration: 15 }, { model: 'sora-2-pro', size: 'large', duration: 10 }, { orientation: 'portrait' }])
      answers.push((await h.create(body)).json);
    for (const a of answers) {
      assert.match(a.id, /^video_/);
      assert.match(a.id.slice('video_'.length), UUID);
      assert.deepEqual([a.object, a.status, a.progress], ['video', 'queued', 0]);
      assert.equal(a.created_at, Math.floor(h.sim.now() / 1000));
      assert.equal(a.status_update_time, undefined);
    }
    assert.deepEqual(
      answers.map((a) => Object.keys(a).sort()),
      [
        ['created_at', 'detail', 'id', 'model', 'object', 'progress', 'seconds', 'size', 'status'],
        ['created_at', 'id', 'model', 'object', 'progress', 'seconds', 'size', 'status'],
        ['created_at', 'id', 'model', 'object', 'progress', 'seconds', 'size', 'status'],
      ],
    );
    assert.deepEqual(answers[0].detail, {}, 'sometimes "detail": {}');
    assert.deepEqual(
      answers.map((a) => [a.model, a.seconds, a.size]),
      [
        ['sora-2', '15', '1280x720'],
        ['sora_video2_pro', '10', '1280x720'], // the upstream's name; large was asked, 1280x720 echoed
        ['sora-2', '10', '720x1280'],
      ],
    );
  });

  it('Veo-style ids "<model>:<ts>-<rand>" and the docs\u2019 Sora ids as variants', async () => {
    h = await harness({ idStyle: 'veo' });
    const veo = (await h.create()).json;
    assert.match(veo.id, new RegExp(`^sora-2:${Math.floor(h.sim.now() / 1000)}-[A-Za-z0-9]{10}$`));
    assert.deepEqual(Object.keys(veo).sort(), ['enhanced_prompt', 'id', 'status', 'status_update_time']);
    assert.equal(veo.status, 'pending');
    const docs = (await h.create({ prompt: 'a cat #sim:id-task' })).json;
    assert.match(docs.id, /^sora-2:task_[0-9a-z]{26}$/);
    assert.deepEqual(Object.keys(docs).sort(), ['id', 'status', 'status_update_time']);
    const veoQuery = (await h.create({ prompt: 'a fox #sim:shape-unified' })).json.id;
    await h.advance(TEN_SECOND_JOB.queue + SECOND);
    const running = (await h.query(veoQuery)).json;
    assert.deepEqual(Object.keys(running.detail).sort(), ['images', 'req', 'running', 'status', 'video_url'], 'Veo\u2019s detail');
    assert.equal(running.detail.running, true);
  });

  it('queries rotate through the three shapes: the record wrapped, Shape C, the bare record, the unified shape', async () => {
    h = await harness({ videoUrls: 'storage' });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await h.create({ prompt: `cat ${i}` })).json.id);
    await h.advance(TEN_SECOND_JOB.queue + TEN_SECOND_JOB.generate / 2);
    const [wrapped, openai, bare, unified] = await Promise.all(ids.map(async (id) => (await h.query(id)).json));

    assert.deepEqual(Object.keys(wrapped), ['code', 'message', 'data']);
    assert.deepEqual([wrapped.code, wrapped.message], ['success', '']);
    for (const record of [wrapped.data, bare]) {
      assert.equal(typeof record.id, 'number', 'a row number, never the task');
      assert.ok(ids.includes(record.task_id));
      assert.equal(record.status, 'IN_PROGRESS');
      assert.match(record.progress, /^\d{1,3}%$/);
      assert.equal(record.action, 'video_create_sora-2');
      assert.equal(record.properties.input.startsWith('cat'), true);
      assert.equal(record.data.status, 'in_progress', 'the upstream body');
    }
    assert.equal(bare.task_id, ids[2]);
    assert.deepEqual([openai.id, openai.object, openai.status, typeof openai.progress], [ids[1], 'video', 'in_progress', 'number']);
    assert.equal(unified.id, ids[3]);
    assert.equal(typeof unified.detail.pending_info.progress_pct, 'number', 'a fraction');
    assert.ok(unified.detail.pending_info.progress_pct > 0 && unified.detail.pending_info.progress_pct < 1);
    assert.equal(`${Math.round(unified.detail.pending_info.progress_pct * 100)}%`, bare.progress, 'the same progress, three ways');
    assert.equal(openai.progress, Number.parseInt(wrapped.data.progress, 10));
  });

  it('every status spelling of §2 occurs, with progress as a fraction, a number and "NN%"', async () => {
    h = await harness({ videoUrls: 'storage' });
    const prompts = [];
    for (let i = 0; i < 16; i++) prompts.push(`cat ${i}`);
    for (let i = 0; i < 8; i++) prompts.push(`fail ${i} ${['#sim:moderation', '#sim:fail-no-reason', '#sim:cancelled'][i % 3]}`);
    for (let i = 0; i < 4; i++) prompts.push(`cancelled in every shape ${i} #sim:cancelled #sim:shape-${['unified', 'openai', 'record', 'record-bare'][i]}`);
    const ids: string[] = [];
    for (const prompt of prompts) ids.push((await h.create({ prompt })).json.id);
    const seen = new Set<string>();
    const progress = new Set<string>();
    const look = async () => {
      for (const id of ids) {
        const body = (await h.query(id)).json;
        for (const w of statusWords(body)) seen.add(w);
        const record = recordOf(body);
        if (typeof record.progress === 'string') progress.add('NN%');
        if (typeof record.progress === 'number') progress.add('number');
        if (typeof body.detail?.pending_info?.progress_pct === 'number') progress.add('fraction');
      }
    };
    await look();
    await h.advance(TEN_SECOND_JOB.queue + SECOND);
    await look();
    await h.advance(TEN_SECOND_JOB.generate);
    await look();
    const spellings = [
      'pending',
      'queued',
      'submitted',
      'processing',
      'in_progress',
      'running',
      'completed',
      'succeeded',
      'success',
      'failed',
      'failure',
      'unknown',
      'cancelled',
      'not_start',
    ];
    assert.deepEqual(
      spellings.filter((w) => !seen.has(w)),
      [],
      `seen: ${[...seen].join(', ')}`,
    );
    assert.deepEqual([...progress].sort(), ['NN%', 'fraction', 'number']);
  });

  it('a FAILURE record keeps an upstream body that still says in_progress; its fail_reason holds the reason', async () => {
    h = await harness({ queryShape: 'record' });
    const { id } = (await h.create({ prompt: 'a famous actor #sim:moderation' })).json;
    await h.advance(JOB);
    const record = (await h.query(id)).json.data;
    assert.equal(record.status, 'FAILURE');
    assert.equal(record.data.status, 'in_progress');
    assert.match(record.fail_reason, /content policies/);
    assert.equal(record.progress, '30%');
    assert.ok(record.finish_time > 0);
  });

  it('a finished record keeps its URL in data.output, data.video_url, result_url or deeper in the upstream body, task by task', async () => {
    h = await harness({ queryShape: 'record-bare', videoUrls: 'storage' });
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await h.create({ prompt: `cat ${i}` })).json.id);
    await h.advance(JOB);
    const places: string[] = [];
    for (const id of ids) {
      const record = (await h.query(id)).json;
      assert.equal(record.status, 'SUCCESS');
      assert.equal(record.progress, '100%');
      const url = h.sim.storageUrl;
      if (record.data.output?.startsWith(url)) places.push('data.output');
      if (record.data.video_url?.startsWith(url)) places.push('data.video_url');
      if (record.result_url?.startsWith(url)) places.push('result_url');
      if (record.data.detail?.url?.startsWith(url)) places.push('data.detail.url');
    }
    assert.deepEqual(places, ['data.output', 'data.video_url', 'result_url', 'data.detail.url']);
  });

  it('serves finished videos from another origin: unsigned, long-lived, no key needed (and none recorded)', async () => {
    h = await harness(PLAIN);
    const { id } = (await h.create()).json;
    const storage = new URL(h.sim.storageUrl);
    assert.notEqual(storage.origin, new URL(h.sim.url).origin, 'another origin (another port)');
    const file = h.sim.tasks.get(id)!.wire.file;
    assert.equal((await download(`${h.sim.storageUrl}/sora/${file}.mp4`)).status, 404, 'nothing before it is finished');
    await h.advance(JOB);
    const url: string = (await h.query(id)).json.video_url;
    assert.match(url, new RegExp(`^${h.sim.storageUrl}/sora/[0-9a-f-]{36}\\.mp4$`), 'no query string: unsigned');
    await h.advance(30 * 24 * 3600 * SECOND);
    const d = await download(url);
    assert.equal(d.status, 200, 'still there a month later');
    assert.ok(d.body.equals(SAMPLE));
    const served = h.sim.requests.at(-1)!;
    assert.deepEqual([served.origin, served.authorized, served.target, served.taskId], ['storage', false, 'download', id]);
  });

  it('the relay\u2019s own /v1/videos/{id}/content needs the key (401 without), and may redirect to the storage host', async () => {
    h = await harness({ queryShape: 'openai', videoUrls: 'content' });
    const { id } = (await h.create()).json;
    const redirected = (await h.create({ prompt: 'a dog #sim:url-content-redirect' })).json.id;
    await h.advance(JOB);
    const url: string = (await h.query(id)).json.video_url;
    assert.equal(url, `${h.sim.url}/v1/videos/${encodeURIComponent(id)}/content`);
    assert.equal((await download(url)).status, 401);
    const keyed = await download(url, { authorization: `Bearer ${TEST_KEY}` });
    assert.equal(keyed.status, 200);
    assert.ok(keyed.body.equals(SAMPLE));
    assert.deepEqual(
      h.sim.requests.slice(-2).map((r) => [r.origin, r.path, r.authorized, r.status]),
      [
        ['relay', new URL(url).pathname, false, 401],
        ['relay', new URL(url).pathname, true, 200],
      ],
    );
    const hop = await download((await h.query(redirected)).json.video_url, { authorization: `Bearer ${TEST_KEY}` });
    assert.equal(hop.status, 302);
    assert.match(String(hop.headers.location), new RegExp(`^${h.sim.storageUrl}/sora/`));
  });

  it('per-task markers pick the dress: #sim:brochure, #sim:shape-…, #sim:url-…', async () => {
    h = await harness();
    const brochure = (await h.create({ prompt: 'x #sim:brochure' })).json;
    assert.match(brochure.id, /^sora-2:task_/);
    assert.equal(brochure.status, 'pending');
    const record = (await h.create({ prompt: 'y #sim:shape-record-bare #sim:url-signed' })).json.id;
    await h.advance(JOB);
    const done = (await h.query(brochure.id)).json;
    assert.match(done.video_url, new RegExp(`^${h.sim.url}/files/.*src\\.mp4\\?st=`));
    const bare = (await h.query(record)).json;
    assert.equal(bare.task_id, record);
    assert.match(bare.data.output, /\/files\/.*\?st=.*&sig=/);
  });
});

describe('simulator: GET /v1/models, refusals and the retired Sora', () => {
  let h: Harness;
  afterEach(() => h?.close());

  const ids = (body: Record<string, any>) => body.data.map((m: { id: string }) => m.id);

  it('lists the key\u2019s models, video and not, in the gateway\u2019s shape, with English and Chinese endpoint types', async () => {
    h = await harness();
    const r = await h.call('GET', '/v1/models');
    assert.equal(r.status, 200);
    assert.equal(r.json.success, true);
    assert.equal(r.json.object, 'list');
    assert.deepEqual(Object.keys(r.json.data[0]).sort(), ['created', 'id', 'object', 'owned_by', 'supported_endpoint_types']);
    const list = ids(r.json);
    for (const id of ['gpt-4o-mini', 'gpt-image-1', 'sora-2', 'veo3.1-fast', 'grok-video-3']) assert.ok(list.includes(id), id);
    const types = r.json.data.flatMap((m: { supported_endpoint_types: string[] }) => m.supported_endpoint_types);
    assert.ok(types.includes('视频统一格式') && types.includes('openai-video') && types.includes('image-generation') && types.includes('openai'));
    assert.equal((await h.call('GET', '/v1/models', { key: null })).status, 401);
    await h.close();
    h = await harness({ endpointLabels: 'english' });
    const english = (await h.call('GET', '/v1/models')).json.data.flatMap((m: { supported_endpoint_types: string[] }) => m.supported_endpoint_types);
    assert.ok(!english.some((t: string) => /[\u4e00-\u9fff]/.test(t)));
  });

  it('a whitelist: only those models are listed, the others answer 403 "This token has no access to model X"', async () => {
    h = await harness({ models: ['sora-2', 'veo3.1-fast', 'gpt-4o-mini'] });
    assert.deepEqual(ids((await h.call('GET', '/v1/models')).json), ['gpt-4o-mini', 'sora-2', 'veo3.1-fast']);
    const refused = await h.create({ model: 'sora-2-pro', duration: 25 });
    assert.equal(refused.status, 403);
    assert.match(refused.json.error.message, /^This token has no access to model sora-2-pro \(request id: \d{14}\w+\)$/);
    assert.equal(refused.json.error.type, 'new_api_error');
    assert.equal((await h.create()).status, 200);
    assert.equal(h.sim.tasks.size, 1);
  });

  it('retireSora: sora-2* answer 503 model_not_found and leave the list (on by default, as the real relay since 2026-09-24)', async () => {
    h = await harness({ retireSora: false });
    assert.ok(ids((await h.call('GET', '/v1/models')).json).includes('sora-2'), 'a relay that still carries Sora, asked for');
    await h.close();
    // The simulator's own default (the harness asks for Sora unless told otherwise).
    h = await harness({ retireSora: undefined });
    assert.ok(!ids((await h.call('GET', '/v1/models')).json).some((id: string) => id.startsWith('sora')));
    for (const model of ['sora-2', 'sora-2-pro', 'sora-2-all']) {
      const r = await h.create({ model });
      assert.equal(r.status, 503, model);
      assert.deepEqual(Object.keys(r.json.error), ['message', 'type', 'code']);
      assert.equal(r.json.error.code, 'model_not_found');
      assert.match(r.json.error.message, new RegExp(`^No available channel for model ${model} under group default \\(distributor\\) \\(request id: `));
    }
    const form = new FormData();
    for (const [k, v] of Object.entries({ model: 'sora-2', prompt: 'x', seconds: '10', size: '1280x720' })) form.set(k, v);
    assert.equal((await h.call('POST', '/v1/videos', { form })).status, 503);
    assert.equal((await h.call('POST', '/sora/v1/characters', { json: { url: 'https://example.com/v.mp4', timestamps: '1,3' } })).status, 503);
    assert.equal(h.sim.tasks.size, 0);
  });

  it('words "no channel" as the relay has over time and languages; markers refuse one create', async () => {
    for (const [wording, pattern] of [
      ['older', /^No available channels for model sora-2 in group vip \(request id: /],
      ['chinese', /^分组 vip 下模型 sora-2 无可用渠道 \(request id: /],
    ] as const) {
      h = await harness({ retireSora: true, group: 'vip', refusalWording: wording });
      assert.match((await h.create()).json.error.message, pattern);
      await h.close();
    }
    h = await harness();
    const channel = await h.create({ prompt: 'x #sim:model-not-found' });
    assert.equal(channel.status, 503);
    assert.equal(channel.json.error.code, 'model_not_found');
    assert.equal((await h.create({ prompt: 'x #sim:no-access' })).status, 403);
  });

  it('faults: model_not_found, no_access, quota, invalid_url, task_not_exist, not_json and huge_body', async () => {
    h = await harness(PLAIN);
    const { id } = (await h.create()).json;
    h.sim.faults.add({ kind: 'quota', on: 'create' });
    const broke = await h.create();
    assert.equal(broke.status, 403);
    assert.equal(broke.json.error.code, 'insufficient_user_quota');
    assert.match(broke.json.error.message, /^用户额度不足，请充值 \(insufficient quota\) \(request id: /);
    h.sim.faults.add({ kind: 'model_not_found', on: 'create', model: 'sora-2-pro', wording: 'older' });
    h.sim.faults.add({ kind: 'no_access', on: 'create' });
    h.sim.faults.add({ kind: 'invalid_url', on: 'query' });
    h.sim.faults.add({ kind: 'task_not_exist', on: 'query' });
    h.sim.faults.add({ kind: 'not_json', on: 'query' });
    h.sim.faults.add({ kind: 'huge_body', on: 'query' });
    const channel = await h.create();
    assert.equal(channel.status, 503);
    assert.match(channel.json.error.message, /No available channels for model sora-2-pro in group default/);
    const access = await h.create();
    assert.equal(access.status, 403);
    assert.match(access.json.error.message, /has no access to model sora-2/);
    const route = await h.query(id);
    assert.equal(route.status, 404);
    assert.equal(route.json.error.message, 'Invalid URL (GET /v1/video/query)');
    const missing = await h.query(id);
    assert.deepEqual([missing.status, missing.json.code], [400, 'task_not_exist']);
    const text = await h.query(id);
    assert.equal(text.status, 200);
    assert.throws(() => text.json, SyntaxError);
    const huge = await h.query(id);
    assert.equal(huge.status, 200);
    assert.ok(huge.bytes.length > 5 * 1024 * 1024, `${huge.bytes.length} bytes`);
    assert.equal((await h.query(id)).status, 200, 'all used up');
  });

  it('a fault can hit GET /v1/models too', async () => {
    h = await harness();
    h.sim.faults.add({ kind: 'rate_limit', on: 'models' });
    const agent = new Agent();
    assert.equal((await send(agent, `${h.sim.url}/v1/models`, 'GET')).status, 429);
    assert.equal((await send(agent, `${h.sim.url}/v1/models`, 'GET')).status, 200);
    await agent.destroy();
  });
});
