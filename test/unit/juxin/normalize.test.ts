import assert from 'node:assert/strict';
import { JuxinError } from '../../../src/juxin/errors';
import { normalizeCharacter, normalizeQueryResponse, normalizeStatus } from '../../../src/juxin/normalize';
import { fixture, seededRandom } from './helpers';

function expectMalformed(body: unknown): void {
  assert.throws(
    () => normalizeQueryResponse(body),
    (error: unknown) => error instanceof JuxinError && error.kind === 'malformed_response',
  );
}

describe('normalizeQueryResponse', () => {
  it('reads Shape A (pending, progress_pct as a 0..1 fraction)', () => {
    const task = normalizeQueryResponse(fixture('shape-a-pending.json'));
    assert.equal(task.id, 'sora-2:task_01k6x15vhrff09dkkqjrzwhm60');
    assert.equal(task.status, 'queued');
    assert.equal(task.rawStatus, 'pending');
    assert.ok(Math.abs(task.progress - 93) < 1e-9, `progress ${task.progress}`);
    assert.equal(task.updatedAt, 1759763621142);
    assert.equal(task.queuePosition, undefined);
    assert.equal(task.videoUrl, undefined);
    assert.equal(task.failureReason, undefined);
  });

  it('reads the queue position of Shape A', () => {
    const task = normalizeQueryResponse(fixture('shape-a-queued-position.json'));
    assert.equal(task.status, 'queued');
    assert.equal(task.queuePosition, 7);
    assert.equal(task.progress, 0);
  });

  it("reads Shape A's queue wait estimate (seconds) as queueEtaMs, only while queued", () => {
    assert.equal(normalizeQueryResponse(fixture('shape-a-queued-position.json')).queueEtaMs, 140_000);
    assert.equal(normalizeQueryResponse(fixture('shape-a-pending.json')).queueEtaMs, undefined, 'null: no estimate');
    const queued = (eta: unknown) => ({ id: 'sora-2:task_q', status: 'queued', detail: { pending_info: { estimated_queue_wait_time: eta } } });
    assert.equal(normalizeQueryResponse(queued(0)).queueEtaMs, 0, 'zero: any moment now');
    assert.equal(normalizeQueryResponse(queued(12.5)).queueEtaMs, 12_500);
    assert.equal(normalizeQueryResponse(queued(' 90 ')).queueEtaMs, 90_000, 'a numeric string');
    assert.equal(normalizeQueryResponse({ id: 'x', status: 'queued', estimated_queue_wait_time: 30 }).queueEtaMs, 30_000, 'at top level too');
    assert.equal(
      normalizeQueryResponse({ id: 'x', status: 'queued', estimated_queue_wait_time: 30, detail: { pending_info: { estimated_queue_wait_time: 'soon' } } })
        .queueEtaMs,
      30_000,
      'an odd value in one place does not hide a good one in the other',
    );
    assert.equal(normalizeQueryResponse(queued(24 * 3600)).queueEtaMs, 24 * 3600 * 1000, 'a day is the most believed');
    for (const odd of [
      null,
      undefined,
      '',
      'soon',
      '2 min',
      '1e400',
      -1,
      -0.5,
      24 * 3600 + 1,
      1e12,
      1e308,
      Infinity,
      NaN,
      true,
      [],
      {},
      [60],
      { seconds: 60 },
    ]) {
      const task = normalizeQueryResponse(JSON.parse(JSON.stringify(queued(odd)) ?? 'null'));
      assert.equal(task.queueEtaMs, undefined, `estimated_queue_wait_time ${String(JSON.stringify(odd))}`);
      assert.equal(task.status, 'queued');
    }
    const running = { id: 'x', status: 'processing', detail: { pending_info: { estimated_queue_wait_time: 60, progress_pct: 0.5 } } };
    assert.equal(normalizeQueryResponse(running).queueEtaMs, undefined, 'no queue estimate once it runs');
  });

  it('reads Shape B (completed) with the top-level video URL first', () => {
    const body = fixture('shape-b-completed.json');
    const task = normalizeQueryResponse(body);
    assert.equal(task.status, 'completed');
    assert.equal(task.progress, 100);
    assert.equal(task.videoUrl, body.video_url);
    assert.match(task.thumbnailUrl!, /thumbnail\.webp/);
    assert.match(task.gifUrl!, /preview\.gif/);
    assert.equal(task.width, 352);
    assert.equal(task.height, 640);
  });

  it('falls back to detail.url, then detail.draft_info.downloadable_url', () => {
    const body = fixture('shape-b-completed.json');
    delete body.video_url;
    assert.match(normalizeQueryResponse(body).videoUrl!, /detail-src\.mp4/);
    delete (body.detail as Record<string, unknown>).url;
    assert.equal(normalizeQueryResponse(body).videoUrl, 'https://videos.openai.com/vg-assets/task_01k6x15vhrff09dkkqjrzwhm60/downloadable.mp4');
  });

  it('keeps a completed task without any video URL completed (the tracker decides to ask again)', () => {
    const task = normalizeQueryResponse({ id: 'sora-2:task_x', status: 'completed', video_url: null, detail: { url: 'not a url' } });
    assert.equal(task.status, 'completed');
    assert.equal(task.progress, 100);
    assert.equal(task.videoUrl, undefined);
  });

  it('reads Shape C (OpenAI-style, progress as a percent)', () => {
    const task = normalizeQueryResponse(fixture('shape-c-in-progress.json'));
    assert.equal(task.id, 'video_5c6a605a-30c0-4a6a-9dbd-d1d6cfdd9980');
    assert.equal(task.status, 'processing');
    assert.equal(task.rawStatus, 'in_progress');
    assert.equal(task.progress, 42);
    assert.equal(task.width, 1280);
    assert.equal(task.height, 720);
    assert.equal(task.updatedAt, 1761622232 * 1000);
    assert.equal(task.videoUrl, undefined);
  });

  it('reads a completed Shape C', () => {
    const task = normalizeQueryResponse(fixture('shape-c-completed.json'));
    assert.equal(task.status, 'completed');
    assert.equal(task.progress, 100);
    assert.match(task.videoUrl!, /^https:\/\/filesystem\.site\/.*src\.mp4\?se=/);
    assert.equal(task.updatedAt, 1761622512 * 1000);
  });

  it('reads remixed_from_video_id', () => {
    const task = normalizeQueryResponse(fixture('shape-c-remix.json'));
    assert.equal(task.status, 'queued');
    assert.equal(task.remixedFrom, 'video_5c6a605a-30c0-4a6a-9dbd-d1d6cfdd9980');
    assert.equal(task.width, 720);
  });

  it('reads both create answers', () => {
    const pending = normalizeQueryResponse(fixture('create-pending.json'));
    assert.deepEqual(pending, { id: 'sora-2:task_01k6x15vhrff09dkkqjrzwhm60', status: 'queued', progress: 0, rawStatus: 'pending', updatedAt: 1759763427208 });
    const queued = normalizeQueryResponse(fixture('create-queued.json'));
    assert.equal(queued.status, 'queued');
    assert.equal(queued.progress, 0);
  });

  describe('progress', () => {
    const progressOf = (extra: Record<string, unknown>) => normalizeQueryResponse({ id: 't', status: 'processing', ...extra }).progress;

    it('treats progress_pct ≤ 1 as a fraction and above 1 as a percent', () => {
      assert.equal(progressOf({ detail: { pending_info: { progress_pct: 0.5 } } }), 50);
      assert.equal(progressOf({ detail: { pending_info: { progress_pct: 1 } } }), 100);
      assert.equal(progressOf({ detail: { pending_info: { progress_pct: 37 } } }), 37);
    });

    it('treats `progress` as a percent, also when it is a string', () => {
      assert.equal(progressOf({ progress: 1 }), 1);
      assert.equal(progressOf({ progress: '64' }), 64);
      assert.equal(progressOf({ progress: '64%' }), 64);
    });

    it('clamps to 0..100 and defaults to 0', () => {
      assert.equal(progressOf({ progress: 250 }), 100);
      assert.equal(progressOf({ progress: -5 }), 0);
      assert.equal(progressOf({ detail: { pending_info: { progress_pct: -0.2 } } }), 0);
      assert.equal(progressOf({ progress: 'soon' }), 0);
      assert.equal(progressOf({}), 0);
    });

    it('is 100 when completed whatever the vendor says', () => {
      assert.equal(normalizeQueryResponse({ id: 't', status: 'SUCCESS', progress: 12, video_url: 'https://x/v.mp4' }).progress, 100);
    });
  });

  describe('status', () => {
    const cases: [string, string][] = [
      ['pending', 'queued'],
      ['queued', 'queued'],
      ['NOT_START', 'queued'],
      ['processing', 'processing'],
      ['in_progress', 'processing'],
      ['IN_PROGRESS', 'processing'],
      ['completed', 'completed'],
      ['SUCCESS', 'completed'],
      ['succeeded', 'completed'],
      ['failed', 'failed'],
      ['FAILURE', 'failed'],
      ['cancelled', 'failed'],
      ['canceled', 'failed'],
      ['In Progress', 'processing'],
      ['rendering-soon', 'processing'],
    ];
    for (const [raw, expected] of cases) {
      it(`maps "${raw}" to ${expected} and keeps the raw status`, () => {
        assert.equal(normalizeStatus(raw), expected);
        const task = normalizeQueryResponse({ id: 't', status: raw });
        assert.equal(task.status, expected);
        assert.equal(task.rawStatus, raw);
      });
    }

    it('uses detail.status when the top level has none', () => {
      assert.equal(normalizeQueryResponse({ id: 't', detail: { status: 'failed' } }).status, 'failed');
      assert.equal(normalizeQueryResponse({ id: 't' }).status, 'processing');
    });
  });

  describe('failure reason', () => {
    const reasonOf = (body: Record<string, unknown>) => normalizeQueryResponse({ id: 't', status: 'failed', ...body }).failureReason;

    it('reads fail_reason (upper-case fixture)', () => {
      const task = normalizeQueryResponse(fixture('upper-case-failure.json'));
      assert.equal(task.status, 'failed');
      assert.match(task.failureReason!, /guardrails/);
    });

    it('reads error as a string or an object with a message', () => {
      assert.equal(reasonOf({ error: 'moderation blocked' }), 'moderation blocked');
      assert.equal(reasonOf({ error: { message: 'real person detected', code: 'moderation_blocked' } }), 'real person detected');
    });

    it('reads detail.failure_reason and detail.pending_info.failure_reason', () => {
      assert.equal(reasonOf({ detail: { failure_reason: 'copyrighted character' } }), 'copyrighted character');
      assert.equal(reasonOf({ detail: { pending_info: { failure_reason: '内容审核未通过' } } }), '内容审核未通过');
    });

    it('prefers fail_reason, then error, then detail, then pending_info', () => {
      const all = { fail_reason: 'A', error: 'B', detail: { failure_reason: 'C', pending_info: { failure_reason: 'D' } } };
      assert.equal(reasonOf(all), 'A');
      assert.equal(reasonOf({ ...all, fail_reason: '  ' }), 'B');
      assert.equal(reasonOf({ ...all, fail_reason: null, error: { message: '' } }), 'C');
      assert.equal(reasonOf({ detail: { failure_reason: null, pending_info: { failure_reason: 'D' } } }), 'D');
    });

    it('says "no reason given" when there is none', () => {
      assert.equal(reasonOf({}), 'no reason given');
      assert.equal(reasonOf({ error: null, detail: { pending_info: { failure_reason: null } } }), 'no reason given');
    });

    it('only sets a reason on failed tasks', () => {
      assert.equal(normalizeQueryResponse({ id: 't', status: 'processing', fail_reason: 'stale' }).failureReason, undefined);
    });

    it('scrubs anything that looks like a key from the reason', () => {
      const reason = reasonOf({ error: 'token sk-abcdefghijklmnop rejected; header Bearer sk-abcdefghijklmnop' })!;
      assert.ok(!reason.includes('abcdefghijklmnop'), reason);
    });
  });

  it('ignores unknown extra fields and odd types', () => {
    const task = normalizeQueryResponse({ id: '42', status: 'queued', width: 'wide', video_url: 7, thumbnail_url: 'ftp://x', surprise: { deep: [1, 2] } });
    assert.deepEqual(task, { id: '42', status: 'queued', progress: 0, rawStatus: 'queued' });
  });

  it('never takes a number for the task id: the gateway numbers its rows', () => {
    expectMalformed({ id: 42, status: 'queued' });
    assert.equal(normalizeQueryResponse({ id: 8919289, task_id: 'video_x', status: 'QUEUED' }).id, 'video_x');
  });

  it('unwraps { data: task } answers', () => {
    const task = normalizeQueryResponse({ code: 0, data: { id: 'sora-2:task_w', status: 'completed', video_url: 'https://x/v.mp4' } });
    assert.equal(task.id, 'sora-2:task_w');
    assert.equal(task.videoUrl, 'https://x/v.mp4');
  });

  it('rejects bodies that are not objects or have no id', () => {
    for (const body of [null, undefined, 'text', 42, true, [], [{ id: 'x' }], {}, { id: '' }, { id: null, status: 'queued' }, { status: 'completed' }]) {
      expectMalformed(body);
    }
  });

  it('never crashes on random JSON: it returns a valid task or a malformed_response error', () => {
    const random = seededRandom(20251006);
    const leaves = [null, true, false, 0, 1, -1, 0.5, 1e308, '', 'x', 'completed', 'FAILURE', 'https://x/v.mp4', '12%', 'NaN'];
    const keys = [
      'id',
      'status',
      'detail',
      'pending_info',
      'progress',
      'progress_pct',
      'video_url',
      'url',
      'draft_info',
      'downloadable_url',
      'error',
      'message',
      'fail_reason',
      'failure_reason',
      'data',
      'size',
      'width',
      'progress_pos_in_queue',
      'status_update_time',
      'completed_at',
      'remixed_from_video_id',
    ];
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.45) return leaves[Math.floor(random() * leaves.length)];
      if (r < 0.6) return Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1));
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 6); i > 0; i--) object[keys[Math.floor(random() * keys.length)]] = value(depth + 1);
      return object;
    };
    let parsed = 0;
    for (let i = 0; i < 3000; i++) {
      const top = value(0);
      // Most real answers have an id: give most random objects one, so the rest of the parser is exercised.
      if (top && typeof top === 'object' && !Array.isArray(top) && random() < 0.8)
        (top as Record<string, unknown>).id = leaves[Math.floor(random() * leaves.length)];
      const body = JSON.parse(JSON.stringify(top) ?? 'null');
      try {
        const task = normalizeQueryResponse(body);
        parsed++;
        assert.ok(typeof task.id === 'string' && task.id.length > 0);
        assert.ok(['queued', 'processing', 'completed', 'failed'].includes(task.status));
        assert.ok(task.progress >= 0 && task.progress <= 100, `progress ${task.progress}`);
        assert.equal(task.status === 'failed', typeof task.failureReason === 'string');
        if (task.videoUrl) assert.match(task.videoUrl, /^https?:\/\//);
      } catch (error) {
        if (!(error instanceof JuxinError) || error.kind !== 'malformed_response') throw error;
      }
    }
    assert.ok(parsed > 100, `only ${parsed} random bodies had an id: the fuzz is not exercising the parser`);
  });
});

describe('normalizeQueryResponse: the wire real logs show (shared/juxin-api.md §2)', () => {
  it('reads the logged OpenAI-style create (an upstream model name, "detail": {})', () => {
    const task = normalizeQueryResponse(fixture('create-real-openai.json'));
    assert.deepEqual([task.id, task.status, task.progress, task.width, task.height], ['video_7b1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', 'queued', 0, 1280, 720]);
  });

  it('reads a Veo create and Veo unified answers, the id an opaque string with ":"', () => {
    const created = normalizeQueryResponse(fixture('create-veo.json'));
    assert.deepEqual([created.id, created.status, created.updatedAt], ['veo3.1-fast:1770350082-trii1OXZc3', 'queued', 1770350082512]);
    const running = normalizeQueryResponse(fixture('unified-veo-processing.json'));
    assert.equal(running.status, 'processing');
    assert.equal(running.videoUrl, undefined, 'the request echo (detail.req.images) is not the video');
    const done = normalizeQueryResponse(fixture('unified-veo-completed.json'));
    assert.equal(done.status, 'completed');
    assert.equal(done.videoUrl, 'https://storage.googleapis.com/veo-output-bucket/1770350082-trii1OXZc3/sample_0.mp4');
  });

  it('reads a real completed Shape C: an unsigned URL on an object-storage host', () => {
    const task = normalizeQueryResponse(fixture('shape-c-real-completed.json'));
    assert.equal(task.status, 'completed');
    assert.equal(task.videoUrl, 'https://juxin-video-bucket.oss-us-west-1.aliyuncs.com/sora/0c3b6f2e-5b7a-4e52-9a51-2f7d1c9e8a40.mp4');
    assert.equal(task.failureReason, undefined, '"error": null is no failure');
  });

  it('reads the gateway task record in its {code, data} wrapper: task_id (never the numeric id), SUCCESS, the URL in data.output', () => {
    const task = normalizeQueryResponse(fixture('task-record-wrapped-success.json'));
    assert.equal(task.id, 'video_7b1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d');
    assert.equal(task.status, 'completed');
    assert.equal(task.rawStatus, 'SUCCESS');
    assert.equal(task.progress, 100);
    assert.equal(task.videoUrl, 'https://juxin-video-bucket.oss-us-west-1.aliyuncs.com/sora/0c3b6f2e-5b7a-4e52-9a51-2f7d1c9e8a40.mp4');
    assert.equal(task.updatedAt, 1763453921 * 1000);
  });

  it('reads the bare task record: IN_PROGRESS and "45%" win over the upstream body\'s own progress', () => {
    const task = normalizeQueryResponse(fixture('task-record-bare-in-progress.json'));
    assert.equal(task.id, 'video_4f0e9d8c-7b6a-4954-8321-0fedcba98765');
    assert.equal(task.status, 'processing');
    assert.equal(task.progress, 45);
    assert.equal(task.videoUrl, undefined);
  });

  it('lets the outer FAILURE win over an upstream body that still says in_progress, with its fail_reason', () => {
    const task = normalizeQueryResponse(fixture('task-record-failure-inner-in-progress.json'));
    assert.equal(task.status, 'failed');
    assert.equal(task.rawStatus, 'FAILURE');
    assert.match(task.failureReason!, /real person/);
  });

  it("finds the URL in result_url (the relay's own /content route)", () => {
    const task = normalizeQueryResponse(fixture('task-record-result-url.json'));
    assert.equal(task.status, 'completed');
    assert.equal(task.videoUrl, 'https://api.jxincm.cn/v1/videos/video_9a8b7c6d-5e4f-4321-8765-43210fedcba9/content');
  });

  it('treats UNKNOWN (and SUBMITTED, NOT_START) as queued: nothing says the job started', () => {
    const task = normalizeQueryResponse(fixture('task-record-queued-unknown.json'));
    assert.deepEqual([task.id, task.status, task.progress], ['video_5d4c3b2a-9f8e-4d7c-a6b5-c4d3e2f1a0b9', 'queued', 0]);
    for (const raw of ['UNKNOWN', 'unknown', 'SUBMITTED', 'submitted', 'NOT_START', 'not_start', 'QUEUED']) assert.equal(normalizeStatus(raw), 'queued', raw);
  });

  it('finds the URL wherever an upstream body keeps it, never in an echoed request or an image', () => {
    const record = (data: unknown) => normalizeQueryResponse({ task_id: 'video_u', status: 'SUCCESS', progress: '100%', data }).videoUrl;
    assert.equal(record({ video_url: 'https://cdn.test/a.mp4' }), 'https://cdn.test/a.mp4');
    assert.equal(record({ content: { video_url: 'https://cdn.test/b.mp4', last_frame_url: 'https://cdn.test/b.png' } }), 'https://cdn.test/b.mp4');
    assert.equal(record({ task_result: { videos: [{ id: 'v', url: 'https://cdn.test/c.mp4' }] } }), 'https://cdn.test/c.mp4');
    assert.equal(record({ detail: { draft_info: { downloadable_url: 'https://cdn.test/d.mp4' } } }), 'https://cdn.test/d.mp4');
    assert.equal(
      record({ input: { url: 'https://cdn.test/echo.mp4' }, images: ['https://cdn.test/e.png'], thumbnail: { url: 'https://cdn.test/t.webp' } }),
      undefined,
    );
  });

  it('reads progress as a fraction, a number and an "NN%" string', () => {
    assert.equal(normalizeQueryResponse({ id: 'a', status: 'processing', detail: { pending_info: { progress_pct: 0.45 } } }).progress, 45);
    assert.equal(normalizeQueryResponse({ id: 'a', status: 'in_progress', progress: 45 }).progress, 45);
    assert.equal(normalizeQueryResponse({ task_id: 'a', status: 'IN_PROGRESS', progress: '45%' }).progress, 45);
    assert.equal(
      normalizeQueryResponse({ task_id: 'a', status: 'IN_PROGRESS', data: { progress: 20 } }).progress,
      20,
      "the upstream body's, when the record has none",
    );
  });

  it('takes the id the caller asked about for a query, whatever id the answer carries', () => {
    assert.equal(normalizeQueryResponse(fixture('task-record-bare-in-progress.json'), 'video_asked').id, 'video_asked');
    expectMalformed({ id: 8919289, status: 'SUCCESS' });
  });
});

describe('normalizeCharacter', () => {
  it('reads the character answer', () => {
    assert.deepEqual(normalizeCharacter(fixture('character.json')), {
      id: 'ch_68f5e1c2a0b88191a1b2c3d4e5f60718',
      username: 'hfspncadz.mooflapand',
      permalink: 'https://sora.chatgpt.com/profile/hfspncadz.mooflapand',
      profilePictureUrl: 'https://videos.openai.com/vg-assets/profile/hfspncadz.webp',
    });
  });

  it('drops a leading @ and unwraps { data }', () => {
    assert.deepEqual(normalizeCharacter({ data: { id: 'ch_1', username: '@abc.def' } }), { id: 'ch_1', username: 'abc.def' });
  });

  it('rejects an answer without id or username', () => {
    for (const body of [null, 'x', {}, { id: 'ch_1' }, { username: 'a' }]) {
      assert.throws(
        () => normalizeCharacter(body),
        (e: unknown) => e instanceof JuxinError && e.kind === 'malformed_response',
      );
    }
  });
});
