import assert from 'node:assert/strict';
import * as juxin from '../../../src/juxin';

describe('juxin public API', () => {
  it('exports the client, the normalizer, the errors and the retry policy', () => {
    for (const name of [
      'JuxinClient',
      'JuxinError',
      'normalizeQueryResponse',
      'normalizeCharacter',
      'errorFromResponse',
      'scrubSecrets',
      'withRetry',
      'isRetryable',
      'retryDelay',
      'parseTimestamps',
      'readLocalImage',
    ]) {
      assert.equal(typeof (juxin as Record<string, unknown>)[name], 'function', name);
    }
    assert.equal(juxin.DEFAULT_BASE_URL, 'https://api.jxincm.cn');
    assert.equal(juxin.DEFAULT_RETRY.maxAttempts, 5);
    assert.equal(new juxin.JuxinError('config', 'x').nextStep, juxin.NEXT_STEPS.config.en);
  });
});
