/**
 * Acknowledged means durable: a child process inserts meetings and prints each id only after its
 * insert resolved; we SIGKILL it mid-stream, reopen the store here, and every printed id must be
 * there. For PGlite (a data directory) and PostgreSQL (a fresh schema of the test database).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { openStore } from '../../src/store/Store.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WRITER = path.join(ROOT, 'test/support/store-writer.ts');
const KILL_AFTER = 300;

async function postgresUrl(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('bash', [path.join(ROOT, 'scripts/test-postgres.sh')], {
      encoding: 'utf8',
    });
    const url = stdout.trim().split('\n').at(-1);
    if (!url) throw new Error('scripts/test-postgres.sh printed no URL');
    return url;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`No PostgreSQL for the tests: ${e.stderr?.trim() || e.message}`);
  }
}

async function admin(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Runs the writer until KILL_AFTER ids were acknowledged, SIGKILLs it, returns every id it printed. */
async function writeUntilKilled(
  env: Record<string, string>,
): Promise<{ ids: string[]; signal: string | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const ids: string[] = [];
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  // Read to the end of the pipe: lines written just before the kill were acknowledged too.
  for await (const line of createInterface({ input: child.stdout })) {
    if (line) ids.push(line);
    if (ids.length === KILL_AFTER) child.kill('SIGKILL');
  }
  const { code, signal } = await exited; // reaped: its pid is free, its lock is stale
  clearTimeout(timer);
  assert.equal(signal, 'SIGKILL', `the writer was killed, not exited (code ${code}): ${stderr.slice(-2000)}`);
  assert.ok(ids.length >= KILL_AFTER, `the writer acknowledged ${ids.length} writes before dying: ${stderr}`);
  return { ids, signal };
}

async function assertAllPresent(ids: string[], options: { dataDir: string; databaseUrl?: string }) {
  const store = await openStore({ ...options, logger: pino({ level: 'silent' }) });
  try {
    const missing: string[] = [];
    for (const id of ids) if (!(await store.meetings.get(id))) missing.push(id);
    assert.deepEqual(missing, [], `${missing.length} of ${ids.length} acknowledged writes were lost`);
  } finally {
    await store.close();
  }
}

test('pglite: every acknowledged write survives SIGKILL of the writer', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-durability-'));
  try {
    const { ids } = await writeUntilKilled({
      CONVENE_STORE_DATA_DIR: dataDir,
      CONVENE_STORE_DATABASE_URL: '',
    });
    await assertAllPresent(ids, { dataDir });
    t.diagnostic(`pglite: ${ids.length} acknowledged writes, all present after SIGKILL and reopen`);
    console.log(`pglite: ${ids.length} acknowledged writes, all present after SIGKILL and reopen`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('postgres: every acknowledged write survives SIGKILL of the writer', async (t) => {
  const base = await postgresUrl();
  const schema = `convene_durability_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-durability-'));
  await admin(base, `create schema ${schema}`);
  try {
    const env = { CONVENE_STORE_DATA_DIR: dataDir, CONVENE_STORE_DATABASE_URL: url.toString() };
    const { ids } = await writeUntilKilled(env);
    await assertAllPresent(ids, { dataDir, databaseUrl: url.toString() });
    t.diagnostic(`postgres: ${ids.length} acknowledged writes, all present after SIGKILL and reopen`);
    console.log(`postgres: ${ids.length} acknowledged writes, all present after SIGKILL and reopen`);
  } finally {
    await admin(base, `drop schema if exists ${schema} cascade`);
    await rm(dataDir, { recursive: true, force: true });
  }
});
