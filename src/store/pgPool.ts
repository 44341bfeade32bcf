/**
 * The PostgreSQL pool Kysely uses, with every failure to reach the database turned into the typed
 * `storage_unavailable` (503): a server restarting, stopped or unreachable is not an internal error,
 * and callers (HTTP, signaling, the browser client's retry rule) must be able to tell it apart. Errors
 * the server answered (constraints, syntax) pass through unchanged.
 */
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { ConveneError } from '../errors.js';

/** How long to wait for a connection before answering `storage_unavailable` (never a hang). */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Whether an error means the database could not be used at all: no SQLSTATE (a socket error, a
 * connection ended, a connect timeout), class 08 (connection exception), 57P01-57P03 (shut down,
 * crashed, starting up) or 53300 (too many connections).
 */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300';
}

function typed(err: unknown): unknown {
  return isUnavailable(err) ? new ConveneError('storage_unavailable', undefined, { cause: err }) : err;
}

class GuardedClient implements PostgresPoolClient {
  readonly #client: pg.PoolClient;

  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    query: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof query !== 'string') {
      // Streaming cursors are not used by Convene; passed through as Kysely would.
      const submit = this.#client.query.bind(this.#client) as unknown as (
        c: PostgresCursor<R>,
      ) => PostgresCursor<R>;
      return submit(query);
    }
    return (
      this.#client.query(query, [...(parameters ?? [])]) as unknown as Promise<PostgresQueryResult<R>>
    ).catch((err: unknown) => {
      throw typed(err);
    });
  }

  release(): void {
    this.#client.release();
  }
}

/** A pg pool for Kysely's PostgresDialect; an idle connection that fails is replaced and logged. */
export function guardedPool(connectionString: string, logger: Logger): PostgresPool {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // An idle connection can fail (server restart); the pool drops it, we only log.
  pool.on('error', (err) => logger.warn({ err }, 'idle PostgreSQL connection failed'));
  return {
    connect: async () => {
      try {
        return new GuardedClient(await pool.connect());
      } catch (err) {
        throw typed(err);
      }
    },
    end: () => pool.end(),
  };
}
