import assert from 'node:assert/strict';
import path from 'node:path';
import { ConfigError, loadServerConfig, spendHelp } from '../../../src/cli/config';

describe('cli/config', () => {
  it('uses the documented defaults', () => {
    const c = loadServerConfig({ JUXIN_SORA_HOME: '/tmp/jx' }, 'linux');
    assert.equal(c.baseUrl, 'https://api.jxincm.cn');
    assert.equal(c.apiKey, undefined);
    assert.equal(c.home, path.resolve('/tmp/jx'));
    assert.equal(c.videosDir, path.join(path.resolve('/tmp/jx'), 'videos'));
    assert.equal(c.minPollIntervalMs, 5000);
    assert.equal(c.maxRequestsPerSecond, 2);
    assert.equal(c.keepAliveMs, 15000);
    assert.equal(c.timeScale, 1);
    assert.equal(c.storyboardsDir, path.join(path.resolve('/tmp/jx'), 'storyboards'));
    assert.equal(c.maxConcurrentClips, 3);
    assert.equal(c.defaultModel, undefined, 'no default model: the key decides (Veo 3.1 fast first)');
    assert.equal(loadServerConfig({ JUXIN_SORA_HOME: '/tmp/jx', JUXIN_DEFAULT_MODEL: ' veo3.1 ' }, 'linux').defaultModel, 'veo3.1');
    assert.equal(loadServerConfig({ JUXIN_SORA_HOME: '/tmp/jx', JUXIN_MAX_CONCURRENT_CLIPS: '5' }, 'linux').maxConcurrentClips, 5);
    assert.throws(
      () => loadServerConfig({ JUXIN_SORA_HOME: '/tmp/jx', JUXIN_MAX_CONCURRENT_CLIPS: '0' }, 'linux'),
      /JUXIN_MAX_CONCURRENT_CLIPS "0" must be a number from 1 to 20/,
    );
  });

  it("trims the key and the base URL's trailing slash", () => {
    const c = loadServerConfig({ JUXIN_API_KEY: '  sk-made-up-0001 \n', JUXIN_BASE_URL: 'http://127.0.0.1:8787/', JUXIN_SORA_HOME: '/tmp/jx' });
    assert.equal(c.apiKey, 'sk-made-up-0001');
    assert.equal(c.baseUrl, 'http://127.0.0.1:8787');
  });

  it('names every bad variable and what to write instead, without echoing the key', () => {
    const key = 'sk-made up-with-space';
    assert.throws(
      () =>
        loadServerConfig({
          JUXIN_API_KEY: key,
          JUXIN_BASE_URL: 'api.jxincm.cn',
          JUXIN_POLL_INTERVAL_MS: '-5',
          JUXIN_LOG_LEVEL: 'loud',
          JUXIN_SORA_HOME: '/tmp/jx',
        }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /JUXIN_API_KEY contains spaces/);
        assert.match(e.message, /JUXIN_BASE_URL "api\.jxincm\.cn" is not an http\(s\) URL/);
        assert.match(e.message, /JUXIN_POLL_INTERVAL_MS "-5" must be a number from 50/);
        assert.match(e.message, /JUXIN_LOG_LEVEL/);
        assert.ok(!e.message.includes(key));
        return true;
      },
    );
  });

  it('refuses a base URL with credentials or a query string, or plain http to another machine, without repeating the secret', () => {
    for (const [raw, secret] of [
      ['https://user:hunter2@api.jxincm.cn', 'hunter2'],
      ['https://api.jxincm.cn/v1?token=hunter3', 'hunter3'],
      ['http://relay.example.com', undefined],
    ] as const) {
      assert.throws(
        () => loadServerConfig({ JUXIN_BASE_URL: raw, JUXIN_SORA_HOME: '/tmp/jx' }),
        (e: unknown) => {
          assert.ok(e instanceof ConfigError, raw);
          assert.match(e.message, /JUXIN_BASE_URL/);
          if (secret) assert.ok(!e.message.includes(secret), e.message);
          else assert.match(e.message, /https:\/\//);
          return true;
        },
      );
    }
    assert.equal(loadServerConfig({ JUXIN_BASE_URL: 'http://localhost:8787', JUXIN_SORA_HOME: '/tmp/jx' }).baseUrl, 'http://localhost:8787');
  });

  it('tells a refused generation where the limits are set for this server, and what they are now', () => {
    const help = spendHelp(loadServerConfig({ JUXIN_DAILY_VIDEO_LIMIT: '5', JUXIN_DAILY_SECONDS_LIMIT: '0' }).spend);
    assert.match(help.en, /raise JUXIN_DAILY_VIDEO_LIMIT \(now 5\) or JUXIN_DAILY_SECONDS_LIMIT \(now none\)/);
    assert.match(help.en, /"env" of the juxin-sora server in your MCP client's configuration/);
    assert.match(help.zh, /JUXIN_DAILY_VIDEO_LIMIT（当前 5）或 JUXIN_DAILY_SECONDS_LIMIT（当前 不限）/);
  });
});
