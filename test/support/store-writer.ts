/**
 * Child process for test/integration/store-durability.test.ts: opens the store (PGlite in
 * CONVENE_STORE_DATA_DIR, or PostgreSQL at CONVENE_STORE_DATABASE_URL when set) and inserts meetings
 * as fast as it can from a few concurrent loops, printing each meeting's id on its own line only
 * after the insert resolved, i.e. after the store acknowledged it. It runs until it is killed.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { openStore } from '../../src/store/Store.js';

const dataDir = process.env.CONVENE_STORE_DATA_DIR;
if (!dataDir) throw new Error('CONVENE_STORE_DATA_DIR is not set');
const store = await openStore({
  dataDir,
  databaseUrl: process.env.CONVENE_STORE_DATABASE_URL || undefined,
  logger: pino({ level: 'warn' }, pino.destination(2)),
});

async function loop(): Promise<never> {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    await store.meetings.create({
      id,
      title: 'durability',
      hostAccountId: null,
      hostKeyHash: 'k',
      scheduledFor: null,
      createdAt: new Date(),
      endedAt: null,
      locked: false,
      settings: { lobby: false, passcode: null, webinar: false, maxParticipants: null, regionPolicy: null },
    });
    process.stdout.write(`${id}\n`); // synchronous on a pipe: the parent sees it or it was never said
  }
}

await Promise.all([loop(), loop(), loop(), loop()]);
