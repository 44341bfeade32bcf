/**
 * PostgreSQL and PGlite places for tests: the local server from scripts/test-postgres.sh, and fresh
 * targets (a temporary data dir, or a new schema of the test database) that no other run sees.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const ROOT = path.resolve(import.meta.dirname, '../..');

export type Backend = 'pglite' | 'postgres';

let postgresUrl: Promise<string> | undefined;

/** The URL from scripts/test-postgres.sh (run once); rejects with its message when it fails. */
export function basePostgresUrl(): Promise<string> {
  postgresUrl ??= promisify(execFile)('bash', [path.join(ROOT, 'scripts/test-postgres.sh')], {
    encoding: 'utf8',
  }).then(
    ({ stdout }) => {
      const url = stdout.trim().split('\n').at(-1);
      if (!url) throw new Error('scripts/test-postgres.sh printed no URL');
      return url;
    },
    (err: { stderr?: string; message: string }) => {
      throw new Error(`No PostgreSQL for the tests: ${err.stderr?.trim() || err.message}`);
    },
  );
  return postgresUrl;
}

/** A place no other test run sees: a temporary data dir, or a new schema of the test database. */
export interface Target {
  dataDir: string;
  databaseUrl: string | undefined;
  dispose(): Promise<void>;
}

export async function freshTarget(backend: Backend): Promise<Target> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-store-'));
  if (backend === 'pglite') {
    return { dataDir, databaseUrl: undefined, dispose: () => rm(dataDir, { recursive: true, force: true }) };
  }
  try {
    const base = await basePostgresUrl();
    const schema = `convene_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(base, `create schema ${schema}`);
    const url = new URL(base);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return {
      dataDir,
      databaseUrl: url.toString(),
      dispose: async () => {
        await adminQuery(base, `drop schema if exists ${schema} cascade`);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

export async function adminQuery<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A PostgreSQL server of its own (initdb in a temporary directory, its own port, trust
 * authentication on 127.0.0.1 only) for tests that stop and start the server: stopping the shared
 * test cluster would break every other test using it. Needs Debian's postgresql and root (it runs the
 * server as the `postgres` user).
 */
export interface PrivatePostgres {
  url: string;
  /** Stops the server as a crash would (`pg_ctl stop -m immediate`): no shutdown checkpoint. */
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function privatePostgres(port: number): Promise<PrivatePostgres> {
  const run = promisify(execFile);
  const versions = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  const version = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!version) throw new Error('PostgreSQL is not installed: sudo apt-get install -y postgresql');
  if (process.getuid?.() !== 0) throw new Error('privatePostgres runs the server as postgres: run as root');
  const bin = (name: string) => `/usr/lib/postgresql/${version}/bin/${name}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'convene-pg-'));
  const data = path.join(dir, 'data');
  const asPostgres = (args: string[]) =>
    run('runuser', ['-u', 'postgres', '--', ...args], { cwd: '/', encoding: 'utf8' });
  await run('chown', ['postgres:postgres', dir]);
  await asPostgres([bin('initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const start = async () => {
    await asPostgres([
      bin('pg_ctl'),
      '-D',
      data,
      '-l',
      path.join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      'start',
    ]);
  };
  const stop = async () => {
    await asPostgres([bin('pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    dispose: async () => {
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
