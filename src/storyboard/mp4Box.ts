/** The framing of ISO base media (MP4) boxes, ISO/IEC 14496-12 §4.2: a size, a four-letter type, the body. */

export interface BoxHeader {
  type: string;
  /** The whole box, header included, as its header claims (it may claim more than its parent holds). */
  size: number;
  headerSize: number;
}

/**
 * The header of the box at `at` in `bytes`; `end` is where its parent (or the file) ends, for a size of
 * 0 ("to the end"). Undefined where no whole header fits or the size is smaller than the header.
 */
export function readBoxHeader(bytes: Buffer, at: number, end: number): BoxHeader | undefined {
  if (at + 8 > Math.min(end, bytes.length)) return undefined;
  let size = bytes.readUInt32BE(at);
  const type = bytes.toString('latin1', at + 4, at + 8);
  let headerSize = 8;
  if (size === 1) {
    if (at + 16 > bytes.length) return undefined;
    size = Number(bytes.readBigUInt64BE(at + 8));
    headerSize = 16;
  } else if (size === 0) size = end - at;
  return size < headerSize ? undefined : { type, size, headerSize };
}

export function box(type: string, ...body: Uint8Array[]): Buffer {
  const size = 8 + body.reduce((n, part) => n + part.length, 0);
  if (size > 0xffffffff) throw new RangeError(`a ${type} box of ${size} bytes`);
  return Buffer.concat([u32(size), Buffer.from(type, 'latin1'), ...body]);
}

/** A box whose body starts with a version byte and 24 bits of flags. */
export function fullBox(type: string, version: number, flags: number, ...body: Uint8Array[]): Buffer {
  return box(type, u8(version), u24(flags), ...body);
}

export function u8(n: number): Buffer {
  return Buffer.of(n & 0xff);
}

export function u16(n: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(n);
  return out;
}

function u24(n: number): Buffer {
  return Buffer.of((n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}

export function u32(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n);
  return out;
}

export function u64(n: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(n));
  return out;
}
