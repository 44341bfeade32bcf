/**
 * Nothing acknowledged is lost: the real `convene start` process is killed with SIGKILL in the middle
 * of a burst of meeting creations, started again on the same data, and every meeting whose creation
 * was answered with 201 must still be there. For the embedded PGlite and for PostgreSQL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startConvene, type ConveneProcess } from '../support/conveneProcess.js';
import { freshTarget, type Backend } from '../support/postgres.js';

const KILL_AFTER = 120;

function start(dataDir: string, databaseUrl: string | undefined): Promise<ConveneProcess> {
  return startConvene(dataDir, {
    env: {
      // The burst below comes from many "clients" through a trusted proxy: meeting creation is limited
      // per client (30 per 10 minutes), and this test is about durability, not that limit.
      CONVENE_TRUSTED_PROXIES: '127.0.0.1, ::1',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
  });
}

for (const backend of ['pglite', 'postgres'] as const satisfies readonly Backend[]) {
  test(`${backend}: meetings acknowledged before a SIGKILL of the server are all there after a restart`, async (t) => {
    const target = await freshTarget(backend);
    try {
      const first = await start(target.dataDir, target.databaseUrl);
      const signUp = await fetch(`${first.url}/api/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'durable@example.org',
          password: 'correct horse battery',
          displayName: 'D',
        }),
      });
      assert.equal(signUp.status, 202);
      const signIn = await fetch(`${first.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'durable@example.org', password: 'correct horse battery' }),
      });
      assert.equal(signIn.status, 200);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const { csrfToken } = (await signIn.json()) as { csrfToken: string };

      const acknowledged: string[] = [];
      let attempts = 0;
      let rateLimited = false;
      const writer = async () => {
        while (first.child.exitCode === null && first.child.signalCode === null) {
          attempts++;
          try {
            const res = await fetch(`${first.url}/api/meetings`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                cookie,
                'x-csrf-token': csrfToken,
                'x-forwarded-for': `198.51.100.${attempts % 250}`,
              },
              body: JSON.stringify({ title: `burst ${attempts}` }),
            });
            if (res.status === 429) {
              // Would loop forever on 429s: stop the server and fail below instead.
              rateLimited = true;
              first.child.kill('SIGKILL');
              return;
            }
            if (res.status !== 201) continue;
            acknowledged.push(((await res.json()) as { id: string }).id);
            if (acknowledged.length === KILL_AFTER) first.child.kill('SIGKILL');
          } catch {
            return; // the server is gone
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, writer));
      await first.exited();
      assert.equal(rateLimited, false, 'meeting creation was rate-limited');
      assert.equal(first.child.signalCode, 'SIGKILL');
      assert.ok(acknowledged.length >= KILL_AFTER);

      const second = await start(target.dataDir, target.databaseUrl);
      try {
        const missing: string[] = [];
        for (const id of acknowledged) {
          const res = await fetch(`${second.url}/api/meetings/${id}`, { headers: { cookie } });
          if (res.status !== 200) missing.push(id);
        }
        t.diagnostic(
          `${backend}: ${acknowledged.length} acknowledged of ${attempts} attempted, ${missing.length} missing after restart`,
        );
        assert.deepEqual(missing, [], 'every acknowledged meeting survived');
      } finally {
        await second.stop();
      }
    } finally {
      await target.dispose();
    }
  });
}
