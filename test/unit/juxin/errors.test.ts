import assert from 'node:assert/strict';
import { errorFromResponse, JuxinError, NEXT_STEPS, parseRetryAfter, scrubSecrets } from '../../../src/juxin/errors';
import { fixtureText, TEST_KEY } from './helpers';

const NOW = Date.UTC(2025, 9, 6, 12, 0, 0);

describe('errorFromResponse', () => {
  it('401 → auth, keeping the vendor words in both languages', () => {
    const error = errorFromResponse(401, fixtureText('error-401.json'), {});
    assert.equal(error.kind, 'auth');
    assert.equal(error.status, 401);
    assert.equal(error.vendorMessage, 'Invalid token');
    assert.equal(error.vendorMessageZh, '无效的令牌');
    assert.equal(error.vendorType, 'invalid_request_error');
    assert.equal(error.vendorCode, 'invalid_api_key');
    assert.match(error.message, /401.*Invalid token/);
    assert.match(error.describe(), /无效的令牌/);
    assert.match(error.describe(), new RegExp(NEXT_STEPS.auth.zh));
  });

  it('403 with quota words, Chinese balance words or type insufficient_quota → quota', () => {
    assert.equal(errorFromResponse(403, fixtureText('error-quota.json'), {}).kind, 'quota');
    assert.equal(errorFromResponse(403, JSON.stringify({ error: { message: '余额不足' } }), {}).kind, 'quota');
    assert.equal(errorFromResponse(403, JSON.stringify({ error: { message: 'denied', message_zh: '额度已用完' } }), {}).kind, 'quota');
    assert.equal(errorFromResponse(403, JSON.stringify({ error: { message: 'no', type: 'insufficient_quota' } }), {}).kind, 'quota');
    assert.equal(
      errorFromResponse(429, JSON.stringify({ error: { message: 'You exceeded your current quota', type: 'insufficient_quota' } }), {}).kind,
      'quota',
    );
  });

  it('other 403 → auth (also "invalid credentials", which is not about credits); "no access to model" is model_unavailable', () => {
    const noAccess = errorFromResponse(403, JSON.stringify({ error: { message: 'this token has no access to sora-2-pro' } }), {});
    assert.equal(noAccess.kind, 'model_unavailable');
    assert.equal(noAccess.model, 'sora-2-pro');
    assert.equal(errorFromResponse(403, JSON.stringify({ error: { message: 'Invalid credentials' } }), {}).kind, 'auth');
    assert.equal(errorFromResponse(403, '', {}).kind, 'auth');
  });

  it('402 → quota', () => {
    assert.equal(errorFromResponse(402, 'Payment Required', {}).kind, 'quota');
  });

  it('404, including "channel not found" → not_found', () => {
    const error = errorFromResponse(404, fixtureText('error-channel-not-found.json'), {});
    assert.equal(error.kind, 'not_found');
    assert.match(error.message, /channel not found/);
    assert.equal(errorFromResponse(404, fixtureText('wrong-path.html'), {}).kind, 'not_found');
  });

  it('400 and 422 → bad_request', () => {
    assert.equal(errorFromResponse(400, JSON.stringify({ error: { message: 'duration must be 10 or 15' } }), {}).kind, 'bad_request');
    assert.equal(errorFromResponse(422, JSON.stringify({ message: 'prompt is required' }), {}).vendorMessage, 'prompt is required');
  });

  it('429 → rate_limit with Retry-After in seconds or as an HTTP date', () => {
    const seconds = errorFromResponse(429, fixtureText('error-rate-limit.json'), { 'retry-after': '7' }, NOW);
    assert.equal(seconds.kind, 'rate_limit');
    assert.equal(seconds.retryAfterMs, 7000);
    assert.equal(seconds.vendorMessageZh, '请求过于频繁，请稍后再试');
    const date = errorFromResponse(429, '', { 'retry-after': new Date(NOW + 30_000).toUTCString() }, NOW);
    assert.equal(date.retryAfterMs, 30_000);
    assert.equal(errorFromResponse(429, '', {}, NOW).retryAfterMs, undefined);
    assert.equal(errorFromResponse(429, '', { 'retry-after': 'whenever' }, NOW).retryAfterMs, undefined);
  });

  it('5xx → upstream (Retry-After read on 503)', () => {
    for (const status of [500, 502, 503, 504]) {
      const error = errorFromResponse(status, fixtureText('error-upstream.json'), { 'retry-after': '3' });
      assert.equal(error.kind, 'upstream');
      assert.equal(error.vendorMessageZh, '请求上游地址失败');
      assert.equal(error.retryAfterMs, status === 503 ? 3000 : undefined);
    }
  });

  it('status 200 with HTML, text or nothing → malformed_response', () => {
    const html = errorFromResponse(200, fixtureText('wrong-path.html'), {});
    assert.equal(html.kind, 'malformed_response');
    assert.match(html.message, /HTML page/);
    assert.equal(html.vendorMessage, undefined);
    assert.match(errorFromResponse(200, 'OK', {}).message, /not JSON/);
    assert.match(errorFromResponse(200, '', {}).message, /empty body/);
  });

  it('tolerates { message } at the top level, { error: "text" } and plain text', () => {
    assert.equal(errorFromResponse(400, JSON.stringify({ message: 'bad size' }), {}).vendorMessage, 'bad size');
    assert.equal(errorFromResponse(400, JSON.stringify({ error: 'bad size' }), {}).vendorMessage, 'bad size');
    assert.equal(errorFromResponse(400, JSON.stringify({ msg: 'bad size', code: 400 }), {}).vendorMessage, 'bad size');
    assert.equal(errorFromResponse(502, 'Bad Gateway', {}).vendorMessage, 'Bad Gateway');
    assert.equal(errorFromResponse(502, '"upstream down"', {}).vendorMessage, 'upstream down');
    assert.equal(errorFromResponse(502, 'null', {}).vendorMessage, undefined);
    assert.equal(errorFromResponse(502, '<html><body>nginx</body></html>', {}).vendorMessage, undefined);
  });

  it('scrubs keys and Authorization values from vendor messages', () => {
    const body = JSON.stringify({ error: { message: `Invalid token ${TEST_KEY} (Authorization: Bearer ${TEST_KEY})`, message_zh: `令牌 ${TEST_KEY} 无效` } });
    const error = errorFromResponse(401, body, {});
    for (const text of [error.message, error.describe(), JSON.stringify(error), String(error)]) {
      assert.ok(!text.includes('not-a-real-key'), 'key leaked into an error');
    }
    assert.match(error.message, /Invalid token sk-\[redacted\]/);
  });
});

describe('scrubSecrets', () => {
  it('removes sk-… keys and Bearer values, leaves ordinary text', () => {
    assert.equal(scrubSecrets('key sk-ABCdef123456 here'), 'key sk-[redacted] here');
    assert.equal(scrubSecrets('Authorization: Bearer abc.def-ghi'), 'Authorization: Bearer [redacted]');
    assert.equal(scrubSecrets('a task-1234 and a risk-free skate'), 'a task-1234 and a risk-free skate');
  });

  it('removes the user name, password and query string of every URL, keeps the rest', () => {
    assert.equal(
      scrubSecrets('GET http://user:hunter2@relay.example/v1/x?token=abc&sig=2 failed; see https://api.jxincm.cn/v1/video/query.'),
      'GET http://[redacted]@relay.example/v1/x?[redacted] failed; see https://api.jxincm.cn/v1/video/query.',
    );
    assert.equal(scrubSecrets('"https://me@relay.example"'), '"https://[redacted]@relay.example"');
    assert.equal(scrubSecrets('write to support@juxin.example'), 'write to support@juxin.example');
  });

  it('is applied to every JuxinError text', () => {
    const error = new JuxinError('network', 'could not reach http://u:hunter2@relay.example/?token=hunter3', {
      messageZh: '无法连接 http://u:hunter2@relay.example/?token=hunter3',
      vendorMessage: 'at https://relay.example/x?key=hunter3',
    });
    for (const text of [error.message, error.describe(), JSON.stringify(error), String(error)]) {
      assert.ok(!/hunter[23]/.test(text), text);
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds (also fractional and from a header list) and HTTP dates, never negative', () => {
    assert.equal(parseRetryAfter('120', NOW), 120_000);
    assert.equal(parseRetryAfter(' 1.5 ', NOW), 1500);
    assert.equal(parseRetryAfter(['2', '9'], NOW), 2000);
    assert.equal(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW), 0);
    assert.equal(parseRetryAfter(undefined, NOW), undefined);
    assert.equal(parseRetryAfter('', NOW), undefined);
    assert.equal(parseRetryAfter('-3', NOW), undefined);
  });
});

describe('JuxinError', () => {
  it('says what to do in both languages, with our Chinese message and the vendor one', () => {
    const error = new JuxinError('bad_request', 'The image is too big.', { messageZh: '图片太大。', vendorMessageZh: '参数错误' });
    assert.equal(error.describe(), `The image is too big. 图片太大。 参数错误\nNext step: ${NEXT_STEPS.bad_request.en}\n下一步：${NEXT_STEPS.bad_request.zh}`);
    assert.deepEqual(JSON.parse(JSON.stringify(error)), {
      kind: 'bad_request',
      message: 'The image is too big.',
      messageZh: '图片太大。',
      vendorMessageZh: '参数错误',
      nextStep: NEXT_STEPS.bad_request.en,
      nextStepZh: NEXT_STEPS.bad_request.zh,
    });
    assert.equal(error.name, 'JuxinError');
    assert.ok(error instanceof Error);
  });
});
