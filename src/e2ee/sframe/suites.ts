/**
 * SFrame cipher suites (RFC 9605 §4.5 and the IANA registry of §8.1). The AES-GCM suites map directly
 * onto WebCrypto; the AES-CTR+HMAC suites (short tags, for bandwidth-starved audio) are composed from
 * WebCrypto's AES-CTR and HMAC in aead.ts.
 */
export const CipherSuite = {
  AES_128_CTR_HMAC_SHA256_80: 0x0001,
  AES_128_CTR_HMAC_SHA256_64: 0x0002,
  AES_128_CTR_HMAC_SHA256_32: 0x0003,
  AES_128_GCM_SHA256_128: 0x0004,
  AES_256_GCM_SHA512_128: 0x0005,
} as const;
export type CipherSuiteId = (typeof CipherSuite)[keyof typeof CipherSuite];

export interface SuiteParams {
  readonly id: CipherSuiteId;
  readonly name: string;
  readonly aead: 'AES-GCM' | 'AES-CTR-HMAC';
  /** WebCrypto name of the HKDF (and HMAC) hash. */
  readonly hash: 'SHA-256' | 'SHA-512';
  /** Hash output size in bytes (Nh). */
  readonly nh: number;
  /** AES key size inside a CTR+HMAC key (Nka); 0 for AES-GCM. */
  readonly nka: number;
  /** Key size in bytes (Nk). */
  readonly nk: number;
  /** Nonce size in bytes (Nn). */
  readonly nn: number;
  /** Tag size in bytes (Nt). */
  readonly nt: number;
}

const ctrHmac = (id: CipherSuiteId, name: string, nt: number): SuiteParams => ({
  id,
  name,
  aead: 'AES-CTR-HMAC',
  hash: 'SHA-256',
  nh: 32,
  nka: 16,
  nk: 48,
  nn: 12,
  nt,
});

const SUITES: ReadonlyMap<number, SuiteParams> = new Map<number, SuiteParams>(
  (
    [
      ctrHmac(CipherSuite.AES_128_CTR_HMAC_SHA256_80, 'AES_128_CTR_HMAC_SHA256_80', 10),
      ctrHmac(CipherSuite.AES_128_CTR_HMAC_SHA256_64, 'AES_128_CTR_HMAC_SHA256_64', 8),
      ctrHmac(CipherSuite.AES_128_CTR_HMAC_SHA256_32, 'AES_128_CTR_HMAC_SHA256_32', 4),
      {
        id: CipherSuite.AES_128_GCM_SHA256_128,
        name: 'AES_128_GCM_SHA256_128',
        aead: 'AES-GCM',
        hash: 'SHA-256',
        nh: 32,
        nka: 0,
        nk: 16,
        nn: 12,
        nt: 16,
      },
      {
        id: CipherSuite.AES_256_GCM_SHA512_128,
        name: 'AES_256_GCM_SHA512_128',
        aead: 'AES-GCM',
        hash: 'SHA-512',
        nh: 64,
        nka: 0,
        nk: 32,
        nn: 12,
        nt: 16,
      },
    ] satisfies SuiteParams[]
  ).map((s) => [s.id, s]),
);

/** Parameters of a suite; throws for an unknown id. */
export function suiteParams(id: number): SuiteParams {
  const params = SUITES.get(id);
  if (!params)
    throw new RangeError(`SFrame cipher suite 0x${id.toString(16).padStart(4, '0')} is not supported`);
  return params;
}

export function isSupportedSuite(id: number): id is CipherSuiteId {
  return SUITES.has(id);
}
