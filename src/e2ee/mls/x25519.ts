/**
 * X25519 for HPKE (hpke.ts), on the fastest implementation the platform has:
 * - Node: node:crypto key objects, synchronous and native (OpenSSL);
 * - browsers: WebCrypto's native X25519 (Chromium 133+, Firefox 130+, Safari 17+), asynchronous;
 * - anywhere else: @noble/curves (audited, pure JavaScript, the slowest).
 *
 * Keys are 32-byte raw strings as RFC 7748 and HPKE use them. A key's platform form is built once and
 * kept on the `X25519Key` object, so a member's HPKE public key costs one import however many commits
 * encrypt to it.
 *
 * Node's and WebCrypto's backends can also make an Encap's ephemeral key pair ahead of time
 * (`ephemeral`, an `EphemeralKeyPair` that can be spent once), which ephemeralPool.ts does in idle
 * time for a member likely to commit; `encapsulate` then spends one instead of generating it.
 */
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { concat } from '../sframe/bytes.js';

/** RFC 8410's PKCS #8 prefix for an X25519 private key, followed by its 32 raw bytes. */
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);

export class X25519Error extends Error {}

/** A raw X25519 key and, once used, its platform form (opaque to everyone but its backend). */
export class X25519Key {
  /** The backend's form of the key (a Node KeyObject, a promise of a WebCrypto CryptoKey), built once. */
  native: unknown;
  /** A private key's public half, once computed. */
  publicHalf: X25519Key | undefined;
  constructor(
    readonly type: 'public' | 'private',
    readonly raw: Uint8Array,
  ) {
    if (raw.length !== 32) throw new X25519Error(`an X25519 ${type} key has 32 bytes, not ${raw.length}`);
  }
}

/**
 * An ephemeral key pair made before the Encap that uses it: the public key's 32 raw bytes (`enc`, what
 * goes on the wire) and the private half in its backend's form, which never leaves the backend. RFC
 * 9180's Encap asks only that `skE, pkE = GenerateKeyPair()` be a fresh random pair used for this one
 * encapsulation; when it was generated is not part of the protocol, so a pair made in idle time and
 * used once gives the same ciphertexts, with the same security, as one made inside Encap. What the
 * pool must guarantee is the "used once": `spend()` hands the private half out and forgets it, and a
 * second call throws, so no two encapsulations can ever share an ephemeral key.
 */
export class EphemeralKeyPair {
  #native: unknown;
  constructor(
    /** The backend that made it: only that backend can use its private half. */
    readonly backend: X25519['name'],
    readonly enc: Uint8Array,
    native: unknown,
  ) {
    if (enc.length !== 32) throw new X25519Error(`an X25519 public key has 32 bytes, not ${enc.length}`);
    this.#native = native;
  }

  get spent(): boolean {
    return this.#native === undefined;
  }

  /** The private half, exactly once; afterwards the pair holds no private key. */
  spend(backend: X25519['name']): unknown {
    const native = this.#native;
    if (native === undefined)
      throw new X25519Error('an ephemeral key pair is used for one encapsulation only');
    if (backend !== this.backend)
      throw new X25519Error(`an ephemeral key pair of the ${this.backend} backend given to ${backend}`);
    this.#native = undefined;
    return native;
  }
}

/** HMAC-SHA256 and AES-GCM, synchronous (hpke.ts builds HKDF and its AEAD on them). */
export interface SymmetricPrimitives {
  /** HMAC-SHA256 of the concatenation of `data` (given in parts, so callers need not copy them together). */
  hmacSha256(key: Uint8Array, ...data: Uint8Array[]): Uint8Array;
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
  /**
   * DHKEM's Encap without its key derivation: a fresh ephemeral key pair, DH(its private half,
   * `recipient`), and the ephemeral public key `enc`. The private half is used once and never leaves
   * the backend (a committer does this once per recipient: about 500 times for a removal at 500).
   * With `ephemeral` (made earlier by this backend's `ephemeral`, and spent here) no key pair is
   * generated; without it, one is generated now.
   */
  encapsulate(
    recipient: X25519Key,
    ephemeral?: EphemeralKeyPair,
  ): Promise<{ enc: Uint8Array; dh: Uint8Array }>;
  /**
   * A fresh ephemeral key pair for one later `encapsulate`, with its public key already exported
   * (ephemeralPool.ts). The noble backend has none and is not pooled: it is the last resort, for
   * platforms with neither native X25519, and a fallback need not be fast.
   */
  readonly ephemeral?: () => Promise<EphemeralKeyPair>;
}

function checkedShared(secret: Uint8Array): Uint8Array {
  let any = 0;
  for (const byte of secret) any |= byte;
  if (any === 0) throw new X25519Error('X25519 produced the all-zero shared secret (low-order public key)');
  return secret;
}

const failed = (err: unknown) =>
  new X25519Error(`X25519 failed: ${err instanceof Error ? err.message : String(err)}`);

type NodeCrypto = typeof import('node:crypto');
type NodeKeyObject = import('node:crypto').KeyObject;

/** Exported for its tests (test/unit/mls/x25519.test.ts); everyone else gets it from `platformX25519`. */
export function nodeX25519(crypto: NodeCrypto): X25519 {
  const b64 = (raw: Uint8Array) => Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('base64url');
  /**
   * Keys are imported as JWK, not as DER: OpenSSL 3 decodes SPKI and PKCS #8 through its generic decoder
   * framework, which here costs ~160 us for a public key and ~760 us for a private one, against ~16 us
   * and ~70 us (one scalar multiplication for the public half) from JWK. Node builds an OKP private key
   * from `d` alone; it requires `x` to be a string but does not read it (Node 20 to 24), so the public
   * half, which a private key may not have yet, is left empty. Should a Node version refuse that, the
   * PKCS #8 import is the fallback.
   */
  const importPrivate = (raw: Uint8Array): NodeKeyObject => {
    try {
      return crypto.createPrivateKey({
        key: { kty: 'OKP', crv: 'X25519', d: b64(raw), x: '' },
        format: 'jwk',
      });
    } catch {
      return crypto.createPrivateKey({
        key: Buffer.from(concat(PKCS8_PREFIX, raw)),
        format: 'der',
        type: 'pkcs8',
      });
    }
  };
  const native = (key: X25519Key): NodeKeyObject => {
    key.native ??=
      key.type === 'public'
        ? crypto.createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64(key.raw) }, format: 'jwk' })
        : importPrivate(key.raw);
    return key.native as NodeKeyObject;
  };
  // JWK export is several times cheaper than DER in Node (no ASN.1 encoding): 'x' is the public key, 'd' the private.
  const jwkField = (k: NodeKeyObject, field: 'x' | 'd') => {
    const value = k.export({ format: 'jwk' })[field];
    if (typeof value !== 'string') throw new X25519Error(`the platform did not export the key's ${field}`);
    return new Uint8Array(Buffer.from(value, 'base64url'));
  };
  const dh = (privateKey: NodeKeyObject, publicKey: NodeKeyObject): Uint8Array => {
    let secret: Buffer;
    try {
      secret = crypto.diffieHellman({ privateKey, publicKey });
    } catch (err) {
      throw failed(err);
    }
    return checkedShared(new Uint8Array(secret.buffer, secret.byteOffset, secret.length));
  };
  const gcmCipher = (key: Uint8Array) => `aes-${key.length * 8}-gcm` as 'aes-128-gcm';
  const symmetric: SymmetricPrimitives = {
    hmacSha256(key, ...data) {
      const h = crypto.createHmac('sha256', key);
      for (const part of data) h.update(part);
      const mac = h.digest();
      return new Uint8Array(mac.buffer, mac.byteOffset, mac.length);
    },
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
  /**
   * A fresh key pair: 32 random bytes (RFC 7748 §5 clamps them; RFC 9180 §7.1.3 keys are the same)
   * imported as a private key, and its public half. Not `generateKeyPairSync`: in Node 20 its
   * key-generation job, when the garbage collector destroys it, locks the mutex of the key it made,
   * and exporting that key (ExportJWK, right after generating it) holds the same mutex while it
   * allocates; a collection at that moment deadlocked the process (seen in bench:mls: the main thread
   * in ~KeyGenJob, waiting in uv_mutex_lock under ExportJWKEdKey, no CPU, no timers firing). An
   * imported key has no such job, and costs the same (~65 us here).
   */
  const freshPair = () => {
    const raw = new Uint8Array(crypto.randomBytes(32));
    const privateKey = importPrivate(raw);
    const publicKey = crypto.createPublicKey(privateKey);
    return { raw, privateKey, publicKey, enc: jwkField(publicKey, 'x') };
  };
  return {
    name: 'node',
    symmetric,
    async generate() {
      const pair = freshPair();
      const privateKey = new X25519Key('private', pair.raw);
      const publicKey = new X25519Key('public', pair.enc);
      privateKey.native = pair.privateKey;
      publicKey.native = pair.publicKey;
      return { privateKey, publicKey };
    },
    async publicFromPrivate(privateKey) {
      return new X25519Key('public', jwkField(crypto.createPublicKey(native(privateKey)), 'x'));
    },
    async sharedSecret(privateKey, publicKey) {
      return dh(native(privateKey), native(publicKey));
    },
    async encapsulate(recipient, ephemeral) {
      const peer = native(recipient);
      if (ephemeral) return { enc: ephemeral.enc, dh: dh(ephemeral.spend('node') as NodeKeyObject, peer) };
      // The ephemeral private half is used once: its raw bytes are wiped, only its public half goes
      // on the wire.
      const pair = freshPair();
      pair.raw.fill(0);
      return { enc: pair.enc, dh: dh(pair.privateKey, peer) };
    },
    async ephemeral() {
      const pair = freshPair();
      pair.raw.fill(0);
      return new EphemeralKeyPair('node', pair.enc, pair.privateKey);
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
  const sharedSecret = async (privateKey: X25519Key, publicKey: X25519Key) => {
    let bits: ArrayBuffer;
    try {
      bits = await subtle.deriveBits(
        { name: 'X25519', public: await native(publicKey) },
        await native(privateKey),
        256,
      );
    } catch (err) {
      throw failed(err);
    }
    return checkedShared(new Uint8Array(bits));
  };
  /** An ephemeral pair: the private half not extractable (it is only ever used for one DH). */
  const ephemeralPair = async () => {
    const pair = (await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as {
      privateKey: WebCryptoKey;
      publicKey: WebCryptoKey;
    };
    return {
      enc: new Uint8Array(await subtle.exportKey('raw', pair.publicKey)),
      privateKey: pair.privateKey,
    };
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
    sharedSecret,
    async encapsulate(recipient, ephemeral) {
      const peer = await native(recipient);
      const { enc, privateKey } = ephemeral
        ? { enc: ephemeral.enc, privateKey: ephemeral.spend('webcrypto') as WebCryptoKey }
        : await ephemeralPair();
      let bits: ArrayBuffer;
      try {
        bits = await subtle.deriveBits({ name: 'X25519', public: peer }, privateKey, 256);
      } catch (err) {
        throw failed(err);
      }
      return { enc, dh: checkedShared(new Uint8Array(bits)) };
    },
    async ephemeral() {
      const { enc, privateKey } = await ephemeralPair();
      return new EphemeralKeyPair('webcrypto', enc, privateKey);
    },
  };
}

const nobleShared = (privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array => {
  let secret: Uint8Array;
  try {
    secret = nobleX25519.getSharedSecret(privateKey, publicKey);
  } catch (err) {
    throw failed(err);
  }
  return checkedShared(secret);
};

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
    return nobleShared(privateKey.raw, publicKey.raw);
  },
  async encapsulate(recipient, ephemeral) {
    // Noble makes no ephemeral pairs, so one given here is another backend's: `spend` refuses it.
    ephemeral?.spend('noble');
    const sk = nobleX25519.utils.randomSecretKey();
    return { enc: nobleX25519.getPublicKey(sk), dh: nobleShared(sk, recipient.raw) };
  },
};

/** The module name is a variable so that bundlers for the browser leave Node's module alone. */
const NODE_CRYPTO = 'node:crypto';

let platform: Promise<X25519> | undefined;

/**
 * Picks the platform's X25519 once per process (or page, or worker): Node's native crypto, else
 * WebCrypto's, else noble. Once, so that the MLS suite (fastCrypto.ts) and the ephemeral-key pool
 * that MlsMember keeps filled (ephemeralPool.ts) share one backend.
 */
export function platformX25519(): Promise<X25519> {
  platform ??= pickX25519();
  return platform;
}

async function pickX25519(): Promise<X25519> {
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
