import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { JuxinError } from '../../../src/juxin/errors';
import { normalizeModelList, normalizeQueryResponse } from '../../../src/juxin/normalize';
import type { NormalizedTask } from '../../../src/juxin/types';
import { fixture, fixtureText } from './helpers';

/** Every task answer we keep as a fixture: one per shape of the API notes. */
const SHAPES = readdirSync(path.join(__dirname, '../../fixtures/juxin')).filter((name) =>
  /^(create|shape|unified|task-record|upper-case)-.*\.json$/.test(name),
);
const SEED = 20261201;

/** What the normaliser may do with any body: answer a sane task, or refuse with malformed_response. Nothing else. */
function normalizesOrRefuses(body: unknown, expectedId?: string): NormalizedTask | undefined {
  try {
    const task = normalizeQueryResponse(body, expectedId);
    assert.ok(typeof task.id === 'string' && task.id.length > 0 && task.id.length <= 512, `id ${String(task.id).slice(0, 40)}`);
    if (expectedId) assert.equal(task.id, expectedId);
    assert.ok(['queued', 'processing', 'completed', 'failed'].includes(task.status), task.status);
    assert.ok(Number.isFinite(task.progress) && task.progress >= 0 && task.progress <= 100, `progress ${task.progress}`);
    assert.equal(task.status === 'failed', typeof task.failureReason === 'string');
    if (task.failureReason) assert.ok(task.failureReason.length <= 1000);
    if (task.videoUrl) assert.match(task.videoUrl, /^https?:\/\/\S+$/i);
    assert.ok(task.rawStatus.length <= 64);
    return task;
  } catch (error) {
    if (error instanceof JuxinError && error.kind === 'malformed_response') return undefined;
    throw error;
  }
}

/** The words and keys the real shapes use, so random bodies reach deep into the parser. */
const KEYS = [
  'id',
  'task_id',
  'status',
  'task_status',
  'code',
  'message',
  'data',
  'detail',
  'pending_info',
  'progress',
  'progress_pct',
  'video_url',
  'url',
  'output',
  'result_url',
  'draft_info',
  'downloadable_url',
  'content',
  'task_result',
  'videos',
  'error',
  'fail_reason',
  'failure_reason',
  'size',
  'width',
  'progress_pos_in_queue',
  'estimated_queue_wait_time',
  'status_update_time',
  'finish_time',
  'remixed_from_video_id',
];
const WORDS = ['SUCCESS', 'FAILURE', 'IN_PROGRESS', 'NOT_START', 'UNKNOWN', 'queued', 'completed', '45%', '0.5', 'https://cdn.test/v.mp4', 'video_x', ''];
const leaf = fc.oneof(fc.constantFrom(...WORDS), fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), tie('tree'), { maxKeys: 6 }),
  ),
}));

/** A fixture with one value somewhere replaced by anything: a shape the relay might send on a bad day. */
const mutatedShape = fc.tuple(fc.constantFrom(...SHAPES), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.anything()).map(([name, path, value]) => {
  const body = fixture(name) as Record<string, unknown>;
  let node: Record<string, unknown> = body;
  for (const step of path) {
    const keys = Object.keys(node);
    if (!keys.length) break;
    const key = keys[step % keys.length];
    const child = node[key];
    if (child === null || typeof child !== 'object' || Array.isArray(child) || step % 3 === 0) {
      node[key] = value;
      return body;
    }
    node = child as Record<string, unknown>;
  }
  return body;
});

describe('normalizeQueryResponse: no body crashes it (property-based)', () => {
  it('has a fixture for every shape, and each reads as a task', () => {
    assert.ok(SHAPES.length >= 15, SHAPES.join(', '));
    for (const name of SHAPES) assert.ok(normalizesOrRefuses(fixture(name)), name);
  });

  it('any value at all (fast-check anything)', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }), (body) => {
        normalizesOrRefuses(body);
        normalizesOrRefuses(body, 'video_asked');
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('random JSON built from the words of the real shapes', () => {
    fc.assert(
      fc.property(tree, (body) => {
        normalizesOrRefuses(JSON.parse(JSON.stringify(body) ?? 'null'));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('every fixture with one value swapped for anything', () => {
    fc.assert(
      fc.property(mutatedShape, (body) => {
        normalizesOrRefuses(body);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('every fixture truncated anywhere: what still parses as JSON normalises or is refused', () => {
    for (const name of SHAPES) {
      const text = fixtureText(name);
      for (let cut = 0; cut < text.length; cut++) {
        let body: unknown;
        try {
          body = JSON.parse(text.slice(0, cut));
        } catch {
          continue; // the HTTP layer refuses text that is not JSON (client.test.ts)
        }
        normalizesOrRefuses(body);
      }
    }
  });

  it('huge bodies: long strings, deep nesting, wide objects, long arrays', () => {
    const long = 'x'.repeat(5_000_000);
    let deep: unknown = { video_url: 'https://cdn.test/deep.mp4' };
    for (let i = 0; i < 10_000; i++) deep = { data: deep };
    const wide = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, { url: `ftp://${i}` }]));
    const bodies: unknown[] = [
      { id: long, status: long, progress: long, fail_reason: long, video_url: `https://cdn.test/${long}` },
      { id: 'video_x', status: 'FAILURE', fail_reason: `${long} sk-${'a'.repeat(48)}` },
      { id: 'video_x', status: 'processing', detail: deep },
      { task_id: 'video_x', status: 'SUCCESS', data: deep },
      { id: 'video_x', status: 'completed', ...wide },
      { id: 'video_x', status: 'completed', data: Array.from({ length: 100_000 }, () => ({ url: 'https://cdn.test/a.png' })) },
    ];
    for (const body of bodies) {
      const task = normalizesOrRefuses(body);
      if (task?.failureReason) assert.ok(!task.failureReason.includes('aaaaaaaaaaaaaaaaaaaa'), 'a key is scrubbed');
    }
    assert.equal(normalizesOrRefuses({ id: 'video_x', status: 'processing', detail: deep })?.videoUrl, undefined, 'the search stops at a bounded depth');
  });
});

describe('normalizeModelList', () => {
  it('reads GET /v1/models (chat, image and video mixed; English and Chinese endpoint types)', () => {
    const models = normalizeModelList(fixture('models-list.json'));
    assert.deepEqual(
      models.map((m) => m.id),
      ['gpt-4o-mini', 'veo3.1-fast', 'gpt-image-1', 'veo3.1', 'deepseek-v3', 'grok-video-3', 'doubao-seedance-1-0-pro-250528'],
    );
    assert.deepEqual(models[1], { id: 'veo3.1-fast', ownedBy: 'vertex-ai', endpointTypes: ['视频统一格式'] });
  });

  it('refuses anything without a data array, and skips entries without a string id', () => {
    assert.deepEqual(
      normalizeModelList({ data: [{ id: 7 }, null, 'x', { id: 'sora-2', supported_endpoint_types: 'openai' }] }).map((m) => m.endpointTypes),
      [[]],
    );
    fc.assert(
      fc.property(fc.anything(), (body) => {
        try {
          for (const model of normalizeModelList(body)) assert.equal(typeof model.id, 'string');
        } catch (error) {
          if (!(error instanceof JuxinError && error.kind === 'malformed_response')) throw error;
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
