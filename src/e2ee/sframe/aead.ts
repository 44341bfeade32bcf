/**
 * The AEADs of the SFrame cipher suites on WebCrypto (RFC 9605 §4.5): AES-GCM as is, and the
 * AES-CTR + HMAC-SHA256 composition (encrypt-then-MAC, §4.5.1) whose truncated tags (10, 8 or 4 bytes)
 * WebCrypto does not offer as one algorithm. Both return ciphertext || tag, as RFC 5116 does.
 */
import { bigEndian, concat, type Bytes } from './bytes.js';
import type { SuiteParams } from './suites.js';

// Typed from the global itself, so this compiles with the DOM lib (browser worker) and with Node's types alone (server build).
const subtle = (): typeof globalThis.crypto.subtle => globalThis.crypto.subtle;

export interface Aead {
  seal(nonce: Bytes, aad: Bytes, plaintext: Bytes): Promise<Bytes>;
  /** undefined when authentication fails. */
  open(nonce: Bytes, aad: Bytes, ciphertext: Bytes): Promise<Bytes | undefined>;
}

/** Imports the raw sframe_key (Nk bytes) for the suite. Keys are not extractable once imported. */
export async function importAead(suite: SuiteParams, rawKey: ArrayBuffer): Promise<Aead> {
  return suite.aead === 'AES-GCM' ? gcm(suite, rawKey) : ctrHmac(suite, new Uint8Array(rawKey));
}

async function gcm(suite: SuiteParams, rawKey: ArrayBuffer): Promise<Aead> {
  const key = await subtle().importKey('raw', rawKey, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  const tagLength = suite.nt * 8;
  return {
    async seal(iv, additionalData, plaintext) {
      return new Uint8Array(
        await subtle().encrypt({ name: 'AES-GCM', iv, additionalData, tagLength }, key, plaintext),
      );
    },
    async open(iv, additionalData, ciphertext) {
      try {
        const plain = await subtle().decrypt(
          { name: 'AES-GCM', iv, additionalData, tagLength },
          key,
          ciphertext,
        );
        return new Uint8Array(plain);
      } catch {
        // WebCrypto reports every AES-GCM failure as OperationError; with a valid key and nonce the only
        // cause is a tag mismatch (wrong key, or a changed header, metadata or ciphertext).
        return undefined;
      }
    },
  };
}

async function ctrHmac(suite: SuiteParams, rawKey: Bytes): Promise<Aead> {
  const nka = suite.nka;
  if (rawKey.length !== nka + suite.nh) throw new RangeError('AES-CTR+HMAC key has the wrong length');
  const encKey = await subtle().importKey('raw', rawKey.slice(0, nka), { name: 'AES-CTR' }, false, [
    'encrypt',
  ]);
  const authKey = await subtle().importKey(
    'raw',
    rawKey.slice(nka),
    { name: 'HMAC', hash: suite.hash },
    false,
    ['sign'],
  );
  // initial_counter = nonce || 0x00000000; the low 32 bits count blocks.
  const ctr = (nonce: Bytes, data: Bytes) =>
    subtle().encrypt(
      { name: 'AES-CTR', counter: concat(nonce, new Uint8Array(4)), length: 32 },
      encKey,
      data,
    );
  const tag = async (nonce: Bytes, aad: Bytes, ct: Bytes): Promise<Bytes> => {
    const authData = concat(
      bigEndian(BigInt(aad.length), 8),
      bigEndian(BigInt(ct.length), 8),
      bigEndian(BigInt(suite.nt), 8),
      nonce,
      aad,
      ct,
    );
    return new Uint8Array(await subtle().sign('HMAC', authKey, authData)).slice(0, suite.nt);
  };
  return {
    async seal(nonce, aad, plaintext) {
      const ct = new Uint8Array(await ctr(nonce, plaintext));
      return concat(ct, await tag(nonce, aad, ct));
    },
    async open(nonce, aad, ciphertext) {
      const inner = ciphertext.subarray(0, ciphertext.length - suite.nt);
      const expected = await tag(nonce, aad, inner);
      // Constant-time comparison: WebCrypto's verify cannot check a truncated tag.
      let diff = 0;
      for (let i = 0; i < suite.nt; i++) diff |= (expected[i] ?? 0) ^ (ciphertext[inner.length + i] ?? 0);
      if (diff !== 0) return undefined;
      return new Uint8Array(await ctr(nonce, inner));
    },
  };
}
