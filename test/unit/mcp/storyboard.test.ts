// The storyboard tools over the SDK's in-memory transport, with the simulator in-process: a client
// creates a three-clip storyboard, generates it (distinct clips through #sim:clip-N markers) and
// assembles the film, which ffprobe then checks.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import type { VideoEngine } from '../../../src/core/engine';
import { isActive } from '../../../src/core/phase';
import { createSoraMcpServer } from '../../../src/mcp/server';
import { parseStoryboard, parseSrt } from '../../../src/storyboard';
import { EngineFixture } from '../../helpers/engine';
import { CLIP_LOOK, colourAt, probe, sameColour } from '../../integration/storyboard/media';
import { longSrt } from '../../fixtures/subtitles';

interface Structured<T> {
  content: CallToolResult['content'];
  isError?: boolean;
  structuredContent: T;
}

interface ClipOut {
  clip_id: string;
  title: string;
  number: number;
  status: string;
  status_text: string;
  task_id?: string;
  local_path?: string;
  error?: string;
}

const text = (r: Pick<CallToolResult, 'content'>) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

describe('mcp: storyboard tools (create, generate, assemble) end to end', function () {
  this.timeout(300_000);
  let f: EngineFixture;
  let work: string;
  let engine: VideoEngine;
  let client: Client;
  const cleanup: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'mcp-storyboard-work-'));
    f = await EngineFixture.create({ simulator: true, prefix: 'mcp-storyboard-home' });
    engine = await f.started({ minPollIntervalMs: 5000 });
    const server = createSoraMcpServer({
      engine,
      version: 'test',
      host: 'stdio',
      keepAliveMs: 60_000,
      // Written for sora-2: a user whose setting is sora-2. Without one, the default follows the models the key
      // can use once the server has read them (in the background, at start): Veo 3.1 fast on the simulator.
      defaults: { model: 'sora-2' },
      storyboards: { defaultDirectory: () => work, maxConcurrentClips: () => 2 },
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'Claude Desktop', version: '1.0.0' });
    await server.connect(a);
    await client.connect(b);
    cleanup.push(
      () => client.close(),
      () => server.close(),
      () => f.close(),
    );
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    rmSync(work, { recursive: true, force: true, maxRetries: 5 });
  });

  /** Calls a tool and lets simulated time pass until it answers (the SDK's timeout is real time: it only bounds a failure). */
  const call = async <T>(name: string, args: Record<string, unknown>, onprogress?: (p: Progress) => void) =>
    (await f.clock.run(client.callTool({ name, arguments: args }, undefined, { ...(onprogress && { onprogress }), timeout: 300_000 }), {
      what: name,
    })) as Structured<T>;

  const threeClips = {
    title: 'Rainy Night Café',
    style: 'cinematic, 35mm film grain',
    cast: [{ name: 'Mika', username: '@mikacafe.rainy' }],
    clips: [
      {
        title: 'Opening',
        prompt: 'Shot 1 (0–1.5 s, wide): a rainy street at night. Shot 2: @Mika by the window. #sim:clip-1',
        subtitles: [{ start: 0.5, end: 3.1, text: 'It rained all night.' }],
      },
      {
        title: 'The door',
        prompt: 'Shot 1: the café door, rain on the awning. #sim:clip-2',
        duration: 15,
        subtitles: [{ start: 1, end: 2.5, text: 'The bell rang.' }],
      },
      { title: 'Last cup', prompt: 'Shot 1: two cups on the counter. #sim:clip-3', subtitles: [{ start: 2, end: 4, text: 'Just the last cup.' }] },
    ],
  };

  it('creates, generates (progress across the clips, at most two in flight) and assembles a film that ffprobe agrees with', async () => {
    const created = await call<{ path: string; clips: { clip_id: string; duration: number }[]; film_path: string }>('create_storyboard', threeClips);
    assert.notEqual(created.isError, true, text(created));
    const file = created.structuredContent.path;
    assert.equal(path.dirname(file), work, 'written to the server default folder');
    assert.match(path.basename(file), /\.storyboard\.md$/);
    assert.deepEqual(
      created.structuredContent.clips.map((c) => [c.clip_id, c.duration]),
      [
        ['c1', 10],
        ['c2', 15],
        ['c3', 10],
      ],
    );
    const parsed = parseStoryboard(readFileSync(file, 'utf8'));
    assert.deepEqual(
      parsed.problems.filter((p) => p.severity === 'error'),
      [],
    );
    assert.deepEqual(parsed.storyboard.cast, [{ name: 'Mika', username: '@mikacafe.rainy' }]);

    let most = 0;
    engine.onDidChange(() => {
      const running = engine.list({}).filter((t) => t.storyboard && isActive(t)).length;
      most = Math.max(most, running);
    });
    const progress: Progress[] = [];
    const generated = await call<{ clips: ClipOut[]; started: string[]; counts: Record<string, number> }>('generate_storyboard', { file }, (p) =>
      progress.push(p),
    );
    assert.notEqual(generated.isError, true, text(generated));
    assert.deepEqual(generated.structuredContent.started, ['c1', 'c2', 'c3']);
    assert.deepEqual(
      generated.structuredContent.clips.map((c) => c.status),
      ['ready', 'ready', 'ready'],
    );
    assert.equal(most, 2, 'at most maxConcurrentClips clips in flight, and that many used');
    assert.ok(
      progress.some((p) => /clip \d\/3 generating \d+%/.test(p.message ?? '')),
      `aggregated progress: ${progress.map((p) => p.message).join(' | ')}`,
    );
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].progress > progress[i - 1].progress, 'progress only increases');

    const tasks = engine.list({});
    assert.equal(tasks.length, 3);
    for (const task of tasks) {
      assert.equal(task.origin?.kind, 'storyboard');
      assert.equal(task.origin?.client, 'Claude Desktop');
      assert.equal(task.origin?.storyboard, file, 'no workspace: the absolute path');
      assert.equal(task.storyboard?.file, file);
    }
    const c1 = tasks.find((t) => t.storyboard?.clipId === 'c1')!;
    assert.ok(c1.params.prompt.includes('@mikacafe.rainy') && c1.params.prompt.endsWith('cinematic, 35mm film grain'), c1.params.prompt);
    assert.equal(tasks.find((t) => t.storyboard?.clipId === 'c2')!.params.duration, 15);

    const again = await call<{ started: string[] }>('generate_storyboard', { file });
    assert.deepEqual(again.structuredContent.started, []);
    assert.match(text(again), /Nothing to generate/);
    assert.equal(engine.list({}).length, 3, 'nothing generated twice');

    const film = await call<{
      path: string;
      duration_seconds: number;
      method: string;
      clips: { clip_id: string; start_seconds: number }[];
      subtitles_path: string;
    }>('assemble_storyboard', { file });
    assert.notEqual(film.isError, true, text(film));
    assert.equal(film.structuredContent.path, created.structuredContent.film_path);
    assert.equal(film.structuredContent.method, 'remux');
    const expected = CLIP_LOOK['clip-1'].seconds + CLIP_LOOK['clip-2'].seconds + CLIP_LOOK['clip-3'].seconds;
    const info = probe(film.structuredContent.path);
    assert.ok(Math.abs(Number(info.format.duration) - expected) <= 0.1, `film ${info.format.duration} s, clips ${expected} s`);
    assert.ok(sameColour(colourAt(film.structuredContent.path, 12), CLIP_LOOK['clip-2'].rgb), 'the second clip shows second');
    assert.ok(
      film.content.some((c) => c.type === 'resource_link' && c.uri.startsWith('file:') && c.mimeType === 'video/mp4'),
      'a link to the film',
    );
    const cues = parseSrt(readFileSync(film.structuredContent.subtitles_path, 'utf8'));
    assert.deepEqual(
      cues.map((c) => [c.start, c.text]),
      [
        [500, 'It rained all night.'],
        [11_000, 'The bell rang.'],
        [27_000, 'Just the last cup.'],
      ],
    );
  });

  it('regenerates only the clip whose prompt changed, and retries a failed clip alone', async () => {
    const created = await call<{ path: string }>('create_storyboard', {
      ...threeClips,
      clips: [threeClips.clips[0], { ...threeClips.clips[1], prompt: 'the door #sim:moderation' }, threeClips.clips[2]],
    });
    const file = created.structuredContent.path;
    const first = await call<{ clips: ClipOut[] }>('generate_storyboard', { file });
    assert.notEqual(first.isError, true, 'one failed clip of three is not a failed call');
    assert.deepEqual(
      first.structuredContent.clips.map((c) => c.status),
      ['ready', 'failed', 'ready'],
    );
    assert.match(first.structuredContent.clips[1].error!, /clip_ids \["c2"\]/);

    const plain = await call<{ started: string[] }>('generate_storyboard', { file });
    assert.deepEqual(plain.structuredContent.started, [], 'a failed clip is retried only when asked for');

    const retry = await call<{ clips: ClipOut[]; started: string[] }>('generate_storyboard', { file, clip_ids: ['c2'] });
    assert.deepEqual(retry.structuredContent.started, ['c2'], 'retried alone when asked for');
    assert.equal(retry.isError, true, 'the only clip of this call failed again');
    assert.equal(retry.structuredContent.clips[1].status, 'failed');

    const edited = readFileSync(file, 'utf8').replace('the door #sim:moderation', 'the café door at night #sim:clip-2').replace('two cups', 'three cups');
    writeFileSync(file, edited);
    const second = await call<{ clips: ClipOut[]; started: string[] }>('generate_storyboard', { file, wait: false });
    assert.deepEqual(second.structuredContent.started, ['c2', 'c3'], 'the changed clips only (c1 is still up to date)');
    const done = await call<{ clips: ClipOut[]; started: string[] }>('generate_storyboard', { file });
    assert.deepEqual(done.structuredContent.started, [], 'waiting again starts nothing');
    assert.deepEqual(
      done.structuredContent.clips.map((c) => c.status),
      ['ready', 'ready', 'ready'],
    );
    assert.equal(engine.list({}).length, 6, 'three first takes, the retry, and the two changed clips');
  });

  it('says which clip asked for a model this key cannot use, in both languages, never as temporary; the other clips go on', async () => {
    const created = await call<{ path: string }>('create_storyboard', {
      ...threeClips,
      clips: [threeClips.clips[0], { ...threeClips.clips[1], prompt: 'the door #sim:model-not-found' }, threeClips.clips[2]],
    });
    const result = await call<{ clips: ClipOut[] }>('generate_storyboard', { file: created.structuredContent.path });
    const said = result.structuredContent.clips[1].error ?? '';
    assert.match(said, /This API key cannot use the model sora-2/);
    assert.match(said, /无法使用模型 sora-2/);
    assert.match(said, /retired upstream on 2026-09-24/);
    assert.doesNotMatch(said, /usually temporary|通常是暂时的/);
    assert.deepEqual(
      result.structuredContent.clips.map((c) => c.status),
      ['ready', 'missing', 'ready'],
      'the refused clip is not generated (nothing was created), the others were made',
    );
    assert.equal(engine.list({}).length, 2, 'no task for the refused clip');
  });

  it('refuses bad input clearly, in English and Chinese, and writes nothing', async () => {
    const bad = await call('create_storyboard', { ...threeClips, clips: [{ ...threeClips.clips[0], duration: 12 }] });
    assert.equal(bad.isError, true);
    assert.match(text(bad), /duration 12 is not available for sora-2/);
    assert.match(text(bad), /不支持 12 秒/);
    assert.deepEqual(readdirSync(work), [], 'no file written');

    const relative = await call('generate_storyboard', { file: 'film.storyboard.md' });
    assert.equal(relative.isError, true);
    assert.match(text(relative), /absolute path/);
    assert.match(text(relative), /绝对路径/);

    const missing = await call('assemble_storyboard', { file: path.join(work, 'nope.storyboard.md') });
    assert.equal(missing.isError, true);
    assert.match(text(missing), /There is no storyboard/);

    const created = await call<{ path: string }>('create_storyboard', threeClips);
    assert.notEqual(created.isError, true, text(created));
    const unknown = await call('generate_storyboard', { file: created.structuredContent.path, clip_ids: ['c9'] });
    assert.equal(unknown.isError, true);
    assert.match(text(unknown), /no clip c9: its clips are c1, c2, c3/);

    const nothingReady = await call('assemble_storyboard', { file: created.structuredContent.path });
    assert.equal(nothingReady.isError, true);
    assert.match(text(nothingReady), /No clip is ready yet/);
    assert.ok(!existsSync(created.structuredContent.path.replace(/\.storyboard\.md$/, '.mp4')), 'no film');
    assert.equal(engine.list({}).length, 0, 'nothing was generated');
  });

  it('drafts the clips from an .srt and never overwrites an existing storyboard', async () => {
    const srt = path.join(work, 'cafe.srt');
    writeFileSync(srt, '1\n00:00:00,500 --> 00:00:03,000\nIt rained all night.\n\n2\n00:00:30,000 --> 00:00:32,000\nThe bell rang.\n');
    const first = await call<{ path: string; clips: { clip_id: string }[] }>('create_storyboard', { title: 'Café', subtitles_file: srt });
    assert.notEqual(first.isError, true, text(first));
    assert.equal(first.structuredContent.clips.length, 2, 'lines 30 s apart make two clips');
    const second = await call<{ path: string }>('create_storyboard', { title: 'Café', subtitles_file: srt });
    assert.notEqual(second.structuredContent.path, first.structuredContent.path);
    assert.match(second.structuredContent.path, /caf[ée]-2\.storyboard\.md$/);
    const parsed = parseStoryboard(readFileSync(first.structuredContent.path, 'utf8'));
    assert.equal(parsed.storyboard.subtitles, 'cafe.srt');
    assert.equal(parsed.storyboard.clips[1].prompt.trim(), 'The bell rang.');
  });

  it('refuses an .srt that would make more than 200 clips, saying so in both languages, and writes nothing', async () => {
    const srt = path.join(work, 'marathon.srt');
    writeFileSync(srt, longSrt(20_000));
    const refused = await call('create_storyboard', { title: 'Marathon', subtitles_file: srt });
    assert.equal(refused.isError, true);
    assert.match(text(refused), /3334 clips, but a storyboard has at most 200/);
    assert.match(text(refused), /最多 200 个/);
    assert.deepEqual(readdirSync(work), ['marathon.srt'], 'no storyboard written');
  });

  it('creates, generates and assembles a two-clip veo3.1-fast storyboard: 8 s clips, its aspect ratio and a first frame sent', async () => {
    const created = await call<{ path: string; clips: { clip_id: string; duration: number }[] }>('create_storyboard', {
      title: 'Veo café',
      model: 'veo3.1-fast',
      aspect_ratio: '16:9',
      clips: [
        { title: 'Street', prompt: 'A rainy street at night, neon in the puddles.', first_frame: 'https://example.com/street.png' },
        { title: 'Door', prompt: 'The café door opens; a bell rings.', subtitles: [{ start: 1, end: 2.5, text: 'The bell rang.' }] },
      ],
    });
    assert.notEqual(created.isError, true, text(created));
    assert.deepEqual(
      created.structuredContent.clips.map((c) => [c.clip_id, c.duration]),
      [
        ['c1', 8],
        ['c2', 8],
      ],
    );
    const file = created.structuredContent.path;
    const written = readFileSync(file, 'utf8');
    assert.match(written, /^model: veo3\.1-fast$/m);
    assert.match(written, /^first_frame: https:\/\/example\.com\/street\.png$/m);
    assert.deepEqual(parseStoryboard(written).problems, []);

    const generated = await call<{ clips: ClipOut[]; started: string[] }>('generate_storyboard', { file });
    assert.notEqual(generated.isError, true, text(generated));
    assert.deepEqual(generated.structuredContent.started, ['c1', 'c2']);
    assert.deepEqual(
      generated.structuredContent.clips.map((c) => c.status),
      ['ready', 'ready'],
    );
    const tasks = engine.list({});
    assert.deepEqual(
      tasks
        .map((t) => [t.storyboard?.clipId, t.params.model, t.params.aspectRatio, t.params.duration, t.params.firstFrame])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [
        ['c1', 'veo3.1-fast', '16:9', 8, 'https://example.com/street.png'],
        ['c2', 'veo3.1-fast', '16:9', 8, undefined],
      ],
    );

    const film = await call<{ path: string; method: string; duration_seconds: number }>('assemble_storyboard', { file });
    assert.notEqual(film.isError, true, text(film));
    const clipSeconds = generated.structuredContent.clips.map((c) => Number(probe(c.local_path!).format.duration));
    const info = probe(film.structuredContent.path);
    const expected = clipSeconds[0] + clipSeconds[1];
    assert.ok(Math.abs(Number(info.format.duration) - expected) <= 0.1, `film ${info.format.duration} s, clips ${expected} s`);
  });

  it('offers the storyboard_from_script prompt with the shot rules', async () => {
    const { prompts } = await client.listPrompts();
    assert.ok(prompts.some((p) => p.name === 'storyboard_from_script'));
    const en = await client.getPrompt({ name: 'storyboard_from_script', arguments: { script: '1\n00:00:01,000 --> 00:00:03,000\nHello.\n' } });
    const body = (en.messages[0].content as { text: string }).text;
    assert.match(body, /4 to 6 shots/);
    assert.match(body, /create_storyboard/);
    assert.match(body, /at most 15 s/);
    const zh = await client.getPrompt({ name: 'storyboard_from_script', arguments: { script: '雨下了一整夜。', model: 'sora-2-pro' } });
    const bodyZh = (zh.messages[0].content as { text: string }).text;
    assert.match(bodyZh, /4 到 6 个镜头/);
    assert.match(bodyZh, /不超过 25 秒/);
  });
});
