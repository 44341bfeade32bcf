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
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Hpke, PrivateKey, PublicKey } from 'ts-mls/crypto/hpke.js';
import { concat, utf8 } from '../sframe/bytes.js';
import { X25519Error, X25519Key, type X25519 } from './x25519.js';

export class HpkeError extends Error {}

const text = utf8;
const i2osp2 = (n: number) => Uint8Array.from([n >> 8, n & 0xff]);

const VERSION = text('HPKE-v1');
const KEM_SUITE = concat(text('KEM'), i2osp2(0x0020));
const HPKE_SUITE = concat(text('HPKE'), i2osp2(0x0020), i2osp2(0x0001), i2osp2(0x0001));
const EMPTY = new Uint8Array(0);
const NK = 16;
const NN = 12;

function labeledExtract(suite: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
  return extract(sha256, concat(VERSION, suite, text(label), ikm), salt);
}
function labeledExpand(suite: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, length: number) {
  return expand(sha256, prk, concat(i2osp2(length), VERSION, suite, text(label), info), length);
}

/** DHKEM's ExtractAndExpand (RFC 9180 §4.1). */
function kemSharedSecret(dh: Uint8Array, enc: Uint8Array, pkR: Uint8Array): Uint8Array {
  const eaePrk = labeledExtract(KEM_SUITE, EMPTY, 'eae_prk', dh);
  return labeledExpand(KEM_SUITE, eaePrk, 'shared_secret', concat(enc, pkR), 32);
}

export interface HpkeContext {
  readonly key: Uint8Array;
  readonly baseNonce: Uint8Array;
  readonly exporterSecret: Uint8Array;
}

/** mode_base has no PSK: its psk_id_hash is a constant. */
const PSK_ID_HASH = labeledExtract(HPKE_SUITE, EMPTY, 'psk_id_hash', EMPTY);
/** A commit seals to every recipient with the same info: its hash is kept for the next call. */
let lastInfo: { info: Uint8Array; hash: Uint8Array } | undefined;
function infoHash(info: Uint8Array): Uint8Array {
  const last = lastInfo;
  if (last && last.info.length === info.length && last.info.every((b, i) => b === info[i])) return last.hash;
  const hash = labeledExtract(HPKE_SUITE, EMPTY, 'info_hash', info);
  lastInfo = { info: Uint8Array.from(info), hash };
  return hash;
}

/** KeySchedule for mode_base (RFC 9180 §5.1). */
export function keySchedule(sharedSecret: Uint8Array, info: Uint8Array): HpkeContext {
  const context = concat(Uint8Array.of(0), PSK_ID_HASH, infoHash(info));
  const secret = labeledExtract(HPKE_SUITE, sharedSecret, 'secret', EMPTY);
  return {
    key: labeledExpand(HPKE_SUITE, secret, 'key', context, NK),
    baseNonce: labeledExpand(HPKE_SUITE, secret, 'base_nonce', context, NN),
    exporterSecret: labeledExpand(HPKE_SUITE, secret, 'exp', context, 32),
  };
}

/** The context's Export (RFC 9180 §5.3). */
export function exportFrom(context: HpkeContext, exporterContext: Uint8Array, length: number): Uint8Array {
  return labeledExpand(HPKE_SUITE, context.exporterSecret, 'sec', exporterContext, length);
}

/** DeriveKeyPair's private half for X25519 (RFC 9180 §7.1.3). */
export function derivePrivateKey(ikm: Uint8Array): Uint8Array {
  const dkpPrk = labeledExtract(KEM_SUITE, EMPTY, 'dkp_prk', ikm);
  return labeledExpand(KEM_SUITE, dkpPrk, 'sk', EMPTY, 32);
}

/** SetupBaseS with a given ephemeral key pair (random in use, fixed by the test vectors). */
export async function setupSender(
  x: X25519,
  ephemeral: { privateKey: X25519Key; publicKey: X25519Key },
  recipient: X25519Key,
  info: Uint8Array,
): Promise<{ enc: Uint8Array; sharedSecret: Uint8Array; context: HpkeContext }> {
  const dh = await x.sharedSecret(ephemeral.privateKey, recipient);
  const enc = ephemeral.publicKey.raw;
  const sharedSecret = kemSharedSecret(dh, enc, recipient.raw);
  return { enc, sharedSecret, context: keySchedule(sharedSecret, info) };
}

/** SetupBaseR (RFC 9180 §5.1.1). */
export async function setupRecipient(
  x: X25519,
  recipient: X25519Key,
  enc: Uint8Array,
  info: Uint8Array,
): Promise<HpkeContext> {
  const ephemeral = new X25519Key('public', enc);
  const dh = await x.sharedSecret(recipient, ephemeral);
  recipient.publicHalf ??= await x.publicFromPrivate(recipient);
  return keySchedule(kemSharedSecret(dh, enc, recipient.publicHalf.raw), info);
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
  const aead = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array | undefined) =>
    gcm(key, nonce, aad ?? EMPTY);
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
        const privateKey = new X25519Key('private', derivePrivateKey(ikm));
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
        const { enc, context } = await setupSender(x, await x.generate(), ours(publicKey, 'public'), info);
        return { ct: aead(context.key, context.baseNonce, aad).encrypt(plaintext), enc };
      });
    },
    async open(privateKey, kemOutput, ciphertext, info, aad) {
      return wrap(async () => {
        const context = await setupRecipient(x, ours(privateKey, 'private'), kemOutput, info);
        return aead(context.key, context.baseNonce, aad).decrypt(ciphertext);
      });
    },
    async exportSecret(publicKey, exporterContext, length, info) {
      return wrap(async () => {
        const { enc, context } = await setupSender(x, await x.generate(), ours(publicKey, 'public'), info);
        return { enc, secret: exportFrom(context, exporterContext, length) };
      });
    },
    async importSecret(privateKey, exporterContext, kemOutput, length, info) {
      return wrap(async () => {
        const context = await setupRecipient(x, ours(privateKey, 'private'), kemOutput, info);
        return exportFrom(context, exporterContext, length);
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
