import assert from 'node:assert/strict';

import { box, fullBox, readBoxHeader } from '../../../src/storyboard/mp4Box';

describe('storyboard/mp4Box: the framing of MP4 boxes', () => {
  it('writes a box as its size, its type and its body, and a full box with version and flags first', () => {
    assert.equal(box('free', Buffer.from('ab')).toString('hex'), '0000000a' + '66726565' + '6162');
    assert.equal(fullBox('nmhd', 1, 0x000203).toString('hex'), '0000000c' + '6e6d6864' + '01000203');
  });

  it('reads a 32-bit size, a 64-bit size, and a size of 0 that runs to the end of the parent', () => {
    assert.deepEqual(readBoxHeader(Buffer.from('0000000a6672656561620000', 'hex'), 0, 12), { type: 'free', size: 10, headerSize: 8 });
    assert.deepEqual(readBoxHeader(Buffer.from('000000016d6461740000000100000000', 'hex'), 0, 16), { type: 'mdat', size: 2 ** 32, headerSize: 16 });
    assert.deepEqual(readBoxHeader(Buffer.from('00000000000000006d646174', 'hex'), 4, 40), { type: 'mdat', size: 36, headerSize: 8 });
  });

  it('gives no header where none fits or its size is smaller than a header', () => {
    assert.equal(readBoxHeader(Buffer.from('0000000a667265', 'hex'), 0, 7), undefined, 'cut short');
    assert.equal(readBoxHeader(Buffer.from('0000000a66726565', 'hex'), 0, 6), undefined, 'past its parent');
    assert.equal(readBoxHeader(Buffer.from('000000016d646174000000', 'hex'), 0, 100), undefined, '64-bit size cut short');
    assert.equal(readBoxHeader(Buffer.from('0000000466726565', 'hex'), 0, 8), undefined, 'a size of 4');
  });
});
