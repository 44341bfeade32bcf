import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, LedgerCheckpointsTable, LedgerWitnessesTable } from './schema.js';
import type { LedgerRepo, StoredCheckpoint, WitnessState } from './ledgerTypes.js';

export class KyselyLedgerRepo implements LedgerRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async lockSize(): Promise<number> {
    const row = await this.db
      .selectFrom('ledger_state')
      .select('size')
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    return Number(row.size);
  }

  async size(): Promise<number> {
    const row = await this.db
      .selectFrom('ledger_state')
      .select('size')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.size);
  }

  async setSize(size: number): Promise<void> {
    await this.db
      .updateTable('ledger_state')
      .set({ size: String(size) })
      .where('id', '=', 1)
      .execute();
  }

  async readTiles(paths: readonly string[]): Promise<Map<string, Uint8Array>> {
    if (paths.length === 0) return new Map();
    // As base64 text: PGlite's JavaScript parser of bytea's hex form cost ~100 ms per 60 KB bundle,
    // which made reading the log (an audit over HTTP) database-bound; encode() runs inside Postgres.
    const rows = await this.db
      .selectFrom('ledger_tiles')
      .select(['path', sql<string>`encode(data, 'base64')`.as('data')])
      .where('path', 'in', [...paths])
      .execute();
    return new Map(rows.map((r) => [r.path, new Uint8Array(Buffer.from(r.data, 'base64'))]));
  }

  async putTiles(tiles: readonly { path: string; data: Uint8Array }[]): Promise<void> {
    if (tiles.length === 0) return;
    await this.db
      .insertInto('ledger_tiles')
      .values(tiles.map((t) => ({ path: t.path, data: t.data })))
      .onConflict((oc) => oc.column('path').doUpdateSet({ data: (eb) => eb.ref('excluded.data') }))
      .execute();
  }

  async deletePartialsExcept(keep: readonly string[]): Promise<number> {
    let q = this.db.deleteFrom('ledger_tiles').where('path', 'like', '%.p/%');
    if (keep.length > 0) q = q.where('path', 'not in', [...keep]);
    const res = await q.executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async storedBytes(): Promise<{ count: number; bytes: number }> {
    const row = await this.db
      .selectFrom('ledger_tiles')
      .select([
        sql<string>`count(*)::text`.as('count'),
        sql<string>`coalesce(sum(length(data)), 0)::text`.as('bytes'),
      ])
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), bytes: Number(row.bytes) };
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const row = await this.db
      .selectFrom('ledger_checkpoints')
      .selectAll()
      .orderBy(sql`size::bigint`, 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toCheckpoint(row);
  }

  async latestCosigned(): Promise<StoredCheckpoint | undefined> {
    const row = await this.db
      .selectFrom('ledger_checkpoints')
      .selectAll()
      .where('cosigned', 'is not', null)
      .orderBy(sql`size::bigint`, 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toCheckpoint(row);
  }

  async checkpointAt(size: number): Promise<StoredCheckpoint | undefined> {
    const row = await this.db
      .selectFrom('ledger_checkpoints')
      .selectAll()
      .where('size', '=', String(size))
      .executeTakeFirst();
    return row && toCheckpoint(row);
  }

  async saveCheckpoint(c: StoredCheckpoint): Promise<void> {
    await this.db
      .insertInto('ledger_checkpoints')
      .values({ size: String(c.size), note: c.note, signed_at: c.signedAt, cosigned: c.cosigned })
      .onConflict((oc) =>
        oc.column('size').doUpdateSet({ note: c.note, signed_at: c.signedAt, cosigned: c.cosigned }),
      )
      .execute();
  }

  async setCosigned(size: number, note: string): Promise<void> {
    await this.db
      .updateTable('ledger_checkpoints')
      .set({ cosigned: note })
      .where('size', '=', String(size))
      .execute();
  }

  async witnesses(): Promise<WitnessState[]> {
    const rows = await this.db.selectFrom('ledger_witnesses').selectAll().orderBy('witness').execute();
    return rows.map(toWitness);
  }

  async saveWitness(w: WitnessState): Promise<void> {
    const values = {
      witness: w.witness,
      size: String(w.size),
      status: w.status,
      detail: w.detail,
      checked_at: w.checkedAt,
    };
    await this.db
      .insertInto('ledger_witnesses')
      .values(values)
      .onConflict((oc) => oc.column('witness').doUpdateSet(values))
      .execute();
  }
}

function toCheckpoint(row: Selectable<LedgerCheckpointsTable>): StoredCheckpoint {
  return { size: Number(row.size), note: row.note, signedAt: row.signed_at, cosigned: row.cosigned };
}

function toWitness(row: Selectable<LedgerWitnessesTable>): WitnessState {
  return {
    witness: row.witness,
    size: Number(row.size),
    status: row.status as WitnessState['status'],
    detail: row.detail,
    checkedAt: row.checked_at,
  };
}
