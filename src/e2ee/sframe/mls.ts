/**
 * MLS-based SFrame keys (RFC 9605 §5.2). One secret per MLS epoch comes from the MLS exporter; every
 * member derives every sender's key from it, because the KID (which contains the sender's leaf index)
 * is part of the HKDF labels of §4.4.2. So senders get distinct keys and nonces without any extra
 * per-sender secret.
 */
import type { Bytes } from './bytes.js';
import { suiteParams, type CipherSuiteId } from './suites.js';

/** The exporter label of §5.2: base_key = MLS-Exporter("SFrame 1.0 Base Key", "", AEAD.Nk). */
export const MLS_EXPORTER_LABEL = 'SFrame 1.0 Base Key';

/** An MLS exporter as an MLS library exposes it (RFC 9420 §8.5). */
export type MlsExporter = (label: string, context: Uint8Array, length: number) => Promise<Uint8Array>;

/** Calls the epoch's exporter exactly as §5.2 says, returning the epoch's base_key (Nk bytes). */
export async function exportEpochBaseKey(exporter: MlsExporter, suite: CipherSuiteId): Promise<Bytes> {
  const nk = suiteParams(suite).nk;
  const secret = await exporter(MLS_EXPORTER_LABEL, new Uint8Array(0), nk);
  if (secret.length !== nk)
    throw new RangeError(`MLS exporter returned ${secret.length} bytes, expected ${nk}`);
  return Uint8Array.from(secret);
}

/**
 * How a KID is split (§5.2, figure "Structure of a KID for an MLS Sender"):
 * | context (64-S-E bits) | sender index (S bits) | epoch low bits (E bits) |.
 * E bounds how many epochs can be live at once (2^E); S bounds the group size (2^S leaves). All members
 * of a meeting must use the same layout, so it is fixed per meeting rather than recomputed from the
 * current group size (which would change the layout when members join).
 */
export interface KidLayout {
  readonly epochBits: number;
  readonly indexBits: number;
}

export const DEFAULT_KID_LAYOUT: KidLayout = { epochBits: 4, indexBits: 12 };

export function checkLayout(layout: KidLayout): void {
  const { epochBits: e, indexBits: s } = layout;
  if (!Number.isInteger(e) || !Number.isInteger(s) || e < 1 || s < 0 || e + s > 32)
    throw new RangeError(`invalid SFrame KID layout E=${e} S=${s} (need E >= 1, S >= 0, E + S <= 32)`);
}

/** The smallest S with groupSize <= 2^S, as §5.2 defines it. */
export function indexBitsFor(groupSize: number): number {
  let s = 0;
  while (groupSize > 2 ** s) s++;
  return s;
}

/** KID = (context << (S + E)) + (sender_index << E) + (epoch % 2^E). */
export function mlsKid(layout: KidLayout, epoch: bigint, senderIndex: number, context = 0n): bigint {
  checkLayout(layout);
  const e = BigInt(layout.epochBits);
  const s = BigInt(layout.indexBits);
  if (!Number.isInteger(senderIndex) || senderIndex < 0 || senderIndex >= 2 ** layout.indexBits)
    throw new RangeError(`sender index ${senderIndex} does not fit in ${layout.indexBits} bits`);
  if (epoch < 0n) throw new RangeError('negative epoch');
  const maxContext = (1n << (64n - s - e)) - 1n;
  if (context < 0n || context > maxContext) throw new RangeError(`KID context ${context} out of range`);
  return (context << (s + e)) | (BigInt(senderIndex) << e) | (epoch & ((1n << e) - 1n));
}

export interface ParsedKid {
  readonly epochLow: number;
  readonly senderIndex: number;
  readonly context: bigint;
}

export function parseMlsKid(layout: KidLayout, kid: bigint): ParsedKid {
  const e = BigInt(layout.epochBits);
  const s = BigInt(layout.indexBits);
  return {
    epochLow: Number(kid & ((1n << e) - 1n)),
    senderIndex: Number((kid >> e) & ((1n << s) - 1n)),
    context: kid >> (e + s),
  };
}
