import assert from 'node:assert/strict';
import path from 'node:path';

import {
  clipProgressValue,
  clipStatus,
  clipTaskRecords,
  isClipBusy,
  linksTo,
  parseStoryboard,
  planStoryboard,
  storyboardKey,
  storyboardState,
  takenClipIds,
  toClipTaskRecord,
  type ClipPlan,
} from '../../../src/storyboard';
import { clipStatusText, clipTone, type ClipStatusWords } from '../../../src/webview/model/clipStatus';
import { taskRecord } from '../../fixtures/tasks';
import { STORYBOARD_STRINGS } from '../webview/storyboardHelpers';

const WORDS: ClipStatusWords = STORYBOARD_STRINGS.status;

const ROOT = path.resolve('/work/films');
const FILE = path.join(ROOT, 'cafe', 'rain.storyboard.md');
const TEXT = `---
title: Rain
---
## Opening {#c1}
A street.
## Door {#c2}
A door.
## Cup {#c3}
A cup.
## Broken {#c4}
duration: 12
A clip with a duration sora-2 does not allow.
`;

function linked(clipId: string, fingerprint: string, patch: Parameters<typeof taskRecord>[0] = {}, file = 'cafe/rain.storyboard.md') {
  return taskRecord({ id: `task_${clipId}_${Math.random().toString(36).slice(2, 8)}`, storyboard: { file, clipId, fingerprint }, ...patch });
}

describe('storyboard: the history of a storyboard file and the status of its clips', () => {
  it('names a file by its absolute path inside a workspace folder or not, and finds it under an old relative link too', () => {
    assert.equal(storyboardState(TEXT, FILE, [], [path.resolve('/elsewhere'), ROOT]).key, FILE);
    assert.equal(storyboardKey(FILE), FILE);
    assert.equal(storyboardState(TEXT, path.resolve('/work/other.storyboard.md'), [], [ROOT]).key, path.resolve('/work/other.storyboard.md'));
    assert.ok(linksTo('cafe/rain.storyboard.md', FILE, [ROOT]), 'a relative link (VS Code wrote them before) still matches');
    assert.ok(linksTo(FILE, FILE, [ROOT]));
    assert.ok(!linksTo('cafe/other.storyboard.md', FILE, [ROOT]));
  });

  it('reads task records as the plan needs them: phase, file, progress, why it failed', () => {
    const generating = toClipTaskRecord(linked('c1', 'v1-a', { status: 'processing', progress: 42.4 }))!;
    assert.equal(generating.phase, 'generating');
    assert.equal(generating.progress, 42.4);
    const ready = toClipTaskRecord(linked('c1', 'v1-a', { status: 'completed', download: { state: 'done', localPath: '/v/a.mp4' } }))!;
    assert.deepEqual([ready.phase, ready.localFile], ['ready', '/v/a.mp4']);
    const failed = toClipTaskRecord(linked('c1', 'v1-a', { status: 'failed', failureReason: 'content policy' }))!;
    assert.deepEqual([failed.phase, failed.failureReason], ['failed', 'content policy']);
    const expired = toClipTaskRecord(linked('c1', 'v1-a', { status: 'completed', download: { state: 'expired' } }))!;
    assert.deepEqual([expired.phase, expired.failureReason], ['notSaved', 'the video link expired']);
    assert.equal(toClipTaskRecord(taskRecord()), undefined, 'a task of no storyboard');
    const records = clipTaskRecords([linked('c1', 'x'), linked('c9', 'y'), linked('c1', 'z', {}, 'other.storyboard.md'), taskRecord()], FILE, [ROOT]);
    assert.deepEqual(
      records.map((r) => r.clipId),
      ['c1', 'c9'],
    );
    assert.deepEqual([...takenClipIds(records)], ['c1', 'c9']);
  });

  it('maps every clip state and task phase to one status, and words it', () => {
    const first = storyboardState(TEXT, FILE, [], [ROOT]);
    const fp = (id: string) => first.plan.clips.find((c) => c.clip.id === id)!.fingerprint!;
    const tasks = [
      linked('c1', fp('c1'), { status: 'processing', progress: 42 }),
      linked('c2', fp('c2'), { status: 'completed', download: { state: 'done', localPath: '/v/c2.mp4' } }),
      linked('c3', 'v1-older', { status: 'completed', download: { state: 'done', localPath: '/v/c3-old.mp4' } }),
    ];
    const state = storyboardState(TEXT, FILE, tasks, [ROOT]);
    assert.equal(state.key, FILE);
    const statuses = state.plan.clips.map((c) => clipStatus(c));
    assert.deepEqual(statuses, [{ kind: 'generating', progress: 42 }, { kind: 'ready' }, { kind: 'outdated' }, { kind: 'invalid' }]);
    assert.deepEqual(
      statuses.map((s) => clipStatusText(s, WORDS)),
      ['generating 42%', 'ready', 'out of date', 'has errors'],
    );
    assert.deepEqual(
      statuses.map((s) => clipTone(s)),
      ['running', 'ready', 'warning', 'error'],
    );
    assert.deepEqual(
      statuses.map((s) => isClipBusy(s)),
      [true, false, false, false],
    );
  });

  it('says queued (with the place), downloading, failed and not saved, with the reason or that none was given', () => {
    const plan = (patch: Partial<ClipPlan>): ClipPlan => ({ ...(planStoryboard(parseStoryboard(TEXT), []).clips[0] as ClipPlan), ...patch });
    const running = (phase: 'queued' | 'generating' | 'downloading', extra = {}) =>
      clipStatus(plan({ state: 'running', running: { clipId: 'c1', taskId: 't', fingerprint: 'f', phase, createdAt: 1, ...extra } }));
    assert.equal(clipStatusText(running('queued'), WORDS), 'queued');
    assert.equal(clipStatusText(running('queued', { queuePosition: 3 }), WORDS), 'queued, position 3');
    assert.equal(clipStatusText(running('downloading'), WORDS), 'downloading');
    assert.deepEqual(running('generating', { progress: 140 }), { kind: 'generating', progress: 100 }, 'clamped');
    const failed = (phase: 'failed' | 'notSaved', failureReason?: string) =>
      clipStatusText(clipStatus(plan({ state: 'failed', failed: { clipId: 'c1', taskId: 't', fingerprint: 'f', phase, createdAt: 1, failureReason } })), WORDS);
    assert.equal(failed('failed', 'moderation'), 'failed: moderation');
    assert.equal(failed('failed', ''), 'failed: no reason given');
    assert.equal(failed('notSaved', 'disk full'), 'not saved: disk full');
    assert.equal(clipStatusText(clipStatus(plan({ state: 'missing' })), WORDS), 'not generated');
  });

  it('weighs a clip in a storyboard’s progress as a single video: generation 0–90, download to 100', () => {
    assert.equal(clipProgressValue({ kind: 'missing' }), 0);
    assert.equal(clipProgressValue({ kind: 'queued' }), 0);
    assert.equal(clipProgressValue({ kind: 'generating', progress: 50 }), 45);
    assert.equal(clipProgressValue({ kind: 'downloading' }), 95);
    assert.equal(clipProgressValue({ kind: 'ready' }), 100);
    assert.equal(clipProgressValue({ kind: 'failed', reason: '' }), 100, 'settled');
  });
});
