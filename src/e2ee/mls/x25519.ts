/**
 * X25519 for HPKE (hpke.ts), on the fastest implementation the platform has:
 * - Node: node:crypto key objects, synchronous and native (OpenSSL);
 * - browsers: WebCrypto's native X25519 (Chromium 133+, Firefox 130+, Safari 17+), asynchronous;
 * - anywhere else: @noble/curves (audited, pure JavaScript, the slowest).
 *
 * Keys are 32-byte raw strings as RFC 7748 and HPKE use them. A key's platform form is built once and
 * kept on the `X25519Key` object, so a member's HPKE public key costs one import however many commits
 * encrypt to it.
 */
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { concat } from '../sframe/bytes.js';

/** RFC 8410 DER prefixes: SubjectPublicKeyInfo and PKCS #8 for an X25519 key, followed by 32 raw bytes. */
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00]);
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);

export class X25519Error extends Error {}

/** A raw X25519 key and, once used, its platform form (opaque to everyone but its backend). */
export class X25519Key {
  native: Promise<object> | undefined;
  /** A private key's public half, once computed. */
  publicHalf: X25519Key | undefined;
  constructor(
    readonly type: 'public' | 'private',
    readonly raw: Uint8Array,
  ) {
    if (raw.length !== 32) throw new X25519Error(`an X25519 ${type} key has 32 bytes, not ${raw.length}`);
  }
}

/** HMAC-SHA256 and AES-GCM, synchronous (hpke.ts builds HKDF and its AEAD on them). */
export interface SymmetricPrimitives {
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** AES-GCM with a 16-byte tag; `decrypt` throws when authentication fails. */
  aesGcm(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
  ): { encrypt(plaintext: Uint8Array): Uint8Array; decrypt(ciphertext: Uint8Array): Uint8Array };
}

export interface X25519 {
  readonly name: 'node' | 'webcrypto' | 'noble';
  /** The platform's native HMAC and AES-GCM when they are synchronous (Node); else hpke.ts uses noble's. */
  readonly symmetric?: SymmetricPrimitives;
  generate(): Promise<{ privateKey: X25519Key; publicKey: X25519Key }>;
  publicFromPrivate(privateKey: X25519Key): Promise<X25519Key>;
  /** DH(private, public); refuses the all-zero result of a low-order public key (RFC 7748 §6.1). */
  sharedSecret(privateKey: X25519Key, publicKey: X25519Key): Promise<Uint8Array>;
}

function checkedShared(secret: Uint8Array): Uint8Array {
  let any = 0;
  for (const byte of secret) any |= byte;
  if (any === 0) throw new X25519Error('X25519 produced the all-zero shared secret (low-order public key)');
  return secret;
}

type NodeCrypto = typeof import('node:crypto');
type NodeKeyObject = import('node:crypto').KeyObject;

function nodeX25519(crypto: NodeCrypto): X25519 {
  const native = (key: X25519Key): Promise<NodeKeyObject> => {
    key.native ??= Promise.resolve(
      key.type === 'public'
        ? crypto.createPublicKey({
            key: Buffer.from(concat(SPKI_PREFIX, key.raw)),
            format: 'der',
            type: 'spki',
          })
        : crypto.createPrivateKey({
            key: Buffer.from(concat(PKCS8_PREFIX, key.raw)),
            format: 'der',
            type: 'pkcs8',
          }),
    );
    return key.native as Promise<NodeKeyObject>;
  };
  // JWK export is several times cheaper than DER in Node (no ASN.1 encoding): 'x' is the public key, 'd' the private.
  const jwkField = (k: NodeKeyObject, field: 'x' | 'd') => {
    const value = k.export({ format: 'jwk' })[field];
    if (typeof value !== 'string') throw new X25519Error(`the platform did not export the key's ${field}`);
    return new Uint8Array(Buffer.from(value, 'base64url'));
  };
  const rawPublic = (k: NodeKeyObject) => jwkField(k, 'x');
  const gcmCipher = (key: Uint8Array) => `aes-${key.length * 8}-gcm` as 'aes-128-gcm';
  const symmetric: SymmetricPrimitives = {
    hmacSha256: (key, data) => new Uint8Array(crypto.createHmac('sha256', key).update(data).digest()),
    aesGcm: (key, nonce, aad) => ({
      encrypt(plaintext) {
        const c = crypto.createCipheriv(gcmCipher(key), key, nonce, { authTagLength: 16 });
        c.setAAD(aad);
        return new Uint8Array(Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]));
      },
      decrypt(ciphertext) {
        if (ciphertext.length < 16) throw new X25519Error('AES-GCM ciphertext shorter than its tag');
        const d = crypto.createDecipheriv(gcmCipher(key), key, nonce, { authTagLength: 16 });
        d.setAAD(aad);
        d.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
        return new Uint8Array(
          Buffer.concat([d.update(ciphertext.subarray(0, ciphertext.length - 16)), d.final()]),
        );
      },
    }),
  };
  return {
    name: 'node',
    symmetric,
    async generate() {
      const pair = crypto.generateKeyPairSync('x25519');
      const privateKey = new X25519Key('private', jwkField(pair.privateKey, 'd'));
      const publicKey = new X25519Key('public', rawPublic(pair.publicKey));
      privateKey.native = Promise.resolve(pair.privateKey);
      publicKey.native = Promise.resolve(pair.publicKey);
      return { privateKey, publicKey };
    },
    async publicFromPrivate(privateKey) {
      return new X25519Key('public', rawPublic(crypto.createPublicKey(await native(privateKey))));
    },
    async sharedSecret(privateKey, publicKey) {
      let secret: Buffer;
      try {
        secret = crypto.diffieHellman({
          privateKey: await native(privateKey),
          publicKey: await native(publicKey),
        });
      } catch (err) {
        throw new X25519Error(`X25519 failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      return checkedShared(new Uint8Array(secret));
    },
  };
}

type Subtle = typeof globalThis.crypto.subtle;
type WebCryptoKey = Awaited<ReturnType<Subtle['importKey']>>;

export function webCryptoX25519(subtle: Subtle): X25519 {
  const native = (key: X25519Key): Promise<WebCryptoKey> => {
    key.native ??=
      key.type === 'public'
        ? subtle.importKey('raw', Uint8Array.from(key.raw), { name: 'X25519' }, true, [])
        : subtle.importKey('pkcs8', concat(PKCS8_PREFIX, key.raw), { name: 'X25519' }, true, ['deriveBits']);
    return key.native as Promise<WebCryptoKey>;
  };
  return {
    name: 'webcrypto',
    async generate() {
      const pair = (await subtle.generateKey({ name: 'X25519' }, true, ['deriveBits'])) as {
        privateKey: WebCryptoKey;
        publicKey: WebCryptoKey;
      };
      const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
      const privateKey = new X25519Key('private', pkcs8.slice(PKCS8_PREFIX.length));
      const publicKey = new X25519Key(
        'public',
        new Uint8Array(await subtle.exportKey('raw', pair.publicKey)),
      );
      privateKey.native = Promise.resolve(pair.privateKey);
      publicKey.native = Promise.resolve(pair.publicKey);
      return { privateKey, publicKey };
    },
    async publicFromPrivate(privateKey) {
      const jwk = await subtle.exportKey('jwk', await native(privateKey));
      if (typeof jwk.x !== 'string') throw new X25519Error('the platform did not export the public half');
      return new X25519Key(
        'public',
        Uint8Array.from(atob(jwk.x.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
      );
    },
    async sharedSecret(privateKey, publicKey) {
      let bits: ArrayBuffer;
      try {
        bits = await subtle.deriveBits(
          { name: 'X25519', public: await native(publicKey) },
          await native(privateKey),
          256,
        );
      } catch (err) {
        throw new X25519Error(`X25519 failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      return checkedShared(new Uint8Array(bits));
    },
  };
}

export const nobleX25519Backend: X25519 = {
  name: 'noble',
  async generate() {
    const sk = nobleX25519.utils.randomSecretKey();
    return {
      privateKey: new X25519Key('private', sk),
      publicKey: new X25519Key('public', nobleX25519.getPublicKey(sk)),
    };
  },
  async publicFromPrivate(privateKey) {
    return new X25519Key('public', nobleX25519.getPublicKey(privateKey.raw));
  },
  async sharedSecret(privateKey, publicKey) {
    let secret: Uint8Array;
    try {
      secret = nobleX25519.getSharedSecret(privateKey.raw, publicKey.raw);
    } catch (err) {
      throw new X25519Error(`X25519 failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    return checkedShared(secret);
  },
};

/** The module name is a variable so that bundlers for the browser leave Node's module alone. */
const NODE_CRYPTO = 'node:crypto';

/** Picks the platform's X25519 once: Node's native crypto, else WebCrypto's, else noble. */
export async function platformX25519(): Promise<X25519> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    return nodeX25519((await import(/* @vite-ignore */ NODE_CRYPTO)) as NodeCrypto);
  }
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    try {
      const probe = webCryptoX25519(subtle);
      const { privateKey, publicKey } = await probe.generate();
      await probe.sharedSecret(privateKey, publicKey);
      return probe;
    } catch {
      // No native X25519 here: fall through.
    }
  }
  return nobleX25519Backend;
}
