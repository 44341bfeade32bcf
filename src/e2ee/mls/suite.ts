/**
 * The one MLS cipher suite Convene uses and the wire helpers around ts-mls's codecs. Everything here
 * runs on WebCrypto and @noble/hashes (fastCrypto.ts), so it works in Node and in the browser alike.
 */
import {
  decodeMlsMessage,
  encodeExternalSender,
  encodeMlsMessage,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  type CiphersuiteImpl,
  type CiphersuiteName,
  type Extension,
  type MLSMessage,
} from 'ts-mls';
import { serverCredential } from './credential.js';
import { fastCryptoProvider } from './fastCrypto.js';
import { MlsGroupError } from './errors.js';

export const MLS_CIPHERSUITE: CiphersuiteName = 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519';

let impl: Promise<CiphersuiteImpl> | undefined;

/** The suite's implementation, built once per process (or worker). */
export function cipherSuite(): Promise<CiphersuiteImpl> {
  impl ??= getCiphersuiteImpl(getCiphersuiteFromName(MLS_CIPHERSUITE), fastCryptoProvider);
  return impl;
}

export function encodeMessage(message: MLSMessage): Uint8Array {
  return encodeMlsMessage(message);
}

/** Decodes a whole MLSMessage; trailing bytes or a truncated message are `mls_bad_message`. */
export function decodeMessage(bytes: Uint8Array): MLSMessage {
  let decoded: [MLSMessage, number] | undefined;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch (err) {
    throw MlsGroupError.badMessage('does not decode', err);
  }
  if (!decoded) throw MlsGroupError.badMessage('does not decode');
  if (decoded[1] !== bytes.length) throw MlsGroupError.badMessage('trailing bytes');
  return decoded[0];
}

/**
 * The group context's external_senders extension naming the server. ts-mls 1.x (and 2.x) encodes it
 * as ONE ExternalSender, where RFC 9420 §12.1.8.1 has a list, and it numbers external senders by the
 * position of the extension among the external_senders extensions when verifying but among all
 * extensions when signing. So it must be the only group-context extension (index 0 both ways), and a
 * non-ts-mls client would not read it. Both are recorded in docs/e2ee.md.
 */
export function externalSendersExtension(serverSignaturePublicKey: Uint8Array): Extension {
  return {
    extensionType: 'external_senders',
    extensionData: encodeExternalSender({
      signaturePublicKey: serverSignaturePublicKey,
      credential: serverCredential(),
    }),
  };
}

/** What the server puts in an external proposal's authenticated_data: the participant it concerns. */
export function encodeProposalSubject(participantId: string): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ pid: participantId }));
}

export function decodeProposalSubject(bytes: Uint8Array): string | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const pid = (parsed as Record<string, unknown>).pid;
    return typeof pid === 'string' ? pid : undefined;
  } catch {
    return undefined;
  }
}

export const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);
