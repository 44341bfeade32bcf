/**
 * Ed25519 checkpoint cosignatures (c2sp.org/tlog-cosignature, `cosignature/v1`, signature type 0x04).
 * The signature line carries timestamp (u64 big-endian) || Ed25519 signature over
 * "cosignature/v1\ntime <t>\n" || checkpoint note text. It is a note signature, so a witness's
 * cosignature line can simply be appended to the log's checkpoint.
 */
import { sign as edSign, verify as edVerify } from 'node:crypto';
import {
  SIG_TYPE_COSIGNATURE_V1,
  privateKeyObject,
  publicKeyObject,
  type SignerKey,
  type VerifierKey,
} from './keys.js';
import type { NoteSignature, NoteVerifier } from './note.js';

const MAX_TIMESTAMP = 2n ** 63n - 1n;

function message(checkpointText: string, timestamp: bigint): Uint8Array {
  return new TextEncoder().encode(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`);
}

/** Cosigns a checkpoint body at `timestamp` (POSIX seconds); returns the note signature to append. */
export function cosign(key: SignerKey, checkpointText: string, timestamp: number): NoteSignature {
  if (key.type !== SIG_TYPE_COSIGNATURE_V1) throw new Error('not a cosignature/v1 key');
  if (!Number.isSafeInteger(timestamp) || timestamp <= 0)
    throw new Error('cosignature timestamp must be positive');
  const ts = BigInt(timestamp);
  const sig = edSign(null, message(checkpointText, ts), privateKeyObject(key.seed));
  const out = new Uint8Array(8 + 64);
  new DataView(out.buffer).setBigUint64(0, ts);
  out.set(sig, 8);
  return { name: key.name, id: key.id, signature: out };
}

/** The timestamp a cosignature claims, or undefined when it is not a well-formed cosignature/v1. */
export function cosignatureTimestamp(signature: Uint8Array): number | undefined {
  if (signature.length !== 72) return undefined;
  const ts = new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0);
  if (ts > MAX_TIMESTAMP || ts > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(ts);
}

/** A NoteVerifier for one witness's cosignatures; use it with verifyNote like any note key. */
export function cosignatureVerifier(key: VerifierKey): NoteVerifier {
  if (key.type !== SIG_TYPE_COSIGNATURE_V1) throw new Error('not a cosignature/v1 key');
  const pub = publicKeyObject(key.publicKey);
  return {
    name: key.name,
    id: key.id,
    verify(text, signature) {
      const ts = cosignatureTimestamp(signature);
      if (ts === undefined) return false;
      return edVerify(null, message(new TextDecoder().decode(text), BigInt(ts)), pub, signature.subarray(8));
    },
  };
}
