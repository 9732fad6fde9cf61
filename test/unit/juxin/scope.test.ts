import assert from 'node:assert/strict';
import { relayScope } from '../../../src/juxin/scope';

describe('juxin/scope: which relay and key an answer is for, never the key', () => {
  const key = 'sk-test-scope-key-0123456789abcdefghijklmnop';

  it('tells keys and relays apart, and the same pair always alike', () => {
    const base = 'https://api.jxincm.cn';
    assert.equal(relayScope(base, key), relayScope(`${base}/v1/`, ` ${key} `), 'the same relay however its URL is written, the same key');
    assert.notEqual(relayScope(base, key), relayScope(base, `${key}x`));
    assert.notEqual(relayScope(base, key), relayScope('http://127.0.0.1:8787', key));
    assert.match(relayScope(base, key), /^https:\/\/api\.jxincm\.cn key:[0-9a-f]{16}$/);
  });

  it("holds no part of the key, nor a base URL's password or query", () => {
    const scope = relayScope('https://user:secret@relay.example/path?token=abc', key);
    assert.ok(!scope.includes('sk-') && !scope.includes(key.slice(3, 11)) && !scope.includes(key.slice(-8)));
    assert.ok(!/secret|token|user/.test(scope), scope);
    assert.match(scope, /^no-valid-base-url key:[0-9a-f]{16}$/, 'a base URL the client refuses (it sends nothing) is not repeated');
    assert.match(relayScope('https://relay.example/path/', key), /^https:\/\/relay\.example\/path key:[0-9a-f]{16}$/);
  });
});
