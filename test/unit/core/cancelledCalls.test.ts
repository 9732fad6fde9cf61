import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CallCancelledError, CANCELLED_CALL_WINDOW_MS, sameCaller, sameRequest } from '../../../src/core/cancelledCalls';
import { VideoEngine } from '../../../src/core/engine';
import { DEFAULT_PARAMS } from '../../../src/core/params';
import { TaskStore } from '../../../src/core/store';
import type { GenerationParams, JuxinApi, NormalizedTask } from '../../../src/juxin/types';
import { TestClock } from '../../helpers/clock';
import { waitUntil } from '../../helpers/wait';

/** Creates wait for `land()`; queries say "processing". */
class HeldCreates implements JuxinApi {
  creates = 0;
  private waiting: (() => void)[] = [];
  async createVideo(): Promise<NormalizedTask> {
    this.creates++;
    const n = this.creates;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return { id: `sora-2:task_cancel${n}`, status: 'queued', progress: 0, rawStatus: 'pending' };
  }
  land(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
  async queryVideo(id: string): Promise<NormalizedTask> {
    return { id, status: 'processing', progress: 5, rawStatus: 'in_progress' };
  }
  async remixVideo(): Promise<NormalizedTask> {
    throw new Error('not used');
  }
  async createCharacter(): Promise<never> {
    throw new Error('not used');
  }
  async listModels(): Promise<never> {
    throw new Error('not used');
  }
  downloadHeaders(): Record<string, string> {
    return {};
  }
}

describe('core/cancelledCalls: a call its client cancelled', function () {
  this.timeout(60_000);
  let home: string;
  let engine: VideoEngine | undefined;
  const claude = { kind: 'mcp' as const, client: 'Claude Desktop', host: 'stdio' as const };
  beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'cancelled-calls-'))));
  afterEach(async () => {
    await engine?.dispose();
    engine = undefined;
    rmSync(home, { recursive: true, force: true, maxRetries: 5 });
  });

  it('tells the same caller and the same request', () => {
    const p: GenerationParams = { ...DEFAULT_PARAMS, prompt: 'a kite' };
    assert.ok(sameRequest(p, { ...p, images: [...p.images] }));
    assert.ok(!sameRequest(p, { ...p, duration: 15 }));
    assert.ok(!sameRequest(p, { ...p, prompt: 'a kite ' }));
    assert.ok(sameCaller(claude, { ...claude }));
    assert.ok(!sameCaller(claude, { ...claude, client: 'Cursor' }));
    assert.ok(!sameCaller(claude, { ...claude, host: 'vscode' }));
  });

  it('sends nothing once the call is cancelled; a create on its way lands in the history, and an identical call gets it for two minutes', async () => {
    const clock = new TestClock(Date.parse('2026-11-20T10:00:00Z'));
    const api = new HeldCreates();
    engine = new VideoEngine({
      api: () => api,
      store: new TaskStore(home),
      videosDir: path.join(home, 'videos'),
      clock,
      spendLimits: () => ({ dailyVideos: 0, dailySeconds: 0, prices: {} }),
    });
    await engine.start();

    const gone = new AbortController();
    gone.abort();
    await assert.rejects(engine.generate({ prompt: 'never sent' }, claude, { signal: gone.signal }), CallCancelledError);
    assert.equal(api.creates, 0);

    const call = new AbortController();
    const made = engine.generate({ prompt: 'a kite over the sea' }, claude, { signal: call.signal });
    await waitUntil(() => api.creates > 0, 30_000, 'the create on its way', 5);
    call.abort();
    const twinWhileOnItsWay = engine.cancelledTwin({ prompt: 'a kite over the sea' }, claude);
    api.land();
    const task = await made;
    assert.equal(task.cancelledAt, clock.now(), 'recorded as a cancelled call’s task');
    assert.equal(engine.get(task.id)?.id, task.id, 'in the history');
    assert.equal((await twinWhileOnItsWay)?.id, task.id, 'an identical call while the create was on its way waits for it');

    assert.equal((await engine.cancelledTwin({ prompt: 'a kite over the sea' }, claude))?.id, task.id);
    assert.equal(await engine.cancelledTwin({ prompt: 'a kite over the sea' }, { ...claude, client: 'Cursor' }), undefined, 'another client pays for its own');
    assert.equal(await engine.cancelledTwin({ prompt: 'a kite over the sea', duration: 15 }, claude), undefined, 'another request');
    await clock.advance(CANCELLED_CALL_WINDOW_MS + 1);
    assert.equal(await engine.cancelledTwin({ prompt: 'a kite over the sea' }, claude), undefined, 'after two minutes it is a new request');
    assert.equal(api.creates, 1);
  });

  it('notes a call cancelled after its task was made (while it waited), once', async () => {
    const clock = new TestClock(Date.parse('2026-11-20T10:00:00Z'));
    const api = new HeldCreates();
    engine = new VideoEngine({ api: () => api, store: new TaskStore(home), videosDir: path.join(home, 'videos'), clock });
    await engine.start();
    const made = engine.generate({ prompt: 'a lantern' }, claude);
    await waitUntil(() => api.creates > 0, 30_000, 'the create on its way', 5);
    api.land();
    const task = await made;
    assert.equal(task.cancelledAt, undefined);
    await engine.markCallCancelled(task.id);
    const at = engine.get(task.id)!.cancelledAt;
    assert.equal(at, clock.now());
    await clock.advance(1000);
    await engine.markCallCancelled(task.id);
    assert.equal(engine.get(task.id)!.cancelledAt, at, 'the first cancel counts');
    assert.equal((await engine.cancelledTwin({ prompt: 'a lantern' }, claude))?.id, task.id);
  });
});
