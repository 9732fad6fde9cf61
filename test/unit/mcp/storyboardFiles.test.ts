// The storyboard tools against hostile files, the way a cloned repository, a careless user or a
// hostile agent would try them: links planted where we write, files that are not ours where the film
// goes, "subtitles" that are secrets, pipes and devices, a README given as a storyboard.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { WrittenFiles } from '../../../src/core/writtenFiles';
import type { ConfirmRequest } from '../../../src/mcp/context';
import { IMAGES } from '../../fixtures/images';
import { inProcess, textOf, type InProcess } from './helpers';

const SECRET = 'sk-test-THISMUSTNEVERLEAVETHEFILE0123456789abcd';
const canMkfifo = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return process.platform !== 'win32';
  } catch {
    return false;
  }
})();

describe('mcp: storyboard tools against hostile files', function () {
  this.timeout(60_000);
  let work: string;
  let outside: string;
  let p: InProcess | undefined;
  const asked: ConfirmRequest[] = [];
  let answer = false;

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'sb-hostile-work-'));
    outside = mkdtempSync(path.join(tmpdir(), 'sb-hostile-outside-'));
    asked.length = 0;
    answer = false;
  });
  afterEach(async () => {
    await p?.close();
    p = undefined;
    rmSync(work, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  /** A server as the stdio binary makes it: the films it writes are recorded, so assembling again may replace its own. */
  async function start(options: Parameters<typeof inProcess>[0] = {}): Promise<InProcess> {
    p = await inProcess({
      ...options,
      server: {
        storyboards: { defaultDirectory: () => work, maxConcurrentClips: () => 3, ownFiles: new WrittenFiles(path.join(outside, 'ledger')) },
        confirm: async (request) => (asked.push(request), answer),
        ...options.server,
      },
    });
    return p;
  }

  const call = async <T = Record<string, unknown>>(name: string, args: Record<string, unknown>) => {
    const result = await p!.call(name, args);
    return result as CallToolResult & { structuredContent: T };
  };

  it('never writes the film or its subtitles through a link, nor over a file it did not write (the default name is its own)', async () => {
    await start();
    // A storyboard drafted from movie.srt, beside the person's own movie.mp4 (VS Code names the storyboard so too).
    const srt = path.join(work, 'movie.srt');
    const srtText = '1\n00:00:00,500 --> 00:00:03,000\nIt rained all night. #sim:clip-1\n';
    writeFileSync(srt, srtText);
    writeFileSync(path.join(work, 'movie.mp4'), 'my own holiday video');
    const victim = path.join(outside, 'authorized_keys');
    writeFileSync(victim, 'ssh-ed25519 AAAA the person’s key\n');
    const created = await call<{ path: string; film_path: string }>('create_storyboard', { title: 'movie', subtitles_file: srt });
    assert.notEqual(created.isError, true, textOf(created));
    const file = created.structuredContent.path;
    assert.equal(path.basename(file), 'movie.storyboard.md');
    const generated = await call('generate_storyboard', { file });
    assert.notEqual(generated.isError, true, textOf(generated));

    const film = await call<{ path: string; subtitles_path: string }>('assemble_storyboard', { file });
    assert.notEqual(film.isError, true, textOf(film));
    assert.equal(readFileSync(srt, 'utf8'), srtText, 'the subtitles the storyboard came from are untouched');
    assert.equal(readFileSync(path.join(work, 'movie.mp4'), 'utf8'), 'my own holiday video', 'the person’s movie.mp4 is untouched');
    assert.equal(film.structuredContent.path, path.join(work, 'movie.film.mp4'));
    assert.equal(film.structuredContent.subtitles_path, path.join(work, 'movie.film.srt'));
    assert.equal(film.structuredContent.path, created.structuredContent.film_path);

    // Assembled again: its own film and subtitles are replaced (it wrote them), nothing else appears.
    const again = await call<{ path: string }>('assemble_storyboard', { file });
    assert.notEqual(again.isError, true, textOf(again));
    assert.equal(again.structuredContent.path, film.structuredContent.path);

    // A link planted where the subtitles go: refused, nothing written through it, nothing else touched.
    const linked = path.join(work, 'linked.mp4');
    symlinkSync(victim, path.join(work, 'linked.srt'));
    const throughLink = await call('assemble_storyboard', { file, output: linked });
    assert.equal(throughLink.isError, true);
    assert.match(textOf(throughLink), /is a link, a folder or a device, not a plain file: nothing is ever written through it/);
    assert.match(textOf(throughLink), /不会通过它写入任何内容/);
    assert.equal(readFileSync(victim, 'utf8'), 'ssh-ed25519 AAAA the person’s key\n', 'the link’s target is untouched');
    assert.equal(readlinkSync(path.join(work, 'linked.srt')), victim, 'the link itself is left as it was');
    assert.ok(!existsSync(linked), 'no film either');

    // output= a file that is not ours (the person's video): refused, untouched, and no .srt beside it.
    const mine = await call('assemble_storyboard', { file, output: path.join(work, 'movie.mp4') });
    assert.equal(mine.isError, true);
    assert.match(textOf(mine), /already exists and was not written by this program/);
    assert.equal(readFileSync(path.join(work, 'movie.mp4'), 'utf8'), 'my own holiday video');
    assert.equal(readFileSync(srt, 'utf8'), srtText);

    // The film we wrote, changed by the person since: no longer ours to replace.
    writeFileSync(film.structuredContent.path, 'edited by hand');
    const edited = await call('assemble_storyboard', { file });
    assert.equal(edited.isError, true);
    assert.equal(readFileSync(film.structuredContent.path, 'utf8'), 'edited by hand');
    assert.deepEqual(
      readdirSync(work).filter((n) => n.includes('.part')),
      [],
      'no temporary file left',
    );
  });

  it('reads subtitles only from plain .srt files of a sane size, and quotes nothing of a file that is not subtitles', async () => {
    await start();
    const dotenv = path.join(work, 'secrets.srt');
    writeFileSync(dotenv, `JUXIN_API_KEY=${SECRET}\nDATABASE_PASSWORD=hunter2-correct-horse\n`);
    const leaked = await call('create_storyboard', { title: 'x', subtitles_file: dotenv });
    assert.equal(leaked.isError, true);
    assert.match(textOf(leaked), /This is not a subtitle file/);
    assert.match(textOf(leaked), /这不是字幕文件/);
    for (const secret of ['JUXIN_API_KEY', SECRET.slice(3, 20), 'hunter2', 'DATABASE']) assert.ok(!textOf(leaked).includes(secret), `${secret} leaked`);

    // Not an .srt at all (the environment of the server, a .env): refused before anything is read.
    const environ = readFileSync('/proc/self/environ', 'utf8').slice(0, 30);
    for (const file of ['/proc/self/environ', path.join(work, '.env')]) {
      const refused = await call('create_storyboard', { title: 'x', subtitles_file: file });
      assert.equal(refused.isError, true);
      assert.match(textOf(refused), /is not a subtitle file: give the absolute path of an \.srt/);
      if (environ) assert.ok(!textOf(refused).includes(environ), 'nothing of the environment');
    }
    // A link named .srt, to the environment or to a device: not a plain file.
    symlinkSync('/proc/self/environ', path.join(work, 'environ.srt'));
    symlinkSync('/dev/zero', path.join(work, 'zero.srt'));
    for (const name of ['environ.srt', 'zero.srt']) {
      const refused = await call('create_storyboard', { title: 'x', subtitles_file: path.join(work, name) });
      assert.equal(refused.isError, true);
      assert.match(textOf(refused), /is not a plain file \(a folder, a link, a device or a pipe\)/);
    }
    // Far larger than subtitles ever are: refused unread (the file is sparse, 64 MB of nothing).
    const huge = path.join(work, 'huge.srt');
    writeFileSync(huge, '');
    truncateSync(huge, 64 * 1024 * 1024);
    const tooLarge = await call('create_storyboard', { title: 'x', subtitles_file: huge });
    assert.equal(tooLarge.isError, true);
    assert.match(textOf(tooLarge), /is larger than 4 MB/);
    assert.deepEqual(
      readdirSync(work).filter((n) => n.endsWith('.storyboard.md')),
      [],
      'no storyboard written',
    );
  });

  (canMkfifo ? it : it.skip)('never waits on a named pipe given as subtitles: five at once, then real subtitles still work', async () => {
    await start();
    const pipe = path.join(work, 'pipe.srt');
    execFileSync('mkfifo', [pipe]);
    // Four blocked reads would hold all of libuv's file threads; five make sure.
    const answers = await Promise.all(Array.from({ length: 5 }, () => call('create_storyboard', { title: 'x', subtitles_file: pipe })));
    for (const a of answers) {
      assert.equal(a.isError, true);
      assert.match(textOf(a), /is not a plain file/);
    }
    const srt = path.join(work, 'real.srt');
    writeFileSync(srt, '1\n00:00:00,500 --> 00:00:03,000\nHello.\n');
    const ok = await call('create_storyboard', { title: 'real', subtitles_file: srt });
    assert.notEqual(ok.isError, true, textOf(ok));
  });

  it('writes nothing before every check has passed (a refused call leaves the file as it was), and never through a link', async () => {
    // Two clips over a daily limit of one, and a client that cannot be asked: the spend check refuses.
    await start({ engine: { spendLimits: () => ({ dailyVideos: 1, dailySeconds: 0, prices: {} }) } });
    const text = '---\ntitle: Two\n---\n## One\nA street. #sim:clip-1\n## Two\nA door. #sim:clip-2\n';
    const file = path.join(work, 'two.storyboard.md');
    writeFileSync(file, text);
    const refused = await call('generate_storyboard', { file });
    assert.equal(refused.isError, true, textOf(refused));
    assert.match(textOf(refused), /limit/i);
    assert.equal(readFileSync(file, 'utf8'), text, 'no clip ids were written into a file whose call was refused');
    assert.equal(p!.posts(), 0, 'nothing sent');

    // A README is not a storyboard: refused, never rewritten.
    const readme = path.join(work, 'README.md');
    const readmeText = '# My project\n\n## Install\nnpm i\n\n## Usage\nRun it.\n';
    writeFileSync(readme, readmeText);
    const notStoryboard = await call('generate_storyboard', { file: readme });
    assert.equal(notStoryboard.isError, true);
    assert.match(textOf(notStoryboard), /is not a storyboard/);
    assert.equal(readFileSync(readme, 'utf8'), readmeText);

    // A storyboard that is a link (to one elsewhere): refused, the target never written.
    const real = path.join(outside, 'real.storyboard.md');
    writeFileSync(real, '---\ntitle: One\n---\n## One\nA street. #sim:clip-1\n');
    const link = path.join(work, 'link.storyboard.md');
    symlinkSync(real, link);
    const throughLink = await call('generate_storyboard', { file: link });
    assert.equal(throughLink.isError, true);
    assert.match(textOf(throughLink), /is not a plain file/);
    assert.equal(readFileSync(real, 'utf8'), '---\ntitle: One\n---\n## One\nA street. #sim:clip-1\n');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(p!.posts(), 0, 'nothing sent');
  });

  it('asks before a storyboard uploads images from a folder, as generate_video does; a no sends and writes nothing', async () => {
    await start();
    const images = path.join(outside, 'private-photos');
    mkdirSync(images);
    copyFileSync(IMAGES.png.path, path.join(images, 'me.png'));
    const text = `---\ntitle: Photos\n---\n## One\nimages: ${path.join(images, 'me.png')}\nA street. #sim:clip-1\n## Two\nimages: ${path.join(images, 'me.png')}\nA door. #sim:clip-2\n`;
    const file = path.join(work, 'photos.storyboard.md');
    writeFileSync(file, text);
    const refused = await call('generate_storyboard', { file });
    assert.equal(refused.isError, true, textOf(refused));
    assert.match(textOf(refused), /did not allow reading images from/);
    assert.match(textOf(refused), /用户未允许读取文件夹/);
    assert.deepEqual(
      asked.map((r) => [r.kind, r.kind === 'readImages' ? r.folder : '']),
      [['readImages', images]],
      'asked once for the folder',
    );
    assert.equal(p!.posts(), 0, 'nothing sent');
    assert.equal(readFileSync(file, 'utf8'), text, 'nothing written');

    answer = true;
    const allowed = await call<{ started: string[] }>('generate_storyboard', { file, wait: false });
    assert.notEqual(allowed.isError, true, textOf(allowed));
    assert.deepEqual(allowed.structuredContent.started, ['c1', 'c2']);
    assert.equal(asked.length, 2, 'asked again (the server remembers nothing; VS Code remembers per window)');
  });
});
