import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SoraExtensionApi } from '../../../src/extension/extension';
import { answering } from './dialogs';
import { PNG } from './fixtures';
import { UI_DEADLINE_MS, VIDEO_DEADLINE_MS, waitUntil } from '../../helpers/wait';

const EXTENSION_ID = 'juxin-sora.juxin-sora';
const KEY = process.env.JUXIN_TEST_KEY!;
const SIM = process.env.JUXIN_SIM_URL!;

let api: SoraExtensionApi;

/** Calls one of our MCP tools the way Copilot's agent mode does; the text it answered. */
async function invokeSoraTool(name: string, input: Record<string, unknown>): Promise<string> {
  const tool = vscode.lm.tools.find((t) => t.name.endsWith(name) && t.name.includes('juxin'));
  assert.ok(tool, `the ${name} tool is listed`);
  try {
    const result = await vscode.lm.invokeTool(tool.name, { input, toolInvocationToken: undefined });
    return result.content.map((c) => (c instanceof vscode.LanguageModelTextPart ? c.value : '')).join(' ');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Changes the base URL setting and resolves once the extension has seen the change: listeners run in
 * the order they were added, and the extension's was added at its activation, before this one.
 */
async function setBaseUrl(url: string): Promise<void> {
  if (vscode.workspace.getConfiguration('juxinSora').get('baseUrl') === url) return;
  let seen = false;
  const listener = vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration('juxinSora.baseUrl')) return;
    seen = true;
    listener.dispose();
  });
  await vscode.workspace.getConfiguration('juxinSora').update('baseUrl', url, vscode.ConfigurationTarget.Global);
  await waitUntil(() => seen, UI_DEADLINE_MS, 'the base URL change to reach the extension');
}

async function simRequests(): Promise<number> {
  const r = await fetch(`${SIM}/__sim/requests`);
  return ((await r.json()) as { requests: unknown[] }).requests.filter((x) => (x as { path: string }).path.startsWith('/v1')).length;
}

describe('Juxin Sora in a real VS Code', function () {
  // Deadlines inside (test/helpers/wait.cjs) say what a failure waited for; this only bounds the whole test.
  this.timeout(600_000);

  before(async () => {
    assert.ok(KEY && SIM, 'the harness passes JUXIN_TEST_KEY and JUXIN_SIM_URL');
    if (vscode.workspace.getConfiguration('juxinSora').get('baseUrl') !== SIM) {
      await vscode.workspace.getConfiguration('juxinSora').update('baseUrl', SIM, vscode.ConfigurationTarget.Global);
    }
    const ext = vscode.extensions.getExtension<SoraExtensionApi>(EXTENSION_ID);
    assert.ok(ext, 'the extension is installed from the .vsix');
    api = await ext.activate();
    // Activation does not wait for the history; the suite works on all of it.
    await api.engine.whenReady();
  });

  it('runs in VS Code 1.139, and says how long its activation took', () => {
    assert.match(vscode.version, /^1\.139\./);
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs > 0, `activation measured: ${api.activationMs}`);
    // A figure, not a bound: on a busy machine everything takes longer (the harness prints it).
    (globalThis as { juxinTestMetrics?: Record<string, string> }).juxinTestMetrics!.activation = `${api.activationMs.toFixed(0)} ms`;
  });

  it('contributes every command', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of [
      'setApiKey',
      'removeApiKey',
      'generateVideo',
      'showVideos',
      'openVideo',
      'downloadVideo',
      'copyVideoUrl',
      'revealInOS',
      'remixVideo',
      'createCharacter',
      'openGettingStarted',
    ]) {
      assert.ok(all.includes(`juxinSora.${id}`), `juxinSora.${id}`);
    }
  });

  it('keeps the key in SecretStorage: set, remove, set again; never in settings', async () => {
    assert.equal(await api.hasApiKey(), false, 'a fresh profile has no key');
    await vscode.commands.executeCommand('juxinSora.setApiKey', KEY);
    assert.equal(await api.hasApiKey(), true);
    try {
      // `{ confirm: false }` from another extension does not skip the question.
      const kept = await answering('Cancel', () => vscode.commands.executeCommand('juxinSora.removeApiKey', { confirm: false }));
      assert.equal(kept.dialogs.length, 1, 'asked');
      assert.equal(await api.hasApiKey(), true, 'Cancel keeps the key');
      const removed = await answering('Remove Key', () => vscode.commands.executeCommand('juxinSora.removeApiKey', { confirm: false }));
      assert.equal(removed.dialogs.length, 1);
      assert.equal(await api.hasApiKey(), false);
    } finally {
      // Whatever happened above, the later tests need the key.
      if (!(await api.hasApiKey())) await vscode.commands.executeCommand('juxinSora.setApiKey', KEY);
    }
    await vscode.commands.executeCommand('juxinSora.setApiKey', KEY);
    assert.equal(await api.hasApiKey(), true);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('juxinSora')).includes(KEY), 'not in settings');
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('juxinSora.setApiKey', 'not a key')));
  });

  it('describes the MCP server on 127.0.0.1 with a secret header that is not the key', async () => {
    const [definition] = await api.mcpDefinitions();
    assert.ok(definition instanceof vscode.McpHttpServerDefinition);
    assert.equal(definition.label, 'Juxin Sora');
    assert.match(definition.uri.toString(), /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const visible = JSON.stringify({ label: definition.label, uri: definition.uri.toString(), headers: definition.headers, version: definition.version });
    assert.ok(!visible.includes(KEY), 'the key is not in the definition');
    assert.ok(
      Object.values(definition.headers).some((v) => v.length >= 32),
      'a per-session secret header',
    );
    const resolved = await api.resolveMcp(definition);
    assert.equal(resolved, definition, 'with a key, resolution asks nothing');
  });

  it('asks before a paid generation another extension or a link requests, naming what it costs; Cancel sends nothing', async () => {
    const before = api.engine.list({}).length;
    // The command checks the model against the relay's list of what this key can use (free, cached for
    // minutes) before it asks: read here first, so that what follows sends nothing at all.
    await api.engine.models();
    const sent = await simRequests();
    const { result, dialogs } = await answering('Cancel', () =>
      vscode.commands.executeCommand('juxinSora.generateVideo', { prompt: 'a command: link asked for this', model: 'sora-2-pro', duration: 25 }),
    );
    assert.equal(result, undefined);
    assert.equal(dialogs.length, 1, 'one modal question');
    assert.match(dialogs[0].message, /paid video generation/);
    assert.match(dialogs[0].detail, /1 video: Sora 2 Pro · 16:9 · 25 s\./, 'the model by name, its aspect ratio and length');
    assert.match(dialogs[0].detail, /a command: link asked for this/);
    assert.equal(api.engine.list({}).length, before, 'no task');
    assert.equal(await simRequests(), sent, 'nothing sent');
    const refused = await answering('Cancel', () => vscode.commands.executeCommand('juxinSora.generateVideo', { prompt: 'x', skipQuestions: true }));
    assert.equal(refused.result, undefined);
    assert.deepEqual(refused.dialogs, [], 'an argument of the wrong shape is refused without a question');
    assert.equal(api.engine.list({}).length, before);
  });

  it('generates from the command, tracks it, downloads the MP4 and opens the preview', async () => {
    const { result: task, dialogs } = await answering('Generate (paid)', () =>
      vscode.commands.executeCommand<{ id: string }>('juxinSora.generateVideo', {
        prompt: 'a lighthouse at dusk, waves crashing',
        aspectRatio: '9:16',
      }),
    );
    assert.equal(dialogs.length, 1, 'confirmed first: the call came from another extension (this test)');
    // No model named: the default, the first of the preference list this key can use (Veo 3.1 fast, 8 s fixed).
    assert.match(dialogs[0].detail, /1 video: Veo 3\.1 Fast · 9:16 · 8 s\./, 'the model by name, the portrait aspect ratio and the length');
    assert.ok(task?.id, 'the command returns the task');
    const done = await waitUntil(
      () => {
        const t = api.engine.get(task.id);
        return t?.download.state === 'done' ? t : undefined;
      },
      VIDEO_DEADLINE_MS,
      'the download',
    );
    assert.ok(done.download.localPath && existsSync(done.download.localPath));
    assert.equal(readFileSync(done.download.localPath).subarray(4, 8).toString('latin1'), 'ftyp');
    assert.ok(done.download.localPath.startsWith(api.videosDir()));
    await vscode.commands.executeCommand('juxinSora.openVideo', task.id);
    await waitUntil(() => api.openPreviewIds().includes(task.id), UI_DEADLINE_MS, 'the preview panel');
    const tab = await waitUntil(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('AI Video: a lighthouse')),
      UI_DEADLINE_MS,
      'a preview tab',
    );
    assert.ok(tab.input instanceof vscode.TabInputWebview, 'the preview is a webview tab');
    // (Reading the clipboard back needs a browser permission headless chromium never grants.)
    const url = await vscode.commands.executeCommand<string>('juxinSora.copyVideoUrl', task.id);
    assert.equal(url, api.engine.get(task.id)?.videoUrl);
    // Where the relay put it: its own key-guarded /content route, or its storage host (another origin).
    const { tasks } = (await (await fetch(`${SIM}/__sim/tasks`)).json()) as { tasks: { id: string; wire: { video: string; file: string } }[] };
    const wire = tasks.find((t) => t.id === task.id)!.wire;
    if (wire.video === 'storage') {
      assert.match(url!, new RegExp(`^http://127\\.0\\.0\\.1:\\d+/sora/${wire.file}\\.mp4$`));
      assert.notEqual(new URL(url!).origin, new URL(SIM).origin);
    } else {
      assert.equal(url, `${SIM}/v1/videos/${encodeURIComponent(task.id)}/content`);
    }
  });

  it("serves the same tools to VS Code's own MCP client, on the same engine (agent-mode path)", async () => {
    // Right after start-up VS Code may not know our server definition yet: ask again until the tools come.
    let asked = 0;
    const tool = await waitUntil(
      () => {
        const found = vscode.lm.tools.find((t) => t.name.endsWith('generate_video') && t.name.includes('juxin'));
        if (!found && Date.now() - asked > 5000) {
          asked = Date.now();
          void vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
        }
        return found;
      },
      VIDEO_DEADLINE_MS,
      'the MCP tools in vscode.lm.tools',
    );
    const names = vscode.lm.tools.filter((t) => t.name.includes('juxin')).map((t) => t.name);
    for (const n of ['get_video_status', 'wait_for_video', 'list_videos', 'download_video', 'remix_video', 'create_character'])
      assert.ok(
        names.some((x) => x.endsWith(n)),
        n,
      );
    const before = api.engine.list({}).length;
    const result = await vscode.lm.invokeTool(tool.name, {
      input: { prompt: 'Copilot asked for this: a paper boat on a rainy street', wait: false },
      toolInvocationToken: undefined,
    });
    const text = result.content.map((c) => (c instanceof vscode.LanguageModelTextPart ? c.value : '')).join(' ');
    assert.match(text, /"task_id"|Task /, 'the tool answered with the task');
    const fromCopilot = await waitUntil(() => api.engine.list({}).find((t) => t.source === 'mcp'), UI_DEADLINE_MS, 'the MCP task in the extension engine');
    assert.equal(api.engine.list({}).length, before + 1, 'one engine: the task shows up where the sidebar looks');
    await waitUntil(() => api.engine.get(fromCopilot.id)?.download.state === 'done', VIDEO_DEADLINE_MS, 'the MCP task to finish');
  });

  it("gives Copilot's calls the defaults of the settings, and says them in the tool's description", async () => {
    const config = vscode.workspace.getConfiguration('juxinSora');
    await config.update('defaultModel', 'sora-2-pro', vscode.ConfigurationTarget.Global);
    await config.update('defaultDuration', 25, vscode.ConfigurationTarget.Global);
    await config.update('defaultOrientation', 'portrait', vscode.ConfigurationTarget.Global);
    try {
      // A settings change makes a new server definition; VS Code knows it once the tool's description
      // states the new defaults (asked to start the server now and then until it does): only then call it.
      let asked = 0;
      await waitUntil(
        () => {
          const described = vscode.lm.tools.find((t) => t.name.endsWith('generate_video') && /Defaults: sora-2-pro, portrait, small, 25 s/.test(t.description));
          if (!described && Date.now() - asked > 5000) {
            asked = Date.now();
            void vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
          }
          return described;
        },
        UI_DEADLINE_MS,
        "the tool's description to state the settings",
      );
      const known = new Set(api.engine.list({}).map((t) => t.id));
      const text = await invokeSoraTool('generate_video', { prompt: 'settings reach Copilot: a koi pond', wait: false });
      const task = await waitUntil(() => api.engine.list({}).find((t) => !known.has(t.id)), UI_DEADLINE_MS, `the new task (${text})`);
      assert.deepEqual([task.params.model, task.params.duration, task.params.orientation], ['sora-2-pro', 25, 'portrait']);
    } finally {
      await config.update('defaultModel', undefined, vscode.ConfigurationTarget.Global);
      await config.update('defaultDuration', undefined, vscode.ConfigurationTarget.Global);
      await config.update('defaultOrientation', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('says plainly when the key cannot use a model, in both languages, in the result Copilot and the chat card get', async () => {
    const before = api.engine.list({}).length;
    const creates = async () => {
      const { requests } = (await (await fetch(`${SIM}/__sim/requests`)).json()) as { requests: { method: string; path: string }[] };
      return requests.filter((r) => r.method === 'POST' || r.path === '/v1/models').map((r) => `${r.method} ${r.path}`);
    };
    const sent = await creates();
    // About Sora itself (retired upstream): named, since the default is no longer Sora.
    const text = await invokeSoraTool('generate_video', {
      prompt: 'Copilot asked for a model the key cannot use #sim:model-not-found',
      model: 'sora-2',
      wait: false,
    });
    assert.match(text, /This API key cannot use the model sora-2 \(group default\)/, text);
    assert.match(text, /此 API Key 无法使用模型 sora-2（分组 default）/);
    assert.match(text, /Sora 2 was retired upstream on 2026-09-24/);
    assert.match(text, /Video models this key can use: .*veo3\.1-fast/);
    assert.doesNotMatch(text, /usually temporary|通常是暂时的/);
    assert.equal(api.engine.list({}).length, before, 'no task');
    const after = (await creates()).slice(sent.length);
    // The models list is asked again once its answer is older than its age (5 minutes, real time: a slow
    // run gets there): before the create, that refresh at most.
    const create = after.indexOf('POST /v1/video/create');
    assert.ok(create === 0 || (create === 1 && after[0] === 'GET /v1/models'), `before the create, at most the list's own refresh: ${after.join(', ')}`);
    assert.deepEqual(after.slice(create), ['POST /v1/video/create', 'GET /v1/models'], 'one create, refused, then the model list: nothing retried');
  });

  it('asks before Copilot uploads images from a folder outside the workspace; inside it, nothing is asked', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'juxin-images-'));
    writeFileSync(path.join(outside, 'cat.png'), PNG);
    const before = api.engine.list({}).length;
    const refused = await answering('Cancel', () =>
      invokeSoraTool('generate_video', { prompt: 'animate my cat', images: [path.join(outside, 'cat.png')], wait: false }),
    );
    assert.equal(refused.dialogs.length, 1, `asked; the tool answered: ${refused.result}; dialogs: ${refused.seen}`);
    assert.ok(refused.dialogs[0].message.includes(outside), refused.dialogs[0].message);
    assert.match(refused.result, /did not allow/);
    assert.equal(api.engine.list({}).length, before, 'nothing was sent');

    const pics = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'pics');
    mkdirSync(pics, { recursive: true });
    writeFileSync(path.join(pics, 'cat.png'), PNG);
    const inside = await answering('Cancel', () =>
      invokeSoraTool('generate_video', { prompt: 'animate my cat', images: [path.join(pics, 'cat.png')], wait: false }),
    );
    assert.deepEqual(inside.dialogs, [], 'the workspace is where the person works');
    // (The upload itself once hung here: VS Code's extension host could not send a streamed multipart body.)
    const task = await waitUntil(
      () => api.engine.list({}).find((t) => t.params.prompt === 'animate my cat'),
      UI_DEADLINE_MS,
      `the task from a workspace image (${inside.result})`,
    );
    assert.deepEqual(task.params.images, [path.join(pics, 'cat.png')]);
  });

  it('asks before Copilot saves a copy outside the workspace and the download folder, and never replaces a file', async () => {
    const done = await waitUntil(() => api.engine.list({}).find((t) => t.download.state === 'done'), VIDEO_DEADLINE_MS, 'a finished video');
    const outside = path.join(mkdtempSync(path.join(tmpdir(), 'juxin-copies-')), 'sora');
    const refused = await answering('Cancel', () => invokeSoraTool('download_video', { task_id: done.id, directory: outside }));
    assert.equal(refused.dialogs.length, 1, `one question; answered ${refused.result}; dialogs: ${refused.seen}`);
    assert.ok(refused.dialogs[0].message.includes(outside), refused.dialogs[0].message);
    assert.ok(!existsSync(outside), 'nothing was written');

    const exports = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'exports');
    mkdirSync(exports, { recursive: true });
    const name = path.basename(done.download.localPath!);
    writeFileSync(path.join(exports, name), 'a file of the same name');
    const inside = await answering('Cancel', () => invokeSoraTool('download_video', { task_id: done.id, directory: exports }));
    assert.deepEqual(inside.dialogs, []);
    assert.equal(readFileSync(path.join(exports, name), 'utf8'), 'a file of the same name', 'not replaced');
    assert.equal(readdirSync(exports).length, 2, inside.result);
    assert.match(inside.result, /copied.to/, `the copy is named in the answer: ${inside.result}`);
  });

  it('sends nothing to a base URL with credentials in it, and never repeats them', async () => {
    const bad = SIM.replace('http://', 'http://user:secretpass@');
    await setBaseUrl(bad);
    try {
      const sent = await simRequests();
      const error = await api.engine.generate({ prompt: 'to a bad base URL' }, 'vscode').then(
        () => assert.fail('generated'),
        (e: unknown) => e as Error & { kind?: string },
      );
      assert.equal(error.kind, 'config');
      assert.ok(!error.message.includes('secretpass'), error.message);
      assert.equal(await simRequests(), sent, 'nothing sent');
    } finally {
      await setBaseUrl(SIM);
    }
  });

  it('runs the task commands: download again, retry, remix rules, remove from history, getting started', async () => {
    const done = api.engine.list({}).find((t) => t.download.state === 'done' && t.source === 'vscode');
    assert.ok(done, 'a finished task from the palette');
    const saved = await vscode.commands.executeCommand<string>('juxinSora.downloadVideo', done.id);
    assert.equal(saved, api.engine.get(done.id)?.download.localPath);
    assert.ok(saved && existsSync(saved));

    // The palette's default model is Veo 3.1 fast, and only Sora videos can be remixed: the command says so
    // before asking for a change, and creates nothing.
    assert.equal(done.params.model, 'veo3.1-fast');
    const count = api.engine.list({}).length;
    const sentBefore = await simRequests();
    assert.equal(await vscode.commands.executeCommand('juxinSora.remixVideo', done.id), undefined);
    assert.equal(await vscode.commands.executeCommand('juxinSora.remixVideo', { taskId: done.id, prompt: 'make it purple' }), undefined);
    assert.equal(api.engine.list({}).length, count);
    assert.equal(await simRequests(), sentBefore, 'nothing sent');

    const {
      result: retried,
      dialogs,
      seen,
    } = await answering('Generate (paid)', () =>
      vscode.commands.executeCommand<{ id: string; params: { prompt: string; orientation: string } }>('juxinSora.retry', done.id),
    );
    assert.equal(dialogs.length, 1, `a retry asked for by another extension is confirmed; dialogs: ${seen}`);
    assert.ok(retried && retried.id !== done.id, 'retry makes a new task');
    assert.equal(retried.params.prompt, done.params.prompt);
    assert.equal(retried.params.orientation, done.params.orientation, 'with the same parameters');

    // `{ confirm: false }` does not skip the question.
    const kept = await answering('Cancel', () => vscode.commands.executeCommand<string>('juxinSora.removeFromHistory', { taskId: retried.id, confirm: false }));
    assert.equal(kept.dialogs.length, 1);
    assert.match(`${kept.dialogs[0].message} ${kept.dialogs[0].detail}`, /Remove this video from the history/);
    assert.equal(kept.result, undefined);
    assert.ok(api.engine.get(retried.id), 'Cancel keeps it');
    const removed = await answering('Remove', () =>
      vscode.commands.executeCommand<string>('juxinSora.removeFromHistory', { taskId: retried.id, confirm: false }),
    );
    assert.equal(removed.result, retried.id);
    assert.equal(api.engine.get(retried.id), undefined);

    await vscode.commands.executeCommand('juxinSora.openGettingStarted');
    await vscode.commands.executeCommand('juxinSora.showVideos');
  });

  it('keeps the history on disk, without the key', async () => {
    const home = process.env.JUXIN_SORA_HOME!;
    const files = readdirSync(path.join(home, 'tasks')).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 2);
    for (const f of files) assert.ok(!readFileSync(path.join(home, 'tasks', f), 'utf8').includes(KEY));
  });

  it('leaves a task for the workbench test: a prompt that must render as text', async () => {
    const { result: task } = await answering('Generate (paid)', () =>
      vscode.commands.executeCommand<{ id: string }>('juxinSora.generateVideo', {
        prompt: '<img src=x onerror=alert(1)> a cat playing piano',
      }),
    );
    assert.ok(task?.id);
    await vscode.commands.executeCommand('juxinSora.showVideos');
  });
});
