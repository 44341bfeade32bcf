/**
 * The store's lifecycle on both back ends: migrations once, data surviving close and reopen, the
 * single-opener lock of PGlite, fsync on commits, concurrent opens, and connection errors.
 */
import assert from 'node:assert/strict';
import fs, { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import { openPGlite } from '../../src/store/pglite.js';
import { openStore } from '../../src/store/Store.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { adminQuery, basePostgresUrl, freshTarget } from '../support/postgres.js';
import {
  SETTINGS,
  at,
  email,
  meeting,
  migrationsApplied,
  open,
  recordingLogger,
  uid,
  useSharedStore,
} from '../support/storeFixtures.js';

const MIGRATION_COUNT = Object.keys(MIGRATIONS).length;

for (const backend of ['pglite', 'postgres'] as const) {
  describe(`store lifecycle on ${backend}`, () => {
    const { store, target: sharedTarget } = useSharedStore(backend);
    test('migrations run once; everything survives close and reopen', async () => {
      const target = await freshTarget(backend);
      try {
        const first = recordingLogger();
        const s1 = await open(target, first.logger);
        assert.equal(migrationsApplied(first.records), MIGRATION_COUNT, 'every migration ran');
        const account = await s1.accounts.create({
          email: email('keep'),
          displayName: 'K',
          passwordHash: 'p',
        });
        const session = { accountId: account.id, csrfToken: 'c', expiresAt: at('2999-01-01T00:00:00.000Z') };
        await s1.sessions.create('token-hash', session);
        const row = meeting({
          hostAccountId: account.id,
          settings: { ...SETTINGS, regionPolicy: { mode: 'deny', jurisdictions: ['XX'] } },
        });
        await s1.meetings.create(row);
        await s1.bans.add(row.id, ['guest:g']);
        await s1.close();
        await s1.close(); // idempotent
        await assert.rejects(s1.meetings.get(row.id), 'a closed store refuses work');

        for (let round = 0; round < 2; round++) {
          const again = recordingLogger();
          const s2 = await open(target, again.logger);
          try {
            assert.equal(migrationsApplied(again.records), 0, 'nothing left to migrate');
            assert.deepEqual(await s2.accounts.findById(account.id), account);
            assert.deepEqual(await s2.sessions.find('token-hash'), session);
            assert.deepEqual(await s2.meetings.get(row.id), row);
            assert.equal(await s2.bans.isBanned(row.id, ['guest:g']), true);
          } finally {
            await s2.close();
          }
        }

        if (backend === 'pglite') {
          assert.ok(
            existsSync(path.join(target.dataDir, 'db', 'PG_VERSION')),
            'the database is in <dataDir>/db',
          );
          const { pglite, unlock } = await openPGlite(path.join(target.dataDir, 'db'));
          try {
            const applied = await pglite.query<{ name: string }>('select name from kysely_migration');
            assert.deepEqual(
              applied.rows.map((r) => r.name),
              Object.keys(MIGRATIONS).sort(),
            );
            // As the store opens it: fsync on, the WAL synced with fsync(2) at each commit.
            const settings = await pglite.query<{ name: string; setting: string }>(
              `select name, setting from pg_settings
               where name in ('fsync', 'wal_sync_method', 'synchronous_commit') order by name`,
            );
            assert.deepEqual(settings.rows, [
              { name: 'fsync', setting: 'on' },
              { name: 'synchronous_commit', setting: 'on' },
              { name: 'wal_sync_method', setting: 'fsync' },
            ]);
            // Sized for a small server (PGlite's default 128 MB of shared buffers was all resident).
            const memory = await pglite.query<{ buffers: string; connections: string }>(
              `select current_setting('shared_buffers') as buffers, current_setting('max_connections') as connections`,
            );
            assert.deepEqual(memory.rows[0], { buffers: '2MB', connections: '5' });
          } finally {
            await pglite.close();
            unlock();
          }
          assert.equal(existsSync(path.join(target.dataDir, 'db.lock')), false, 'the lock is released');
        } else {
          const applied = await adminQuery<{ name: string }>(
            target.databaseUrl ?? '',
            'select name from kysely_migration',
          );
          assert.deepEqual(
            applied.map((r) => r.name),
            Object.keys(MIGRATIONS).sort(),
          );
        }
      } finally {
        await target.dispose();
      }
    });

    if (backend === 'pglite') {
      test('pglite: a second open of an open data directory is refused', async () => {
        const s = await store();
        const { dataDir } = await sharedTarget();
        await assert.rejects(
          open({ dataDir, databaseUrl: undefined, dispose: async () => {} }),
          /already open/,
        );
        assert.ok(existsSync(path.join(dataDir, 'db.lock')));
        assert.ok(await s.meetings.listByHost(uid()), 'the first store is unaffected');
      });

      test('pglite: every commit is fsynced to disk before it resolves', async (t) => {
        const s = await store();
        const fsyncs = t.mock.method(fs, 'fsyncSync');
        await s.meetings.create(meeting());
        assert.ok(fsyncs.mock.callCount() >= 1, 'the insert called fsync(2)');
        const before = fsyncs.mock.callCount();
        await s.bans.isBanned(uid(), ['guest:x']);
        assert.equal(fsyncs.mock.callCount(), before, 'a read does not');
      });
    } else {
      test('postgres: concurrent opens of one database migrate once', async () => {
        const target = await freshTarget('postgres');
        try {
          const logs = Array.from({ length: 5 }, () => recordingLogger());
          const stores = await Promise.all(logs.map((l) => open(target, l.logger)));
          try {
            assert.equal(
              migrationsApplied(logs.flatMap((l) => l.records)),
              MIGRATION_COUNT,
              'each migration once',
            );
            const row = meeting();
            await stores[0]?.meetings.create(row);
            for (const s of stores) assert.deepEqual(await s.meetings.get(row.id), row);
          } finally {
            await Promise.all(stores.map((s) => s.close()));
          }
        } finally {
          await target.dispose();
        }
      });

      test('postgres: a wrong password rejects the open', async () => {
        const url = new URL(await basePostgresUrl());
        url.password = 'wrong';
        await assert.rejects(
          openStore({ dataDir: os.tmpdir(), databaseUrl: url.toString(), logger: pino({ level: 'silent' }) }),
          /password/,
        );
      });
    }
  });
}
