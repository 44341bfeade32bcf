/** MLS-derived SFrame keys (RFC 9605 §5.2) and the epoch key ring. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utf8, type Bytes } from '../../../src/e2ee/sframe/bytes.js';
import { decodeHeader } from '../../../src/e2ee/sframe/header.js';
import { SFrameKeyRing } from '../../../src/e2ee/sframe/keyRing.js';
import {
  MLS_EXPORTER_LABEL,
  exportEpochBaseKey,
  indexBitsFor,
  mlsKid,
  parseMlsKid,
} from '../../../src/e2ee/sframe/mls.js';
import { CipherSuite } from '../../../src/e2ee/sframe/suites.js';

const secret = (fill: number, n = 16): Bytes => new Uint8Array(n).fill(fill);
const meta = utf8('meta');
const frame = utf8('a media frame');

/** A controllable clock: tests move time instead of waiting for it. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function pair(options: { retainPreviousMs?: number } = {}) {
  const c = clock();
  const alice = new SFrameKeyRing({ now: c.now, ...options });
  const bob = new SFrameKeyRing({ now: c.now, ...options });
  return { c, alice, bob };
}

test('KIDs follow the RFC 9605 figure "An Example Sequence of KIDs" (E=4, S=6)', () => {
  const l = { epochBits: 4, indexBits: 6 };
  assert.equal(mlsKid(l, 14n, 3), 0x3en);
  assert.equal(mlsKid(l, 14n, 7), 0x7en);
  assert.equal(mlsKid(l, 14n, 20), 0x14en);
  assert.equal(mlsKid(l, 15n, 5), 0x5fn);
  assert.equal(mlsKid(l, 16n, 2, 2n), 0x820n);
  assert.equal(mlsKid(l, 16n, 2, 3n), 0xc20n);
  assert.equal(mlsKid(l, 17n, 33), 0x211n);
  assert.equal(mlsKid(l, 17n, 51), 0x331n);
  assert.deepEqual(parseMlsKid(l, 0xc20n), { epochLow: 0, senderIndex: 2, context: 3n });
  assert.throws(() => mlsKid(l, 1n, 64), RangeError);
  assert.equal(indexBitsFor(64), 6);
  assert.equal(indexBitsFor(65), 7);
  assert.equal(indexBitsFor(1), 0);
});

test('the epoch secret comes from the MLS exporter with the RFC label, empty context and Nk bytes', async () => {
  const calls: [string, number, number][] = [];
  const key = await exportEpochBaseKey(async (label, context, length) => {
    calls.push([label, context.length, length]);
    return secret(7, length);
  }, CipherSuite.AES_256_GCM_SHA512_128);
  assert.deepEqual(calls, [[MLS_EXPORTER_LABEL, 0, 32]]);
  assert.equal(MLS_EXPORTER_LABEL, 'SFrame 1.0 Base Key');
  assert.equal(key.length, 32);
});

test('members with the same epoch secret decrypt each other, and the result names the sender', async () => {
  const { alice, bob } = pair();
  alice.setEpoch(1, secret(1), 3);
  bob.setEpoch(1, secret(1), 5);
  const ct = await alice.encrypt(frame, meta);
  assert.equal(decodeHeader(ct)?.kid, mlsKid(alice.layout, 1n, 3));
  const out = await bob.decrypt(ct, meta);
  assert.ok(out.ok);
  assert.deepEqual(
    [out.senderIndex, out.epoch, Buffer.from(out.plaintext).toString()],
    [3, 1n, 'a media frame'],
  );
});

test('each frame gets a fresh CTR, so two encryptions of one frame differ', async () => {
  const { alice } = pair();
  alice.setEpoch(1, secret(1), 0);
  const [a, b] = await Promise.all([alice.encrypt(frame, meta), alice.encrypt(frame, meta)]);
  assert.deepEqual([decodeHeader(a)?.ctr, decodeHeader(b)?.ctr], [0n, 1n]);
});

test('a frame from an epoch we do not have is "noKey", not "authFailed"', async () => {
  const { alice, bob } = pair();
  alice.setEpoch(1, secret(1), 0);
  alice.setEpoch(2, secret(2), 0);
  bob.setEpoch(1, secret(1), 1);
  const out = await bob.decrypt(await alice.encrypt(frame, meta), meta);
  assert.equal(out.ok ? 'ok' : out.reason, 'noKey');
});

test('the wrong epoch secret fails authentication', async () => {
  const { alice, bob } = pair();
  alice.setEpoch(1, secret(1), 0);
  bob.setEpoch(1, secret(9), 1);
  const out = await bob.decrypt(await alice.encrypt(frame, meta), meta);
  assert.equal(out.ok ? 'ok' : out.reason, 'authFailed');
});

test('tampered metadata fails authentication', async () => {
  const { alice, bob } = pair();
  alice.setEpoch(1, secret(1), 0);
  bob.setEpoch(1, secret(1), 1);
  const out = await bob.decrypt(await alice.encrypt(frame, meta), utf8('mETA'));
  assert.equal(out.ok ? 'ok' : out.reason, 'authFailed');
});

test('epoch change: the previous epoch decrypts during the grace period and not after it', async () => {
  const { c, alice, bob } = pair({ retainPreviousMs: 5000 });
  alice.setEpoch(1, secret(1), 0);
  bob.setEpoch(1, secret(1), 1);
  const inFlight = await alice.encrypt(frame, meta); // sent just before the commit
  alice.setEpoch(2, secret(2), 0);
  bob.setEpoch(2, secret(2), 1);
  const next = await alice.encrypt(frame, meta);
  assert.equal(decodeHeader(next)?.ctr, 1n, 'CTR keeps counting across epochs');

  c.advance(4999);
  assert.ok((await bob.decrypt(inFlight, meta)).ok, 'old epoch within grace');
  assert.ok((await bob.decrypt(next, meta)).ok, 'new epoch');
  c.advance(1);
  const late = await bob.decrypt(inFlight, meta);
  assert.equal(late.ok ? 'ok' : late.reason, 'noKey', 'old epoch expired');
  c.advance(60_000);
  assert.ok((await bob.decrypt(next, meta)).ok, 'the current epoch never expires');
});

test('an epoch whose low bits collide with a new epoch is removed at once (§5.2 rollover)', async () => {
  const { alice, bob } = pair({ retainPreviousMs: 60_000 });
  alice.setEpoch(1, secret(1), 0);
  bob.setEpoch(1, secret(1), 1);
  const old = await alice.encrypt(frame, meta);
  bob.setEpoch(17, secret(17), 1); // 17 % 16 === 1
  const out = await bob.decrypt(old, meta);
  assert.equal(out.ok ? 'ok' : out.reason, 'authFailed');
});

test('our own KID is for encrypting only: a frame claiming it is not decrypted', async () => {
  const { alice } = pair();
  alice.setEpoch(1, secret(1), 0);
  const out = await alice.decrypt(await alice.encrypt(frame, meta), meta);
  assert.equal(out.ok ? 'ok' : out.reason, 'noKey');
});

test('setEpoch refuses a wrong-sized secret, an older epoch and an index outside the layout', () => {
  const ring = new SFrameKeyRing();
  assert.throws(() => ring.setEpoch(1, secret(1, 15), 0), RangeError);
  ring.setEpoch(5, secret(1), 0);
  assert.throws(() => ring.setEpoch(5, secret(2), 0), RangeError);
  assert.throws(() => ring.setEpoch(6, secret(2), 1 << 12), RangeError);
  assert.equal(ring.epoch, 5n);
});

test('encrypting before any epoch secret is an error, not a plaintext frame', async () => {
  await assert.rejects(new SFrameKeyRing().encrypt(frame, meta), /no epoch secret/);
});

test('two rings encrypting for the same epoch and leaf with distinct contexts never share a KID', async () => {
  const c = clock();
  const first = new SFrameKeyRing({ now: c.now, senderContext: 1n });
  const second = new SFrameKeyRing({ now: c.now, senderContext: 2n });
  const bob = new SFrameKeyRing({ now: c.now });
  for (const r of [first, second]) r.setEpoch(1, secret(1), 3);
  bob.setEpoch(1, secret(1), 5);
  const [a, b] = [await first.encrypt(frame, meta), await second.encrypt(frame, meta)];
  const [ha, hb] = [decodeHeader(a), decodeHeader(b)];
  assert.equal(ha?.ctr, hb?.ctr, 'both rings start at CTR 0');
  assert.notEqual(ha?.kid, hb?.kid, 'so the KID must differ');
  assert.equal(ha?.kid, mlsKid(first.layout, 1n, 3, 1n));
  for (const ct of [a, b]) {
    const out = await bob.decrypt(ct, meta);
    assert.ok(out.ok);
    assert.equal(out.senderIndex, 3);
  }
  assert.throws(() => new SFrameKeyRing({ senderContext: 1n << 48n }), RangeError);
});

test('clear() and the same epoch secret again does not reuse a (KID, CTR) pair', async () => {
  const ring = new SFrameKeyRing();
  ring.setEpoch(1, secret(1), 0);
  const before = decodeHeader(await ring.encrypt(frame, meta));
  ring.clear();
  ring.setEpoch(1, secret(1), 0);
  const after = decodeHeader(await ring.encrypt(frame, meta));
  assert.equal(after?.kid, before?.kid);
  assert.notEqual(after?.ctr, before?.ctr);
});
