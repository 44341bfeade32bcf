/**
 * The Ed25519 wrapper of src/e2ee/mls/fastCrypto.ts against the library's default implementation: the
 * same signatures (Ed25519 is deterministic) from a cached signing key, and a signing key array whose
 * bytes change is imported afresh rather than answered from the cache.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultCryptoProvider, getCiphersuiteFromName } from 'ts-mls';
import { cachedEd25519 } from '../../../src/e2ee/mls/fastCrypto.js';

async function reference() {
  const suite = getCiphersuiteFromName('MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519');
  return (await defaultCryptoProvider.getCiphersuiteImpl(suite)).signature;
}

test('signatures from the cached signing key equal the default implementation, PKCS #8 and raw seeds', async () => {
  const inner = await reference();
  const ours = cachedEd25519(inner);
  const { signKey, publicKey } = await inner.keygen();
  assert.equal(signKey.length, 48, 'the default keygen gives PKCS #8');
  const seed = signKey.slice(16);
  for (const key of [signKey, seed]) {
    for (const text of ['first', 'second, from the cached key']) {
      const message = new TextEncoder().encode(text);
      const signature = await ours.sign(key, message);
      assert.deepEqual(signature, await inner.sign(key, message));
      assert.equal(await ours.verify(publicKey, message, signature), true);
    }
  }
});

test('a signing key array whose bytes changed signs with the new key', async () => {
  const inner = await reference();
  const ours = cachedEd25519(inner);
  const a = await inner.keygen();
  const b = await inner.keygen();
  const key = Uint8Array.from(a.signKey);
  const message = Uint8Array.of(1, 2, 3);
  assert.equal(await ours.verify(a.publicKey, message, await ours.sign(key, message)), true);
  key.set(b.signKey);
  const signature = await ours.sign(key, message);
  assert.equal(await ours.verify(b.publicKey, message, signature), true);
  assert.equal(await ours.verify(a.publicKey, message, signature), false);
});
