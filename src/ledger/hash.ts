/**
 * RFC 9162 §2.1.1 Merkle Tree hashing with SHA-256 (the same as RFC 6962). The one-byte prefixes keep
 * a leaf from ever being taken for an interior node (second-preimage resistance).
 */
import { createHash } from 'node:crypto';

export const HASH_SIZE = 32;

/** A 32-byte Merkle Tree hash. */
export type Hash = Uint8Array;

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** MTH({}) = SHA-256() */
export const EMPTY_ROOT: Hash = new Uint8Array(createHash('sha256').digest());

/** MTH({d}) = SHA-256(0x00 || d) */
export function leafHash(data: Uint8Array): Hash {
  return new Uint8Array(createHash('sha256').update(LEAF_PREFIX).update(data).digest());
}

/** SHA-256(0x01 || left || right) */
export function nodeHash(left: Hash, right: Hash): Hash {
  return new Uint8Array(createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest());
}

/** Constant-time equality is not needed here (hashes are public), but length must match too. */
export function hashEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * MTH of a list of hashes that are themselves roots of equal-sized complete subtrees (a tile, or a
 * run of leaf hashes): the RFC's recursive split at the largest power of two below n.
 */
export function merkleRootOf(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_ROOT;
  // Bottom-up with an odd trailing node carried up unchanged: the same tree as the recursive
  // definition, because the RFC split always puts a power of two on the left.
  let level: Hash[] = hashes.slice();
  while (level.length > 1) {
    const next: Hash[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}
