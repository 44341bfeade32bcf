/**
 * The store: Kysely over PGlite (embedded, `<dataDir>/db`) or PostgreSQL (`databaseUrl`), one
 * migration set for both. Every method resolves only after its statement has committed; several
 * statements that must stand or fall together go through `transaction`. See docs/storage.md.
 */
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { KyselyAccountRepo } from './AccountRepo.js';
import { KyselyBanRepo } from './BanRepo.js';
import { KyselyCaseRepo, KyselyRestrictionRepo } from './CaseRepo.js';
import { KyselyNoticeRepo, KyselyRecordRepo } from './NoticeRepo.js';
import { KyselyLedgerRepo } from './LedgerRepo.js';
import { KyselyOperatorRepo } from './OperatorRepo.js';
import { openDatabase } from './database.js';
import { tableDigests } from './digest.js';
import { KyselyMeetingRepo } from './MeetingRepo.js';
import type { Database } from './schema.js';
import { KyselyOutboxRepo } from './OutboxRepo.js';
import { KyselySessionRepo } from './SessionRepo.js';
import type { Repos, Store } from './types.js';

export interface OpenStoreOptions {
  /** The PGlite database lives in `<dataDir>/db`; unused with a databaseUrl. */
  dataDir: string;
  /** postgres://… of a PostgreSQL server; unset for the embedded PGlite. */
  databaseUrl?: string | undefined;
  logger: Logger;
}

/** The repositories over a connection or a transaction (a Kysely Transaction is a Kysely). */
function repos(db: Kysely<Database>): Repos {
  return {
    accounts: new KyselyAccountRepo(db),
    sessions: new KyselySessionRepo(db),
    meetings: new KyselyMeetingRepo(db),
    bans: new KyselyBanRepo(db),
    outbox: new KyselyOutboxRepo(db),
    operators: new KyselyOperatorRepo(db),
    cases: new KyselyCaseRepo(db),
    restrictions: new KyselyRestrictionRepo(db),
    notices: new KyselyNoticeRepo(db),
    record: new KyselyRecordRepo(db),
    ledger: new KyselyLedgerRepo(db),
  };
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const { db, backend, close } = await openDatabase(options);
  options.logger.info({ backend }, 'store ready');
  return {
    backend,
    ...repos(db),
    transaction: (fn) => db.transaction().execute((trx) => fn(repos(trx))),
    // Set by statement rather than by Kysely's transaction builder: the PGlite dialect ignores the
    // builder's isolation and access mode.
    snapshot: (fn) =>
      db.transaction().execute(async (trx) => {
        await sql`set transaction isolation level repeatable read, read only`.execute(trx);
        return fn(repos(trx));
      }),
    digest: () => tableDigests(db),
    close,
  };
}
