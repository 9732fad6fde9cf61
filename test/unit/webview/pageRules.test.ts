import assert from 'node:assert/strict';
import { createClickGuard } from '../../../src/webview/model/clickGuard';
import { isAllowedRemoteUrl, originOf } from '../../../src/webview/model/urls';

describe('webview/model: rules the pages and the extension share', () => {
  it('allows https anywhere and http only from the configured API origin', () => {
    const sim = 'http://127.0.0.1:8787';
    assert.equal(isAllowedRemoteUrl('https://filesystem.site/v/src.mp4?sig=1', 'https://api.jxincm.cn'), true);
    assert.equal(isAllowedRemoteUrl('http://127.0.0.1:8787/files/a/thumbnail.webp', sim), true);
    assert.equal(isAllowedRemoteUrl('http://127.0.0.1:8787/files/a/src.mp4', `${sim}/`), true);
    assert.equal(isAllowedRemoteUrl('http://127.0.0.1:9999/files/a/src.mp4', sim), false, 'another port is another origin');
    assert.equal(isAllowedRemoteUrl('http://localhost:8787/files/a/src.mp4', sim), false, 'another host name is another origin');
    assert.equal(isAllowedRemoteUrl('http://evil.example/v.mp4', 'https://api.jxincm.cn'), false);
    assert.equal(isAllowedRemoteUrl('http://api.jxincm.cn/v.mp4', 'https://api.jxincm.cn'), false, 'http is not https of the same host');
    // A page never has the key: the relay's own key-guarded routes are never loaded from a page.
    assert.equal(isAllowedRemoteUrl('https://api.jxincm.cn/v1/videos/video_x/content', 'https://api.jxincm.cn'), false);
    assert.equal(isAllowedRemoteUrl(`${sim}/v1/videos/video_x/content`, `${sim}/v1`), false);
    assert.equal(isAllowedRemoteUrl('https://oss.example.com/v1/videos/x.mp4', 'https://api.jxincm.cn'), true, "another host's /v1 is not the relay");
    for (const bad of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:video/mp4;base64,AAAA',
      'blob:https://x/1',
      'vscode-resource:/a',
      '//evil.example/x',
      'not a url',
      '',
      undefined,
    ]) {
      assert.equal(isAllowedRemoteUrl(bad, sim), false, String(bad));
    }
    assert.equal(isAllowedRemoteUrl('http://127.0.0.1:8787/x', 'not a url'), false, 'a broken base URL allows no http');
  });

  it('gives the origin for a CSP, never a path or a wildcard', () => {
    assert.equal(originOf('https://cdn.example.com:8443/a/b.mp4?sig=1'), 'https://cdn.example.com:8443');
    assert.equal(originOf('http://127.0.0.1:8787/files/x'), 'http://127.0.0.1:8787');
    assert.equal(originOf('javascript:alert(1)'), undefined);
    assert.equal(originOf('data:image/png;base64,AA'), undefined);
    assert.equal(originOf('nonsense'), undefined);
  });

  it('lets one click through per action and task within a second', () => {
    let now = 1000;
    const first = createClickGuard(() => now, 1000);
    assert.equal(first('retry:a'), true);
    now += 400;
    assert.equal(first('retry:a'), false, 'a double click starts one generation');
    assert.equal(first('retry:b'), true, 'another task is another button');
    assert.equal(first('remix:a'), true, 'another action is another button');
    now += 700;
    assert.equal(first('retry:a'), true, 'after the window, a new click counts');
  });
});
