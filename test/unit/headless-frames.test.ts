/**
 * The headless clients' frame layer (test/support/headless/frames.ts): whole synthetic frames carry the
 * codec's clear bytes and a stamp, VP8 frames are split into packets with RFC 7741 payload descriptors
 * and reassembled only when every packet arrived, and an SFrame-encrypted frame keeps the clear bytes
 * in its first packet, as the browser's packetizer does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SFrameKeyRing } from '../../src/e2ee/sframe/keyRing.js';
import { clearPrefixLength, decryptFrame, encryptFrame } from '../../src/e2ee/sframe/media.js';
import {
  AudioFrames,
  RtpStream,
  Vp8Depacketizer,
  Vp8Frames,
  vp8DescriptorLength,
  vp8FrameBytes,
} from '../support/headless/frames.js';
import { readStamp } from '../support/rtp.js';

test('VP8 frames: keyframe header in the clear bytes, a stamp per frame, keyframes on request', () => {
  const frames = new Vp8Frames(500, 25);
  const key = frames.next();
  assert.equal(key.keyframe, true);
  assert.equal(clearPrefixLength('vp8', key.data), 10);
  assert.deepEqual([...key.data.subarray(3, 6)], [0x9d, 0x01, 0x2a]);
  const delta = frames.next();
  assert.equal(delta.keyframe, false);
  assert.equal(clearPrefixLength('vp8', delta.data), 3);
  assert.deepEqual([readStamp(key.data)?.counter, readStamp(delta.data)?.counter], [0, 1]);
  frames.requestKeyframe();
  assert.equal(frames.next().keyframe, true);
  const audio = new AudioFrames(60).next();
  assert.equal(audio[0], 0x78);
  assert.equal(readStamp(audio)?.counter, 0);
});

test('a VP8 frame is packetized and reassembled; a frame with a lost packet is dropped', () => {
  const rtp = new RtpStream(96, 3600);
  const depack = new Vp8Depacketizer();
  const frames = new Vp8Frames(vp8FrameBytes(4, 1000), 25);
  const first = frames.next().data;
  const packets = rtp.vp8(first, 1000);
  assert.equal(packets.length, 4);
  assert.deepEqual(
    packets.map((p) => [p.header.marker, (p.payload[0] ?? 0) & 0x10]),
    [
      [false, 0x10],
      [false, 0],
      [false, 0],
      [true, 0],
    ],
  );
  assert.equal(vp8DescriptorLength(packets[0]?.payload ?? Buffer.alloc(0)), 4);
  const out = packets.map((p) => depack.push(p));
  assert.deepEqual(out.slice(0, 3), [undefined, undefined, undefined]);
  assert.deepEqual(out[3], first);

  const second = rtp.vp8(frames.next().data, 1000);
  second.splice(1, 1); // lost on the way
  assert.deepEqual(
    second.map((p) => depack.push(p)),
    [undefined, undefined, undefined],
  );
  const third = frames.next().data;
  assert.deepEqual(rtp.vp8(third, 1000).map((p) => depack.push(p))[3], third);
});

test('descriptor lengths: 7- and 15-bit picture ids, TL0PICIDX and TID/KEYIDX', () => {
  assert.equal(vp8DescriptorLength(Uint8Array.of(0x10, 0xff)), 1);
  assert.equal(vp8DescriptorLength(Uint8Array.of(0x90, 0x80, 0x05, 0xff)), 3);
  assert.equal(vp8DescriptorLength(Uint8Array.of(0x90, 0x80, 0x85, 0x01, 0xff)), 4);
  assert.equal(vp8DescriptorLength(Uint8Array.of(0x90, 0xe0, 0x85, 0x01, 0x02, 0x03, 0xff)), 6);
  assert.equal(vp8DescriptorLength(Uint8Array.of(0x90)), 0, 'cut short');
});

test('an encrypted frame keeps its clear bytes at the start of its first packet and decrypts whole', async () => {
  const secret = new Uint8Array(16).fill(7);
  const sender = new SFrameKeyRing({ senderContext: 9n });
  sender.setEpoch(1n, secret, 0);
  const receiver = new SFrameKeyRing();
  receiver.setEpoch(1n, secret, 1);
  const plain = Uint8Array.from(new Vp8Frames(vp8FrameBytes(4, 1000), 25).next().data);
  const sealed = await encryptFrame(sender, 'vp8', plain);
  assert.ok(sealed.ok);
  const packets = new RtpStream(96, 3600).vp8(sealed.data, 1000);
  assert.equal(packets.length, 4, 'the SFrame overhead fits the frame budget');
  assert.deepEqual(packets[0]?.payload.subarray(4, 14), Buffer.from(plain.subarray(0, 10)));
  const depack = new Vp8Depacketizer();
  const whole = packets.map((p) => depack.push(p))[3];
  assert.ok(whole);
  const opened = await decryptFrame(receiver, 'vp8', Uint8Array.from(whole));
  assert.ok(opened.ok);
  assert.deepEqual(opened.data, plain);
});
