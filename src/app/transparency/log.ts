/**
 * Appending to the tamper-evident log, inside the caller's transaction (called only by
 * `recordAction`, the one recording function). The tree size row is locked first, so appends from any
 * number of requests or nodes are serialised by the database; the right edge of the tree is reloaded
 * from the stored partial tiles (a few rows), so a rolled-back transaction leaves nothing to undo.
 */
import { TileAppender, tilePath, type TileReader, type TileRef } from '../../ledger/index.js';
import type { LedgerRepo } from '../../store/ledgerTypes.js';
import type { Repos } from '../../store/types.js';

/** Reads tiles and bundles from the store, failing loudly on any missing one. */
export function storeTileReader(ledger: LedgerRepo): TileReader {
  return {
    async readTiles(refs: readonly TileRef[]): Promise<Uint8Array[]> {
      const paths = refs.map(tilePath);
      const found = await ledger.readTiles(paths);
      return paths.map((p) => {
        const data = found.get(p);
        if (!data) throw new Error(`the log's ${p} is missing from the store`);
        return data;
      });
    },
  };
}

/**
 * Appends entries at `size` (which the caller read with `tx.ledger.lockSize()`), writes the changed
 * tiles and bundles and the new size. Resolves with the new size.
 */
export async function appendToLog(tx: Repos, size: number, entries: readonly Uint8Array[]): Promise<number> {
  const appender = await TileAppender.restore(size, storeTileReader(tx.ledger));
  const res = appender.append(entries);
  await tx.ledger.putTiles(res.tiles.map((t) => ({ path: tilePath(t.ref), data: t.data })));
  await tx.ledger.setSize(res.size);
  return res.size;
}
