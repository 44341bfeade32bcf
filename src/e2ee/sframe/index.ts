/** Public API of the SFrame layer (docs/e2ee.md). Pure: WebCrypto only, no other Convene imports. */
export { type Bytes, fromHex, toHex } from './bytes.js';
export { CipherSuite, type CipherSuiteId, suiteParams, isSupportedSuite } from './suites.js';
export { encodeHeader, decodeHeader, type SFrameHeader } from './header.js';
export { deriveKey, encrypt, decrypt, frameNonce, type SFrameKey, type DecryptResult } from './sframe.js';
export {
  MLS_EXPORTER_LABEL,
  exportEpochBaseKey,
  mlsKid,
  parseMlsKid,
  indexBitsFor,
  DEFAULT_KID_LAYOUT,
  type KidLayout,
  type MlsExporter,
} from './mls.js';
export { SFrameKeyRing, type KeyRingOptions, type KeyRingDecryptResult } from './keyRing.js';
export {
  clearPrefixLength,
  encryptFrame,
  decryptFrame,
  type MediaCodec,
  type FrameCipher,
  type EncryptFrameResult,
  type DecryptFrameResult,
} from './media.js';
