/**
 * The X25519 backends of src/e2ee/mls/x25519.ts against @noble/curves as the reference: key imports
 * (Node's JWK path and its PKCS #8 fallback), public halves, DH, and `encapsulate` (a fresh ephemeral key
 * for every call, whose DH the recipient can reproduce). The RFC 9180 vectors (hpke.test.ts) check the
 * same backends end to end.
 */
import assert from 'node:assert/strict';
import * as nodeCrypto from 'node:crypto';
import { test } from 'node:test';
import { x25519 as reference } from '@noble/curves/ed25519.js';
import {
  nobleX25519Backend,
  nodeX25519,
  platformX25519,
  webCryptoX25519,
  X25519Key,
  type X25519,
} from '../../../src/e2ee/mls/x25519.js';

async function backends(): Promise<X25519[]> {
  return [await platformX25519(), webCryptoX25519(globalThis.crypto.subtle), nobleX25519Backend];
}

/** Private keys with their low and high bits set, so that clamping matters. */
const privateKeys = [
  new Uint8Array(32).fill(0xff),
  Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1),
  reference.utils.randomSecretKey(),
];

test('each backend imports raw private and public keys as RFC 7748 reads them', async () => {
  for (const x of await backends()) {
    for (const [i, sk] of privateKeys.entries()) {
      const privateKey = new X25519Key('private', Uint8Array.from(sk));
      const publicKey = await x.publicFromPrivate(privateKey);
      assert.deepEqual(publicKey.raw, reference.getPublicKey(sk), `${x.name}: public half of key ${i}`);
      const peer = reference.utils.randomSecretKey();
      const peerPublic = new X25519Key('public', reference.getPublicKey(peer));
      assert.deepEqual(
        await x.sharedSecret(privateKey, peerPublic),
        reference.getSharedSecret(sk, peerPublic.raw),
        `${x.name}: DH with key ${i}`,
      );
    }
  }
});

test('encapsulate: a fresh ephemeral key each time, and the recipient derives the same DH', async () => {
  for (const x of await backends()) {
    const sk = reference.utils.randomSecretKey();
    const recipient = new X25519Key('public', reference.getPublicKey(sk));
    const first = await x.encapsulate(recipient);
    const second = await x.encapsulate(recipient);
    assert.equal(first.enc.length, 32);
    assert.notDeepEqual(first.enc, second.enc, `${x.name}: a new ephemeral key per call`);
    assert.notDeepEqual(first.dh, second.dh);
    for (const { enc, dh } of [first, second]) {
      assert.deepEqual(dh, reference.getSharedSecret(sk, enc), `${x.name}: the recipient's DH agrees`);
    }
    // A low-order recipient key gives the all-zero DH, which is refused.
    await assert.rejects(x.encapsulate(new X25519Key('public', new Uint8Array(32))), /all-zero|failed/);
  }
});

test('Node: when the JWK private import is refused, the PKCS #8 import gives the same key', async () => {
  let refused = 0;
  const strict = {
    ...nodeCrypto,
    createPrivateKey(input: Parameters<typeof nodeCrypto.createPrivateKey>[0]) {
      if (typeof input === 'object' && 'format' in input && input.format === 'jwk') {
        refused++;
        throw new Error('JWK refused by this stand-in');
      }
      return nodeCrypto.createPrivateKey(input);
    },
  } as typeof nodeCrypto;
  const x = nodeX25519(strict);
  const sk = privateKeys[1]!;
  const publicKey = await x.publicFromPrivate(new X25519Key('private', Uint8Array.from(sk)));
  assert.equal(refused, 1);
  assert.deepEqual(publicKey.raw, reference.getPublicKey(sk));
});
