/**
 * SFrame encryption and decryption (RFC 9605 §4.4), on WebCrypto only, so the
 * same code runs in Node 20 and in a browser worker. No replay or ordering checks (§9.4 leaves those
 * to the application; media decoders tolerate late frames and SRTP already rejects replayed packets).
 */
import { importAead, type Aead } from './aead.js';
import { bigEndian, concat, utf8, type Bytes } from './bytes.js';
import { decodeHeader, encodeHeader } from './header.js';
import { suiteParams, type CipherSuiteId, type SuiteParams } from './suites.js';

// Typed from the global itself, so this compiles with the DOM lib (browser worker) and with Node's types alone (server build).
const subtle = (): typeof globalThis.crypto.subtle => globalThis.crypto.subtle;

/** A key ready for one KID: the AEAD and the salt the nonce is derived from. */
export interface SFrameKey {
  readonly suite: SuiteParams;
  readonly kid: bigint;
  readonly aead: Aead;
  readonly salt: Bytes;
}

/** The HKDF labels of §4.4.2: "SFrame 1.0 Secret key|salt " + KID (8 bytes BE) + suite (2 bytes BE). */
export function derivationLabels(kid: bigint, suite: CipherSuiteId): { key: Bytes; salt: Bytes } {
  const tail = concat(bigEndian(kid, 8), bigEndian(BigInt(suite), 2));
  return {
    key: concat(utf8('SFrame 1.0 Secret key '), tail),
    salt: concat(utf8('SFrame 1.0 Secret salt '), tail),
  };
}

/**
 * derive_key_salt of §4.4.2. WebCrypto's HKDF is Extract-then-Expand; with an empty salt that is exactly
 * `HKDF-Expand(HKDF-Extract("", base_key), label, L)` as the RFC writes it.
 */
export async function deriveKey(suiteId: CipherSuiteId, kid: bigint, baseKey: Bytes): Promise<SFrameKey> {
  const suite = suiteParams(suiteId);
  if (baseKey.length === 0) throw new RangeError('empty SFrame base_key');
  const labels = derivationLabels(kid, suiteId);
  const ikm = await subtle().importKey('raw', baseKey, 'HKDF', false, ['deriveBits']);
  const hkdf = (info: Bytes, bytes: number) =>
    subtle().deriveBits({ name: 'HKDF', hash: suite.hash, salt: new Uint8Array(0), info }, ikm, bytes * 8);
  const [keyBits, saltBits] = await Promise.all([hkdf(labels.key, suite.nk), hkdf(labels.salt, suite.nn)]);
  // Not extractable: nothing after derivation needs the raw key, and a worker bug then cannot leak it.
  return { suite, kid, aead: await importAead(suite, keyBits), salt: new Uint8Array(saltBits) };
}

/** nonce = sframe_salt XOR CTR, the CTR encoded big-endian over Nn bytes (§4.4.3). */
export function frameNonce(salt: Bytes, ctr: bigint): Bytes {
  const ctrBytes = bigEndian(ctr, salt.length);
  const nonce = new Uint8Array(salt.length);
  for (let i = 0; i < salt.length; i++) nonce[i] = (salt[i] ?? 0) ^ (ctrBytes[i] ?? 0);
  return nonce;
}

/** Encrypts one frame: returns header || ciphertext || tag. AAD = header || metadata. */
export async function encrypt(
  key: SFrameKey,
  ctr: bigint,
  metadata: Bytes,
  plaintext: Bytes,
): Promise<Bytes> {
  const header = encodeHeader(key.kid, ctr);
  const aad = metadata.length ? concat(header, metadata) : header;
  const sealed = await key.aead.seal(frameNonce(key.salt, ctr), aad, plaintext);
  const out = new Uint8Array(header.length + sealed.length);
  out.set(header, 0);
  out.set(sealed, header.length);
  return out;
}

export type DecryptResult =
  | { readonly ok: true; readonly kid: bigint; readonly ctr: bigint; readonly plaintext: Bytes }
  /** malformed: no complete header or shorter than a tag; noKey: no key for the KID; authFailed: AEAD rejected it. */
  | { readonly ok: false; readonly reason: 'malformed' | 'noKey' | 'authFailed'; readonly kid?: bigint };

/**
 * Decrypts header || ciphertext || tag. `lookup` maps the KID to a key (or undefined): callers keep
 * "we have no key for this sender/epoch" apart from "the frame is forged or the key is wrong", because
 * the first is expected during an epoch change and the second is not.
 */
export async function decrypt(
  lookup: (kid: bigint) => SFrameKey | undefined | Promise<SFrameKey | undefined>,
  metadata: Bytes,
  sframeCiphertext: Bytes,
): Promise<DecryptResult> {
  const header = decodeHeader(sframeCiphertext);
  if (!header) return { ok: false, reason: 'malformed' };
  const key = await lookup(header.kid);
  if (!key) return { ok: false, reason: 'noKey', kid: header.kid };
  const body = sframeCiphertext.subarray(header.bytes.length);
  if (body.length < key.suite.nt) return { ok: false, reason: 'malformed', kid: header.kid };
  const aad = metadata.length ? concat(header.bytes, metadata) : header.bytes;
  const plaintext = await key.aead.open(frameNonce(key.salt, header.ctr), aad, body);
  if (!plaintext) return { ok: false, reason: 'authFailed', kid: header.kid };
  return { ok: true, kid: header.kid, ctr: header.ctr, plaintext };
}
