import { open, type FileHandle } from 'node:fs/promises';

import { box, readBoxHeader, u32, u64, type BoxHeader } from './mp4Box';
import { encodeTextSample, TEXT_TIMESCALE, textSamples, textTrak } from './movText';
import type { SubtitleCue } from './srt';

/**
 * Room, in bytes, that the subtitle track of these cues takes at most in the header region of a film
 * (its `trak` and the `mdat` of its samples): what the joiner asks the muxer to reserve.
 */
export function movTextRoom(cues: readonly SubtitleCue[]): number {
  const samples = textSamples(cues, 0);
  // One more sample (the stretch after the last line), 64-bit durations and chunk offset: the most it can take.
  const sized = [...samples, { duration: 0, text: '' }].map((s) => ({ size: encodeTextSample(s.text).length, duration: s.duration }));
  const trak = textTrak({ samples: sized, trackId: 1, movieTimescale: 2 ** 32, language: 'und', chunkOffset: 2 ** 40 });
  return trak.length + 8 + sized.reduce((n, s) => n + s.size, 0);
}

/** Where the track went: in the room before the media (the film still starts playing at once), or at the end. */
export type MovTextPlace = 'header' | 'end';

/**
 * Adds the cues to a finished MP4 as a `tx3g` subtitle track (movText.ts), without touching a byte of
 * its media: the samples go in an `mdat` of their own and the new `trak` into `moov`. When `moov`
 * is at the front with room after it (a `free` box: mediabunny's `fastStart: 'reserve'`), the new
 * `moov` and the samples take that room; else the old `moov` becomes `free` and the new one goes at
 * the end of the file, after the samples. Either way no chunk offset of the media changes. The file
 * is the joiner's own temporary output: anything unexpected in it throws.
 */
export async function embedMovText(file: string, cues: readonly SubtitleCue[], language: string): Promise<MovTextPlace> {
  const handle = await open(file, 'r+');
  try {
    const size = (await handle.stat()).size;
    const top = await topLevelBoxes(handle, size);
    const moovIndex = top.findIndex((b) => b.type === 'moov');
    if (moovIndex < 0 || top.filter((b) => b.type === 'moov').length > 1) throw new Error('the film has no single moov box');
    const moov = top[moovIndex];
    const moovBytes = await readAt(handle, moov.offset + moov.headerSize, moov.size - moov.headerSize);
    const children = childBoxes(moovBytes);
    const mvhd = children.find((c) => c.type === 'mvhd');
    if (!mvhd) throw new Error('the film has no mvhd box');
    const movie = readMovieHeader(mvhd.body);
    const trackId = Math.max(movie.nextTrackId, ...children.filter((c) => c.type === 'trak').map((c) => trackIdOf(c) + 1));

    const endMs = Math.round((movie.duration * TEXT_TIMESCALE) / movie.timescale);
    const samples = textSamples(cues, endMs).map((s) => ({ bytes: encodeTextSample(s.text), duration: s.duration }));
    const mdat = box('mdat', ...samples.map((s) => s.bytes));
    const textMs = samples.reduce((n, s) => n + s.duration, 0);
    const newMvhd = withMovieHeader(mvhd, movie, {
      nextTrackId: trackId + 1,
      duration: Math.max(movie.duration, Math.ceil((textMs * movie.timescale) / TEXT_TIMESCALE)),
    });
    const newMoov = (chunkOffset: number) => {
      const trak = textTrak({
        samples: samples.map((s) => ({ size: s.bytes.length, duration: s.duration })),
        trackId,
        movieTimescale: movie.timescale,
        language,
        chunkOffset,
      });
      // After the last track, so the other boxes (udta, meta) keep their order.
      const lastTrak = children.findLastIndex((c) => c.type === 'trak');
      const boxes = children.map((c) => (c === mvhd ? newMvhd : c.bytes));
      boxes.splice(lastTrak + 1, 0, trak);
      return box('moov', ...boxes);
    };

    // The room: from moov to the first box after it that is not free space (the media), or the end of the file.
    const media = top.slice(moovIndex + 1).find((b) => b.type !== 'free');
    const room = media ? media.offset - moov.offset : Infinity;
    // The same size for any 32-bit chunk offset; 4 bytes more for a 64-bit one.
    let moovSize = newMoov(0).length;
    if (moov.offset + moovSize + 8 > 0xffffffff) moovSize = newMoov(2 ** 32).length;
    const spare = room - moovSize - mdat.length;
    if (spare >= 0) {
      // Spare bytes too few for a free box (8) stay inside the samples' mdat, where nothing points.
      const padded = spare > 0 && spare < 8 ? box('mdat', mdat.subarray(8), Buffer.alloc(spare)) : mdat;
      const tail = spare >= 8 && Number.isFinite(spare) ? [u32(spare), Buffer.from('free', 'latin1')] : [];
      await writeAt(handle, moov.offset, Buffer.concat([newMoov(moov.offset + moovSize + 8), padded, ...tail]));
      return 'header';
    }
    await writeAt(handle, size, Buffer.concat([mdat, newMoov(size + 8)]));
    // Last: until now the file still read as it was.
    await writeAt(handle, moov.offset + 4, Buffer.from('free', 'latin1'));
    return 'end';
  } finally {
    await handle.close();
  }
}

interface TopBox extends BoxHeader {
  offset: number;
}

/** The boxes at the top of the file, which must cover it exactly. */
async function topLevelBoxes(handle: FileHandle, size: number): Promise<TopBox[]> {
  const boxes: TopBox[] = [];
  for (let offset = 0; offset < size;) {
    const header = readBoxHeader(await readAt(handle, offset, 16), 0, size - offset);
    if (!header || offset + header.size > size) throw new Error(`the film's boxes do not add up at byte ${offset}`);
    boxes.push({ ...header, offset });
    offset += header.size;
  }
  return boxes;
}

interface ChildBox {
  type: string;
  /** The whole box. */
  bytes: Buffer;
  /** Its body: where its fields start. */
  body: Buffer;
}

/** The boxes inside a container's body. */
function childBoxes(container: Buffer): ChildBox[] {
  const children: ChildBox[] = [];
  for (let at = 0; at < container.length;) {
    const header = readBoxHeader(container, at, container.length);
    if (!header || at + header.size > container.length) throw new Error('the film header (moov) does not add up');
    const bytes = container.subarray(at, at + header.size);
    children.push({ type: header.type, bytes, body: bytes.subarray(header.headerSize) });
    at += header.size;
  }
  return children;
}

interface MovieHeader {
  version: number;
  timescale: number;
  duration: number;
  nextTrackId: number;
}

/** mvhd (ISO/IEC 14496-12 §8.2.2): version 1 has 64-bit times and duration; next_track_ID ends it. */
function readMovieHeader(mvhd: Buffer): MovieHeader {
  const version = mvhd[0];
  const wide = version === 1;
  if (mvhd.length < (wide ? 112 : 100)) throw new Error('the film header (mvhd) is cut short');
  const timescale = mvhd.readUInt32BE(wide ? 20 : 12);
  const duration = wide ? Number(mvhd.readBigUInt64BE(24)) : mvhd.readUInt32BE(16);
  if (!timescale) throw new Error('the film header has no timescale');
  return { version, timescale, duration, nextTrackId: mvhd.readUInt32BE(mvhd.length - 4) };
}

/** A copy of the mvhd box (`bytes`, body at `bodyAt`) with a new duration and next_track_ID. */
function withMovieHeader(mvhd: ChildBox, movie: MovieHeader, change: { nextTrackId: number; duration: number }): Buffer {
  const out = Buffer.from(mvhd.bytes);
  const bodyAt = mvhd.bytes.length - mvhd.body.length;
  if (movie.version === 1) out.set(u64(change.duration), bodyAt + 24);
  else if (change.duration <= 0xffffffff) out.set(u32(change.duration), bodyAt + 16);
  out.set(u32(change.nextTrackId), out.length - 4);
  return out;
}

/** The track_ID in a trak's tkhd (§8.3.2). */
function trackIdOf(trak: ChildBox): number {
  const tkhd = childBoxes(trak.body).find((c) => c.type === 'tkhd')?.body;
  if (!tkhd || tkhd.length < 24) return 0;
  return tkhd.readUInt32BE(tkhd[0] === 1 ? 20 : 12);
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

async function writeAt(handle: FileHandle, position: number, data: Buffer): Promise<void> {
  for (let done = 0; done < data.length;) done += (await handle.write(data, done, data.length - done, position + done)).bytesWritten;
}
