/**
 * An in-memory HashReader over every level of the tree. For tests, small logs and the witness-side
 * tooling; a real log reads tiles instead (TileHashReader).
 */
import { leafHash, nodeHash, type Hash } from './hash.js';
import type { HashReader } from './proof.js';

export class MemoryTree implements HashReader {
  /** levels[l][i] = hash of the complete subtree of 2^l entries starting at i·2^l. */
  private readonly levels: Hash[][] = [[]];

  get size(): number {
    return this.levels[0]!.length;
  }

  appendEntry(data: Uint8Array): void {
    this.appendLeafHash(leafHash(data));
  }

  appendLeafHash(h: Hash): void {
    let level = 0;
    let hash = h;
    for (;;) {
      const row = this.levels[level]!;
      row.push(hash);
      if (row.length % 2 === 1) return;
      hash = nodeHash(row[row.length - 2]!, hash);
      level++;
      if (!this.levels[level]) this.levels.push([]);
    }
  }

  async readHashes(level: number, indexes: readonly number[]): Promise<Hash[]> {
    return indexes.map((i) => {
      const h = this.levels[level]?.[i];
      if (!h) throw new RangeError(`no stored hash at level ${level} index ${i}`);
      return h;
    });
  }
}
