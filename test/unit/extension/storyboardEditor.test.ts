import assert from 'node:assert/strict';
import path from 'node:path';
import { Commands } from '../../../src/extension/commands/ids';
import { castSuggestions, problemMessage, storyboardLenses, type LensWords } from '../../../src/extension/storyboard/editorModel';
import { validateStoryboardMessage } from '../../../src/extension/storyboard/messages';
import { clipRef, findClip } from '../../../src/extension/storyboard/refs';
import { parseStoryboard, storyboardState } from '../../../src/storyboard';
import { taskRecord } from '../../fixtures/tasks';
import { STORYBOARD_STRINGS } from '../webview/storyboardHelpers';

const WORDS: LensWords = {
  status: STORYBOARD_STRINGS.status,
  generateAll: 'Generate All ({0})',
  assemble: 'Assemble Film',
  openView: 'Open Storyboard View',
  writeShots: 'Write the Shots with Copilot',
  play: 'Play',
  generate: 'Generate',
  regenerate: 'Regenerate',
  retry: 'Retry',
  download: 'Download',
  summary: '{0} of {1} clips ready',
};

const FILE = path.resolve('/work/rain.storyboard.md');
const TEXT = `---
title: Rain
cast:
  Mika: "@mikacafe.rainy"
---
## Opening {#c1}
Shot 1: a street. @Mika waits.
## Door {#c2}
It rained.

> 00:00.500 --> 00:02.000 It rained.
## Cup {#c3}
A cup.
## Queue {#c4}
A queue.
## New one
Just added.
`;

function linked(clipId: string, fingerprint: string, patch: Parameters<typeof taskRecord>[0]) {
  return taskRecord({ id: `task_${clipId}`, storyboard: { file: FILE, clipId, fingerprint }, ...patch });
}

describe('extension/storyboard: CodeLens, completion and diagnostics as data', () => {
  const fresh = storyboardState(TEXT, FILE, []);
  const fp = (id: string) => fresh.plan.clips.find((c) => c.clip.id === id)!.fingerprint!;
  const tasks = [
    linked('c1', fp('c1'), { status: 'completed', progress: 100, download: { state: 'done', localPath: '/v/c1.mp4' } }),
    linked('c2', fp('c2'), { status: 'processing', progress: 42 }),
    linked('c3', fp('c3'), { status: 'failed', failureReason: 'content policy' }),
    linked('c4', fp('c4'), { status: 'queued', queuePosition: 2 }),
  ];
  const state = storyboardState(TEXT, FILE, tasks);
  const lenses = storyboardLenses(state, 'URI', WORDS);
  const at = (line: number) => lenses.filter((l) => l.line === line).map((l) => l.title);

  it('puts the storyboard summary and its actions at the top', () => {
    assert.deepEqual(at(0), [
      '$(layout) 1 of 5 clips ready',
      '$(play-circle) Generate All (1)',
      '$(device-camera-video) Assemble Film',
      '$(sparkle) Write the Shots with Copilot',
    ]);
    const generateAll = lenses.find((l) => l.command === Commands.generateStoryboard)!;
    assert.deepEqual(generateAll.args, ['URI']);
  });

  it('shows each clip its live status (words of the one mapping) and what it offers', () => {
    const heading = (id: string) => state.parsed.storyboard.clips.find((c) => c.id === id)?.lines.heading ?? -1;
    assert.deepEqual(at(heading('c1')), ['$(pass) ready', '$(play) Play', '$(refresh) Regenerate']);
    assert.deepEqual(at(heading('c2')), ['$(sync~spin) generating 42%'], 'no button while it runs');
    assert.deepEqual(at(heading('c3')), ['$(error) failed: content policy', '$(refresh) Retry']);
    assert.deepEqual(at(heading('c4')), ['$(clock) queued, position 2']);
    const added = state.parsed.storyboard.clips[4].lines.heading;
    assert.deepEqual(at(added), ['$(circle-outline) not generated', '$(sparkle) Generate']);
    const generateNew = lenses.find((l) => l.line === added && l.command === Commands.generateClip)!;
    assert.deepEqual(generateNew.args, ['URI', '#5'], 'a clip without an id is named by its place');
    const regenerate = lenses.find((l) => l.title.includes('Regenerate'))!;
    assert.deepEqual(regenerate.args, ['URI', 'c1', { regenerate: true }]);
    const play = lenses.find((l) => l.command === Commands.playClip)!;
    assert.deepEqual(play.args, ['URI', 'c1']);
  });

  it('says "out of date" once the prompt changes, and still offers the old video', () => {
    const edited = storyboardState(TEXT.replace('a street', 'a wet street'), FILE, tasks);
    const line = edited.parsed.storyboard.clips[0].lines.heading;
    assert.deepEqual(
      storyboardLenses(edited, 'URI', WORDS)
        .filter((l) => l.line === line)
        .map((l) => l.title),
      ['$(history) out of date', '$(play) Play', '$(refresh) Regenerate'],
    );
  });

  it('names clips by id, or by place until they have one', () => {
    assert.equal(clipRef(state.plan.clips[0]), 'c1');
    assert.equal(clipRef(state.plan.clips[4]), '#5');
    assert.equal(findClip(state.plan.clips, '#5'), state.plan.clips[4]);
    assert.equal(findClip(state.plan.clips, '#1'), undefined, 'a clip with an id is named by it');
    assert.equal(findClip(state.plan.clips, 'c3'), state.plan.clips[2]);
  });

  it('suggests the cast in prompts and the characters of the history, usernames only in the settings', () => {
    const words = { cast: 'in the cast', character: 'created here' };
    const characters = [{ username: 'mikacafe.rainy' }, { username: 'leodoor.wetcoat' }];
    const cast = parseStoryboard(TEXT).storyboard.cast;
    assert.deepEqual(
      castSuggestions(cast, characters, false, words).map((s) => [s.label, s.insert, s.detail]),
      [
        ['@Mika', 'Mika', '@mikacafe.rainy · in the cast'],
        ['@leodoor.wetcoat', 'leodoor.wetcoat', 'created here'],
      ],
    );
    assert.deepEqual(
      castSuggestions(cast, characters, true, words).map((s) => s.insert),
      ['mikacafe.rainy', 'leodoor.wetcoat'],
    );
  });

  it('shows problems without the line number the Problems panel already gives, in the UI language', () => {
    const { problems } = parseStoryboard('---\ntitle: T\n---\n## A {#a}\nduration: 12\nShot.\n');
    const problem = problems.find((p) => p.severity === 'error')!;
    assert.match(problemMessage(problem, false), /^duration 12 is not available for sora-2/);
    assert.match(problemMessage(problem, true), /^sora-2 不支持 12 秒/);
  });

  it('accepts from the storyboard view only protocol messages about its own clips', () => {
    const has = (id: string) => id === 'c1' || id === '#5';
    assert.deepEqual(validateStoryboardMessage({ type: 'clip', action: 'generate', clipId: 'c1' }, has), { type: 'clip', action: 'generate', clipId: 'c1' });
    assert.deepEqual(validateStoryboardMessage({ type: 'storyboard', action: 'assemble' }, has), { type: 'storyboard', action: 'assemble' });
    assert.ok(validateStoryboardMessage({ type: 'clip', action: 'generate', clipId: '#5' }, has));
    for (const bad of [
      { type: 'clip', action: 'generate', clipId: 'c9' },
      { type: 'clip', action: 'remove', clipId: 'c1' },
      { type: 'storyboard', action: 'deleteAll' },
      { type: 'command', command: 'workbench.action.terminal.new' },
      { type: 'clip', action: 'generate', clipId: 'x'.repeat(100) },
      null,
      'ready',
    ]) {
      assert.equal(validateStoryboardMessage(bad, has), undefined, JSON.stringify(bad));
    }
  });
});
