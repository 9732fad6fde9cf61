import assert from 'node:assert/strict';

import { avcParameterSetPrefix } from '../../../src/storyboard/avc';

// The avcC of media/clips/clip-1.mp4: 4-byte lengths, one SPS (27 bytes), one PPS (7 bytes).
const AVCC = Buffer.from('01640015ffe1001b67640015ac720441419f9f011000000300100000030300f162d84601000768e8438252c8b0fdf8f800', 'hex');

describe('storyboard: H.264 parameter sets in band', () => {
  it('turns an avcC into the SPS and PPS as length-prefixed NAL units', () => {
    const prefix = Buffer.from(avcParameterSetPrefix(new Uint8Array(AVCC)));
    assert.equal(prefix.length, 4 + 27 + 4 + 7);
    assert.equal(prefix.readUInt32BE(0), 27);
    assert.equal(prefix[4] & 0x1f, 7, 'an SPS');
    assert.equal(prefix.readUInt32BE(31), 7);
    assert.equal(prefix[35] & 0x1f, 8, 'a PPS');
    assert.ok(prefix.subarray(4, 31).equals(AVCC.subarray(8, 35)));
  });

  it('uses the record’s NAL length size (2 bytes here)', () => {
    const twoBytes = Buffer.from(AVCC);
    twoBytes[4] = 0xfd; // lengthSizeMinusOne = 1
    const prefix = Buffer.from(avcParameterSetPrefix(twoBytes));
    assert.equal(prefix.length, 2 + 27 + 2 + 7);
    assert.equal(prefix.readUInt16BE(0), 27);
  });

  it('refuses a damaged record', () => {
    assert.throws(() => avcParameterSetPrefix(AVCC.subarray(0, 20)), /damaged/);
    assert.throws(() => avcParameterSetPrefix(Buffer.from('02640015', 'hex')), /damaged/);
  });
});
