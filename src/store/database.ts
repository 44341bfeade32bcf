/**
 * Opens the database: PGlite embedded in `<dataDir>/db` by default, or a PostgreSQL server when a URL
 * is given; either way Kysely on top, PostgreSQL dialect, and the schema migrated to the latest.
 */
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { Logger } from 'pino';
import { migrate } from './migrations.js';
import { guardedPool } from './pgPool.js';
import { openPGlite } from './pglite.js';
import type { Database } from './schema.js';

export interface OpenDatabaseOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  logger: Logger;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  backend: 'pglite' | 'postgres';
  /** Destroys Kysely and closes PGlite or the pool. Idempotent. */
  close(): Promise<void>;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const { logger } = options;
  let opened: OpenedDatabase;
  if (options.databaseUrl) {
    const pool = guardedPool(options.databaseUrl, logger);
    opened = withClose(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
    logger.info({ backend: 'postgres', server: describeUrl(options.databaseUrl) }, 'opening store');
  } else {
    const dir = path.join(options.dataDir, 'db');
    const { pglite, unlock } = await openPGlite(dir);
    opened = withClose(new Kysely<Database>({ dialect: new PGliteDialect(pglite) }), 'pglite', unlock);
    logger.info({ backend: 'pglite', dir }, 'opening store');
  }
  try {
    await migrate(opened.db, logger);
  } catch (err) {
    await opened.close();
    throw err;
  }
  return opened;
}

function withClose(
  db: Kysely<Database>,
  backend: OpenedDatabase['backend'],
  after?: () => void,
): OpenedDatabase {
  let closing: Promise<void> | undefined;
  return {
    db,
    backend,
    close: () =>
      (closing ??= (async () => {
        try {
          await db.destroy(); // ends the pg pool, or closes PGlite
        } finally {
          after?.();
        }
      })()),
  };
}

/** host:port/database of a connection URL, never its password. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}
