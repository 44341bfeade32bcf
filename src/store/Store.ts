/**
 * The store: Kysely over PGlite (embedded, `<dataDir>/db`) or PostgreSQL (`databaseUrl`), one
 * migration set for both. Every method resolves only after its statement has committed.
 * See docs/storage.md.
 */
import type { Logger } from 'pino';
import { KyselyAccountRepo } from './AccountRepo.js';
import { KyselyBanRepo } from './BanRepo.js';
import { openDatabase } from './database.js';
import { KyselyMeetingRepo } from './MeetingRepo.js';
import { KyselyOutboxRepo } from './OutboxRepo.js';
import { KyselySessionRepo } from './SessionRepo.js';
import type { Store } from './types.js';

export interface OpenStoreOptions {
  /** The PGlite database lives in `<dataDir>/db`; unused with a databaseUrl. */
  dataDir: string;
  /** postgres://… of a PostgreSQL server; unset for the embedded PGlite. */
  databaseUrl?: string | undefined;
  logger: Logger;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const { db, backend, close } = await openDatabase(options);
  options.logger.info({ backend }, 'store ready');
  return {
    backend,
    accounts: new KyselyAccountRepo(db),
    sessions: new KyselySessionRepo(db),
    meetings: new KyselyMeetingRepo(db),
    bans: new KyselyBanRepo(db),
    outbox: new KyselyOutboxRepo(db),
    close,
  };
}
