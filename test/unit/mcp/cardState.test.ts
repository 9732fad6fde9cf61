import assert from 'node:assert/strict';
import path from 'node:path';
import { MediaInfoCache } from '../../../src/core/mediaInfo';
import type { TaskRecord } from '../../../src/core/types';
import { cardActions, cardStateOf, chooseCardMedia, INLINE_VIDEO_LIMIT, videoUri } from '../../../src/mcp/apps/cardState';
import { GenerateCalls } from '../../../src/mcp/apps/generateCalls';
import { taskRecord } from '../../fixtures/tasks';

const API = 'http://127.0.0.1:8787';
const SAMPLE = path.resolve(__dirname, '../../../media/sample.mp4');
const saved = (patch: Partial<TaskRecord> = {}) =>
  taskRecord({
    id: 'sora-2:task_7',
    status: 'completed',
    progress: 100,
    videoUrl: 'https://cdn.example/v.mp4?sig=s',
    download: { state: 'done', localPath: SAMPLE, bytes: 130_125 },
    ...patch,
  });

describe('mcp/apps/cardState: what the card of a task is told', () => {
  it('sends a saved video as bytes up to the limit, and only the poster and the preview beyond it', () => {
    assert.deepEqual(chooseCardMedia(saved(), 130_125, API), { kind: 'inline', uri: videoUri('sora-2:task_7'), bytes: 130_125 });
    assert.equal(videoUri('sora-2:task_7'), 'juxin-sora://videos/sora-2%3Atask_7');
    assert.deepEqual(chooseCardMedia(saved(), INLINE_VIDEO_LIMIT + 1, API), { kind: 'tooLarge', bytes: INLINE_VIDEO_LIMIT + 1 });
  });

  it('plays from the video URL before the download only where the card CSP allows it', () => {
    const notSaved = (videoUrl: string) => saved({ videoUrl, download: { state: 'downloading' } });
    assert.deepEqual(chooseCardMedia(notSaved('https://cdn.example/v.mp4'), undefined, API), { kind: 'remote', url: 'https://cdn.example/v.mp4' });
    assert.deepEqual(chooseCardMedia(notSaved(`${API}/files/v.mp4`), undefined, API), { kind: 'remote', url: `${API}/files/v.mp4` });
    assert.equal(chooseCardMedia(notSaved('http://elsewhere.example/v.mp4'), undefined, API), undefined);
    assert.equal(chooseCardMedia(taskRecord({ status: 'processing' }), undefined, API), undefined);
  });

  it('offers an action only when the task allows it and the host can do it', () => {
    const all = { showVideo: () => 1, reveal: () => 1, copyUrl: () => 1, playExternally: () => 1, addToStoryboard: () => 1 };
    assert.deepEqual(cardActions(saved(), true, all), ['openPreview', 'reveal', 'copyUrl', 'playExternal', 'addToStoryboard']);
    assert.deepEqual(cardActions(saved(), true, {}), ['copyUrl'], 'the standalone server: copying works anywhere');
    assert.deepEqual(cardActions(taskRecord({ status: 'processing' }), false, all), []);
    assert.deepEqual(
      cardActions(saved({ download: { state: 'failed' } }), false, all),
      ['openPreview', 'copyUrl', 'addToStoryboard'],
      'no file: no reveal, no player',
    );
  });

  it('says whether the saved file has sound, and never hands over the path, the URL or a remix of a private video', async () => {
    const state = await cardStateOf(saved(), { baseUrl: API, chinese: false, hooks: {}, media: new MediaInfoCache() });
    assert.deepEqual(state.audio, { codec: 'aac', codecString: 'mp4a.40.2' });
    assert.equal(state.canRemix, false, 'private');
    const json = JSON.stringify(state);
    assert.ok(!json.includes(SAMPLE) && !json.includes('sig=s'));
    const gone = await cardStateOf(saved({ download: { state: 'done', localPath: '/nowhere/v.mp4' } }), {
      baseUrl: API,
      chinese: false,
      hooks: {},
      media: new MediaInfoCache(),
    });
    assert.deepEqual(gone.media, { kind: 'remote', url: 'https://cdn.example/v.mp4?sig=s' }, 'a deleted file: the URL, while it lasts');
    assert.equal(gone.audio, undefined);
    const huge = await cardStateOf(saved({ params: { ...saved().params, private: false } }), {
      baseUrl: API,
      chinese: false,
      hooks: {},
      media: new MediaInfoCache(),
      fileSize: async () => 40_000_000,
    });
    assert.deepEqual(huge.media, { kind: 'tooLarge', bytes: 40_000_000 });
    assert.equal(huge.canRemix, true);
  });
});

describe('mcp/apps/generateCalls: which task a running generate_video call made', () => {
  it('answers the newest call with the prompt, its task once created, its error if it failed', () => {
    const calls = new GenerateCalls(3);
    assert.equal(calls.find('a boat'), undefined);
    const first = calls.begin('a boat');
    first.created('t1');
    const second = calls.begin('  a boat ');
    assert.deepEqual(calls.find('a boat'), { prompt: 'a boat' }, 'the newest call, still creating');
    second.created('t2');
    assert.equal(calls.find('a boat ')?.taskId, 't2');
    calls.begin('no key').failed('No Juxin API key… 未配置聚鑫 API Key');
    assert.match(calls.find('no key')?.error ?? '', /未配置/);
    calls.begin('x');
    calls.begin('y');
    assert.equal(calls.find('a boat'), undefined, 'only the last few calls are kept');
  });
});
