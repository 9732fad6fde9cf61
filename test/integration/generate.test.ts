import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { call, out, serverFixture, TEST_KEY, text } from './harness';

function isMp4(file: string): boolean {
  return readFileSync(file).subarray(4, 8).toString('latin1') === 'ftyp';
}

describe('stdio server: generation end to end against the simulator', function () {
  this.timeout(300_000);
  // 30× rather than 120×: at 120× a request that a busy machine holds up 0.75 s is 90 simulated seconds,
  // which spends a create's whole retry budget, and a generation lasts 0.75 s, short enough to be missed.
  // At 30× both take 3 real seconds (a job about 8 s).
  const f = serverFixture({ JUXIN_PROGRESS_KEEPALIVE_MS: '300' }, { timeScale: 30 });

  it('lists every tool with a title, a description, schemas and annotations', async () => {
    const { tools } = await f.server.client.listTools();
    const names = tools.map((t) => t.name).sort();
    assert.deepEqual(names, [
      'assemble_storyboard',
      'create_character',
      'create_storyboard',
      'download_video',
      'generate_storyboard',
      'generate_video',
      'get_video_status',
      'list_models',
      'list_videos',
      'remix_video',
      'wait_for_video',
    ]);
    for (const tool of tools) {
      assert.ok(tool.title, `${tool.name} has a title`);
      assert.ok((tool.description ?? '').length > 60, `${tool.name} has a useful description`);
      assert.ok(tool.outputSchema, `${tool.name} has an output schema`);
      assert.ok(tool.annotations, `${tool.name} has annotations`);
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    assert.equal(byName.list_videos.annotations?.readOnlyHint, true);
    assert.equal(byName.get_video_status.annotations?.readOnlyHint, true);
    assert.equal(byName.generate_video.annotations?.readOnlyHint, false);
    assert.equal(byName.generate_storyboard.annotations?.openWorldHint, true);
    assert.equal(byName.create_storyboard.annotations?.openWorldHint, false);
    assert.equal(byName.generate_video.execution?.taskSupport, 'optional');
    assert.match(byName.generate_video.description!, /Chinese/);
    assert.match(byName.generate_video.description!, /minutes/);
  });

  it('generates with progress that never goes backwards, downloads a real MP4 and returns everything', async () => {
    const { result, progress } = await call(f.server.client, 'generate_video', {
      prompt: '一只猫在樱花下弹钢琴 a cat playing piano',
      orientation: 'portrait',
      duration: 15,
    });
    assert.ok(!result.isError, text(result));
    const o = out(result);
    assert.equal(o.status, 'completed');
    assert.equal(o.progress, 100);
    assert.equal(o.download_state, 'done');
    // The relay's own /content route or its storage host (another origin), as the real relay serves them.
    assert.ok(
      [`${f.sim.url}/v1/videos/`, `${f.sim.storageUrl}/sora/`].some((at) => o.video_url?.startsWith(at)),
      o.video_url,
    );
    assert.ok(o.local_path && existsSync(o.local_path), 'the MP4 is on disk');
    assert.ok(isMp4(o.local_path!));
    assert.ok(statSync(o.local_path!).size > 10_000);
    assert.match(o.local_path!, /一只猫在樱花下弹钢琴/, 'file name carries the prompt slug');
    assert.deepEqual(
      {
        model: o.params.model,
        orientation: o.params.orientation,
        size: o.params.size,
        duration: o.params.duration,
        private: o.params.private,
        watermark: o.params.watermark,
      },
      { model: 'sora-2', orientation: 'portrait', size: 'small', duration: 15, private: true, watermark: false },
    );

    assert.ok(progress.length >= 4, `got ${progress.length} progress notifications`);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].progress > progress[i - 1].progress, `progress increases at ${i}`);
    const messages = progress.map((p) => p.message ?? '');
    assert.ok(
      messages.some((m) => m.startsWith('queued')),
      messages.join(' | '),
    );
    assert.ok(
      messages.some((m) => /^generating \d+%$/.test(m)),
      messages.join(' | '),
    );

    const links = result.content.filter((c) => c.type === 'resource_link');
    assert.ok(links.some((l) => l.type === 'resource_link' && l.uri.startsWith('file://') && l.mimeType === 'video/mp4'));
    const taskLink = links.find((l) => l.type === 'resource_link' && l.uri.startsWith('juxin-sora://'));
    assert.ok(taskLink && taskLink.type === 'resource_link');

    const { resources } = await f.server.client.listResources();
    assert.ok(resources.some((r) => r.uri === taskLink.uri));
    const read = await f.server.client.readResource({ uri: taskLink.uri });
    const first = read.contents[0];
    assert.ok(first && 'text' in first);
    assert.equal(JSON.parse(first.text as string).task_id, o.task_id);
    assert.ok(!f.server.stderr().includes(TEST_KEY), 'the key never reaches the log');
  });

  it('wait:false returns at once; get_video_status and wait_for_video follow the task', async () => {
    const { result } = await call(f.server.client, 'generate_video', { prompt: 'waves on a beach', wait: false });
    const started = out(result);
    assert.ok(['queued', 'processing'].includes(started.status));
    assert.equal(started.download_state, 'none');

    const status = out((await call(f.server.client, 'get_video_status', { task_id: started.task_id })).result);
    assert.equal(status.task_id, started.task_id);

    // timeout_seconds is on the server's (simulated, 30×) clock: 1800 s is 60 s here.
    const { result: waited, progress } = await call(f.server.client, 'wait_for_video', { task_id: started.task_id, timeout_seconds: 1800 });
    assert.equal(out(waited).status, 'completed');
    assert.ok(out(waited).local_path);
    assert.ok(progress.length >= 1);

    const list = (await call(f.server.client, 'list_videos', { limit: 5 })).result;
    const tasks = (list.structuredContent as { tasks: { task_id: string }[] }).tasks;
    assert.deepEqual(
      tasks.map((t) => t.task_id),
      [started.task_id],
    );
  });

  it('times out with the running task, keeps the client alive with keep-alives, and says to call wait_for_video', async () => {
    // 90 simulated seconds are 3 real seconds at 30×; keep-alives run on real time.
    const { result, progress } = await call(f.server.client, 'generate_video', { prompt: 'a slow one #sim:never', timeout_seconds: 90 });
    const o = out(result);
    assert.equal(o.timed_out, true);
    assert.ok(['queued', 'processing'].includes(o.status));
    assert.match(text(result), /wait_for_video/);
    // Nothing changes after "queued", yet the client heard from us: keep-alives (the same words, a hair
    // higher). How many fit in the 3 real seconds depends on the machine's speed, so it is printed, not asserted.
    const keepAlives = progress.filter((p, i) => i > 0 && p.message === progress[i - 1].message).length;
    assert.ok(keepAlives >= 1, `no keep-alive among ${progress.length} notifications: ${progress.map((p) => p.message).join(' | ')}`);
    console.log(`      ${keepAlives} keep-alives (every 300 ms) in a wait of 90 simulated seconds`);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].progress > progress[i - 1].progress);
  });

  it('reports a moderation failure with its reason, as a tool error', async () => {
    const { result } = await call(f.server.client, 'generate_video', { prompt: 'a famous actor #sim:moderation' });
    assert.equal(result.isError, true);
    const o = out(result);
    assert.equal(o.status, 'failed');
    assert.ok(o.error && o.error.length > 10);
    assert.doesNotMatch(o.error!, /no reason given/);
  });

  it('reports a failure without a reason as "no reason given"', async () => {
    const { result } = await call(f.server.client, 'generate_video', { prompt: 'mystery #sim:fail-no-reason' });
    assert.equal(out(result).status, 'failed');
    assert.match(out(result).error!, /no reason given/);
  });

  it('survives 429 with Retry-After, 5xx and HTML pages while polling', async () => {
    f.sim.faults.add({ kind: 'rate_limit', on: 'query', times: 2, retryAfterSeconds: 1 });
    f.sim.faults.add({ kind: 'server_error', on: 'query', times: 2, status: 502 });
    f.sim.faults.add({ kind: 'html_200', on: 'query', times: 2 });
    const { result } = await call(f.server.client, 'generate_video', { prompt: 'robust polling' });
    assert.equal(out(result).status, 'completed', text(result));
    assert.ok(out(result).local_path);
    const statuses = f.sim.requests.filter((r) => r.path.includes('query')).map((r) => r.status);
    assert.ok(statuses.includes(429) && statuses.includes(502), `statuses seen: ${statuses.join(',')}`);
  });

  it('resumes a download cut in the middle and saves a whole MP4', async () => {
    const { result } = await call(f.server.client, 'generate_video', { prompt: 'cut transfer #sim:cut' });
    const o = out(result);
    assert.equal(o.download_state, 'done', text(result));
    assert.ok(isMp4(o.local_path!));
    const downloads = f.sim.requests.filter((r) => r.target === 'download' && r.taskId === o.task_id);
    assert.ok(downloads.length >= 2, 'a second request resumed the transfer');
  });

  it('marks an expired video link and explains what to do', async () => {
    const { result } = await call(f.server.client, 'generate_video', { prompt: 'too late #sim:expired' });
    const o = out(result);
    assert.equal(o.status, 'completed');
    assert.equal(o.download_state, 'expired');
    assert.match(o.error!, /download_video/);
  });

  it('does not retry a create that failed upstream (it may have been billed), and says to check list_videos', async () => {
    f.sim.faults.add({ kind: 'server_error', on: 'create', times: 1, status: 502 });
    const { result } = await call(f.server.client, 'generate_video', { prompt: 'pay once' });
    assert.equal(result.isError, true);
    assert.match(text(result), /list_videos/);
    assert.equal(f.sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/video/create').length, 1);
  });

  it('retries a create rejected with 429 (nothing was billed) and completes', async () => {
    f.sim.faults.add({ kind: 'rate_limit', on: 'create', times: 1, retryAfterSeconds: 1 });
    const { result } = await call(f.server.client, 'generate_video', { prompt: 'retry me', wait: false });
    assert.ok(!result.isError, text(result));
    assert.equal(f.sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/video/create').length, 2);
  });

  it('stops waiting at once when the call is cancelled, while the task is still tracked and downloaded', async () => {
    const controller = new AbortController();
    let firstProgress!: () => void;
    const progressed = new Promise<void>((resolve) => (firstProgress = resolve));
    const pending = f.server.client.callTool({ name: 'generate_video', arguments: { prompt: 'cancel the wait' } }, CallToolResultSchema, {
      signal: controller.signal,
      onprogress: () => firstProgress(),
      timeout: 60_000,
    });
    await progressed;
    controller.abort();
    // Ended by the abort: had the call waited for the video, it would have resolved with it instead.
    await assert.rejects(pending);

    // The task goes on: find it in the history and wait for it.
    const list = (await call(f.server.client, 'list_videos', {})).result;
    const [task] = (list.structuredContent as { tasks: { task_id: string }[] }).tasks;
    assert.ok(task, 'the task is in the history');
    const waited = out((await call(f.server.client, 'wait_for_video', { task_id: task.task_id, timeout_seconds: 1800 })).result);
    assert.equal(waited.status, 'completed');
    assert.equal(waited.download_state, 'done');
  });
});
