import assert from 'node:assert/strict';
import path from 'node:path';
import { escapeAttribute, renderPage } from '../../../src/extension/views/html';
import { parsePreviewMessage, parseSidebarMessage } from '../../../src/extension/views/messages';
import { isAllowedRemoteUrl } from '../../../src/extension/views/urls';
import { resolveDownloadFolder } from '../../../src/extension/paths';

const XSS = '<img src=x onerror=alert(1)>';

describe('extension/views: what reaches a webview', () => {
  it('allows https media anywhere and http only from the configured API origin', () => {
    const base = 'http://127.0.0.1:8787';
    assert.equal(isAllowedRemoteUrl('https://filesystem.site/v/src.mp4?sig=1', 'https://api.jxincm.cn'), true);
    assert.equal(isAllowedRemoteUrl('http://127.0.0.1:8787/files/a/src.mp4', base), true);
    assert.equal(isAllowedRemoteUrl('http://127.0.0.1:9999/files/a/src.mp4', base), false);
    assert.equal(isAllowedRemoteUrl('http://evil.example/v.mp4', 'https://api.jxincm.cn'), false);
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'data:video/mp4;base64,AAAA', 'not a url', undefined]) {
      assert.equal(isAllowedRemoteUrl(bad, base), false, String(bad));
    }
  });

  it('escapes attribute values', () => {
    assert.equal(escapeAttribute(`"'<>&`), '&quot;&#39;&lt;&gt;&amp;');
  });

  it('renders a page with a strict nonce CSP, no inline handlers, and data only in escaped attributes', () => {
    const uri = (p: string) => ({ toString: () => `https://webview.test/${p}` });
    const html = renderPage({
      webview: { cspSource: 'https://webview.test' } as never,
      nonce: 'abc123',
      title: 'Sora',
      script: uri('sidebar.js') as never,
      style: uri('sidebar.css') as never,
      mediaSources: ['http://127.0.0.1:8787'],
      data: { task: { prompt: XSS } },
      body: '<main id="app"></main>',
      lang: 'zh-cn',
    });
    const csp = /content="([^"]+)"/.exec(html)![1].replace(/&#39;/g, "'");
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'/);
    assert.match(csp, /media-src https:\/\/webview\.test http:\/\/127\.0\.0\.1:8787/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.ok(!html.includes(XSS), 'the prompt never appears unescaped');
    // Outside the (escaped) data attribute values there is no on…= attribute at all.
    const markup = html.replace(/data-[a-z]+="[^"]*"/g, '');
    assert.doesNotMatch(markup, /\son[a-z]+=/i, 'no inline event handlers');
    assert.match(html, /data-task="\{&quot;prompt&quot;:&quot;&lt;img src=x onerror=alert\(1\)&gt;&quot;\}"/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script type="module" nonce="abc123" src=/);
  });

  it('drops webview messages that are not exactly of the protocol', () => {
    assert.deepEqual(parseSidebarMessage({ type: 'action', action: 'play', id: 'sora-2:task_1' }), { type: 'action', action: 'play', id: 'sora-2:task_1' });
    assert.equal(parseSidebarMessage({ type: 'action', action: 'rm -rf', id: 'x' }), undefined);
    assert.equal(parseSidebarMessage({ type: 'action', action: 'play' }), undefined);
    assert.equal(parseSidebarMessage({ type: 'command', command: 'workbench.action.terminal.new' }), undefined);
    assert.equal(parseSidebarMessage('play'), undefined);
    assert.equal(parseSidebarMessage({ type: 'action', action: 'play', id: 'x'.repeat(1000) }), undefined);
    assert.deepEqual(parsePreviewMessage({ type: 'action', action: 'reveal', id: 'a' }), { type: 'action', action: 'reveal', id: 'a' });
    assert.equal(parsePreviewMessage({ type: 'action', action: 'remove', id: 'a' }), undefined);
  });

  it('resolves the download folder: default storage, absolute, or workspace-relative', () => {
    assert.equal(resolveDownloadFolder('', '/g', '/ws'), path.join('/g', 'videos'));
    assert.equal(resolveDownloadFolder('/abs/videos', '/g', '/ws'), path.normalize('/abs/videos'));
    assert.equal(resolveDownloadFolder('videos/', '/g', '/ws'), path.resolve('/ws', 'videos/'));
    assert.equal(resolveDownloadFolder('videos/', '/g', undefined), path.join('/g', 'videos'));
    assert.equal(resolveDownloadFolder('~/Videos/sora', '/g', '/ws', '/home/me'), path.join('/home/me', 'Videos', 'sora'));
    assert.equal(resolveDownloadFolder('~', '/g', '/ws', '/home/me'), path.normalize('/home/me'));
    assert.equal(resolveDownloadFolder('  ', '/g', '/ws'), path.join('/g', 'videos'), 'blank is the default');
    assert.equal(resolveDownloadFolder('~videos', '/g', '/ws'), path.resolve('/ws', '~videos'), 'only ~ followed by a separator is the home folder');
  });
});
