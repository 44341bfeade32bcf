/**
 * A digest of every table's contents (row count and a hash of the rows in a stable order): equal
 * digests before and after a request mean it changed nothing stored. For the fault suite's "invalid
 * input changes nothing" (test/integration/fuzz.test.ts, bench/fuzz.ts); not used on a request path.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

const TABLES = [
  'accounts',
  'sessions',
  'meetings',
  'meeting_bans',
  'operators',
  'operator_sessions',
  'case_counters',
  'cases',
  'restrictions',
  'host_notices',
  'appeals',
  'outbox',
  'operator_record',
  'ledger_tiles',
  'ledger_state',
  'ledger_checkpoints',
  'ledger_witnesses',
] as const satisfies readonly (keyof Database)[];

export async function tableDigests(db: Kysely<Database>): Promise<Record<string, string>> {
  const parts = TABLES.map(
    (t) =>
      sql`select ${t}::text as name, count(*)::text || ':' || coalesce(md5(string_agg(r::text, '|' order by r::text)), '') as digest from ${sql.table(t)} r`,
  );
  const { rows } = await sql<{ name: string; digest: string }>`${sql.join(parts, sql` union all `)}`.execute(
    db,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}
