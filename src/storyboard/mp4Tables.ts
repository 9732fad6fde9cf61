import { open, type FileHandle } from 'node:fs/promises';

import { readBoxHeader } from './mp4Box';

/**
 * Bounds for the sample tables of a clip, far above any clip (a 25 s clip has about 750 video and
 * 1,100 audio samples, in chunks of about 30, and a header of some 50 KB).
 */
export const MP4_LIMITS = {
  /** Boxes at the top of the file (a plain MP4 has three or four; a fragmented one, two per fragment). */
  topBoxes: 10_000,
  /** The header box (`moov`) is read into memory whole. */
  moovBytes: 16 * 1024 * 1024,
  /** Samples of one track (an hour at 60 frames a second is 216,000). */
  samples: 1_000_000,
  /**
   * The joiner finds a sample's place by walking its chunk, so reading a track costs the sum over
   * chunks of (samples in the chunk)²: bounded here, whatever one field of `stsc` says.
   */
  chunkWalk: 50_000_000,
} as const;

/** Why a clip's tables cannot be trusted, for the error message. */
export class Mp4TableError extends Error {
  override readonly name = 'Mp4TableError';
}

/**
 * Checks the sample tables of an MP4 (`moov/trak/mdia/minf/stbl`) before mediabunny builds its
 * indexes from them. mediabunny believes every count it reads: one crafted field (the first `stsc`
 * entry, a `stts` count) makes it loop for hours or fill the memory. Every count here is checked
 * against the bytes that hold it, the file's size, and the other tables (they must describe the
 * same samples), so the work of reading the clip stays proportional to the clip. Throws Mp4TableError.
 */
export async function checkMp4Tables(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    let offset = 0;
    let boxes = 0;
    while (offset + 8 <= size) {
      if (++boxes > MP4_LIMITS.topBoxes) throw new Mp4TableError(`more than ${MP4_LIMITS.topBoxes} boxes`);
      // A file cut short or not an MP4 at all is mediabunny's to name (it reads no further than the file):
      // only the header box's counts need checking, as far as the file holds it.
      const header = readBoxHeader(await readAt(handle, offset, 16), 0, size - offset);
      if (!header) break;
      const end = Math.min(offset + header.size, size);
      if (header.type === 'moov') {
        if (end - offset > MP4_LIMITS.moovBytes) throw new Mp4TableError(`the header box is ${header.size} bytes`);
        checkContainer(await readAt(handle, offset + header.headerSize, end - offset - header.headerSize), 'moov', size);
      }
      offset += header.size;
    }
  } finally {
    await handle.close();
  }
}

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);

function checkContainer(content: Buffer, type: string, fileSize: number): void {
  const tables = new Map<string, Buffer>();
  for (let at = 0; at + 8 <= content.length;) {
    const header = readBoxHeader(content, at, content.length);
    if (!header) break;
    // A box that claims more than its parent holds is read as far as the parent goes: its counts are still checked against its bytes.
    const body = content.subarray(at + header.headerSize, Math.min(at + header.size, content.length));
    if (CONTAINERS.has(header.type)) checkContainer(body, header.type, fileSize);
    else if (type === 'stbl' && !tables.has(header.type)) tables.set(header.type, body);
    at += header.size;
  }
  if (type === 'stbl') checkSampleTable(tables, fileSize);
}

/** The counts of one track's tables, each backed by its bytes, and all describing the same samples. */
function checkSampleTable(tables: Map<string, Buffer>, fileSize: number): void {
  const samples = sampleCount(tables, fileSize);
  const chunks = chunkCount(tables);
  for (const name of ['stts', 'ctts'] as const) {
    const table = tables.get(name);
    if (!table) continue;
    const entries = entryCount(table, name, 8);
    let total = 0;
    for (let i = 0; i < entries; i++) total += table.readUInt32BE(8 + i * 8);
    // Each of these counts is expanded into one record per sample.
    if (name === 'stts' ? total !== samples : total > samples) throw new Mp4TableError(`${name} describes ${total} samples, the track has ${samples}`);
  }
  const stss = tables.get('stss');
  if (stss) {
    const entries = entryCount(stss, 'stss', 4);
    for (let i = 0; i < entries; i++) {
      const index = stss.readUInt32BE(8 + i * 4);
      if (index < 1 || index > samples) throw new Mp4TableError(`stss names sample ${index} of ${samples}`);
    }
  }
  const stsc = tables.get('stsc');
  if (!stsc) {
    if (samples) throw new Mp4TableError('no stsc');
    return;
  }
  const entries = entryCount(stsc, 'stsc', 12);
  let covered = 0;
  let walk = 0;
  for (let i = 0; i < entries; i++) {
    const firstChunk = stsc.readUInt32BE(8 + i * 12);
    const perChunk = stsc.readUInt32BE(12 + i * 12);
    const next = i + 1 < entries ? stsc.readUInt32BE(8 + (i + 1) * 12) : chunks + 1;
    if ((i === 0 && firstChunk !== 1) || firstChunk < 1 || next <= firstChunk || next > chunks + 1) {
      throw new Mp4TableError(`stsc entry ${i + 1} starts at chunk ${firstChunk} of ${chunks}`);
    }
    if (perChunk < 1 || perChunk > samples) throw new Mp4TableError(`stsc entry ${i + 1} puts ${perChunk} samples in a chunk of a ${samples}-sample track`);
    covered += (next - firstChunk) * perChunk;
    walk += (next - firstChunk) * perChunk * perChunk;
  }
  if (covered !== samples) throw new Mp4TableError(`stsc places ${covered} samples, the track has ${samples}`);
  if (walk > MP4_LIMITS.chunkWalk) throw new Mp4TableError(`chunks of up to ${samples} samples`);
}

function sampleCount(tables: Map<string, Buffer>, fileSize: number): number {
  const stsz = tables.get('stsz');
  const stz2 = tables.get('stz2');
  let count: number;
  if (stsz) {
    if (stsz.length < 12) throw new Mp4TableError('stsz cut short');
    const fixed = stsz.readUInt32BE(4);
    count = stsz.readUInt32BE(8);
    // A table of sizes needs its bytes; one size for all needs the samples' bytes in the file.
    if (fixed === 0 ? 12 + count * 4 > stsz.length : count * fixed > fileSize) throw new Mp4TableError(`stsz claims ${count} samples`);
  } else if (stz2) {
    if (stz2.length < 12) throw new Mp4TableError('stz2 cut short');
    const bits = stz2.readUInt8(7);
    count = stz2.readUInt32BE(8);
    if (![4, 8, 16].includes(bits) || 12 + Math.ceil((count * bits) / 8) > stz2.length) throw new Mp4TableError(`stz2 claims ${count} samples`);
  } else return 0;
  if (count > MP4_LIMITS.samples) throw new Mp4TableError(`${count} samples in one track`);
  return count;
}

function chunkCount(tables: Map<string, Buffer>): number {
  const stco = tables.get('stco');
  const co64 = tables.get('co64');
  if (stco) return entryCount(stco, 'stco', 4);
  if (co64) return entryCount(co64, 'co64', 8);
  return 0;
}

/** A table's entry count, once its entries are known to fit in its bytes (version and flags, count, entries). */
function entryCount(table: Buffer, name: string, entryBytes: number): number {
  if (table.length < 8) throw new Mp4TableError(`${name} cut short`);
  const count = table.readUInt32BE(4);
  if (8 + count * entryBytes > table.length) throw new Mp4TableError(`${name} claims ${count} entries in ${table.length} bytes`);
  return count;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
