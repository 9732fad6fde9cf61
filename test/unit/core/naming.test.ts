import assert from 'node:assert/strict';
import path from 'node:path';
import { promptSlug, safeFileName, safeJoin, shortId, UnsafePathError, videoFileName } from '../../../src/core/naming';

const task = (prompt: string, id = 'sora-2:task_01k6x15vhrff09dkkqjrzwhm60') => ({ id, createdAt: Date.UTC(2026, 10, 24, 12), params: { prompt } });
// eslint-disable-next-line no-control-regex -- control characters are exactly what Windows refuses
const WINDOWS_BAD = /[<>:"/\\|?*\u0000-\u001f]/;

describe('core/naming', () => {
  it('names a video by date, prompt slug and short id', () => {
    // The slug stops at 40 characters.
    assert.equal(videoFileName(task('A cat playing piano under cherry blossoms!')), '2026-11-24_a-cat-playing-piano-under-cherry-blossom_jrzwhm60.mp4');
  });

  it('keeps Chinese (and other scripts) in the slug', () => {
    assert.match(videoFileName(task('一只猫在樱花树下弹钢琴')), /^2026-11-24_一只猫在樱花树下弹钢琴_[A-Za-z0-9]{8}\.mp4$/);
    assert.equal(promptSlug('Ünïcödé — тест'), 'ünïcödé-тест');
  });

  it('is safe on Windows, macOS and Linux whatever the prompt', () => {
    const nasty = [
      '../../etc/passwd',
      '<img src=x onerror=alert(1)>',
      'CON',
      'nul.txt',
      '...',
      '   ',
      '🎬🎥',
      'a'.repeat(2000),
      'C:\\Windows\\System32',
      'x\u0000y',
      'what? *now* "quoted" |pipe|',
    ];
    for (const prompt of nasty) {
      const name = videoFileName(task(prompt));
      assert.ok(!WINDOWS_BAD.test(name), `${JSON.stringify(prompt)} → ${name}`);
      assert.ok(name.length <= 120, name);
      assert.ok(name.endsWith('.mp4'), name);
      assert.ok(!name.startsWith('.'), name);
      assert.doesNotMatch(name, /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
      assert.equal(path.basename(name), name, 'a plain name, no folders');
    }
    assert.match(videoFileName(task('🎬🎥')), /_video_/, 'an empty slug falls back to "video"');
  });

  it('is the one rule for made-up file names: device names prefixed, nothing hidden, nothing Windows refuses', () => {
    assert.equal(safeFileName('CON', '.storyboard.md', 'storyboard'), 'storyboard-CON.storyboard.md');
    assert.equal(safeFileName('nul', '.mp4', 'video'), 'video-nul.mp4');
    assert.equal(safeFileName('.bashrc', '.md', 'file'), 'file-bashrc.md');
    assert.equal(safeFileName('a:b*c?', '.md', 'file'), 'a-b-c-.md');
    assert.ok(safeFileName('x'.repeat(500), '.storyboard.md', 'storyboard').length <= 120);
  });

  it('takes a short id from any id style', () => {
    assert.equal(shortId('video_5c6a605a-30c0-4a6a-9dbd-d1d6cfdd9980'), 'd1d6cfdd9980'.slice(-8));
    assert.equal(shortId(':::'), 'task');
  });

  it('refuses names that would leave the folder', () => {
    const dir = path.resolve('/tmp/videos');
    assert.equal(safeJoin(dir, 'a.mp4'), path.join(dir, 'a.mp4'));
    for (const bad of ['../a.mp4', '..', '.', '', 'sub/a.mp4', '/etc/passwd', 'C:evil.mp4', 'a\u0000.mp4', '..\\a.mp4']) {
      assert.throws(() => safeJoin(dir, bad), UnsafePathError, JSON.stringify(bad));
    }
  });
});
