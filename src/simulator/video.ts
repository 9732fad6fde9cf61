import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';

/*
 * media/sample.mp4 is a real, playable 10 s clip (320x180 test pattern, 440 Hz tone; H.264 constrained
 * baseline + AAC, moov first), made once with Debian's ffmpeg:
 *   ffmpeg -f lavfi -i "testsrc2=size=320x180:rate=24:duration=10" -f lavfi -i "sine=frequency=440:duration=10" \
 *     -c:v libx264 -profile:v baseline -pix_fmt yuv420p -crf 35 -preset veryslow -c:a aac -b:a 24k \
 *     -movflags +faststart -shortest media/sample.mp4
 * Its thumbnail and preview GIF:
 *   ffmpeg -ss 1 -i media/sample.mp4 -frames:v 1 -c:v libwebp -quality 60 media/sample-thumbnail.webp
 *   ffmpeg -t 1 -i media/sample.mp4 -vf "fps=5,scale=128:-2:flags=lanczos,split[a][b];[a]palettegen=max_colors=16[p];[b][p]paletteuse=dither=none" \
 *     -loop 0 media/sample-preview.gif
 * media/sample-<N>s.mp4 are the same clip at the other lengths a catalog model makes (5, 6, 8, 15, 25 s), so
 * a job's video lasts what it asked (Veo's 8 s): the command above with `duration=N` in both inputs.
 * media/clips/*.mp4 (distinct clips served for `#sim:clip-…`) are made as README.md beside this file shows.
 */

/**
 * Finds a file in the package's media/ folder whether this code runs from src/simulator (tsx), from
 * a dist/ bundle, or from somewhere else inside the package.
 */
export function findMediaFile(name: string): string {
  const starts = [__dirname, path.dirname(process.argv[1] ?? ''), process.cwd()];
  for (const start of starts) {
    for (let dir = start, i = 0; i < 6; i++, dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'media', name);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error(`media/${name} not found: looked upwards from ${starts.join(', ')}`);
}

/** The lengths media/ has a sample for, besides sample.mp4 (10 s). */
const SAMPLE_SECONDS = [5, 6, 8, 15, 25];

/** The samples by length, found once: `for(seconds)` is the one that lasts that long, sample.mp4 (10 s) for a length without one. */
export function findSamples(): { for(seconds: number): VideoSource } {
  const fallback: VideoSource = { file: findMediaFile('sample.mp4') };
  const byLength = new Map(SAMPLE_SECONDS.map((s) => [s, { file: findMediaFile(`sample-${s}s.mp4`) }]));
  return { for: (seconds) => byLength.get(seconds) ?? fallback };
}

/** Something to serve: a real file, or a synthetic MP4 of any size that is never held in memory. */
export type VideoSource = { file: string } | { bytes: number };

export function sourceSize(source: VideoSource): number {
  return 'file' in source ? statSync(source.file).size : source.bytes;
}

/** An MP4 that players won't play but every MP4 check accepts: an ftyp box, then one big mdat box. */
function syntheticHeader(total: number): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypisom', 4, 'latin1');
  ftyp.writeUInt32BE(0x200, 12);
  ftyp.write('isommp42', 16, 'latin1');
  const mdat = Buffer.alloc(8);
  // A box size of 0 means "to the end of the file", valid for files past 4 GB too.
  mdat.writeUInt32BE(total - 24 > 0xffffffff ? 0 : total - 24, 0);
  mdat.write('mdat', 4, 'latin1');
  return Buffer.concat([ftyp, mdat]);
}

/** Bytes `start..end` (inclusive) of a synthetic MP4 of `total` bytes, generated as they are read. */
export function syntheticStream(total: number, start: number, end: number): Readable {
  const header = syntheticHeader(total);
  const filler = Buffer.alloc(64 * 1024, 0x2a);
  let position = start;
  return new Readable({
    read() {
      if (position > end) return void this.push(null);
      const size = Math.min(filler.length, end - position + 1);
      // The filler is never written to, so chunks can share it; only the first one gets its own copy.
      let piece = filler.subarray(0, size);
      if (position < header.length) {
        piece = Buffer.from(piece);
        header.copy(piece, 0, position, Math.min(header.length, position + size));
      }
      position += size;
      this.push(piece);
    },
  });
}

function readRange(source: VideoSource, start: number, end: number): Readable {
  return 'file' in source ? createReadStream(source.file, { start, end }) : syntheticStream(sourceSize(source), start, end);
}

/** `Range: bytes=N-`, `bytes=N-M` or `bytes=-S` against `total`; null when there is none we honour. */
export function parseRange(header: string | undefined, total: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec((header ?? '').trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // absent, malformed or several ranges: serve it all
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix === 0 ? 'unsatisfiable' : { start: Math.max(0, total - suffix), end: total - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? total - 1 : Math.min(total - 1, Number(m[2]));
  return start >= total || start > end ? 'unsatisfiable' : { start, end };
}

export interface ServeOptions {
  contentType: string;
  /** Destroy the connection after this many body bytes, as a flaky network would. */
  cutAfter?: number;
}

/** Serves a file with Range support (so clients can resume a cut download); returns the status sent. */
export function serveFile(req: IncomingMessage, res: ServerResponse, source: VideoSource, options: ServeOptions): number {
  const total = sourceSize(source);
  const range = parseRange(req.headers.range, total);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'content-range': `bytes */${total}`, 'content-length': 0 });
    res.end();
    return 416;
  }
  const { start, end } = range ?? { start: 0, end: total - 1 };
  const headers: Record<string, string | number> = { 'content-type': options.contentType, 'accept-ranges': 'bytes', 'content-length': end - start + 1 };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${total}`;
  const status = range ? 206 : 200;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || total === 0) {
    res.end();
    return status;
  }

  const cut = options.cutAfter !== undefined && options.cutAfter < end - start + 1 ? options.cutAfter : undefined;
  if (cut === undefined) {
    readRange(source, start, end).pipe(res);
    return status;
  }
  // Send only the first `cut` bytes of what the headers promised, then close: the client sees the
  // body end early, exactly like a dropped connection.
  const hangUp = () => {
    const socket = res.socket;
    socket?.end(() => socket.destroy());
  };
  if (cut === 0) {
    res.flushHeaders();
    hangUp();
    return status;
  }
  const stream = readRange(source, start, start + cut - 1);
  stream.pipe(res, { end: false });
  stream.on('end', hangUp);
  return status;
}
