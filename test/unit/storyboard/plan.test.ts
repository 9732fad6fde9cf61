import assert from 'node:assert/strict';

import type { TaskPhase } from '../../../src/core/phase';
import { clipFingerprint, clipParams, parseStoryboard, planStoryboard, setClipPrompt, type ClipTaskRecord } from '../../../src/storyboard';

const FILE = `---
title: Plan
style: warm
---
## A {#a}
Shot of a street.
## B {#b}
Shot of a door.
## C {#c}
Shot of a cup.
## D {#d}
Shot of rain.
## E {#e}
Shot of dawn.
## F {#f}
duration: 12
Shot of nothing (12 s is not a sora-2 duration).
## G
A clip someone just added.
`;

function fingerprintOf(text: string, id: string): string {
  const { storyboard } = parseStoryboard(text);
  return clipFingerprint(
    clipParams(
      storyboard,
      storyboard.clips.find((c) => c.id === id)!,
    ),
  );
}

let clock = 0;
function record(clipId: string, fingerprint: string, phase: TaskPhase): ClipTaskRecord {
  clock += 1000;
  return {
    clipId,
    taskId: `task-${clock}`,
    fingerprint,
    phase,
    createdAt: clock,
    ...(phase === 'ready' ? { localFile: `/videos/${clipId}-${clock}.mp4` } : {}),
  };
}

describe('storyboard: the plan (which clips to generate, which are ready)', () => {
  it('sorts every clip: missing, running, ready, failed, outdated, invalid; orphans apart', () => {
    const fp = (id: string) => fingerprintOf(FILE, id);
    const oldB = record('b', 'v1-0000000000000000', 'ready');
    const records = [
      record('a', fp('a'), 'failed'), // an older attempt at A failed…
      record('a', fp('a'), 'generating'), // …and a new one runs
      oldB,
      record('b', fp('b'), 'ready'),
      record('c', fp('c'), 'ready'),
      record('c', fp('c'), 'failed'), // a later retake failed: the earlier video still counts
      record('d', fp('d'), 'notSaved'),
      record('e', 'v1-1111111111111111', 'ready'), // E was changed since its video was made
      record('gone', 'v1-2222222222222222', 'ready'),
    ];
    const plan = planStoryboard(parseStoryboard(FILE), records);
    assert.deepEqual(
      plan.clips.map((c) => [c.clip.id ?? c.clip.title, c.state]),
      [
        ['a', 'running'],
        ['b', 'ready'],
        ['c', 'ready'],
        ['d', 'failed'],
        ['e', 'outdated'],
        ['f', 'invalid'],
        ['G', 'missing'],
      ],
    );
    assert.equal(plan.clips[0].running?.taskId, records[1].taskId);
    assert.equal(plan.clips[1].video?.taskId, records[3].taskId, 'the current version’s video, not the older one');
    assert.equal(plan.clips[2].video?.taskId, records[4].taskId);
    assert.equal(plan.clips[3].failed?.phase, 'notSaved');
    assert.equal(plan.clips[4].video?.taskId, records[7].taskId, 'an outdated clip can still be played');
    assert.deepEqual(
      plan.toGenerate.map((c) => c.clip.id ?? c.clip.title),
      ['e', 'G'],
      'Generate all: missing and outdated only',
    );
    assert.deepEqual(
      plan.ready.map((c) => c.clip.id),
      ['b', 'c'],
    );
    assert.deepEqual(plan.orphans, [records[8]]);
    assert.deepEqual(plan.counts, { invalid: 1, missing: 1, outdated: 1, running: 1, failed: 1, ready: 2 });
    assert.equal(plan.clips[5].params, undefined, 'nothing is sent for an invalid clip');
  });

  it('editing a prompt makes a ready clip outdated, and editing it back makes it ready again', () => {
    const made = record('b', fingerprintOf(FILE, 'b'), 'ready');
    const edited = setClipPrompt(FILE, 'b', 'Shot of a red door.');
    const after = planStoryboard(parseStoryboard(edited), [made]).clips[1];
    assert.equal(after.state, 'outdated');
    assert.equal(after.video, made);
    assert.notEqual(after.fingerprint, made.fingerprint);
    const back = setClipPrompt(edited, 'b', 'Shot of a door.');
    assert.equal(planStoryboard(parseStoryboard(back), [made]).clips[1].state, 'ready');
  });

  it('a task still running for an older version does not count: the clip is generated again (missing, or outdated with an older video), the run shown', () => {
    const stale = record('a', 'v1-3333333333333333', 'queued');
    const clip = planStoryboard(parseStoryboard(FILE), [stale]).clips[0];
    assert.equal(clip.state, 'missing');
    assert.equal(clip.running, stale);
    const old = record('a', 'v1-3333333333333333', 'ready');
    const withVideo = planStoryboard(parseStoryboard(FILE), [old, stale]).clips[0];
    assert.equal(withVideo.state, 'outdated');
  });
});

describe('storyboard: the plan of a Veo storyboard', () => {
  const VEO =
    '---\nmodel: veo3.1-fast\naspect_ratio: "16:9"\n---\n## A {#a}\nfirst_frame: https://example.com/a.png\nA street.\n## B {#b}\nA door.\n## C {#c}\nduration: 10\nA cup.\n';

  it('plans 8 s clips with their shape and frames; a changed aspect ratio or frame makes a video out of date', () => {
    const parsed = parseStoryboard(VEO);
    const before = planStoryboard(parsed, []);
    assert.deepEqual(
      before.clips.map((c) => [c.clip.id, c.state, c.params?.duration, c.params?.aspectRatio, c.params?.firstFrame]),
      [
        ['a', 'missing', 8, '16:9', 'https://example.com/a.png'],
        ['b', 'missing', 8, '16:9', undefined],
        ['c', 'invalid', undefined, undefined, undefined], // 10 s is not a Veo length
      ],
    );
    const records = [record('a', fingerprintOf(VEO, 'a'), 'ready'), record('b', fingerprintOf(VEO, 'b'), 'ready')];
    assert.deepEqual(
      planStoryboard(parsed, records).ready.map((c) => c.clip.id),
      ['a', 'b'],
    );
    const portrait = VEO.replace('"16:9"', '"9:16"');
    assert.deepEqual(
      planStoryboard(parseStoryboard(portrait), records).clips.map((c) => c.state),
      ['outdated', 'outdated', 'invalid'],
    );
    const otherFrame = VEO.replace('a.png', 'a2.png');
    assert.deepEqual(
      planStoryboard(parseStoryboard(otherFrame), records).clips.map((c) => c.state),
      ['outdated', 'ready', 'invalid'],
    );
  });
});
