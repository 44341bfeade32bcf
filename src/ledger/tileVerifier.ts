/**
 * Audits a whole tiled log against a checkpoint: every entry bundle hashes to its level-0 tile, every
 * tile hashes into the tile above, and the rightmost tiles hash to the checkpoint root. Optionally also
 * checks that an older checkpoint is a prefix of the same tree (consistency). It streams: only one
 * level of tile roots is held in memory, so 10^6 entries need a few hundred kilobytes.
 */
import { hashEqual, leafHash, merkleRootOf, type Hash } from './hash.js';
import type { Checkpoint } from './checkpoint.js';
import { decodeBundle } from './bundle.js';
import { consistencyProof, treeHash } from './proof.js';
import { TILE_WIDTH, tileLevels, tilePath, tilesAtLevel, type TileRef } from './tilePath.js';
import { TileHashReader, tileHashes, type TileReader } from './tileReader.js';
import { verifyConsistency } from './verify.js';

export type VerifyPhase = 'entries' | 'tiles' | 'consistency';

export interface VerifyProgress {
  readonly phase: VerifyPhase;
  /** Resources checked so far and in all, for a progress bar. */
  readonly done: number;
  readonly total: number;
}

export interface VerifyLogOptions {
  /** Fetches `tile/...` paths; throws when a resource is missing. */
  fetch(path: string): Promise<Uint8Array>;
  /** Also check this older checkpoint is consistent with the verified one. */
  previous?: Checkpoint;
  onProgress?(p: VerifyProgress): void;
  /** Parallel fetches; default 8. */
  concurrency?: number;
  /** Called with every entry in order, e.g. to index or display them while auditing. */
  onEntry?(index: number, entry: Uint8Array): void;
}

/** What failed, with the resource that showed it, so a report can point at the bad tile. */
export class LogVerificationError extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'LogVerificationError';
  }
}

async function inBatches<T>(
  count: number,
  concurrency: number,
  load: (i: number) => Promise<T>,
  use: (i: number, v: T) => void,
): Promise<void> {
  for (let start = 0; start < count; start += concurrency) {
    const end = Math.min(count, start + concurrency);
    const got = await Promise.all(Array.from({ length: end - start }, (_, k) => load(start + k)));
    got.forEach((v, k) => use(start + k, v));
  }
}

async function fetchChecked(fetch: VerifyLogOptions['fetch'], ref: TileRef): Promise<Uint8Array> {
  const path = tilePath(ref);
  try {
    return await fetch(path);
  } catch (err) {
    throw new LogVerificationError(`cannot fetch: ${err instanceof Error ? err.message : String(err)}`, path);
  }
}

/** Widths of the tiles at one level, left to right. */
function widths(level: number | 'entries', size: number): number[] {
  const { full, partialWidth } = tilesAtLevel(level, size);
  const out = new Array<number>(full).fill(TILE_WIDTH);
  if (partialWidth > 0) out.push(partialWidth);
  return out;
}

export async function verifyLog(checkpoint: Checkpoint, options: VerifyLogOptions): Promise<void> {
  const { fetch, onProgress, onEntry } = options;
  const concurrency = options.concurrency ?? 8;
  const size = checkpoint.size;
  const levels = tileLevels(size);
  const totalTiles = Array.from({ length: levels }, (_, l) => widths(l, size).length).reduce(
    (a, b) => a + b,
    0,
  );
  const bundleWidths = widths('entries', size);
  let tilesDone = 0;

  // What was verified, kept small: the root of every full tile and the bytes of each partial tile.
  // The root and consistency checks read only these, never a second fetch a server could answer
  // differently.
  const fullRoots: Hash[][] = [];
  const partials = new Map<string, Uint8Array>();

  // Level 0: entry bundles must reproduce the level-0 tiles byte for byte.
  let below: Hash[] = [];
  await inBatches(
    bundleWidths.length,
    concurrency,
    async (n) => {
      const ref: TileRef = { level: 'entries', index: n, width: bundleWidths[n]! };
      const tref: TileRef = { level: 0, index: n, width: bundleWidths[n]! };
      return { ref, tref, bundle: await fetchChecked(fetch, ref), tile: await fetchChecked(fetch, tref) };
    },
    (n, { ref, tref, bundle, tile }) => {
      let entries: Uint8Array[];
      try {
        entries = decodeBundle(bundle);
      } catch (err) {
        throw new LogVerificationError(
          err instanceof Error ? err.message : 'malformed bundle',
          tilePath(ref),
        );
      }
      if (entries.length !== ref.width) {
        throw new LogVerificationError(
          `holds ${entries.length} entries, expected ${ref.width}`,
          tilePath(ref),
        );
      }
      let hashes: Hash[];
      try {
        hashes = tileHashes(tref, tile);
      } catch (err) {
        throw new LogVerificationError(err instanceof Error ? err.message : 'malformed tile', tilePath(tref));
      }
      entries.forEach((e, i) => {
        if (!hashEqual(leafHash(e), hashes[i]!)) {
          throw new LogVerificationError(
            `entry ${n * TILE_WIDTH + i} does not match its level-0 tile`,
            tilePath(ref),
          );
        }
        onEntry?.(n * TILE_WIDTH + i, e);
      });
      if (tref.width === TILE_WIDTH) below.push(merkleRootOf(hashes));
      else partials.set(tilePath(tref), tile);
      tilesDone++;
      onProgress?.({ phase: 'entries', done: n + 1, total: bundleWidths.length });
    },
  );
  fullRoots[0] = below;

  // Levels 1..top: each tile must list exactly the roots of the full tiles below it.
  for (let l = 1; l < levels; l++) {
    const ws = widths(l, size);
    const roots: Hash[] = [];
    const prev = below;
    await inBatches(
      ws.length,
      concurrency,
      async (n) => {
        const ref: TileRef = { level: l, index: n, width: ws[n]! };
        return { ref, data: await fetchChecked(fetch, ref) };
      },
      (n, { ref, data }) => {
        let hashes: Hash[];
        try {
          hashes = tileHashes(ref, data);
        } catch (err) {
          throw new LogVerificationError(
            err instanceof Error ? err.message : 'malformed tile',
            tilePath(ref),
          );
        }
        hashes.forEach((h, i) => {
          const expected = prev[n * TILE_WIDTH + i];
          if (!expected || !hashEqual(h, expected)) {
            throw new LogVerificationError(
              `hash ${i} does not match tile ${l - 1}/${n * TILE_WIDTH + i}`,
              tilePath(ref),
            );
          }
        });
        if (ref.width === TILE_WIDTH) roots.push(merkleRootOf(hashes));
        else partials.set(tilePath(ref), data);
        tilesDone++;
        onProgress?.({ phase: 'tiles', done: tilesDone, total: totalTiles });
      },
    );
    if (roots.length * TILE_WIDTH > prev.length)
      throw new LogVerificationError('more tiles above than below');
    below = roots;
    fullRoots[l] = roots;
  }
  if (below.length > 0)
    throw new LogVerificationError('the top tile level has a full tile with nothing above it');

  // The right edge (partial tiles) gives the root; full tiles refetched for a consistency proof must
  // hash to the roots already verified.
  const verified: TileReader = {
    readTiles: (refs) =>
      Promise.all(
        refs.map(async (ref) => {
          const path = tilePath(ref);
          const partial = partials.get(path);
          if (partial) return partial;
          const data = await fetchChecked(fetch, ref);
          const level = ref.level === 'entries' ? -1 : ref.level;
          const want = fullRoots[level]?.[ref.index];
          if (ref.width !== TILE_WIDTH || !want || !hashEqual(merkleRootOf(tileHashes(ref, data)), want)) {
            throw new LogVerificationError('changed since it was verified', path);
          }
          return data;
        }),
      ),
  };
  const reader = new TileHashReader(size, verified);
  const root = await treeHash(reader, size).catch((err: unknown) => {
    throw new LogVerificationError(
      `cannot compute the root: ${err instanceof Error ? err.message : String(err)}`,
    );
  });
  if (!hashEqual(root, checkpoint.root))
    throw new LogVerificationError('tiles do not hash to the checkpoint root');

  const prev = options.previous;
  if (prev) {
    onProgress?.({ phase: 'consistency', done: 0, total: 1 });
    if (prev.origin !== checkpoint.origin)
      throw new LogVerificationError('checkpoints are for different logs');
    if (prev.size > size)
      throw new LogVerificationError('previous checkpoint is larger than the current one');
    if (prev.size === 0) {
      if (!hashEqual(prev.root, merkleRootOf([])))
        throw new LogVerificationError('empty checkpoint has a non-empty root');
    } else {
      // The proof comes from the tiles just verified, so this checks the old root against this tree.
      const proof = await consistencyProof(reader, prev.size, size);
      if (!verifyConsistency(prev.size, size, proof, prev.root, checkpoint.root)) {
        throw new LogVerificationError(`checkpoint of size ${prev.size} is not a prefix of this log (fork)`);
      }
    }
    onProgress?.({ phase: 'consistency', done: 1, total: 1 });
  }
}
