import assert from 'node:assert/strict';
import { PlayQueue, clipActions, playList, toClipCard, toHeader } from '../../../src/webview/model/filmstrip';
import { STORYBOARD_STRINGS, clip, page } from './storyboardHelpers';

describe('webview/model: the storyboard view (filmstrip, header, play queue)', () => {
  it('offers per clip what its status allows: generate, regenerate, retry, download, play', () => {
    assert.deepEqual(clipActions({ kind: 'missing' }, false), ['generate']);
    assert.deepEqual(clipActions({ kind: 'ready' }, true), ['play', 'regenerate']);
    assert.deepEqual(clipActions({ kind: 'outdated' }, true), ['play', 'regenerate'], 'the earlier video still plays');
    assert.deepEqual(clipActions({ kind: 'failed', reason: 'x' }, false), ['retry']);
    assert.deepEqual(clipActions({ kind: 'notSaved', reason: 'x' }, false), ['download', 'retry']);
    assert.deepEqual(clipActions({ kind: 'generating', progress: 40 }, false), [], 'nothing that would start it twice');
    assert.deepEqual(clipActions({ kind: 'invalid' }, false), []);
  });

  it('words a card: heading, length, status, a bar while it runs, a poster from its own video first', () => {
    const running = toClipCard(clip({ status: { kind: 'generating', progress: 42 }, thumbnail: 'https://cdn.example/t.webp' }), STORYBOARD_STRINGS);
    assert.equal(running.heading, '1. Opening');
    assert.equal(running.duration, '10 s');
    assert.equal(running.statusText, 'generating 42%');
    assert.equal(running.tone, 'running');
    assert.deepEqual(running.progress, { value: 42 });
    assert.deepEqual(running.actions, ['reveal']);
    assert.deepEqual(running.poster, { kind: 'image', src: 'https://cdn.example/t.webp' });
    assert.deepEqual(toClipCard(clip({ status: { kind: 'queued' } }), STORYBOARD_STRINGS).progress, { value: undefined }, 'a bar without a percentage');

    const ready = toClipCard(
      clip({ number: 2, title: '', status: { kind: 'ready' }, video: 'https://file.vscode-resource/c2.mp4', thumbnail: 'https://x/t.webp' }),
      STORYBOARD_STRINGS,
    );
    assert.equal(ready.heading, '2. Clip 2');
    assert.equal(ready.progress, undefined);
    assert.equal(ready.primary, 'play');
    assert.deepEqual(ready.poster, { kind: 'video', src: 'https://file.vscode-resource/c2.mp4' });
    assert.equal(toClipCard(clip(), STORYBOARD_STRINGS).primary, 'generate');
    assert.equal(toClipCard(clip({ status: { kind: 'failed', reason: '' } }), STORYBOARD_STRINGS).statusText, 'failed: no reason given');
    assert.deepEqual(toClipCard(clip(), STORYBOARD_STRINGS).poster, { kind: 'none' });
  });

  it('sums up the storyboard and enables only what can run', () => {
    const state = page(
      [
        clip({ status: { kind: 'ready' }, video: 'v1' }),
        clip({ id: 'c2', number: 2 }),
        clip({ id: 'c3', number: 3, status: { kind: 'outdated' }, video: 'v3' }),
      ],
      {
        errors: 2,
      },
    );
    const header = toHeader(state, STORYBOARD_STRINGS);
    assert.equal(header.summary, '1 of 3 clips ready');
    assert.equal(header.problems, '2 problem(s)');
    assert.deepEqual(header.generateAll, { label: 'Generate All (1)', enabled: true });
    assert.equal(header.assembleEnabled, true);
    assert.equal(header.playAllEnabled, true);
    assert.equal(header.film, undefined);
    const empty = toHeader(page([], { film: { src: 'f', name: 'rain.mp4' } }), STORYBOARD_STRINGS);
    assert.equal(empty.empty, 'No clips yet');
    assert.deepEqual([empty.assembleEnabled, empty.playAllEnabled, empty.generateAll.enabled], [false, false, false]);
    assert.deepEqual(empty.film, { label: 'Film: rain.mp4' });
  });

  it('plays every clip that has a video, in order, preloading the next one', () => {
    const state = page([
      clip({ id: 'c1', video: 'v1', status: { kind: 'ready' } }),
      clip({ id: 'c2', number: 2 }),
      clip({ id: 'c3', number: 3, video: 'v3', status: { kind: 'outdated' } }),
      clip({ id: 'c4', number: 4, video: 'v4', status: { kind: 'ready' } }),
    ]);
    assert.deepEqual(
      playList(state).map((i) => i.clipId),
      ['c1', 'c3', 'c4'],
    );
    const queue = PlayQueue.from(state);
    assert.deepEqual([queue.current?.src, queue.upcoming?.src, queue.label(STORYBOARD_STRINGS)], ['v1', 'v3', 'Playing clip 1 of 3']);
    assert.equal(queue.next()?.src, 'v3');
    assert.equal(queue.upcoming?.src, 'v4');
    assert.equal(queue.label(STORYBOARD_STRINGS), 'Playing clip 2 of 3');
    assert.equal(queue.next()?.src, 'v4');
    assert.equal(queue.upcoming, undefined);
    assert.equal(queue.next(), undefined, 'the end');
    assert.equal(queue.next(), undefined);
    assert.equal(PlayQueue.from(state, 'c3').current?.clipId, 'c3', 'play on from a clip');
    assert.equal(PlayQueue.from(page([clip()])).current, undefined);
  });
});
