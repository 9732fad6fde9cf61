import assert from 'node:assert/strict';
import { isActive, taskPhase } from '../../../src/core/phase';
import type { DownloadState } from '../../../src/core/phase';
import type { TaskStatus } from '../../../src/juxin/types';

const t = (status: TaskStatus, state: DownloadState = 'none') => ({ status, download: { state } });

describe('core/phase', () => {
  it('words every status and download state as one phase', () => {
    assert.equal(taskPhase(t('queued')), 'queued');
    assert.equal(taskPhase(t('processing')), 'generating');
    assert.equal(taskPhase(t('failed')), 'failed');
    assert.equal(taskPhase(t('completed', 'none')), 'downloading');
    assert.equal(taskPhase(t('completed', 'downloading')), 'downloading');
    assert.equal(taskPhase(t('completed', 'done')), 'ready');
    assert.equal(taskPhase(t('completed', 'failed')), 'notSaved');
    assert.equal(taskPhase(t('completed', 'expired')), 'notSaved');
  });

  it('means the same by "running" everywhere: queued, generating or downloading', () => {
    assert.deepEqual(
      [t('queued'), t('processing'), t('completed', 'downloading'), t('completed', 'done'), t('completed', 'failed'), t('failed')].map(isActive),
      [true, true, true, false, false, false],
    );
  });
});
