/** The media frame layout: clear prefix || SFrame header || ciphertext || tag (docs/e2ee.md). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bytes } from '../../../src/e2ee/sframe/bytes.js';
import { decodeHeader } from '../../../src/e2ee/sframe/header.js';
import { SFrameKeyRing } from '../../../src/e2ee/sframe/keyRing.js';
import {
  clearPrefixLength,
  decryptFrame,
  encryptFrame,
  type MediaCodec,
} from '../../../src/e2ee/sframe/media.js';

function rings() {
  const sender = new SFrameKeyRing();
  const receiver = new SFrameKeyRing();
  sender.setEpoch(1, new Uint8Array(16).fill(1), 2);
  receiver.setEpoch(1, new Uint8Array(16).fill(1), 4);
  return { sender, receiver };
}

function bytes(length: number, first: number): Bytes {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (i * 7 + 3) & 0xff;
  b[0] = first;
  return b;
}

// VP8 frame tag: bit 0 of the first byte is P, 0 on keyframes.
const vp8Key = bytes(1200, 0x50);
const vp8Delta = bytes(1200, 0x51);
const opus = bytes(100, 0x78);

const cases: [string, MediaCodec, Bytes, number][] = [
  ['VP8 keyframe', 'vp8', vp8Key, 10],
  ['VP8 delta frame', 'vp8', vp8Delta, 3],
  ['Opus', 'opus', opus, 1],
  ['no codec prefix', 'none', opus, 0],
];

for (const [name, codec, frame, n] of cases) {
  test(`${name}: the first ${n} bytes stay in the clear, then the SFrame header, and it round-trips`, async () => {
    const { sender, receiver } = rings();
    assert.equal(clearPrefixLength(codec, frame), n);
    const enc = await encryptFrame(sender, codec, frame);
    assert.ok(enc.ok);
    assert.deepEqual(enc.data.subarray(0, n), frame.subarray(0, n));
    const header = decodeHeader(enc.data.subarray(n));
    assert.ok(header);
    // header + ciphertext of the same length as the encrypted part + 16-byte tag
    assert.equal(enc.data.length, n + header.bytes.length + (frame.length - n) + 16);
    assert.notDeepEqual(
      enc.data.subarray(n + header.bytes.length, n + header.bytes.length + 16),
      frame.subarray(n, n + 16),
    );

    const dec = await decryptFrame(receiver, codec, enc.data);
    assert.ok(dec.ok);
    assert.deepEqual(dec.data, frame);
    assert.deepEqual(dec.sender, { index: 2, epoch: 1n });
  });
}

for (const [name, codec, frame, n] of cases.filter((c) => c[3] > 0)) {
  test(`${name}: changing any clear byte fails authentication`, async () => {
    const { sender, receiver } = rings();
    const enc = await encryptFrame(sender, codec, frame);
    assert.ok(enc.ok);
    for (let i = 0; i < n; i++) {
      const tampered = enc.data.slice();
      // Flip a high bit: for VP8 byte 0 that keeps P (and so the prefix length) unchanged.
      tampered[i] = (tampered[i] ?? 0) ^ 0x80;
      const dec = await decryptFrame(receiver, codec, tampered);
      assert.equal(dec.ok ? 'ok' : dec.reason, 'authFailed', `clear byte ${i}`);
    }
  });
}

test('VP8: flipping the keyframe bit moves the clear boundary and the frame is rejected', async () => {
  const { sender, receiver } = rings();
  const enc = await encryptFrame(sender, 'vp8', vp8Delta);
  assert.ok(enc.ok);
  const tampered = enc.data.slice();
  tampered[0] = (tampered[0] ?? 0) ^ 0x01;
  const dec = await decryptFrame(receiver, 'vp8', tampered);
  // The receiver then parses ciphertext bytes as the header: which failure it sees depends on those
  // bytes (usually noKey), but the frame is never accepted.
  assert.equal(dec.ok, false);
});

test('a frame too short for its codec prefix is refused; an empty frame passes through', async () => {
  const { sender, receiver } = rings();
  assert.deepEqual(await encryptFrame(sender, 'vp8', bytes(5, 0x50)), { ok: false, reason: 'tooShort' });
  const empty = new Uint8Array(0);
  assert.deepEqual(await encryptFrame(sender, 'vp8', empty), { ok: true, data: empty });
  assert.deepEqual(await decryptFrame(receiver, 'vp8', empty), { ok: true, data: empty, sender: undefined });
  assert.deepEqual(await decryptFrame(receiver, 'opus', bytes(1, 0x78)), { ok: false, reason: 'malformed' });
});

test('a receiver without the key reports noKey for media frames', async () => {
  const { sender } = rings();
  const enc = await encryptFrame(sender, 'opus', opus);
  assert.ok(enc.ok);
  const dec = await decryptFrame(new SFrameKeyRing(), 'opus', enc.data);
  assert.deepEqual(dec, { ok: false, reason: 'noKey' });
});
