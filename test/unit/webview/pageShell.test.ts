import assert from 'node:assert/strict';
import { contentSecurityPolicy, escapeAttribute, getNonce, renderPage } from '../../../src/extension/views/html';
import { validatePreviewMessage, validateSidebarMessage } from '../../../src/extension/views/messages';
import { chooseMedia, sameMedia } from '../../../src/extension/views/previewMedia';
import { taskRecord } from '../../fixtures/tasks';

const XSS = '<img src=x onerror=alert(1)>';
const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function page(data: Record<string, unknown>, extra: { img?: string[]; media?: string[] } = {}): string {
  return renderPage({
    webview: { cspSource: CSP_SOURCE },
    nonce: 'n0nce',
    title: `Sora: ${XSS}`,
    script: 'https://webview.test/dist/webview/sidebar.js',
    style: 'https://webview.test/media/webview/sidebar.css',
    imgSources: extra.img,
    mediaSources: extra.media,
    data,
    body: '<main id="app"></main>',
    lang: 'zh-cn',
  });
}

const cspOf = (html: string) => /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1].replace(/&#39;/g, "'");

describe('extension/views: the page shell and what comes back from a page', () => {
  it('allows only our nonce script, our CSS and the sources asked for', () => {
    const sidebar = contentSecurityPolicy({ cspSource: CSP_SOURCE, nonce: 'abc', img: ['https:', 'http://127.0.0.1:8787'] });
    assert.equal(
      sidebar,
      `default-src 'none'; script-src 'nonce-abc'; style-src ${CSP_SOURCE}; font-src ${CSP_SOURCE}; img-src ${CSP_SOURCE} https: http://127.0.0.1:8787`,
    );
    assert.doesNotMatch(sidebar, /media-src/, 'the list plays no media');
    const preview = contentSecurityPolicy({ cspSource: CSP_SOURCE, nonce: 'abc', media: ['http://127.0.0.1:8787'] });
    assert.match(preview, new RegExp(`media-src ${CSP_SOURCE.replace(/[.+]/g, '\\$&')} http://127\\.0\\.0\\.1:8787$`));
    assert.match(preview, new RegExp(`img-src ${CSP_SOURCE.replace(/[.+]/g, '\\$&')};`), 'no remote images unless asked');
    for (const csp of [sidebar, preview]) assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('drops any source that could widen the policy', () => {
    const csp = contentSecurityPolicy({
      cspSource: CSP_SOURCE,
      nonce: 'abc',
      img: ['*', "'unsafe-inline'", 'https://a.example; script-src *', 'http://x y', 'data:', 'https://ok.example'],
    });
    assert.equal(
      csp.split('; ').find((d) => d.startsWith('img-src')),
      `img-src ${CSP_SOURCE} https://ok.example`,
    );
  });

  it('puts a prompt only inside escaped data attributes, never as markup, with no inline handlers', () => {
    const html = page({ state: { tasks: [{ prompt: XSS }] } });
    assert.ok(!html.includes(XSS), 'the prompt never appears unescaped');
    assert.match(html, /data-state="\{&quot;tasks&quot;:\[\{&quot;prompt&quot;:&quot;&lt;img src=x onerror=alert\(1\)&gt;&quot;\}\]\}"/);
    const markup = html.replace(/data-[a-z]+="[^"]*"/g, '');
    assert.doesNotMatch(markup, /<[^>]*\son[a-z]+\s*=/i, 'no inline event handler in any tag');
    assert.match(html, /<title>Sora: &lt;img src=x onerror=alert\(1\)&gt;<\/title>/, 'the title is text');
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script type="module" nonce="n0nce" src="https:\/\/webview\.test\/dist\/webview\/sidebar\.js"><\/script>/);
    assert.match(cspOf(html), /script-src 'nonce-n0nce'/);
    assert.match(html, /<html lang="zh-cn">/);
  });

  it('round-trips any string through the attribute exactly', () => {
    const tricky = `"'<>&\u2028 "><script>alert(1)</script> 🎬 中文 &amp;`;
    const html = page({ state: { prompt: tricky } });
    const attr = /data-state="([^"]*)"/.exec(html)![1];
    const decoded = attr
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    assert.deepEqual(JSON.parse(decoded), { prompt: tricky });
    assert.equal(escapeAttribute(`"'<>&`), '&quot;&#39;&lt;&gt;&amp;');
  });

  it('makes a fresh, unguessable nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, getNonce));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9]{24,}$/);
  });

  it('accepts from the list only protocol messages about tasks that exist', () => {
    const exists = (id: string) => id === 'sora-2:task_1';
    assert.deepEqual(validateSidebarMessage({ type: 'action', action: 'play', id: 'sora-2:task_1' }, exists), {
      type: 'action',
      action: 'play',
      id: 'sora-2:task_1',
    });
    assert.deepEqual(validateSidebarMessage({ type: 'command', command: 'setKey' }, exists), { type: 'command', command: 'setKey' });
    assert.deepEqual(validateSidebarMessage({ type: 'ready' }, exists), { type: 'ready' });
    assert.equal(validateSidebarMessage({ type: 'action', action: 'play', id: 'sora-2:task_2' }, exists), undefined, 'unknown task');
    assert.equal(validateSidebarMessage({ type: 'action', action: 'rm -rf', id: 'sora-2:task_1' }, exists), undefined);
    assert.equal(validateSidebarMessage({ type: 'action', action: 'play' }, exists), undefined);
    assert.equal(validateSidebarMessage({ type: 'action', action: 'play', id: 42 }, exists), undefined);
    assert.equal(validateSidebarMessage({ type: 'command', command: 'workbench.action.terminal.new' }, exists), undefined);
    assert.equal(
      validateSidebarMessage({ type: 'action', action: 'play', id: 'x'.repeat(1000) }, () => true),
      undefined,
    );
    for (const junk of ['play', null, undefined, 42, [], { type: 'constructor' }, { type: '__proto__' }])
      assert.equal(validateSidebarMessage(junk, exists), undefined);
  });

  it('accepts from a preview only messages about its own task', () => {
    const exists = () => true;
    assert.deepEqual(validatePreviewMessage({ type: 'action', action: 'reveal', id: 'a' }, 'a', exists), { type: 'action', action: 'reveal', id: 'a' });
    assert.equal(validatePreviewMessage({ type: 'action', action: 'reveal', id: 'b' }, 'a', exists), undefined, 'another task');
    assert.equal(
      validatePreviewMessage({ type: 'action', action: 'reveal', id: 'a' }, 'a', () => false),
      undefined,
      'removed meanwhile',
    );
    assert.equal(validatePreviewMessage({ type: 'action', action: 'remove', id: 'a' }, 'a', exists), undefined, 'not a preview action');
    assert.deepEqual(validatePreviewMessage({ type: 'mediaError', id: 'a' }, 'a', exists), { type: 'mediaError', id: 'a' });
    assert.deepEqual(validatePreviewMessage({ type: 'ready' }, 'a', exists), { type: 'ready' });
  });

  it('plays the saved file, else an allowed URL, else nothing', () => {
    const base = 'http://127.0.0.1:8787';
    const saved = taskRecord({ status: 'completed', videoUrl: 'https://cdn.example/v.mp4', download: { state: 'done', localPath: '/v/a.mp4' } });
    assert.deepEqual(
      chooseMedia(saved, base, () => true),
      { kind: 'local', file: '/v/a.mp4' },
    );
    assert.deepEqual(
      chooseMedia(saved, base, () => false),
      { kind: 'remote', url: 'https://cdn.example/v.mp4', origin: 'https://cdn.example' },
      'the file was deleted',
    );
    const simulator = taskRecord({ status: 'completed', videoUrl: `${base}/files/t/src.mp4`, download: { state: 'downloading' } });
    assert.deepEqual(
      chooseMedia(simulator, base, () => true),
      { kind: 'remote', url: `${base}/files/t/src.mp4`, origin: base },
    );
    assert.equal(
      chooseMedia(taskRecord({ videoUrl: 'http://192.0.2.7/v.mp4' }), base, () => true),
      undefined,
    );
    assert.equal(
      chooseMedia(taskRecord({ videoUrl: 'file:///etc/passwd' }), base, () => true),
      undefined,
    );
    assert.equal(
      chooseMedia(taskRecord(), base, () => true),
      undefined,
    );
    assert.equal(sameMedia({ kind: 'local', file: '/a' }, { kind: 'local', file: '/a' }), true);
    assert.equal(sameMedia({ kind: 'local', file: '/a' }, { kind: 'remote', url: '/a', origin: 'x' }), false);
    assert.equal(sameMedia(undefined, undefined), true);
    assert.equal(sameMedia(undefined, { kind: 'local', file: '/a' }), false);
  });
});
