/**
 * The one migration set, for PGlite and PostgreSQL alike. Migrations are listed in code (no files
 * read at run time) and applied in order by Kysely's Migrator when the store opens. Never edit a
 * migration that has shipped: add the next one.
 *
 * Concurrent opens against one PostgreSQL are safe: the Migrator holds a session-level advisory lock
 * (pg_advisory_lock) while it reads the applied list and runs what is pending, all in one transaction,
 * and tolerates concurrent creation of its own bookkeeping tables.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from './schema.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('accounts_email_key', ['email'])
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('sessions_account_id_idx').on('sessions').column('account_id').execute();

      await db.schema
        .createTable('meetings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('host_account_id', 'text', (c) => c.references('accounts.id').onDelete('cascade'))
        .addColumn('host_key_hash', 'text')
        .addColumn('scheduled_for', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('ended_at', 'timestamptz')
        .addColumn('locked', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('lobby', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('passcode', 'text')
        .addColumn('webinar', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('max_participants', 'integer')
        .addColumn('region_mode', 'text', (c) => c.check(sql`region_mode in ('deny', 'allow')`))
        .addColumn('region_jurisdictions', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
        .execute();
      await db.schema
        .createIndex('meetings_host_account_id_idx')
        .on('meetings')
        .column('host_account_id')
        .execute();

      await db.schema
        .createTable('meeting_bans')
        .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('meeting_bans_pkey', ['meeting_id', 'subject'])
        .execute();
    },
  },
  '0002_outbox': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('kind', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('outbox_recipient_idx').on('outbox').column('recipient').execute();
    },
  },
  '0003_withholding': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('operators')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('intake', 'reviewer', 'admin')`))
        .addColumn('password_hash', 'text')
        .addColumn('totp_secret', 'text')
        .addColumn('totp_last_step', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('enrol_token_hash', 'text')
        .addColumn('enrol_expires_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('disabled_at', 'timestamptz')
        .addUniqueConstraint('operators_email_key', ['email'])
        .execute();
      await db.schema
        .createTable('operator_sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('case_counters')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('n', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('cases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ref', 'text', (c) => c.notNull().unique())
        .addColumn('authority', 'text', (c) => c.notNull())
        .addColumn('jurisdiction', 'text', (c) => c.notNull())
        .addColumn('legal_basis', 'text', (c) => c.notNull())
        .addColumn('received_on', 'text', (c) => c.notNull())
        .addColumn('demands', 'text', (c) => c.notNull())
        .addColumn('demand_text', 'text', (c) => c.notNull())
        .addColumn('targets', 'text', (c) => c.notNull())
        .addColumn('evidence_notes', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull().references('operators.id'))
        .addColumn('reviewer', 'text', (c) => c.references('operators.id'))
        .addColumn('decision', 'text')
        .addColumn('gag_until', 'timestamptz')
        .addColumn('gag_reason', 'text')
        .addColumn('publish_titles', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('publish_host_name', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('meetings_affected', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('participants_withheld', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('joins_refused', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('restrictions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('jurisdiction', 'text', (c) => c.notNull())
        .addColumn('scope_kind', 'text', (c) => c.notNull().check(sql`scope_kind in ('meeting', 'host')`))
        .addColumn('scope_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('lifted_at', 'timestamptz')
        .addColumn('lift_reason', 'text')
        .execute();
      await db.schema.createIndex('restrictions_active_idx').on('restrictions').column('lifted_at').execute();
      await db.schema
        .createTable('host_notices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('host_account_id', 'text')
        .addColumn('meeting_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('deliver_after', 'timestamptz')
        .addColumn('delivered_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('appeals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('notice_id', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('filed_at', 'timestamptz', (c) => c.notNull())
        .addColumn('outcome', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'timestamptz')
        .addColumn('reason', 'text')
        .execute();
      // The operator record: every operator action, appended in the same transaction as its change.
      await db.schema
        .createTable('operator_record')
        .addColumn('seq', 'bigserial', (c) => c.primaryKey())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('case_ref', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('private_digest', 'text')
        // The salt and private details behind the digest stay with the operator (never published).
        .addColumn('private_salt', 'text')
        .addColumn('private_details', 'text')
        .execute();
    },
  },
  // The tamper-evident log (docs/transparency.md): tiles and entry bundles by their tlog-tiles path,
  // the tree size (one row, locked by every append so appends are serialised across nodes), signed
  // checkpoints, and what each configured witness last cosigned.
  '0004_ledger': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('operator_record')
        .addColumn('log_index', 'bigint', (c) => c.unique())
        .execute();
      await db.schema
        .createTable('ledger_tiles')
        .addColumn('path', 'text', (c) => c.primaryKey())
        .addColumn('data', 'bytea', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('ledger_state')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .execute();
      await sql`insert into ledger_state (id, size) values (1, 0)`.execute(db);
      await db.schema
        .createTable('ledger_checkpoints')
        .addColumn('size', 'bigint', (c) => c.primaryKey())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('signed_at', 'timestamptz', (c) => c.notNull())
        // The note with every configured witness's cosignature, once all of them have cosigned.
        .addColumn('cosigned', 'text')
        .execute();
      await db.schema
        .createTable('ledger_witnesses')
        .addColumn('witness', 'text', (c) => c.primaryKey())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('checked_at', 'timestamptz', (c) => c.notNull())
        .execute();
    },
  },
  // Every case view reads its record entries, appeals and notices by case: without these, each view
  // scanned the whole record (bench:report).
  '0005_case_indexes': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('operator_record_case_ref')
        .on('operator_record')
        .column('case_ref')
        .execute();
      await db.schema.createIndex('appeals_case_id').on('appeals').column('case_id').execute();
      await db.schema.createIndex('host_notices_case_id').on('host_notices').column('case_id').execute();
    },
  },
  // A ban is one host action over one or two subjects (account, guest cookie): the host lists and lifts
  // it by its id, and sees the display name it was given under (never the subjects themselves).
  '0006_ban_details': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('meeting_bans').addColumn('ban_id', 'text').execute();
      await db.schema.alterTable('meeting_bans').addColumn('label', 'text').execute();
      await sql`update meeting_bans set ban_id = gen_random_uuid()::text`.execute(db);
      await db.schema
        .alterTable('meeting_bans')
        .alterColumn('ban_id', (c) => c.setNotNull())
        .execute();
      await db.schema
        .createIndex('meeting_bans_ban_id')
        .on('meeting_bans')
        .columns(['meeting_id', 'ban_id'])
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Applies every pending migration; a no-op when the schema is current. The bookkeeping tables
 * (kysely_migration, kysely_migration_lock) live in the connection's current schema, next to ours.
 */
export async function migrate(db: Kysely<Database>, logger: Logger): Promise<void> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('The database connection has no current schema (check search_path).');
  const migrator = new Migrator({ db, provider, migrationTableSchema: schema });
  const { error, results = [] } = await migrator.migrateToLatest();
  for (const r of results) {
    if (r.status === 'Success') logger.info({ migration: r.migrationName }, 'migration applied');
    else if (r.status === 'Error') logger.error({ migration: r.migrationName }, 'migration failed');
  }
  if (error) throw error instanceof Error ? error : new Error(`Migration failed: ${String(error)}`);
}
