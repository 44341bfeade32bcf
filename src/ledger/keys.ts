/**
 * Ed25519 keys in the signed-note encodings (c2sp.org/signed-note): key IDs, verifier keys
 * `name+hex(id)+base64(type || public key)` and signer keys in the golang.org/x/mod/sumdb/note form
 * `PRIVATE+KEY+name+hex(id)+base64(type || 32-byte seed)`, so keys interoperate with Go tooling.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

/** Signature type bytes from the signed-note spec. */
export const SIG_TYPE_ED25519 = 0x01;
export const SIG_TYPE_COSIGNATURE_V1 = 0x04;

// DER prefixes that wrap a raw 32-byte Ed25519 key into PKCS#8 / SPKI, which node:crypto imports.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !/[\u0000-\u001f]/u.test(name);
}

/** SHA-256(name || 0x0A || type || public key)[:4] as a uint32. */
export function keyId(name: string, type: number, publicKey: Uint8Array): number {
  const h = createHash('sha256').update(name).update(Uint8Array.of(0x0a, type)).update(publicKey).digest();
  return h.readUInt32BE(0);
}

export function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function privateKeyObject(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function rawPublicKey(key: KeyObject): Uint8Array {
  const der = key.export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

function rawSeed(key: KeyObject): Uint8Array {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return new Uint8Array(der.subarray(der.length - 32));
}

export interface VerifierKey {
  readonly name: string;
  readonly id: number;
  readonly type: number;
  /** Raw public key material (32 bytes for Ed25519 types). */
  readonly publicKey: Uint8Array;
}

export interface SignerKey extends VerifierKey {
  readonly seed: Uint8Array;
}

/** Splits on the first n-1 '+' characters; the last field keeps any further '+'. */
function splitFields(s: string, n: number): string[] | undefined {
  const out: string[] = [];
  let rest = s;
  for (let i = 0; i < n - 1; i++) {
    const at = rest.indexOf('+');
    if (at < 0) return undefined;
    out.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  out.push(rest);
  return out;
}

const hex8 = (id: number) => id.toString(16).padStart(8, '0');

export function formatVerifierKey(k: VerifierKey): string {
  return `${k.name}+${hex8(k.id)}+${Buffer.from([k.type, ...k.publicKey]).toString('base64')}`;
}

function strictBase64(s: string): Uint8Array | undefined {
  const b = Buffer.from(s, 'base64');
  return b.toString('base64') === s ? new Uint8Array(b) : undefined;
}

/** Parses a vkey; the ID must be the one the name and key imply, so a typo cannot pass unnoticed. */
export function parseVerifierKey(vkey: string): VerifierKey {
  // Base64 may itself contain '+', so only the first two pluses separate fields.
  const parts = splitFields(vkey, 3);
  if (!parts) throw new Error('malformed verifier key');
  const [name = '', idHex = '', keyB64 = ''] = parts;
  const material = strictBase64(keyB64);
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(idHex) || !material || material.length < 1) {
    throw new Error('malformed verifier key');
  }
  const type = material[0]!;
  const publicKey = material.subarray(1);
  if ((type === SIG_TYPE_ED25519 || type === SIG_TYPE_COSIGNATURE_V1) && publicKey.length !== 32) {
    throw new Error('malformed Ed25519 verifier key');
  }
  const id = parseInt(idHex, 16);
  if (id !== keyId(name, type, publicKey)) throw new Error('verifier key ID does not match its name and key');
  return { name, id, type, publicKey };
}

export function formatSignerKey(k: SignerKey): string {
  return `PRIVATE+KEY+${k.name}+${hex8(k.id)}+${Buffer.from([k.type, ...k.seed]).toString('base64')}`;
}

export function parseSignerKey(skey: string): SignerKey {
  const parts = splitFields(skey, 5);
  if (!parts || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw new Error('malformed signer key');
  const [, , name = '', idHex = '', keyB64 = ''] = parts;
  const material = strictBase64(keyB64);
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(idHex) || !material || material.length !== 33) {
    throw new Error('malformed signer key');
  }
  const type = material[0]!;
  if (type !== SIG_TYPE_ED25519 && type !== SIG_TYPE_COSIGNATURE_V1)
    throw new Error('unsupported signer key type');
  const seed = material.subarray(1);
  const publicKey = rawPublicKey(createPublicKey(privateKeyObject(seed)));
  const id = parseInt(idHex, 16);
  if (id !== keyId(name, type, publicKey)) throw new Error('signer key ID does not match its name and key');
  return { name, id, type, publicKey, seed };
}

/** A fresh Ed25519 key; type 0x01 signs notes (a log), 0x04 makes cosignatures (a witness). */
export function generateSignerKey(name: string, type: number = SIG_TYPE_ED25519): SignerKey {
  if (!isValidKeyName(name)) throw new Error(`invalid key name ${JSON.stringify(name)}`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = rawPublicKey(publicKey);
  return { name, id: keyId(name, type, pub), type, publicKey: pub, seed: rawSeed(privateKey) };
}

export function verifierOf(k: SignerKey): VerifierKey {
  return { name: k.name, id: k.id, type: k.type, publicKey: k.publicKey };
}
