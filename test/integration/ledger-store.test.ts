/**
 * The log's storage on both back ends: appends commit with the action or not at all, concurrent
 * appends are serialised without gaps, records written before the log existed are appended at
 * start-up, and the published tree always matches the operator record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { recordAction } from '../../src/app/cases/record.js';
import { LogPublisher } from '../../src/app/transparency/LogPublisher.js';
import { storeTileReader } from '../../src/app/transparency/log.js';
import { decodeLogEntry, encodeLogEntry, logEntryOf } from '../../src/app/transparency/logEntry.js';
import {
  TileAppender,
  decodeBundle,
  generateSignerKey,
  parseCheckpoint,
  parseNote,
  tilePath,
  tilesAtLevel,
  hashEqual,
} from '../../src/ledger/index.js';
import { openStore } from '../../src/store/Store.js';
import type { Store } from '../../src/store/types.js';
import { freshTarget, type Target } from '../support/postgres.js';

const logger = pino({ level: 'silent' });

/** Every entry of the stored log, read back from its bundles. */
async function storedEntries(store: Store): Promise<Uint8Array[]> {
  const size = await store.ledger.size();
  const { full, partialWidth } = tilesAtLevel('entries', size);
  const refs = Array.from({ length: full }, (_, i) => ({ level: 'entries' as const, index: i, width: 256 }));
  if (partialWidth > 0) refs.push({ level: 'entries', index: full, width: partialWidth });
  const data = await storeTileReader(store.ledger).readTiles(refs);
  return data.flatMap((d) => decodeBundle(d));
}

for (const backend of ['pglite', 'postgres'] as const) {
  describe(`the log's storage on ${backend}`, () => {
    let target: Target;
    let store: Store;
    before(async () => {
      target = await freshTarget(backend);
      store = await openStore({ dataDir: target.dataDir, databaseUrl: target.databaseUrl, logger });
    });
    after(async () => {
      await store?.close();
      await target?.dispose();
    });

    test('an action that rolls back leaves no entry; the next one takes its place', async () => {
      const before = await store.ledger.size();
      await assert.rejects(
        store.transaction(async (tx) => {
          await recordAction(tx, { actor: { kind: 'system' }, action: 'case.expired', details: { n: 1 } });
          throw new Error('the state change failed');
        }),
        /the state change failed/,
      );
      assert.equal(await store.ledger.size(), before);
      await store.transaction((tx) =>
        recordAction(tx, { actor: { kind: 'system' }, action: 'case.expired', details: { n: 2 } }),
      );
      assert.equal(await store.ledger.size(), before + 1);
      const entries = await storedEntries(store);
      assert.deepEqual(decodeLogEntry(entries.at(-1)!, before).details, { n: 2 });
    });

    test('concurrent actions get consecutive positions, and the tiles match the record', async () => {
      const before = await store.ledger.size();
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          store.transaction((tx) =>
            recordAction(tx, {
              actor: { kind: 'operator', id: `op${i}` },
              action: 'case.recorded',
              caseRef: `CVN-2026-${String(i + 1).padStart(4, '0')}`,
              details: { jurisdiction: 'CN', i },
              private: { evidenceNotes: `secret ${i}` },
            }),
          ),
        ),
      );
      const rows = await store.record.list(0, 10_000);
      assert.equal(rows.length, before + 40);
      assert.deepEqual(
        rows.map((r) => r.logIndex).sort((a, b) => a! - b!),
        rows.map((_, i) => i),
      );
      // The stored bundles are exactly the record's rows, encoded at their positions.
      const byIndex = [...rows].sort((a, b) => a.logIndex! - b.logIndex!);
      const entries = await storedEntries(store);
      assert.deepEqual(
        entries.map((e) => Buffer.from(e).toString()),
        byIndex.map((r) => Buffer.from(encodeLogEntry(logEntryOf(r, r.logIndex!))).toString()),
      );
      // Private details appear only as a digest.
      assert.ok(!entries.some((e) => Buffer.from(e).toString().includes('secret')));
    });

    test('a snapshot reads committed state and cannot write', async () => {
      const size = await store.ledger.size();
      assert.equal(await store.snapshot((tx) => tx.ledger.size()), size);
      await assert.rejects(
        store.snapshot((tx) => tx.ledger.setSize(0)),
        /read-only|read only/,
      );
      assert.equal(await store.ledger.size(), size);
    });

    test('records from before the log are appended at start-up, and the checkpoint covers them', async () => {
      await store.transaction(async (tx) => {
        for (let i = 0; i < 300; i++) {
          await tx.record.append({
            at: new Date(Date.UTC(2026, 5, 1, 0, 0, i)),
            actor: 'system',
            action: 'withholding.enforced',
            caseRef: 'CVN-2026-0001',
            details: { participantsWithheld: i },
            privateDigest: null,
            logIndex: null,
          });
        }
      });
      const publisher = new LogPublisher(store, generateSignerKey('test.example/log'), [], logger, 60_000);
      await publisher.start();
      await publisher.close();
      assert.deepEqual(await store.record.unlogged(10), []);
      const size = await store.ledger.size();
      const rows = await store.record.list(0, 10_000);
      assert.equal(size, rows.length);
      const checkpoint = parseCheckpoint(parseNote((await store.ledger.latestCheckpoint())!.note).text);
      assert.equal(checkpoint.size, size);
      const rebuilt = TileAppender.empty();
      rebuilt.append(
        [...rows]
          .sort((a, b) => a.logIndex! - b.logIndex!)
          .map((r) => encodeLogEntry(logEntryOf(r, r.logIndex!))),
      );
      assert.ok(hashEqual(rebuilt.root(), checkpoint.root), 'the signed root is the root of the record');
      // Trimming kept what the checkpoint needs and dropped older partial tiles.
      const stale = tilePath({ level: 0, index: 0, width: 1 });
      assert.equal((await store.ledger.readTiles([stale])).size, 0);
      await TileAppender.restore(size, storeTileReader(store.ledger));
    });
  });
}
