// The Videos view and the preview panel inside a real VS Code (run by test/vscode/run.mjs against the
// simulator). Playwright (test/vscode/e2e) then checks in the workbench that the video plays and the
// prompt renders as text; here we check what the extension hands to the pages.
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SoraExtensionApi } from '../../../src/extension/extension';
import { answering, leaveForWorkbench } from './dialogs';
import { UI_DEADLINE_MS, VIDEO_DEADLINE_MS, waitUntil } from '../../helpers/wait';

const EXTENSION_ID = 'juxin-sora.juxin-sora';
const KEY = process.env.JUXIN_TEST_KEY!;
const SIM = process.env.JUXIN_SIM_URL!;
// Breaks out of an attribute and out of text, if anything interpolated it unescaped.
const MALICIOUS = `"'><img src=x onerror=alert(1)><script>alert(2)</script> views test`;

/** The CSP of a page, its script nonce, and the markup outside the data- attributes. */
function inspect(html: string): { csp: Map<string, string>; nonce: string; markup: string } {
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(meta, 'a CSP meta tag');
  const csp = new Map(
    meta[1]
      .replace(/&#39;/g, "'")
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...sources]) => [name, sources.join(' ')] as [string, string]),
  );
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.equal(scripts.length, 1, 'one script');
  const nonce = /nonce="([A-Za-z0-9]+)"/.exec(scripts[0])?.[1];
  assert.ok(nonce && nonce.length >= 16, 'the script carries a long nonce');
  return { csp, nonce, markup: html.replace(/\sdata-[a-z]+="[^"]*"/g, '') };
}

function assertStrict(html: string): Map<string, string> {
  const { csp, nonce, markup } = inspect(html);
  assert.equal(csp.get('default-src'), "'none'");
  assert.equal(csp.get('script-src'), `'nonce-${nonce}'`, 'scripts only by this nonce');
  assert.ok(![...csp.values()].some((v) => /unsafe-inline|unsafe-eval|(^|\s)\*(\s|$)/.test(v)), `nothing unsafe: ${[...csp].join('; ')}`);
  assert.doesNotMatch(markup, /<[^>]*\son[a-z]+\s*=/i, 'no inline event handlers');
  assert.doesNotMatch(markup, /<script(?![^>]*\bsrc=)/, 'no inline script');
  return csp;
}

describe('Sora views in a real VS Code', function () {
  // Deadlines inside (test/helpers/wait.cjs) say what a failure waited for; this only bounds the whole test.
  this.timeout(600_000);
  let api: SoraExtensionApi;

  const opened: string[] = [];

  // Leave the workbench as the Playwright tests expect it: no preview of ours open, the list shown.
  after(async () => {
    const ours = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && opened.includes(t.label));
    await vscode.window.tabGroups.close(ours);
    await vscode.commands.executeCommand('juxinSora.showVideos');
  });

  before(async () => {
    assert.ok(KEY && SIM, 'the harness passes JUXIN_TEST_KEY and JUXIN_SIM_URL');
    if (vscode.workspace.getConfiguration('juxinSora').get('baseUrl') !== SIM) {
      await vscode.workspace.getConfiguration('juxinSora').update('baseUrl', SIM, vscode.ConfigurationTarget.Global);
    }
    api = await vscode.extensions.getExtension<SoraExtensionApi>(EXTENSION_ID)!.activate();
    // Activation does not wait for the history; the suite works on all of it.
    await api.engine.whenReady();
    if (!(await api.hasApiKey())) await vscode.commands.executeCommand('juxinSora.setApiKey', KEY);
  });

  it('resolves the Videos view with a strict CSP: our nonce script, images from https and the API only, no history in the page', async () => {
    await vscode.commands.executeCommand('juxinSora.showVideos');
    const html = await waitUntil(() => api.videosViewHtml(), UI_DEADLINE_MS, 'the Videos view to resolve');
    const csp = assertStrict(html);
    assert.equal(csp.get('media-src'), csp.get('style-src'), 'videos (on hover) only from the extension side: the download folder');
    const img = csp.get('img-src')!.split(' ');
    assert.ok(img.includes('https:') && img.includes(new URL(SIM).origin), `img-src ${img.join(' ')}`);
    assert.match(html, /data-strings="\{/);
    assert.match(html, /<link rel="stylesheet" id="vscode-codicon-stylesheet" href="[^"]+codicon\.css">/);
    const state = JSON.parse(decode(/data-state="([^"]*)"/.exec(html)![1])) as Record<string, unknown>;
    // The ledger (today and this month, a few numbers) comes with the page; the tasks never do.
    assert.deepEqual(Object.keys(state).sort(), ['counts', 'first', 'hasKey', 'spend'], 'the page gets its tasks by message, page by page');
    const first = state.first as { tasks: unknown[]; shape: { total: number } };
    assert.ok(first.tasks.length <= 50 && first.tasks.length === Math.min(50, first.shape.total), 'only the first page rides in the HTML');
    assert.ok(!html.includes(KEY), 'never the key');
  });

  it('opens the preview of a completed task: local file only, the prompt escaped in the initial data', async () => {
    const { result: created } = await answering('Generate (paid)', () =>
      // The default model (Veo 3.1 fast): its one length, 8 s.
      vscode.commands.executeCommand<{ id: string }>('juxinSora.generateVideo', { prompt: MALICIOUS }),
    );
    assert.ok(created?.id);
    const task = await waitUntil(
      () => {
        const t = api.engine.get(created.id);
        return t?.download.state === 'done' ? t : undefined;
      },
      VIDEO_DEADLINE_MS,
      'the download',
    );

    await vscode.commands.executeCommand('juxinSora.openVideo', task.id);
    opened.push(tabTitle(MALICIOUS));
    const html = await waitUntil(() => api.previewHtml(task.id), UI_DEADLINE_MS, 'the preview panel');
    const csp = assertStrict(html);
    const cspSource = csp.get('style-src')!;
    assert.equal(csp.get('media-src'), cspSource, 'a saved video plays from the extension side only, no remote origin');
    assert.ok(!html.includes('<img src=x') && !html.includes('<script>alert(2)'), 'the prompt never appears as markup');
    assert.ok(html.includes('&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt; views test'), 'escaped inside data-state');
    const state = JSON.parse(decode(/data-state="([^"]*)"/.exec(html)![1])) as { task: { prompt: string }; media: { src: string; local: boolean } };
    assert.equal(state.task.prompt, MALICIOUS, 'the page gets the prompt back exactly');
    assert.equal(state.media.local, true);
    assert.ok(coveredBy(state.media.src, cspSource), `a webview URI that "${cspSource}" covers, not a file path: ${state.media.src}`);
    assert.ok(!JSON.stringify(state).includes(task.videoUrl ?? '\u0000'), 'no video URL in the page once the file is saved');

    // The page may read the video and nothing beside it: its resource root holds that one file, even
    // when the download folder is a folder full of other things (the workbench test tries a sibling).
    const videos = path.dirname(task.download.localPath!);
    const sibling = path.join(videos, 'sibling-probe.mp4');
    copyFileSync(task.download.localPath!, sibling);
    assert.ok(readdirSync(videos).length >= 2);
    leaveForWorkbench('preview-probe', { sibling, prompt: MALICIOUS });
    const served = decodeURIComponent(new URL(state.media.src).pathname);
    assert.ok(!served.includes(videos), `served from its own folder, not ${videos}: ${served}`);

    // Opening it again reveals the same panel: one tab for the task.
    await vscode.commands.executeCommand('juxinSora.openVideo', task.id);
    const title = tabTitle(MALICIOUS);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label === title);
    await waitUntil(() => tabs().length > 0, UI_DEADLINE_MS, `a tab titled ${title}`);
    assert.equal(tabs().length, 1);
    assert.ok(api.openPreviewIds().includes(task.id));
  });

  it('re-renders the preview when the task changes source, and shows a page without script when it is removed', async () => {
    const { result: created } = await answering('Generate (paid)', () =>
      vscode.commands.executeCommand<{ id: string }>('juxinSora.generateVideo', {
        prompt: 'a snail racing a leaf, views test',
      }),
    );
    assert.ok(created?.id);
    // Opened while it is still generating: no media yet.
    await vscode.commands.executeCommand('juxinSora.openVideo', created.id);
    opened.push(tabTitle('a snail racing a leaf, views test'));
    const early = await waitUntil(() => api.previewHtml(created.id), UI_DEADLINE_MS, 'the preview panel');
    assertStrict(early);
    await waitUntil(() => api.engine.get(created.id)?.download.state === 'done', VIDEO_DEADLINE_MS, 'the download');
    const later = await waitUntil(
      () => {
        const html = api.previewHtml(created.id);
        return html?.includes('&quot;local&quot;:true') ? html : undefined;
      },
      UI_DEADLINE_MS,
      'the preview to switch to the saved file',
    );
    assertStrict(later);

    await answering('Remove', () => vscode.commands.executeCommand('juxinSora.removeFromHistory', { taskId: created.id, confirm: false }));
    const gone = await waitUntil(
      () => {
        const html = api.previewHtml(created.id);
        return html?.includes('data-testid="gone"') ? html : undefined;
      },
      UI_DEADLINE_MS,
      'the "no longer in the history" page',
    );
    assert.doesNotMatch(gone, /<script/);
    assert.match(gone, /default-src 'none'|default-src &#39;none&#39;/);
  });
});

/** The preview's tab title: "AI Video: " and the start of the prompt. */
function tabTitle(prompt: string): string {
  return `AI Video: ${prompt.length > 30 ? `${prompt.slice(0, 30)}…` : prompt}`;
}

/** Whether a host source of a CSP list (e.g. `'self' https://*.vscode-cdn.net`) allows the URL. */
function coveredBy(url: string, sources: string): boolean {
  return sources
    .split(' ')
    .filter((source) => /^https?:\/\//.test(source))
    .some((source) => new RegExp(`^${source.replace(/[.+?^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '[^/]+')}/`).test(url));
}

function decode(attribute: string): string {
  return attribute
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
