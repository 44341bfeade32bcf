/**
 * SFrame cipher suites (RFC 9605 §4.5 and the IANA registry in §8.1). Only the AES-GCM suites are
 * implemented: they map directly onto WebCrypto's AES-GCM, which is what both Node and the browser
 * worker provide natively. The AES-CTR+HMAC suites (short tags) are listed so that their ids are
 * recognised and refused explicitly rather than misread.
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
  /** WebCrypto name of the HKDF hash. */
  readonly hash: 'SHA-256' | 'SHA-512';
  /** Hash output size in bytes (Nh). */
  readonly nh: number;
  /** Key size in bytes (Nk). */
  readonly nk: number;
  /** Nonce size in bytes (Nn). */
  readonly nn: number;
  /** Tag size in bytes (Nt). */
  readonly nt: number;
}

const GCM_SUITES: ReadonlyMap<number, SuiteParams> = new Map<number, SuiteParams>([
  [
    CipherSuite.AES_128_GCM_SHA256_128,
    {
      id: CipherSuite.AES_128_GCM_SHA256_128,
      name: 'AES_128_GCM_SHA256_128',
      hash: 'SHA-256',
      nh: 32,
      nk: 16,
      nn: 12,
      nt: 16,
    },
  ],
  [
    CipherSuite.AES_256_GCM_SHA512_128,
    {
      id: CipherSuite.AES_256_GCM_SHA512_128,
      name: 'AES_256_GCM_SHA512_128',
      hash: 'SHA-512',
      nh: 64,
      nk: 32,
      nn: 12,
      nt: 16,
    },
  ],
]);

/** Parameters of a supported suite; throws for the CTR+HMAC suites and unknown ids. */
export function suiteParams(id: number): SuiteParams {
  const params = GCM_SUITES.get(id);
  if (!params)
    throw new RangeError(`SFrame cipher suite 0x${id.toString(16).padStart(4, '0')} is not supported`);
  return params;
}

export function isSupportedSuite(id: number): id is CipherSuiteId {
  return GCM_SUITES.has(id);
}
