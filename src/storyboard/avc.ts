/**
 * H.264 clips from one encoder can differ only in their parameter sets (SPS/PPS, e.g. another initial
 * quantiser), which an `avc1` track keeps once, in its header. Such clips are still joined without
 * re-encoding as an `avc3` track, where each key frame carries its own clip's parameter sets in band
 * (ISO/IEC 14496-15). This reads them from a clip's AVCDecoderConfigurationRecord (`avcC`).
 */
export function avcParameterSetPrefix(description: AllowSharedBufferSource): Uint8Array {
  const bytes = ArrayBuffer.isView(description)
    ? new Uint8Array(description.buffer, description.byteOffset, description.byteLength)
    : new Uint8Array(description);
  const fail = () => new Error('The clip’s H.264 set-up (avcC) is damaged.');
  if (bytes.length < 7 || bytes[0] !== 1) throw fail();
  const lengthSize = (bytes[4] & 0b11) + 1;
  const units: Uint8Array[] = [];
  let at = 5;
  for (const countMask of [0b11111, 0xff]) {
    if (at >= bytes.length) throw fail();
    const count = bytes[at++] & countMask;
    for (let i = 0; i < count; i++) {
      if (at + 2 > bytes.length) throw fail();
      const size = (bytes[at] << 8) | bytes[at + 1];
      at += 2;
      if (at + size > bytes.length) throw fail();
      units.push(bytes.subarray(at, at + size));
      at += size;
    }
  }
  // Each NAL unit as the samples carry them: its length in `lengthSize` bytes, big-endian, then the unit.
  const out = new Uint8Array(units.reduce((n, u) => n + lengthSize + u.length, 0));
  let position = 0;
  for (const unit of units) {
    for (let b = lengthSize - 1; b >= 0; b--) out[position++] = (unit.length >>> (8 * b)) & 0xff;
    out.set(unit, position);
    position += unit.length;
  }
  return out;
}
