// Storyboards inside a real VS Code (run by test/vscode/run.mjs against the simulator): the commands,
// diagnostics, CodeLens, `@` completion, a clip generated and joined, the storyboard view's page.
// Playwright (test/vscode/e2e/storyboard.mjs) then drives the whole flow in the workbench.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SoraExtensionApi } from '../../../src/extension/extension';
import { answering } from './dialogs';
import { PNG } from './fixtures';
import { UI_DEADLINE_MS, VIDEO_DEADLINE_MS, waitUntil } from '../../helpers/wait';

const EXTENSION_ID = 'juxin-sora.juxin-sora';
const KEY = process.env.JUXIN_TEST_KEY!;

const lensTitles = async (uri: vscode.Uri) =>
  ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).map((l) => l.command?.title ?? '');

describe('storyboards in a real VS Code', function () {
  // Deadlines inside (test/helpers/wait.cjs) say what a failure waited for; this only bounds the whole test.
  this.timeout(600_000);
  let api: SoraExtensionApi;
  let folder: string;
  const opened: vscode.Uri[] = [];

  before(async () => {
    api = await vscode.extensions.getExtension<SoraExtensionApi>(EXTENSION_ID)!.activate();
    // Activation does not wait for the history; the suite works on all of it.
    await api.engine.whenReady();
    if (!(await api.hasApiKey())) await vscode.commands.executeCommand('juxinSora.setApiKey', KEY);
    folder = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'in-host-storyboards');
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(folder));
  });

  // Leave the workbench as the Playwright tests expect it: none of our editors or views open.
  after(async () => {
    const ours = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter(
        (t) =>
          (t.input instanceof vscode.TabInputText && opened.some((u) => u.toString() === (t.input as vscode.TabInputText).uri.toString())) ||
          (t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('juxinSora.storyboard')),
      );
    await vscode.window.tabGroups.close(ours);
  });

  it('contributes the storyboard commands and the characters view', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of [
      'storyboard.newFromSubtitles',
      'storyboard.new',
      'storyboard.writeShots',
      'storyboard.generateAll',
      'storyboard.generateClip',
      'storyboard.assemble',
      'storyboard.playClip',
      'storyboard.playAll',
      'storyboard.open',
      'characters.copy',
      'characters.addToCast',
    ]) {
      assert.ok(all.includes(`juxinSora.${id}`), `juxinSora.${id}`);
    }
    // (Not focused here: an expanded view would stay expanded in the gallery's window on this profile.)
    const views = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.views['juxin-sora'] as {
      id: string;
      visibility?: string;
      when?: string;
    }[];
    const characters = views.find((v) => v.id === 'juxinSora.characters');
    assert.deepEqual(
      [characters?.visibility, characters?.when],
      ['collapsed', 'juxinSora.showCharacters'],
      'below the videos, collapsed, once there are characters or a storyboard is open',
    );
  });

  it('drafts a storyboard from an .srt beside it, with the clips cut by time, and opens it', async () => {
    const srt = path.join(folder, 'harbour.srt');
    writeFileSync(srt, '1\n00:00:01,000 --> 00:00:03,000\nThe boats came in at dawn.\n\n2\n00:00:40,000 --> 00:00:42,500\nNobody was waiting.\n');
    const file = await vscode.commands.executeCommand<string>('juxinSora.storyboard.newFromSubtitles', vscode.Uri.file(srt), { model: 'veo3.1-fast' });
    assert.equal(file, path.join(folder, 'harbour.storyboard.md'));
    opened.push(vscode.Uri.file(file));
    const text = readFileSync(file, 'utf8');
    // The model's own settings: Veo's ratio and resolution, its 8 s clips.
    assert.match(text, /^---\ntitle: harbour\nmodel: veo3\.1-fast\n/);
    assert.match(text, /^aspect_ratio: "?16:9"?$/m);
    assert.match(text, /^resolution: 720p$/m);
    assert.match(text, /^duration: 8$/m);
    assert.match(text, /subtitles: harbour\.srt/);
    assert.equal((text.match(/^## .*\{#c\d+\}$/gm) ?? []).length, 2, 'lines 39 s apart are two clips');
    await waitUntil(() => vscode.window.activeTextEditor?.document.uri.fsPath === file, UI_DEADLINE_MS, 'the draft open in an editor');
    const titles = await waitUntil(
      async () => {
        const t = await lensTitles(vscode.Uri.file(file));
        return t.some((x) => x.includes('Generate All (2)')) && t;
      },
      UI_DEADLINE_MS,
      'the CodeLens',
    );
    assert.ok(titles.filter((t) => t.includes('not generated')).length === 2, titles.join(' | '));
    assert.ok(
      titles.some((t) => t.includes('Write the Shots with Copilot')),
      'the drafts can be written with Copilot',
    );
  });

  it('writes the shots of each draft clip with the language model the editor offers, keeping the subtitles, as an undoable edit', async () => {
    // Offline there is no Copilot: the harness's test extension (test/vscode/chat) offers a scripted
    // model, which answers a request without tools with one sentence. Without any model the drafts
    // stay and the person is told so (src/extension/storyboard/copilot.ts).
    const models = await vscode.lm.selectChatModels();
    assert.ok(models.length, 'the harness offers a language model');
    const file = vscode.Uri.file(path.join(folder, 'harbour.storyboard.md'));
    const before = readFileSync(file.fsPath, 'utf8');
    const result = await vscode.commands.executeCommand<{ written: string[]; noModel?: boolean }>('juxinSora.storyboard.writeShots', file);
    assert.deepEqual(result, { written: ['c1', 'c2'] });
    const doc = await vscode.workspace.openTextDocument(file);
    const after = doc.getText();
    assert.notEqual(after, before);
    assert.doesNotMatch(after.split('> ')[0], /^The boats came in at dawn\.$/m, 'the draft prompt was replaced');
    assert.match(after, /^> 00:00\.500 --> 00:02\.500 The boats came in at dawn\.$/m, 'the subtitles stay');
    assert.equal((after.match(/^## .*\{#c\d\}$/gm) ?? []).length, 2, 'the clips and their ids stay');
    assert.ok(doc.isDirty, 'an edit in the editor (undoable), not a write behind its back');
    await doc.save();
  });

  it('reports the problems of a storyboard at their lines, and completes @ with the cast', async () => {
    const file = path.join(folder, 'broken.storyboard.md');
    writeFileSync(
      file,
      '---\ntitle: Broken\ncast:\n  Mika: "@mikacafe.rainy"\n---\n## One {#c1}\nduration: 12\nShot 1: @Mika at the window.\n## Two {#c1}\nShot 1: a door.\n',
    );
    const uri = vscode.Uri.file(file);
    opened.push(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diagnostics = await waitUntil(
      () => {
        const d = vscode.languages.getDiagnostics(uri);
        return d.length >= 2 && d;
      },
      UI_DEADLINE_MS,
      'the diagnostics',
    );
    const duration = diagnostics.find((d) => d.message.includes('duration 12'));
    assert.ok(duration, diagnostics.map((d) => d.message).join(' | '));
    assert.equal(duration.range.start.line, 6);
    assert.equal(duration.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(!duration.message.startsWith('Line '), 'the Problems panel gives the line itself');
    assert.ok(
      diagnostics.some((d) => d.range.start.line === 8 && /c1/.test(d.message)),
      'the repeated id, at the second heading',
    );

    // Right after the "@" of "@Mika" (line 8 of the file).
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      new vscode.Position(7, 9),
      '@',
    );
    const labels = completions.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('@Mika'), labels.join(', '));
  });

  it('flags a retired model in a storyboard and switches it with the Quick Fix, after which the file is clean', async () => {
    const file = path.join(folder, 'old-sora.storyboard.md');
    writeFileSync(file, '---\ntitle: Old\nmodel: sora-2\n---\n## One {#c1}\nShot 1: a harbour at dawn.\n');
    const uri = vscode.Uri.file(file);
    opened.push(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const retired = await waitUntil(
      () => vscode.languages.getDiagnostics(uri).find((d) => /retired/.test(d.message)),
      UI_DEADLINE_MS,
      'the retired-model warning',
    );
    assert.equal(retired.range.start.line, 2, 'at the model line');
    assert.equal(retired.severity, vscode.DiagnosticSeverity.Warning, 'a warning: the file still opens and its videos still join');
    assert.match(retired.message, /sora-2 \(Sora 2\) was retired on 2026-09-24: .*veo3\.1-fast/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      retired.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title === 'Switch the model to veo3.1-fast');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(fix.isPreferred);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.lineAt(2).text, 'model: veo3.1-fast');
    assert.ok(doc.isDirty, 'an edit in the editor (undoable)');
    await waitUntil(() => vscode.languages.getDiagnostics(uri).length === 0, UI_DEADLINE_MS, 'no problem left once the model is switched');
    await doc.save();
  });

  it('generates one clip, records its storyboard and clip, shows it ready, and joins the film', async () => {
    const file = path.join(folder, 'lighthouse.storyboard.md');
    writeFileSync(
      file,
      '---\ntitle: Lighthouse\nmodel: veo3.1-fast\naspect_ratio: "16:9"\nstyle: "cinematic #sim:clip-3"\n---\n## Dusk\nShot 1 (0–2 s, wide): a lighthouse at dusk.\n\n> 00:01.000 --> 00:03.000 The light came on.\n',
    );
    const uri = vscode.Uri.file(file);
    opened.push(uri);
    await vscode.window.showTextDocument(uri);
    const started = await vscode.commands.executeCommand<string[]>('juxinSora.storyboard.generateClip', uri, '#1');
    assert.deepEqual(started, ['c1'], 'the clip got its id, then its task');
    assert.match(readFileSync(file, 'utf8'), /^## Dusk \{#c1\}$/m, 'the id is saved in the file');
    const task = await waitUntil(
      () => api.engine.list({}).find((t) => t.storyboard?.clipId === 'c1' && t.storyboard.file.endsWith('lighthouse.storyboard.md')),
      UI_DEADLINE_MS,
      'the task',
    );
    // The file's real path, as every process names it (the standalone server has no workspace to be relative to).
    assert.equal(task.storyboard!.file, realpathSync(file), 'the real path');
    assert.deepEqual(task.origin, { kind: 'storyboard', storyboard: realpathSync(file), host: 'vscode' });
    assert.ok(task.params.prompt.endsWith('cinematic #sim:clip-3'), 'the style string is sent');
    await vscode.commands.executeCommand('juxinSora.storyboard.open', uri);
    await waitUntil(async () => (await lensTitles(uri)).some((t) => /generating \d+%|queued/.test(t)), UI_DEADLINE_MS, 'a live status in the CodeLens');
    await waitUntil(() => api.engine.get(task.id)?.download.state === 'done', VIDEO_DEADLINE_MS, 'the clip to be saved');
    await waitUntil(async () => (await lensTitles(uri)).some((t) => t.includes('ready')), UI_DEADLINE_MS, 'ready in the CodeLens');
    const html = await waitUntil(
      () => {
        const h = api.storyboardViewHtml(file);
        return h?.includes('&quot;kind&quot;:&quot;ready&quot;') && h;
      },
      UI_DEADLINE_MS,
      'the storyboard view showing the clip ready',
    );
    assert.match(html, /default-src &#39;none&#39;|default-src 'none'/);
    assert.doesNotMatch(html, /unsafe-inline/);
    const videoSrc = /&quot;video&quot;:&quot;([^&]+)&quot;/.exec(html)?.[1];
    assert.match(videoSrc ?? '', /^https?:\/\//, `the clip's video as a webview URI, never a file path: ${videoSrc}`);

    const film = await vscode.commands.executeCommand<string>('juxinSora.storyboard.assemble', uri, { confirm: false });
    // A name of its own beside the storyboard: never the person's lighthouse.mp4 or lighthouse.srt.
    assert.equal(film, path.join(folder, 'lighthouse.film.mp4'));
    assert.ok(existsSync(film));
    assert.match(readFileSync(path.join(folder, 'lighthouse.film.srt'), 'utf8'), /00:00:01,000 --> 00:00:03,000\nThe light came on\./);
    await waitUntil(() => api.storyboardViewHtml(file)?.includes('lighthouse.film.mp4'), UI_DEADLINE_MS, 'the film in the storyboard view');
  });

  it('adds a finished video of the history as a new clip (the chat card\'s "Add to Storyboard"): ready at once, joined into the film, never twice', async () => {
    const file = path.join(folder, 'lighthouse.storyboard.md');
    const uri = vscode.Uri.file(file);
    const video = api.engine
      .list({})
      .find(
        (t) =>
          t.status === 'completed' &&
          t.download.state === 'done' &&
          !t.storyboard &&
          t.params.model === 'veo3.1-fast' &&
          t.params.orientation === 'landscape' &&
          t.params.size === 'small',
      );
    assert.ok(video, "a finished landscape video of the storyboard's model (veo3.1-fast) made by the earlier suites");
    const firstFilm = statSync(path.join(folder, 'lighthouse.film.mp4')).size;
    const added = await vscode.commands.executeCommand<{ file: string; clipId: string }>('juxinSora.storyboard.addVideo', video.id, uri);
    assert.deepEqual(added, { file, clipId: 'c2' });
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^## .+ \{#c2\}$/m, 'a new clip at the end, with the next id');
    assert.ok(text.includes(video.params.prompt.split('\n')[0].trim()), "the clip's prompt is the video's");
    assert.equal(api.engine.get(video.id)?.storyboard?.clipId, 'c2', 'the history links the video to the clip');
    await waitUntil(async () => (await lensTitles(uri)).some((t) => t.includes('2 of 2 clips ready')), UI_DEADLINE_MS, 'both clips ready in the CodeLens');
    // Assembled again: the film this window wrote is replaced (it is recorded as ours).
    const film = await vscode.commands.executeCommand<string>('juxinSora.storyboard.assemble', uri, { confirm: false });
    assert.equal(film, path.join(folder, 'lighthouse.film.mp4'));
    assert.ok(statSync(film).size > firstFilm * 1.5, `the film now holds both clips (${firstFilm} → ${statSync(film).size} bytes)`);

    const again = await vscode.commands.executeCommand('juxinSora.storyboard.addVideo', video.id, uri);
    assert.equal(again, undefined, 'a video is one clip of one storyboard');
    assert.equal(readFileSync(file, 'utf8'), text, 'nothing added the second time');
  });

  it("asks before a storyboard's clip uploads images from a folder outside the workspace, as for Copilot's generate_video; a no starts nothing", async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'juxin-storyboard-images-'));
    writeFileSync(path.join(outside, 'me.png'), PNG);
    const file = path.join(folder, 'private-photo.storyboard.md');
    writeFileSync(file, `---\ntitle: Photo\nmodel: sora-2\n---\n## One\nimages: ${path.join(outside, 'me.png')}\nShot 1: the photo comes alive.\n`);
    const uri = vscode.Uri.file(file);
    opened.push(uri);
    const refused = await answering('Cancel', () => vscode.commands.executeCommand<string[]>('juxinSora.storyboard.generateClip', uri, '#1'));
    assert.equal(refused.dialogs.length, 1, `asked once; dialogs: ${refused.seen}`);
    assert.ok(refused.dialogs[0].message.includes('private-photo.storyboard.md') && refused.dialogs[0].message.includes(outside), refused.dialogs[0].message);
    assert.deepEqual(refused.result, [], 'no clip started');
    // (Counted by this clip's words: a task of an earlier test may still land in the history meanwhile.)
    assert.deepEqual(
      api.engine.list({}).filter((t) => t.params.prompt.includes('the photo comes alive')),
      [],
      'nothing was sent',
    );
  });

  it("lets VS Code's MCP client (Copilot's path) write a storyboard into the workspace and opens it", async () => {
    await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
    const tool = await waitUntil(
      () => vscode.lm.tools.find((t) => t.name.endsWith('create_storyboard') && t.name.includes('juxin')),
      VIDEO_DEADLINE_MS,
      'create_storyboard in vscode.lm.tools',
    );
    const result = await vscode.lm.invokeTool(tool.name, {
      input: { title: 'Copilot Harbour', clips: [{ title: 'Dawn', prompt: 'Shot 1 (0–2 s, wide): a harbour at dawn, boats coming in.' }] },
      toolInvocationToken: undefined,
    });
    const text = result.content.map((c) => (c instanceof vscode.LanguageModelTextPart ? c.value : '')).join(' ');
    const file = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'copilot-harbour.storyboard.md');
    assert.ok(text.includes(file), text);
    opened.push(vscode.Uri.file(file));
    assert.match(readFileSync(file, 'utf8'), /^## Dawn \{#c1\}$/m);
    await waitUntil(() => vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === file), UI_DEADLINE_MS, 'the storyboard opened for the person');
  });

  it('adds a character of the history to the cast of a storyboard', async () => {
    const file = vscode.Uri.file(path.join(folder, 'lighthouse.storyboard.md'));
    const name = await vscode.commands.executeCommand<string>('juxinSora.characters.addToCast', 'keeper.oldcoat', file, 'Keeper');
    assert.equal(name, 'Keeper');
    const doc = await vscode.workspace.openTextDocument(file);
    assert.match(doc.getText(), /cast:\n {2}Keeper: "@keeper\.oldcoat"/);
    await doc.save();
  });
});
