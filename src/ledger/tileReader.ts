/**
 * A HashReader backed by tiles, so tree heads and proofs come straight from the tile store: the hash of
 * a complete subtree at Merkle level 8·L + h is rebuilt from 2^h consecutive hashes of a level-L tile.
 */
import { HASH_SIZE, merkleRootOf, type Hash } from './hash.js';
import type { HashReader } from './proof.js';
import { TILE_HEIGHT, TILE_WIDTH, tilePath, tilesAtLevel, type TileRef } from './tilePath.js';

/** Reads tiles by reference (a database query, or HTTP GETs of tilePath(ref)). */
export interface TileReader {
  readTiles(refs: readonly TileRef[]): Promise<Uint8Array[]>;
}

/** Adapts a path-based fetcher (HTTP client, file system, key-value store) to a TileReader. */
export function tileReaderFromFetch(fetch: (path: string) => Promise<Uint8Array>): TileReader {
  return { readTiles: (refs) => Promise.all(refs.map((r) => fetch(tilePath(r)))) };
}

/** Splits a tile's bytes into hashes, checking it has exactly the width its path promises. */
export function tileHashes(ref: TileRef, data: Uint8Array): Hash[] {
  if (data.length !== ref.width * HASH_SIZE) {
    throw new Error(`${tilePath(ref)} has ${data.length} bytes, expected ${ref.width * HASH_SIZE}`);
  }
  const out: Hash[] = [];
  for (let i = 0; i < ref.width; i++) out.push(data.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  return out;
}

export class TileHashReader implements HashReader {
  private readonly cache = new Map<string, Hash[]>();

  /** `size` fixes which tiles are partial; the reader never asks for a tile that tree lacks. */
  constructor(
    private readonly size: number,
    private readonly tiles: TileReader,
  ) {}

  async readHashes(level: number, indexes: readonly number[]): Promise<Hash[]> {
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const span = 2 ** (level % TILE_HEIGHT);
    const { full, partialWidth } = tilesAtLevel(tileLevel, this.size);
    const plan = indexes.map((index) => {
      const first = index * span;
      const n = Math.floor(first / TILE_WIDTH);
      const width = n < full ? TILE_WIDTH : partialWidth;
      const offset = first % TILE_WIDTH;
      if (n > full || offset + span > width) {
        throw new RangeError(`subtree ${level}/${index} is not complete in a tree of size ${this.size}`);
      }
      return { ref: { level: tileLevel, index: n, width }, offset };
    });
    const missing = new Map<string, TileRef>();
    for (const p of plan) {
      const key = tilePath(p.ref);
      if (!this.cache.has(key)) missing.set(key, p.ref);
    }
    if (missing.size > 0) {
      const refs = [...missing.values()];
      const data = await this.tiles.readTiles(refs);
      refs.forEach((r, i) => this.cache.set(tilePath(r), tileHashes(r, data[i]!)));
    }
    return plan.map((p) => {
      const hashes = this.cache.get(tilePath(p.ref))!;
      return span === 1 ? hashes[p.offset]! : merkleRootOf(hashes.slice(p.offset, p.offset + span));
    });
  }
}
