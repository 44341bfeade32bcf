/** The SFrame worker's per-frame logic (src/client/e2ee/frameTransform.ts), without a browser. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFrameTransform } from '../../../src/client/e2ee/frameTransform.js';
import { KeyframeRequestThrottle } from '../../../src/client/e2ee/keyframeThrottle.js';
import { emptyCounters } from '../../../src/client/e2ee/messages.js';
import type { Bytes } from '../../../src/e2ee/sframe/bytes.js';
import { SFrameKeyRing } from '../../../src/e2ee/sframe/keyRing.js';

const vp8Delta = (): Bytes => Uint8Array.from({ length: 600 }, (_, i) => (i === 0 ? 0x31 : i & 0xff));
const secret = new Uint8Array(16).fill(5);

/** A video sender or receiver transform reading `ring()` per frame, with a test clock for the throttle. */
const video = (
  operation: 'encrypt' | 'decrypt',
  ring: () => SFrameKeyRing,
  { counters = emptyCounters(), clock = (): number => 0 } = {},
) =>
  createFrameTransform(
    ring,
    { operation, kind: 'video', id: operation },
    counters,
    new KeyframeRequestThrottle(1000, clock),
  );

test('a sender without a key drops frames instead of sending them in the clear', async () => {
  const counters = emptyCounters();
  const ring = new SFrameKeyRing();
  const send = createFrameTransform(() => ring, { operation: 'encrypt', kind: 'video', id: 's' }, counters);
  const out = await send(vp8Delta());
  assert.equal(out.data, undefined);
  assert.equal(counters.framesDropped.noKey, 1);
  ring.setEpoch(1, secret, 0);
  const next = await send(vp8Delta());
  assert.ok(next.data && next.data.length > 600);
  assert.notDeepEqual(next.data.subarray(3, 600), vp8Delta().subarray(3, 600));
  assert.equal(counters.framesEncrypted, 1);
});

test('a receiver decrypts, counts failures by reason and asks for keyframes at most once a second', async () => {
  let t = 0;
  const senderRing = new SFrameKeyRing();
  senderRing.setEpoch(2, secret, 0);
  const send = video('encrypt', () => senderRing);

  let receiverRing = new SFrameKeyRing();
  receiverRing.setEpoch(1, secret, 1); // not yet in epoch 2
  const counters = emptyCounters();
  const recv = video('decrypt', () => receiverRing, { counters, clock: () => t });

  const asks: boolean[] = [];
  for (let i = 0; i < 60; i++) {
    const out = await recv((await send(vp8Delta())).data as Bytes);
    assert.equal(out.data, undefined);
    asks.push(out.requestKeyFrame);
    t += 33; // 30 fps for 2 s
  }
  assert.equal(counters.framesDropped.noKey, 60);
  assert.equal(asks.filter(Boolean).length, 2);
  assert.equal(counters.keyframeRequests, 2);

  // The ring is read per frame: once the receiver has epoch 2, the next frame decrypts.
  receiverRing.setEpoch(2, secret, 1);
  const ok = await recv((await send(vp8Delta())).data as Bytes);
  assert.deepEqual(ok.data, vp8Delta());
  assert.equal(counters.framesDecrypted, 1);

  receiverRing = new SFrameKeyRing();
  receiverRing.setEpoch(2, new Uint8Array(16).fill(6), 1);
  const bad = await recv((await send(vp8Delta())).data as Bytes);
  assert.deepEqual([bad.data, bad.requestKeyFrame], [undefined, false]);
  assert.equal(counters.framesDropped.authFailed, 1);
});

test('audio receivers never ask for keyframes; empty frames pass through and are counted apart', async () => {
  const counters = emptyCounters();
  const ring = new SFrameKeyRing();
  const recv = createFrameTransform(() => ring, { operation: 'decrypt', kind: 'audio', id: 'a' }, counters);
  const sender = new SFrameKeyRing();
  sender.setEpoch(1, secret, 0);
  const send = createFrameTransform(
    () => sender,
    { operation: 'encrypt', kind: 'audio', id: 'x' },
    emptyCounters(),
  );
  const out = await recv((await send(Uint8Array.from([0x78, 1, 2, 3]))).data as Bytes);
  assert.deepEqual([out.data, out.requestKeyFrame], [undefined, false]);
  assert.equal(counters.framesDropped.noKey, 1);
  const empty = await recv(new Uint8Array(0));
  assert.equal(empty.data?.length, 0);
  assert.equal(counters.framesEmpty, 1);
  assert.equal(counters.framesDecrypted, 0);
});

test('video after a wait for keys: the sender asks its encoder for a keyframe, the receiver asks until one decrypts', async () => {
  const vp8Key = (): Bytes => Uint8Array.from({ length: 600 }, (_, i) => (i === 0 ? 0x30 : i & 0xff));
  let t = 0;
  const ring = new SFrameKeyRing();
  const send = video('encrypt', () => ring);
  assert.equal((await send(vp8Key())).data, undefined, 'no key: the keyframe is dropped');
  ring.setEpoch(1, secret, 0);
  const first = await send(vp8Delta());
  assert.equal(first.generateKeyFrame, true, 'the first frame sent is a delta: ask for a keyframe');
  assert.equal((await send(vp8Delta())).generateKeyFrame, false, 'asked once');

  // The receiver holds the key from the start: every frame decrypts; the question is which decode.
  const receiverRing = new SFrameKeyRing();
  receiverRing.setEpoch(1, secret, 1);
  const counters = emptyCounters();
  const recv = video('decrypt', () => receiverRing, { counters, clock: () => t });
  const delta = await recv(first.data as Bytes);
  assert.deepEqual([delta.data, delta.requestKeyFrame], [vp8Delta(), true]);
  t += 1500;
  const key = await recv((await send(vp8Key())).data as Bytes);
  assert.deepEqual([key.data, key.requestKeyFrame], [vp8Key(), false]);
  t += 1500;
  assert.equal(
    (await recv((await send(vp8Delta())).data as Bytes)).requestKeyFrame,
    false,
    'decoding from here',
  );
  assert.equal(counters.keyframeRequests, 1);
});
