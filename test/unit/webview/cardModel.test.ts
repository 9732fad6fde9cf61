import assert from 'node:assert/strict';
import { toCardView } from '../../../src/webview/card/cardModel';
import { CardFollower, POLL_MS, START_TIMEOUT_MS } from '../../../src/webview/card/follow';
import type { CardState } from '../../../src/webview/card/protocol';
import { cardStrings } from '../../../src/webview/card/strings';
import { completed, snapshot } from './helpers';

const en = cardStrings('en');
const zh = cardStrings('zh');
const playsAll = () => true;
const noAac = (codec: string) => !codec.startsWith('mp4a');
const ready = (patch: Partial<CardState> = {}): CardState => ({
  task: completed('done', { params: { ...snapshot().params, private: false } }),
  media: { kind: 'inline', uri: 'juxin-sora://videos/x', bytes: 3_000_000 },
  audio: { codec: 'aac', codecString: 'mp4a.40.2' },
  actions: ['openPreview', 'copyUrl', 'reveal', 'playExternal'],
  canRemix: true,
  ...patch,
});

describe('webview/card/cardModel: what the chat card shows', () => {
  it('shows the call itself while the task is being created, then the task', () => {
    const starting = toCardView(undefined, { prompt: 'a boat', model: 'sora-2-pro', orientation: 'portrait', duration: 15 }, en, playsAll);
    assert.equal(starting.statusText, 'Starting the generation…');
    assert.equal(starting.prompt, 'a boat');
    assert.equal(starting.params, 'Sora 2 Pro · 9:16 · 15 seconds', 'the older orientation reads as its aspect ratio');
    const veo = toCardView(undefined, { prompt: 'a boat', model: 'veo3.1-fast', aspect_ratio: '9:16', duration: 8 }, en, playsAll);
    assert.equal(veo.params, 'Veo 3.1 Fast · 9:16 · 8 seconds');
    assert.deepEqual(starting.progress, { value: undefined, label: 'Starting the generation…' });
    assert.equal(starting.settled, false);
    assert.equal(toCardView(undefined, { task_id: 'x' }, en, playsAll).statusText, 'Loading…', 'wait_for_video knows its task, it is not starting one');

    const running = toCardView({ task: snapshot({ status: 'processing', progress: 41.6 }), actions: [], canRemix: false }, {}, zh, playsAll);
    assert.equal(running.statusText, '生成中 · 42%');
    assert.equal(running.progress?.value, 42);
    assert.equal(running.settled, false);
    assert.deepEqual(running.buttons, []);
  });

  it('says why a generation did not start', () => {
    const view = toCardView({ startError: 'No Juxin API key… 未配置聚鑫 API Key', actions: [], canRemix: false }, { prompt: 'a boat' }, en, playsAll);
    assert.equal(view.statusText, 'The generation did not start.');
    assert.equal(view.failure, 'No Juxin API key… 未配置聚鑫 API Key');
    assert.equal(view.tone, 'error');
    assert.equal(view.settled, true);
  });

  it('says when the task left the history', () => {
    const view = toCardView({ missing: true, actions: [], canRemix: false }, { task_id: 'x' }, zh, playsAll);
    assert.equal(view.statusText, '这个视频已不在历史中。');
    assert.equal(view.progress, undefined);
    assert.equal(view.settled, true);
  });

  it('offers the preview, the URL, the file, remix; the system player only where the sound cannot play', () => {
    const here = toCardView(ready(), {}, en, playsAll);
    assert.equal(here.statusText, 'Ready');
    assert.equal(here.settled, true);
    assert.equal(here.silentHere, false);
    assert.equal(here.notice, undefined);
    assert.deepEqual(
      here.buttons.map((b) => b.action),
      ['openPreview', 'copyUrl', 'reveal', 'remix'],
    );
    assert.ok(
      here.buttons.every((b) => !b.primary),
      'the video plays in the card: no button pushes elsewhere',
    );

    const desktop = toCardView(ready(), {}, zh, noAac);
    assert.equal(desktop.silentHere, true);
    assert.match(desktop.notice ?? '', /AAC/);
    assert.deepEqual(
      desktop.buttons.find((b) => b.action === 'playExternal'),
      { action: 'playExternal', label: '用系统播放器播放', primary: true },
    );

    const noSound = toCardView(ready({ audio: undefined }), {}, en, noAac);
    assert.equal(noSound.silentHere, false, 'a silent video needs no note');
  });

  it('points to the preview for a video too large for the chat', () => {
    const view = toCardView(ready({ media: { kind: 'tooLarge', bytes: 40_000_000 } }), {}, en, noAac);
    assert.equal(view.notice, 'This video (40 MB) is too large to play in the chat: open it in the preview.');
    assert.equal(view.silentHere, false);
    assert.deepEqual(view.buttons[0], { action: 'openPreview', label: 'Open in Preview', primary: true });
  });

  it('gives a failure its reason and what to change, in the user language', () => {
    const failed = toCardView(
      { task: snapshot({ status: 'failed', failureReason: 'content moderation: real person' }), actions: [], canRemix: false },
      {},
      zh,
      playsAll,
    );
    assert.equal(failed.statusText, '失败');
    assert.equal(failed.failure, 'content moderation: real person');
    assert.match(failed.advice ?? '', /内容审核未通过/);
    assert.equal(failed.settled, true);
  });
});

describe('webview/card/follow: live progress by asking the server', () => {
  function harness(answers: (args: Record<string, unknown>) => unknown) {
    const timers: { fn: () => void; ms: number }[] = [];
    const asked: Record<string, unknown>[] = [];
    const states: CardState[] = [];
    let noAnswer = 0;
    const follower = new CardFollower({
      callTool: async (_name, args) => {
        asked.push(args);
        return answers(args);
      },
      setTimer: (fn, ms) => timers.push({ fn, ms }),
      clearTimer: () => undefined,
      onState: (s) => states.push(s),
      onNoAnswer: () => noAnswer++,
      lang: 'zh',
    });
    const tick = async () => {
      await new Promise((r) => setImmediate(r));
      const t = timers.shift();
      t?.fn();
      await new Promise((r) => setImmediate(r));
      return t;
    };
    return { follower, timers, asked, states, tick, noAnswer: () => noAnswer };
  }

  it('follows a call by its prompt until the task exists, then by id, and stops once it settles', async () => {
    let n = 0;
    const h = harness(() => {
      n++;
      if (n === 1) return { actions: [], canRemix: false };
      const status = n < 4 ? 'processing' : 'completed';
      return { task: completed(n < 4 ? 'none' : 'done', { id: 'sora-2:task_9', status }), actions: [], canRemix: false };
    });
    h.follower.followCall('a boat');
    await h.tick();
    assert.deepEqual(h.asked[0], { prompt: 'a boat', lang: 'zh' });
    for (let i = 0; i < 5; i++) await h.tick();
    assert.deepEqual(h.asked[1], { prompt: 'a boat', lang: 'zh' });
    assert.deepEqual(h.asked[2], { task_id: 'sora-2:task_9', lang: 'zh' }, 'once found, by id');
    assert.equal(h.asked.length, 4, 'no more asking once the video is saved');
    assert.equal(h.timers.length, 0);
    assert.equal(h.states.at(-1)?.task?.download.state, 'done');
  });

  it('asks every second and gives up on a call that never creates a task', async () => {
    const h = harness(() => ({ actions: [], canRemix: false }));
    h.follower.followCall('never');
    let ticks = 0;
    while (h.noAnswer() === 0 && ticks < 1000) {
      const t = await h.tick();
      if (t) assert.equal(t.ms, POLL_MS);
      ticks++;
    }
    assert.equal(h.noAnswer(), 1);
    assert.equal(h.asked.length, START_TIMEOUT_MS / POLL_MS);
  });

  it('keeps asking after a failed call (the connection blinked), and stops on teardown', async () => {
    let n = 0;
    const h = harness(() => {
      n++;
      if (n === 1) throw new Error('connection closed');
      return { task: snapshot({ status: 'processing', progress: 10 }), actions: [], canRemix: false };
    });
    h.follower.followTask('sora-2:task_1');
    await h.tick();
    assert.equal(h.asked.length, 2, 'asked again at the next tick');
    assert.equal(h.states.length, 1, 'the second ask answered');
    h.follower.stop();
    await h.tick();
    await h.tick();
    assert.equal(h.asked.length, 2);
  });
});
