/**
 * HPKE (RFC 9180), Base mode, for the one suite MLS cipher suite 1 uses: DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, AES-128-GCM; behind ts-mls's `Hpke` interface.
 *
 * Why our own: a committer encrypts a path secret to every node of its copath resolution, which in a
 * large meeting whose tree is mostly blank is nearly every member (about 500 HPKE seals for a removal at
 * 500). The default provider (hpke-js on WebCrypto) spends most of each seal in WebCrypto key imports
 * and one asynchronous HMAC job per HKDF step. Here X25519 is the platform's native one (x25519.ts), the
 * key schedule is synchronous HKDF on @noble/hashes, AES-GCM is @noble/ciphers, and each recipient's
 * public key is imported once. The construction is RFC 9180's, checked against its Appendix A.1.1
 * vectors (test/unit/mls/hpke.test.ts); single-shot (sequence number 0) as MLS uses it.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Hpke, PrivateKey, PublicKey } from 'ts-mls/crypto/hpke.js';
import { concat, utf8 } from '../sframe/bytes.js';
import { poolFor } from './ephemeralPool.js';
import { X25519Error, X25519Key, type SymmetricPrimitives, type X25519 } from './x25519.js';

export class HpkeError extends Error {}

const text = utf8;
const i2osp2 = (n: number) => Uint8Array.from([n >> 8, n & 0xff]);

const VERSION = text('HPKE-v1');
const KEM_SUITE = concat(text('KEM'), i2osp2(0x0020));
const HPKE_SUITE = concat(text('HPKE'), i2osp2(0x0020), i2osp2(0x0001), i2osp2(0x0001));
const EMPTY = new Uint8Array(0);
const ZERO_SALT = new Uint8Array(32);
const NK = 16;
const NN = 12;
/** HKDF-Expand's block counters 1..255 (RFC 5869), one byte each. */
const COUNTERS = Array.from({ length: 256 }, (_, i) => Uint8Array.of(i));

/** What Seal and Open need from the key schedule. */
export interface AeadContext {
  readonly key: Uint8Array;
  readonly baseNonce: Uint8Array;
}

export interface HpkeContext extends AeadContext {
  readonly exporterSecret: Uint8Array;
}

/**
 * RFC 9180's key derivation for this suite over one HMAC-SHA256 (HKDF per RFC 5869) and one AES-GCM:
 * the platform's native ones where the X25519 backend offers them (Node), else @noble's.
 *
 * A committer runs it about 500 times per commit, so the fixed parts are computed once: the labels'
 * prefixes (`"HPKE-v1" || suite_id || label`), mode_base's psk_id_hash, the info_hash of the last info
 * (a commit seals to every recipient with the same info), and HMAC inputs are passed in parts rather
 * than copied together. Seal and Open skip the exporter secret, which only Export uses.
 */
export class HpkeSuite {
  readonly #prim: SymmetricPrimitives;
  /** A commit seals to every recipient with the same info: its hash is kept for the next call. */
  #lastInfo: { info: Uint8Array; hash: Uint8Array } | undefined;
  readonly #pskIdHash: Uint8Array;
  /** Label prefixes by suite_id (by identity: the constants above) and label (and length, to expand). */
  readonly #prefixes = new WeakMap<Uint8Array, Map<string, Uint8Array>>();

  constructor(prim: SymmetricPrimitives) {
    this.#prim = prim;
    // mode_base has no PSK: its psk_id_hash is a constant.
    this.#pskIdHash = this.labeledExtract(HPKE_SUITE, EMPTY, 'psk_id_hash', EMPTY);
  }

  aead(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array | undefined) {
    return this.#prim.aesGcm(key, nonce, aad ?? EMPTY);
  }

  #prefix(suite: Uint8Array, label: string, length?: number): Uint8Array {
    let bySuite = this.#prefixes.get(suite);
    if (!bySuite) this.#prefixes.set(suite, (bySuite = new Map()));
    const id = length === undefined ? label : `${label}\u0000${length}`;
    let prefix = bySuite.get(id);
    if (!prefix) {
      prefix = concat(length === undefined ? EMPTY : i2osp2(length), VERSION, suite, text(label));
      bySuite.set(id, prefix);
    }
    return prefix;
  }

  #expand(prk: Uint8Array, length: number, ...info: Uint8Array[]): Uint8Array {
    if (length <= 32) return this.#prim.hmacSha256(prk, ...info, COUNTERS[1]!).subarray(0, length);
    if (length > 255 * 32) throw new HpkeError(`HKDF-Expand cannot give ${length} bytes`);
    const out = new Uint8Array(length);
    let block: Uint8Array = EMPTY;
    for (let i = 1, at = 0; at < length; i++, at += block.length) {
      block = this.#prim.hmacSha256(prk, block, ...info, COUNTERS[i]!);
      out.set(block.subarray(0, Math.min(block.length, length - at)), at);
    }
    return out;
  }

  labeledExtract(suite: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
    return this.#prim.hmacSha256(salt.length > 0 ? salt : ZERO_SALT, this.#prefix(suite, label), ikm);
  }

  labeledExpand(suite: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, length: number) {
    return this.#expand(prk, length, this.#prefix(suite, label, length), info);
  }

  /** DHKEM's ExtractAndExpand (RFC 9180 §4.1); kem_context is enc || pkR. */
  kemSharedSecret(dh: Uint8Array, enc: Uint8Array, pkR: Uint8Array): Uint8Array {
    const eaePrk = this.labeledExtract(KEM_SUITE, EMPTY, 'eae_prk', dh);
    return this.#expand(eaePrk, 32, this.#prefix(KEM_SUITE, 'shared_secret', 32), enc, pkR);
  }

  #infoHash(info: Uint8Array): Uint8Array {
    const last = this.#lastInfo;
    if (last && sameBytes(last.info, info)) return last.hash;
    const hash = this.labeledExtract(HPKE_SUITE, EMPTY, 'info_hash', info);
    this.#lastInfo = { info: Uint8Array.from(info), hash };
    return hash;
  }

  /** KeySchedule for mode_base (RFC 9180 §5.1) up to the AEAD key and base nonce. */
  #schedule(sharedSecret: Uint8Array, info: Uint8Array): { secret: Uint8Array; context: Uint8Array[] } {
    const context = [COUNTERS[0]!, this.#pskIdHash, this.#infoHash(info)];
    const secret = this.labeledExtract(HPKE_SUITE, sharedSecret, 'secret', EMPTY);
    return { secret, context };
  }

  /** KeySchedule for mode_base (RFC 9180 §5.1). */
  keySchedule(sharedSecret: Uint8Array, info: Uint8Array): HpkeContext {
    const { secret, context } = this.#schedule(sharedSecret, info);
    return {
      ...this.#aeadKeys(secret, context),
      exporterSecret: this.#expand(secret, 32, this.#prefix(HPKE_SUITE, 'exp', 32), ...context),
    };
  }

  /** The key schedule without the exporter secret: all that Seal and Open use. */
  aeadSchedule(sharedSecret: Uint8Array, info: Uint8Array): AeadContext {
    const { secret, context } = this.#schedule(sharedSecret, info);
    return this.#aeadKeys(secret, context);
  }

  #aeadKeys(secret: Uint8Array, context: Uint8Array[]): AeadContext {
    return {
      key: this.#expand(secret, NK, this.#prefix(HPKE_SUITE, 'key', NK), ...context),
      baseNonce: this.#expand(secret, NN, this.#prefix(HPKE_SUITE, 'base_nonce', NN), ...context),
    };
  }

  /** The context's Export (RFC 9180 §5.3). */
  exportFrom(context: HpkeContext, exporterContext: Uint8Array, length: number): Uint8Array {
    return this.labeledExpand(HPKE_SUITE, context.exporterSecret, 'sec', exporterContext, length);
  }

  /** DeriveKeyPair's private half for X25519 (RFC 9180 §7.1.3). */
  derivePrivateKey(ikm: Uint8Array): Uint8Array {
    const dkpPrk = this.labeledExtract(KEM_SUITE, EMPTY, 'dkp_prk', ikm);
    return this.labeledExpand(KEM_SUITE, dkpPrk, 'sk', EMPTY, 32);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** @noble's HMAC-SHA256 and AES-GCM, synchronous, for platforms without native ones at hand. */
export const nobleSymmetric: SymmetricPrimitives = {
  hmacSha256(key, ...data) {
    const h = hmac.create(sha256, key);
    for (const part of data) h.update(part);
    return h.digest();
  },
  aesGcm: (key, nonce, aad) => gcm(key, nonce, aad),
};

const suites = new WeakMap<X25519, HpkeSuite>();
/** The suite over the backend's native symmetric primitives if it has them. */
export function suiteFor(x: X25519): HpkeSuite {
  let suite = suites.get(x);
  if (!suite) {
    suite = new HpkeSuite(x.symmetric ?? nobleSymmetric);
    suites.set(x, suite);
  }
  return suite;
}

/** SetupBaseS with a given ephemeral key pair (fixed by the test vectors; in use, `encapsulate`). */
export async function setupSender(
  x: X25519,
  ephemeral: { privateKey: X25519Key; publicKey: X25519Key },
  recipient: X25519Key,
  info: Uint8Array,
): Promise<{ enc: Uint8Array; sharedSecret: Uint8Array; context: HpkeContext }> {
  const suite = suiteFor(x);
  const dh = await x.sharedSecret(ephemeral.privateKey, recipient);
  const enc = ephemeral.publicKey.raw;
  const sharedSecret = suite.kemSharedSecret(dh, enc, recipient.raw);
  return { enc, sharedSecret, context: suite.keySchedule(sharedSecret, info) };
}

/**
 * Encap (a fresh ephemeral key for every call) and the shared secret, as SetupBaseS begins. The
 * ephemeral pair comes from the backend's pool when it holds one (made earlier in idle time, taken
 * out of the pool and spent here, so used for this Encap only: ephemeralPool.ts), else it is generated
 * now; RFC 9180 asks only that it be fresh and random, not when it was made.
 */
async function encapsulate(x: X25519, recipient: X25519Key) {
  const { enc, dh } = await x.encapsulate(recipient, poolFor(x)?.take());
  return { enc, sharedSecret: suiteFor(x).kemSharedSecret(dh, enc, recipient.raw) };
}

/** Decap: the shared secret a sender's `enc` gives the recipient (RFC 9180 §4.1). */
async function decapsulate(x: X25519, recipient: X25519Key, enc: Uint8Array): Promise<Uint8Array> {
  const dh = await x.sharedSecret(recipient, new X25519Key('public', enc));
  recipient.publicHalf ??= await x.publicFromPrivate(recipient);
  return suiteFor(x).kemSharedSecret(dh, enc, recipient.publicHalf.raw);
}

/** SetupBaseR (RFC 9180 §5.1.1). */
export async function setupRecipient(
  x: X25519,
  recipient: X25519Key,
  enc: Uint8Array,
  info: Uint8Array,
): Promise<HpkeContext> {
  return suiteFor(x).keySchedule(await decapsulate(x, recipient, enc), info);
}

/** The ts-mls key types are WebCrypto's by name only: ours carry the raw key and its platform form. */
const asPublic = (k: X25519Key) => k as unknown as PublicKey;
const asPrivate = (k: X25519Key) => k as unknown as PrivateKey;
function ours(k: PublicKey | PrivateKey, type: 'public' | 'private'): X25519Key {
  const key = k as unknown;
  if (!(key instanceof X25519Key) || key.type !== type)
    throw new HpkeError(`not an X25519 ${type} key from this provider`);
  return key;
}

/** At most this many recipients' public keys are kept imported (a few per member in use). */
const MAX_PUBLIC_KEYS = 8192;

function wrap<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((err: unknown) => {
    throw err instanceof HpkeError ? err : new HpkeError(err instanceof Error ? err.message : String(err));
  });
}

export function x25519Hpke(x: X25519): Hpke {
  const publicKeys = new Map<string, X25519Key>();
  const keyId = new TextDecoder('latin1');
  const suite = suiteFor(x);
  const aead = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array | undefined) =>
    suite.aead(key, nonce, aad);
  return {
    keyLength: NK,
    nonceLength: NN,
    async importPublicKey(raw) {
      return wrap(async () => {
        const id = keyId.decode(raw);
        let key = publicKeys.get(id);
        if (!key) {
          key = new X25519Key('public', Uint8Array.from(raw));
          publicKeys.set(id, key);
          if (publicKeys.size > MAX_PUBLIC_KEYS) publicKeys.delete(publicKeys.keys().next().value!);
        }
        return asPublic(key);
      });
    },
    async importPrivateKey(raw) {
      return wrap(async () => asPrivate(new X25519Key('private', Uint8Array.from(raw))));
    },
    async exportPublicKey(k) {
      return ours(k, 'public').raw.slice();
    },
    async exportPrivateKey(k) {
      return ours(k, 'private').raw.slice();
    },
    async deriveKeyPair(ikm) {
      return wrap(async () => {
        const privateKey = new X25519Key('private', suite.derivePrivateKey(ikm));
        privateKey.publicHalf = await x.publicFromPrivate(privateKey);
        return { privateKey: asPrivate(privateKey), publicKey: asPublic(privateKey.publicHalf) };
      });
    },
    async generateKeyPair() {
      const { privateKey, publicKey } = await x.generate();
      privateKey.publicHalf = publicKey;
      return { privateKey: asPrivate(privateKey), publicKey: asPublic(publicKey) };
    },
    async seal(publicKey, plaintext, info, aad) {
      return wrap(async () => {
        const { enc, sharedSecret } = await encapsulate(x, ours(publicKey, 'public'));
        const context = suite.aeadSchedule(sharedSecret, info);
        return { ct: aead(context.key, context.baseNonce, aad).encrypt(plaintext), enc };
      });
    },
    async open(privateKey, kemOutput, ciphertext, info, aad) {
      return wrap(async () => {
        const sharedSecret = await decapsulate(x, ours(privateKey, 'private'), kemOutput);
        const context = suite.aeadSchedule(sharedSecret, info);
        return aead(context.key, context.baseNonce, aad).decrypt(ciphertext);
      });
    },
    async exportSecret(publicKey, exporterContext, length, info) {
      return wrap(async () => {
        const { enc, sharedSecret } = await encapsulate(x, ours(publicKey, 'public'));
        const context = suite.keySchedule(sharedSecret, info);
        return { enc, secret: suite.exportFrom(context, exporterContext, length) };
      });
    },
    async importSecret(privateKey, exporterContext, kemOutput, length, info) {
      return wrap(async () => {
        const context = await setupRecipient(x, ours(privateKey, 'private'), kemOutput, info);
        return suite.exportFrom(context, exporterContext, length);
      });
    },
    async encryptAead(key, nonce, aad, plaintext) {
      return wrap(async () => aead(key, nonce, aad).encrypt(plaintext));
    },
    async decryptAead(key, nonce, aad, ciphertext) {
      return wrap(async () => aead(key, nonce, aad).decrypt(ciphertext));
    },
  };
}

export { X25519Error };
