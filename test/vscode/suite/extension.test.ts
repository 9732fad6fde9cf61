import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SoraExtensionApi } from '../../../src/extension/extension';

const EXTENSION_ID = 'juxin-sora.juxin-sora';
const KEY = process.env.JUXIN_TEST_KEY!;
const SIM = process.env.JUXIN_SIM_URL!;

let api: SoraExtensionApi;

async function waitUntil<T>(check: () => T | undefined | false | Promise<T | undefined | false>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Juxin Sora in a real VS Code', function () {
  this.timeout(120_000);

  before(async () => {
    assert.ok(KEY && SIM, 'the harness passes JUXIN_TEST_KEY and JUXIN_SIM_URL');
    if (vscode.workspace.getConfiguration('juxinSora').get('baseUrl') !== SIM) {
      await vscode.workspace.getConfiguration('juxinSora').update('baseUrl', SIM, vscode.ConfigurationTarget.Global);
    }
    const ext = vscode.extensions.getExtension<SoraExtensionApi>(EXTENSION_ID);
    assert.ok(ext, 'the extension is installed from the .vsix');
    api = await ext.activate();
  });

  it('runs in VS Code 1.139 and activates quickly', () => {
    assert.match(vscode.version, /^1\.139\./);
    assert.ok(api.activationMs < 2000, `activation took ${api.activationMs.toFixed(0)} ms`);
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
    await vscode.commands.executeCommand('juxinSora.removeApiKey', { confirm: false });
    assert.equal(await api.hasApiKey(), false);
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

  it('generates from the command, tracks it, downloads the MP4 and opens the preview', async () => {
    const task = await vscode.commands.executeCommand<{ id: string }>('juxinSora.generateVideo', {
      prompt: 'a lighthouse at dusk, waves crashing',
      orientation: 'portrait',
      duration: 10,
    });
    assert.ok(task?.id, 'the command returns the task');
    const done = await waitUntil(
      () => {
        const t = api.engine.get(task.id);
        return t?.download.state === 'done' ? t : undefined;
      },
      60_000,
      'the download',
    );
    assert.ok(done.download.localPath && existsSync(done.download.localPath));
    assert.equal(readFileSync(done.download.localPath).subarray(4, 8).toString('latin1'), 'ftyp');
    assert.ok(done.download.localPath.startsWith(api.videosDir()));
    await vscode.commands.executeCommand('juxinSora.openVideo', task.id);
    await waitUntil(() => api.openPreviewIds().includes(task.id), 10_000, 'the preview panel');
    const tab = await waitUntil(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('Sora: a lighthouse')),
      10_000,
      'a Sora preview tab',
    );
    assert.ok(tab.input instanceof vscode.TabInputWebview, 'the preview is a webview tab');
    // (Reading the clipboard back needs a browser permission headless chromium never grants.)
    const url = await vscode.commands.executeCommand<string>('juxinSora.copyVideoUrl', task.id);
    assert.ok(url?.startsWith(SIM));
    assert.equal(url, api.engine.get(task.id)?.videoUrl);
  });

  it("serves the same tools to VS Code's own MCP client, on the same engine (agent-mode path)", async () => {
    await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
    const tool = await waitUntil(
      () => vscode.lm.tools.find((t) => t.name.endsWith('generate_video') && t.name.includes('juxin')),
      60_000,
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
    const fromCopilot = await waitUntil(() => api.engine.list({}).find((t) => t.source === 'mcp'), 10_000, 'the MCP task in the extension engine');
    assert.equal(api.engine.list({}).length, before + 1, 'one engine: the task shows up where the sidebar looks');
    await waitUntil(() => api.engine.get(fromCopilot.id)?.download.state === 'done', 60_000, 'the MCP task to finish');
  });

  it('runs the task commands: download again, retry, remix rules, remove from history, getting started', async () => {
    const done = api.engine.list({}).find((t) => t.download.state === 'done' && t.source === 'vscode');
    assert.ok(done, 'a finished task from the palette');
    const saved = await vscode.commands.executeCommand<string>('juxinSora.downloadVideo', done.id);
    assert.equal(saved, api.engine.get(done.id)?.download.localPath);
    assert.ok(saved && existsSync(saved));

    // A private video can't be remixed: the command says so and creates nothing.
    const count = api.engine.list({}).length;
    assert.equal(await vscode.commands.executeCommand('juxinSora.remixVideo', done.id), undefined);
    assert.equal(api.engine.list({}).length, count);

    const retried = await vscode.commands.executeCommand<{ id: string; params: { prompt: string; orientation: string } }>('juxinSora.retry', done.id);
    assert.ok(retried && retried.id !== done.id, 'retry makes a new task');
    assert.equal(retried.params.prompt, done.params.prompt);
    assert.equal(retried.params.orientation, done.params.orientation, 'with the same parameters');

    const removed = await vscode.commands.executeCommand<string>('juxinSora.removeFromHistory', { taskId: retried.id, confirm: false });
    assert.equal(removed, retried.id);
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
    const task = await vscode.commands.executeCommand<{ id: string }>('juxinSora.generateVideo', {
      prompt: '<img src=x onerror=alert(1)> a cat playing piano',
    });
    assert.ok(task?.id);
    await vscode.commands.executeCommand('juxinSora.showVideos');
  });
});
