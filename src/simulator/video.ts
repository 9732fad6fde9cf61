import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';

/*
 * media/sample.mp4 is a real, playable 10 s clip made once with Debian's ffmpeg:
 *   ffmpeg -f lavfi -i "testsrc2=size=320x180:rate=24:duration=10" -f lavfi -i "sine=frequency=440:duration=10" \
 *     -c:v libx264 -profile:v baseline -pix_fmt yuv420p -crf 35 -preset veryslow -c:a aac -b:a 24k \
 *     -movflags +faststart -shortest media/sample.mp4
 * media/sample-thumbnail.png is its first frame: ffmpeg -i media/sample.mp4 -frames:v 1 media/sample-thumbnail.png
 */

/** Finds a file in media/ whether this runs from src/ (tsx) or from a dist/ bundle. */
export function findMediaFile(name: string): string {
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'media', name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`media/${name} not found next to the simulator`);
}

/** A video to serve: a real file, or a synthetic MP4 of any size that is never held in memory. */
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
  mdat.writeUInt32BE(Math.min(0xffffffff, total - 24), 0);
  mdat.write('mdat', 4, 'latin1');
  return Buffer.concat([ftyp, mdat]);
}

function syntheticStream(total: number, start: number, end: number): Readable {
  const header = syntheticHeader(total);
  const chunk = Buffer.alloc(64 * 1024, 0x2a);
  let position = start;
  return new Readable({
    read() {
      if (position > end) return void this.push(null);
      const size = Math.min(chunk.length, end - position + 1);
      const piece = Buffer.from(chunk.subarray(0, size));
      if (position < header.length) header.copy(piece, 0, position, Math.min(header.length, position + size));
      position += size;
      this.push(piece);
    },
  });
}

/**
 * Serves a video with Range support (so clients can resume). `cutAfter` destroys the connection after
 * that many body bytes, as a flaky network would.
 */
export function serveVideo(req: IncomingMessage, res: ServerResponse, source: VideoSource, cutAfter?: number): void {
  const total = sourceSize(source);
  let start = 0;
  let end = total - 1;
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (range) {
    start = Number(range[1]);
    if (range[2]) end = Math.min(end, Number(range[2]));
    if (start > end) {
      res.writeHead(416, { 'content-range': `bytes */${total}` });
      return void res.end();
    }
  }
  const headers: Record<string, string | number> = {
    'content-type': 'video/mp4',
    'accept-ranges': 'bytes',
    'content-length': end - start + 1,
  };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${total}`;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD') return void res.end();
  const stream = 'file' in source ? createReadStream(source.file, { start, end }) : syntheticStream(total, start, end);
  if (cutAfter === undefined) {
    stream.pipe(res);
    return;
  }
  let sent = 0;
  stream.on('data', (data: Buffer) => {
    const room = cutAfter - sent;
    if (room <= 0) return;
    if (data.length >= room) {
      res.write(data.subarray(0, room), () => {
        stream.destroy();
        res.socket?.destroy();
      });
      sent = cutAfter;
      return;
    }
    sent += data.length;
    res.write(data);
  });
  stream.on('end', () => res.end());
}
