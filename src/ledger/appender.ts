/**
 * Incremental tile building. Appending a batch of entries returns exactly the tiles and entry bundles
 * that changed (newly full ones and the new rightmost partial ones), so the caller can write them in
 * the same database transaction as the entries. The appender keeps only the right edge of the tree
 * (at most 255 hashes per level and 255 entries), which it can reload from the stored partial tiles.
 */
import { HASH_SIZE, leafHash, merkleRootOf, nodeHash, type Hash } from './hash.js';
import { MAX_ENTRY_SIZE, encodeBundle, decodeBundle } from './bundle.js';
import { TILE_WIDTH, partialTiles, tilesAtLevel, type TileRef } from './tilePath.js';
import { tileHashes, type TileReader } from './tileReader.js';

export interface TileData {
  readonly ref: TileRef;
  readonly data: Uint8Array;
}

export interface AppendResult {
  /** Index of the first appended entry. */
  readonly firstIndex: number;
  /** Tree size after the append. */
  readonly size: number;
  readonly leafHashes: readonly Hash[];
  /** Changed hash tiles and entry bundles (level 'entries'), to upsert by tilePath(ref). */
  readonly tiles: readonly TileData[];
}

function concatHashes(hashes: readonly Hash[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((h, i) => out.set(h, i * HASH_SIZE));
  return out;
}

/** Aligned power-of-two runs of [0, n), left to right: how a partial tile splits into complete subtrees. */
function runs(n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let size = TILE_WIDTH; size >= 1; size /= 2) {
    if (n - start >= size) {
      out.push([start, start + size]);
      start += size;
    }
  }
  return out;
}

export class TileAppender {
  private constructor(
    private treeSize: number,
    /** edge[l] = hashes of the rightmost, partial tile at level l (always fewer than 256). */
    private readonly edge: Hash[][],
    private bundle: Uint8Array[],
  ) {}

  static empty(): TileAppender {
    return new TileAppender(0, [], []);
  }

  /** Reloads the right edge of a stored log of `size` entries from its partial tiles and bundle. */
  static async restore(size: number, reader: TileReader): Promise<TileAppender> {
    const refs: TileRef[] = partialTiles(size);
    const { full, partialWidth } = tilesAtLevel('entries', size);
    if (partialWidth > 0) refs.push({ level: 'entries', index: full, width: partialWidth });
    const data = await reader.readTiles(refs);
    const edge: Hash[][] = [];
    let bundle: Uint8Array[] = [];
    refs.forEach((ref, i) => {
      if (ref.level === 'entries') {
        bundle = decodeBundle(data[i]!).map((e) => e.slice());
        if (bundle.length !== ref.width) throw new Error('stored partial entry bundle has the wrong width');
      } else {
        edge[ref.level] = tileHashes(ref, data[i]!).map((h) => h.slice());
      }
    });
    const levels = Math.max(0, ...refs.map((r) => (r.level === 'entries' ? 0 : r.level + 1)));
    for (let l = 0; l < levels; l++) edge[l] ??= [];
    return new TileAppender(size, edge, bundle);
  }

  get size(): number {
    return this.treeSize;
  }

  /** Appends entries (each at most 65535 bytes) and returns what to store. */
  append(entries: readonly Uint8Array[]): AppendResult {
    const firstIndex = this.treeSize;
    const changed = new Map<string, TileData>();
    const touched = new Set<number>();
    let bundleTouched = false;
    const leafHashes: Hash[] = [];
    // Check the whole batch first: a refused batch must leave the appender as it was, like the
    // rolled-back transaction it belongs to.
    if (entries.some((e) => e.length > MAX_ENTRY_SIZE)) throw new RangeError('log entry exceeds 65535 bytes');
    for (const entry of entries) {
      const h = leafHash(entry);
      leafHashes.push(h);
      this.bundle.push(entry.slice());
      bundleTouched = true;
      if (this.bundle.length === TILE_WIDTH) {
        const index = Math.floor(this.treeSize / TILE_WIDTH);
        changed.set(`e/${index}`, {
          ref: { level: 'entries', index, width: TILE_WIDTH },
          data: encodeBundle(this.bundle),
        });
        this.bundle = [];
        bundleTouched = false;
      }
      this.treeSize++;
      this.push(0, h, changed, touched);
    }
    for (const l of touched) {
      const hashes = this.edge[l]!;
      if (hashes.length === 0) continue;
      const index = tilesAtLevel(l, this.treeSize).full;
      changed.set(`${l}/${index}`, {
        ref: { level: l, index, width: hashes.length },
        data: concatHashes(hashes),
      });
    }
    if (bundleTouched && this.bundle.length > 0) {
      const index = tilesAtLevel('entries', this.treeSize).full;
      changed.set(`e/${index}.p`, {
        ref: { level: 'entries', index, width: this.bundle.length },
        data: encodeBundle(this.bundle),
      });
    }
    return { firstIndex, size: this.treeSize, leafHashes, tiles: [...changed.values()] };
  }

  private push(level: number, h: Hash, changed: Map<string, TileData>, touched: Set<number>): void {
    // Called after treeSize already counts the new entry.
    const row = (this.edge[level] ??= []);
    row.push(h);
    touched.add(level);
    if (row.length < TILE_WIDTH) return;
    const index = tilesAtLevel(level, this.treeSize).full - 1;
    changed.set(`${level}/${index}`, { ref: { level, index, width: TILE_WIDTH }, data: concatHashes(row) });
    const root = merkleRootOf(row);
    this.edge[level] = [];
    this.push(level + 1, root, changed, touched);
  }

  /** The root hash of the current tree, from the right edge alone. */
  root(): Hash {
    // Complete subtrees left to right: the top level's runs first, then each lower level's.
    const parts: Hash[] = [];
    for (let l = this.edge.length - 1; l >= 0; l--) {
      const row = this.edge[l]!;
      for (const [a, b] of runs(row.length)) parts.push(merkleRootOf(row.slice(a, b)));
    }
    if (parts.length === 0) return merkleRootOf([]);
    let h = parts[parts.length - 1]!;
    for (let i = parts.length - 2; i >= 0; i--) h = nodeHash(parts[i]!, h);
    return h;
  }
}
