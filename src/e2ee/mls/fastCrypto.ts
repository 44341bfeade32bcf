/**
 * Convene's crypto provider for ts-mls: the library's default provider with its hot paths replaced by
 * faster implementations of the same functions. Profiling a join at 200-500 members showed thousands
 * of tiny asynchronous WebCrypto jobs (a SHA-256 digest, or an HMAC key import plus a sign for every
 * HKDF step), each costing far more in scheduling than in hashing. So:
 *
 * - hash, HMAC and HKDF-SHA256 run synchronously on @noble/hashes (audited, already ts-mls's own
 *   dependency and used by its noble provider), with repeated SHA-256 inputs answered from the bounded
 *   cache of hashCache.ts;
 * - HPKE (cipher suite 1's DHKEM-X25519, HKDF-SHA256, AES-128-GCM) is hpke.ts: the platform's native
 *   X25519 and synchronous HKDF and AES-GCM, each recipient key imported once (a committer seals to
 *   nearly every member of a large, mostly blank tree);
 * - Ed25519 keeps the default implementation (WebCrypto where the platform has it, native in Node and
 *   Chromium), but a verification key is imported once and reused instead of on every signature check.
 *
 * Nothing about the protocol changes: the same suite, the same bytes, checked against RFC 9420's
 * key-schedule vectors and the removal tests (test/unit/mls/).
 */
import { extract as hkdfExtract, expand as hkdfExpand } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CiphersuiteImpl, CryptoProvider, Hash, Kdf, Signature } from 'ts-mls';
import { defaultCryptoProvider } from 'ts-mls';
import { concat } from '../sframe/bytes.js';
import { memoizedHash } from './hashCache.js';
import { x25519Hpke } from './hpke.js';
import { platformX25519 } from './x25519.js';

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export const syncSha256: Hash = {
  digest: async (data) => sha256(data),
  mac: async (key, data) => hmac(sha256, key, data),
  verifyMac: async (key, mac, data) => constantTimeEqual(mac, hmac(sha256, key, data)),
};

export const syncHkdfSha256: Kdf = {
  extract: async (salt, ikm) => hkdfExtract(sha256, ikm, salt),
  expand: async (prk, info, len) => hkdfExpand(sha256, prk, info, len),
  size: 32,
};

/** CryptoKey by another name: the server build has no DOM types, and Node's webcrypto has the same. */
type WebCryptoKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;

/** At most this many imported verification keys are kept (one per member, a few hundred in use). */
const MAX_VERIFY_KEYS = 4096;

/** RFC 8410's PKCS #8 prefix for an Ed25519 private key (seed), followed by its 32 bytes. */
const ED25519_PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

/**
 * WebCrypto Ed25519 with each key imported once: verification keys by value, and the member's own
 * signing key by identity (ts-mls hands the same array to every signature of a state), checked against
 * a copy of its bytes so that a changed array is imported afresh. Importing a PKCS #8 key costs ~0.8 ms
 * in Node (OpenSSL 3's decoder) and a commit signs three times. `inner` does everything else.
 */
export function cachedEd25519(inner: Signature): Signature {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return inner;
  const keys = new Map<string, Promise<WebCryptoKey>>();
  const keyDecoder = new TextDecoder('latin1');
  const verifyKey = (publicKey: Uint8Array): Promise<WebCryptoKey> => {
    const id = keyDecoder.decode(publicKey);
    let key = keys.get(id);
    if (!key) {
      key = subtle.importKey('raw', Uint8Array.from(publicKey), 'Ed25519', false, ['verify']);
      keys.set(id, key);
      key.catch(() => keys.delete(id));
      if (keys.size > MAX_VERIFY_KEYS) keys.delete(keys.keys().next().value!);
    }
    return key;
  };
  const signKeys = new WeakMap<Uint8Array, { bytes: Uint8Array; key: Promise<WebCryptoKey> }>();
  const signKeyOf = (signKey: Uint8Array): Promise<WebCryptoKey> => {
    const known = signKeys.get(signKey);
    if (known && constantTimeEqual(known.bytes, signKey)) return known.key;
    const bytes = Uint8Array.from(signKey);
    const pkcs8 = bytes.length === 32 ? concat(ED25519_PKCS8_PREFIX, bytes) : bytes;
    const key = subtle.importKey('pkcs8', Uint8Array.from(pkcs8), 'Ed25519', false, ['sign']);
    signKeys.set(signKey, { bytes, key });
    key.catch(() => signKeys.delete(signKey));
    return key;
  };
  return {
    async sign(signKey, message) {
      const key = await signKeyOf(signKey);
      return new Uint8Array(await subtle.sign('Ed25519', key, Uint8Array.from(message)));
    },
    keygen: () => inner.keygen(),
    async verify(publicKey, message, signature) {
      let key: WebCryptoKey;
      try {
        key = await verifyKey(publicKey);
      } catch {
        return false; // not a valid Ed25519 public key: no signature by it verifies
      }
      return subtle.verify('Ed25519', key, Uint8Array.from(signature), Uint8Array.from(message));
    },
  };
}

export const fastCryptoProvider: CryptoProvider = {
  async getCiphersuiteImpl(cs): Promise<CiphersuiteImpl> {
    const impl = await defaultCryptoProvider.getCiphersuiteImpl(cs);
    if (cs.hash !== 'SHA-256' || cs.signature !== 'Ed25519') {
      return { ...impl, hash: memoizedHash(impl.hash) };
    }
    const x25519AesGcm =
      cs.hpke.kem === 'DHKEM-X25519-HKDF-SHA256' &&
      cs.hpke.kdf === 'HKDF-SHA256' &&
      cs.hpke.aead === 'AES128GCM';
    return {
      ...impl,
      hash: memoizedHash(syncSha256),
      kdf: syncHkdfSha256,
      signature: cachedEd25519(impl.signature),
      hpke: x25519AesGcm ? x25519Hpke(await platformX25519()) : impl.hpke,
    };
  },
};
