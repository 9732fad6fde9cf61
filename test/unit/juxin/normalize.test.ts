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
    const task = normalizeQueryResponse({ id: 42, status: 'queued', width: 'wide', video_url: 7, thumbnail_url: 'ftp://x', surprise: { deep: [1, 2] } });
    assert.deepEqual(task, { id: '42', status: 'queued', progress: 0, rawStatus: 'queued' });
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
