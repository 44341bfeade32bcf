/**
 * Tree heads and proofs computed from stored hashes of complete subtrees, so nothing needs every leaf
 * in memory: a proof for a tree of 10^6 entries reads a few dozen hashes. The shape of each proof is
 * RFC 9162 §2.1.3.1 (PATH) and §2.1.4.1 (SUBPROOF); every node a proof names is the hash of a range
 * [lo, hi) that splits into complete subtrees, which are read in one batch and folded.
 */
import { EMPTY_ROOT, nodeHash, type Hash } from './hash.js';
import { assertSize, splitPoint } from './size.js';

/**
 * Reads hashes of complete subtrees: at `level`, index i is MTH(D[i·2^level : (i+1)·2^level]).
 * Implementations: tiles (TileHashReader), an in-memory tree in tests, or a database.
 */
export interface HashReader {
  readHashes(level: number, indexes: readonly number[]): Promise<Hash[]>;
}

interface SubtreeRef {
  level: number;
  index: number;
}

/** The complete subtrees, left to right, whose concatenation is [lo, hi) as the RFC tree splits it. */
function decompose(lo: number, hi: number): SubtreeRef[] {
  const out: SubtreeRef[] = [];
  let start = lo;
  while (start < hi) {
    // The largest aligned power of two starting at `start` that fits before hi.
    let size = 1;
    let level = 0;
    while (start % (size * 2) === 0 && start + size * 2 <= hi) {
      size *= 2;
      level++;
    }
    out.push({ level, index: start / size });
    start += size;
  }
  return out;
}

/** Hashes of several ranges, reading each distinct stored hash once per level. */
async function rangeHashes(
  reader: HashReader,
  ranges: ReadonlyArray<readonly [number, number]>,
): Promise<Hash[]> {
  const parts = ranges.map(([lo, hi]) => decompose(lo, hi));
  const wanted = new Map<number, Set<number>>();
  for (const refs of parts) {
    for (const r of refs) {
      let set = wanted.get(r.level);
      if (!set) wanted.set(r.level, (set = new Set()));
      set.add(r.index);
    }
  }
  const got = new Map<string, Hash>();
  await Promise.all(
    [...wanted].map(async ([level, set]) => {
      const indexes = [...set].sort((a, b) => a - b);
      const hashes = await reader.readHashes(level, indexes);
      if (hashes.length !== indexes.length) throw new Error('HashReader returned the wrong number of hashes');
      indexes.forEach((index, i) => got.set(`${level}/${index}`, hashes[i]!));
    }),
  );
  return parts.map((refs) => {
    // Fold from the right: a smaller right-hand subtree is the right child of the one before it.
    let h = got.get(`${refs[refs.length - 1]!.level}/${refs[refs.length - 1]!.index}`)!;
    for (let i = refs.length - 2; i >= 0; i--)
      h = nodeHash(got.get(`${refs[i]!.level}/${refs[i]!.index}`)!, h);
    return h;
  });
}

/** The root hash of the first `size` entries. */
export async function treeHash(reader: HashReader, size: number): Promise<Hash> {
  assertSize('size', size);
  if (size === 0) return EMPTY_ROOT;
  const [root] = await rangeHashes(reader, [[0, size]]);
  return root!;
}

/** RFC 9162 §2.1.3.1: the audit path for entry `index` in the tree of `size` entries. */
export async function inclusionProof(reader: HashReader, index: number, size: number): Promise<Hash[]> {
  assertSize('size', size);
  assertSize('index', index);
  if (index >= size) throw new RangeError(`index ${index} is not in a tree of size ${size}`);
  const ranges: Array<[number, number]> = [];
  // Walk down from the root; the RFC appends each sibling after the deeper path, so reverse at the end.
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo = lo + k;
    }
  }
  return rangeHashes(reader, ranges.reverse());
}

/** RFC 9162 §2.1.4.1: the consistency proof from the tree of size1 to the tree of size2. */
export async function consistencyProof(reader: HashReader, size1: number, size2: number): Promise<Hash[]> {
  assertSize('size1', size1);
  assertSize('size2', size2);
  if (size1 > size2) throw new RangeError(`size1 ${size1} is larger than size2 ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  const ranges: Array<[number, number]> = [];
  let lo = 0;
  let hi = size2;
  let m = size1;
  let complete = true;
  for (;;) {
    const n = hi - lo;
    if (m === n) {
      if (!complete) ranges.push([lo, hi]);
      break;
    }
    const k = splitPoint(n);
    if (m <= k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo = lo + k;
      m -= k;
      complete = false;
    }
  }
  return rangeHashes(reader, ranges.reverse());
}
