/**
 * Our HPKE (src/e2ee/mls/hpke.ts) against RFC 9180 Appendix A.1.1 (test/fixtures/hpke/README.md), on
 * every X25519 backend this platform can run (Node's native one, WebCrypto's, noble's), and against
 * the library's default HPKE (hpke-js) in both directions, so a member on either provider can read the
 * other's path secrets.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { defaultCryptoProvider, getCiphersuiteFromName } from 'ts-mls';
import {
  HpkeSuite,
  nobleSymmetric,
  setupRecipient,
  setupSender,
  suiteFor,
  x25519Hpke,
} from '../../../src/e2ee/mls/hpke.js';
import {
  nobleX25519Backend,
  platformX25519,
  webCryptoX25519,
  X25519Key,
  type X25519,
} from '../../../src/e2ee/mls/x25519.js';

interface Vectors {
  readonly setup: Record<string, string>;
  readonly encryptions: readonly Record<string, string>[];
  readonly exports: readonly Record<string, string>[];
}
const v = JSON.parse(
  readFileSync(new URL('../../fixtures/hpke/rfc9180-a1-base.json', import.meta.url), 'utf8'),
) as Vectors;
const bytes = (h: string | undefined) => new Uint8Array(Buffer.from(h ?? '', 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const s = v.setup;

/** Every backend: the platform's (Node's native one here), WebCrypto's (what browsers use), noble's. */
async function backends(): Promise<X25519[]> {
  const all = [await platformX25519(), webCryptoX25519(globalThis.crypto.subtle), nobleX25519Backend];
  assert.deepEqual(
    all.map((x) => x.name),
    ['node', 'webcrypto', 'noble'],
  );
  return all;
}

test('RFC 9180 A.1.1: key derivation, encapsulation, key schedule, every encryption and export', async () => {
  assert.equal(s.mode, '0');
  for (const x of await backends()) {
    const suite = suiteFor(x);
    const skE = new X25519Key('private', suite.derivePrivateKey(bytes(s.ikmE)));
    const skR = new X25519Key('private', suite.derivePrivateKey(bytes(s.ikmR)));
    assert.equal(hex(skE.raw), s.skEm, `${x.name}: skEm`);
    assert.equal(hex(skR.raw), s.skRm, `${x.name}: skRm`);
    const pkE = await x.publicFromPrivate(skE);
    const pkR = await x.publicFromPrivate(skR);
    assert.equal(hex(pkE.raw), s.pkEm, `${x.name}: pkEm`);
    assert.equal(hex(pkR.raw), s.pkRm, `${x.name}: pkRm`);

    const sender = await setupSender(x, { privateKey: skE, publicKey: pkE }, pkR, bytes(s.info));
    assert.equal(hex(sender.enc), s.enc);
    assert.equal(hex(sender.sharedSecret), s.shared_secret);
    assert.equal(hex(sender.context.key), s.key);
    assert.equal(hex(sender.context.baseNonce), s.base_nonce);
    assert.equal(hex(sender.context.exporterSecret), s.exporter_secret);

    const recipient = await setupRecipient(x, skR, bytes(s.enc), bytes(s.info));
    assert.deepEqual(recipient, sender.context, `${x.name}: the recipient derives the same context`);

    for (const e of v.encryptions) {
      const seq = Number(e['sequence number']);
      const nonce = Uint8Array.from(sender.context.baseNonce);
      for (let i = 0, n = seq; n > 0; i++, n = Math.floor(n / 256)) nonce[nonce.length - 1 - i]! ^= n & 0xff;
      assert.equal(hex(nonce), e.nonce, `nonce ${seq}`);
      const ct = suite.aead(sender.context.key, nonce, bytes(e.aad)).encrypt(bytes(e.pt));
      assert.equal(hex(ct), e.ct, `${x.name}: ciphertext ${seq}`);
      assert.equal(hex(suite.aead(sender.context.key, nonce, bytes(e.aad)).decrypt(ct)), e.pt);
    }
    for (const e of v.exports) {
      const out = suite.exportFrom(sender.context, bytes(e.exporter_context), Number(e.L));
      assert.equal(hex(out), e.exported_value, `${x.name}: export "${e.exporter_context}"`);
    }
  }
});

test('seal and open interoperate with the default provider (hpke-js) both ways; tampering is refused', async () => {
  const suite = getCiphersuiteFromName('MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519');
  const reference = (await defaultCryptoProvider.getCiphersuiteImpl(suite)).hpke;
  const ours = x25519Hpke(await platformX25519());
  const info = new TextEncoder().encode('UpdatePathNode');
  const aad = Uint8Array.of(1, 2, 3);
  const secret = new Uint8Array(32).fill(9);

  // Ours to theirs.
  const theirs = await reference.generateKeyPair();
  const theirPublic = await ours.importPublicKey(await reference.exportPublicKey(theirs.publicKey));
  const sealed = await ours.seal(theirPublic, secret, info, aad);
  assert.deepEqual(await reference.open(theirs.privateKey, sealed.enc, sealed.ct, info, aad), secret);

  // Theirs to ours, with a key pair derived as MLS derives path keys.
  const mine = await ours.deriveKeyPair(new Uint8Array(32).fill(5));
  const referenceMine = await reference.deriveKeyPair(new Uint8Array(32).fill(5));
  assert.deepEqual(
    await ours.exportPublicKey(mine.publicKey),
    await reference.exportPublicKey(referenceMine.publicKey),
  );
  const toMe = await reference.seal(
    await reference.importPublicKey(await ours.exportPublicKey(mine.publicKey)),
    secret,
    info,
    aad,
  );
  assert.deepEqual(await ours.open(mine.privateKey, toMe.enc, toMe.ct, info, aad), secret);

  // A changed ciphertext, aad or info does not open.
  const flipped = Uint8Array.from(toMe.ct);
  flipped[0] = flipped[0]! ^ 1;
  await assert.rejects(ours.open(mine.privateKey, toMe.enc, flipped, info, aad));
  await assert.rejects(ours.open(mine.privateKey, toMe.enc, toMe.ct, info, Uint8Array.of(1, 2)));
  await assert.rejects(ours.open(mine.privateKey, toMe.enc, toMe.ct, new Uint8Array(0), aad));

  // Exporter: single-shot export and import agree.
  const exported = await ours.exportSecret(theirPublic, Uint8Array.of(7), 32, info);
  assert.deepEqual(
    await reference.importSecret(theirs.privateKey, Uint8Array.of(7), exported.enc, 32, info),
    exported.secret,
  );
});

test('bad keys are refused with an error, not accepted', async () => {
  const ours = x25519Hpke(await platformX25519());
  await assert.rejects(ours.importPublicKey(new Uint8Array(31)), /32 bytes/);
  await assert.rejects(ours.importPrivateKey(new Uint8Array(33)), /32 bytes/);
  // A low-order point (all zeros) gives the all-zero shared secret, which must be refused.
  const lowOrder = await ours.importPublicKey(new Uint8Array(32));
  await assert.rejects(ours.seal(lowOrder, new Uint8Array(1), new Uint8Array(0)));
});

test('the native and the noble symmetric primitives agree (HKDF beyond one block, AES-GCM both ways)', async () => {
  const native = (await platformX25519()).symmetric;
  assert.ok(native, 'Node offers native HMAC and AES-GCM');
  const a = new HpkeSuite(native);
  const b = new HpkeSuite(nobleSymmetric);
  const prk = new Uint8Array(32).fill(3);
  // 100 bytes: four HMAC blocks, the last one partial.
  assert.deepEqual(
    a.labeledExpand(new Uint8Array(2), prk, 'x', Uint8Array.of(1, 2), 100),
    b.labeledExpand(new Uint8Array(2), prk, 'x', Uint8Array.of(1, 2), 100),
  );
  for (const keyLength of [16, 32]) {
    const key = new Uint8Array(keyLength).fill(1);
    const nonce = new Uint8Array(12).fill(2);
    const ct = a.aead(key, nonce, Uint8Array.of(9)).encrypt(new Uint8Array(40).fill(4));
    assert.deepEqual(ct, b.aead(key, nonce, Uint8Array.of(9)).encrypt(new Uint8Array(40).fill(4)));
    assert.deepEqual(b.aead(key, nonce, Uint8Array.of(9)).decrypt(ct), new Uint8Array(40).fill(4));
    const bad = Uint8Array.from(ct);
    bad[3]! ^= 1;
    assert.throws(() => a.aead(key, nonce, Uint8Array.of(9)).decrypt(bad));
    assert.throws(() => a.aead(key, nonce, Uint8Array.of(8)).decrypt(ct));
    assert.throws(() => a.aead(key, nonce, undefined).decrypt(ct.subarray(0, 10)));
  }
});
