/**
 * Proof verification exactly as RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency). Both
 * functions return false rather than throw on a bad proof, so callers can map that to their own error.
 */
import { HASH_SIZE, hashEqual, nodeHash, type Hash } from './hash.js';
import { half, isPowerOfTwo, lsb } from './size.js';

function allHashes(hashes: readonly Hash[]): boolean {
  return hashes.every((h) => h.length === HASH_SIZE);
}

/** The root an inclusion proof implies, or undefined when the proof cannot be valid for these sizes. */
export function rootFromInclusionProof(
  leafIndex: number,
  treeSize: number,
  leaf: Hash,
  proof: readonly Hash[],
): Hash | undefined {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) return undefined;
  // Wrong-length hashes are malformed input, not merely a mismatch: reject before hashing them.
  if (leaf.length !== HASH_SIZE || !allHashes(proof)) return undefined;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : undefined;
}

export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leaf: Hash,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  const r = rootFromInclusionProof(leafIndex, treeSize, leaf, proof);
  return r !== undefined && hashEqual(r, root);
}

/**
 * Consistency between a tree of size1 with root1 and a tree of size2 with root2. A proof from the
 * empty tree is rejected as meaningless (as transparency-dev/merkle does): callers that accept any
 * first tree from size 0, like the witness, handle that case themselves.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Hash[],
  root1: Hash,
  root2: Hash,
): boolean {
  if (size2 < size1 || size1 === 0) return false;
  if (size1 === size2) return proof.length === 0 && hashEqual(root1, root2);
  if (!allHashes(proof) || root1.length !== HASH_SIZE || root2.length !== HASH_SIZE) return false;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof.slice();
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!lsb(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return hashEqual(fr, root1) && hashEqual(sr, root2) && sn === 0;
}
