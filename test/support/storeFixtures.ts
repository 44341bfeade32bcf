/**
 * Fixtures for the store tests: an opener, rows with unique ids, a logger that keeps its records, and
 * one shared store per back end for a test file (opened before its tests, closed and disposed after).
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before } from 'node:test';
import { pino } from 'pino';
import { openStore } from '../../src/store/Store.js';
import type { MeetingRow, MeetingSettings, Store } from '../../src/store/types.js';
import { freshTarget, type Backend, type Target } from './postgres.js';

/** A logger that keeps its records, to see what the store did (e.g. which migrations it applied). */
export function recordingLogger() {
  const records: { msg?: string; migration?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      records.push(JSON.parse(chunk.toString()) as { msg?: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), records };
}

export const migrationsApplied = (records: { msg?: string }[]) =>
  records.filter((r) => r.msg === 'migration applied').length;

export const open = (target: Target, logger = pino({ level: 'silent' })) =>
  openStore({ dataDir: target.dataDir, databaseUrl: target.databaseUrl, logger });

// ---- rows --------------------------------------------------------------------------------------

export const uid = () => randomBytes(16).toString('base64url');
export const email = (tag: string) => `${tag}.${uid()}@Example.COM`;
// Whole milliseconds: what a JS Date holds and what PostgreSQL gives back.
export const at = (iso: string) => new Date(iso);

export const SETTINGS: MeetingSettings = {
  lobby: false,
  passcode: null,
  webinar: false,
  maxParticipants: null,
  regionPolicy: null,
};

export function meeting(overrides: Partial<MeetingRow> = {}): MeetingRow {
  return {
    id: uid(),
    title: 'Standup',
    hostAccountId: null,
    hostKeyHash: null,
    scheduledFor: null,
    createdAt: new Date(),
    endedAt: null,
    locked: false,
    settings: SETTINGS,
    ...overrides,
  };
}

export async function newHost(store: Store): Promise<string> {
  const account = await store.accounts.create({
    email: email('host'),
    displayName: 'Host',
    passwordHash: 'h',
  });
  return account.id;
}

// ---- the suite -------------------------------------------------------------------------------------

/** One store for a file's behavioural tests; each test makes its own rows, so they do not interfere. */
export function useSharedStore(backend: Backend): {
  store: () => Promise<Store>;
  target: () => Promise<Target>;
} {
  let shared: Promise<{ store: Store; target: Target }>;
  before(() => {
    shared = (async () => {
      const target = await freshTarget(backend);
      return { store: await open(target), target };
    })();
    shared.catch(() => {}); // reported by each test that needs it
  });
  after(async () => {
    const opened = await shared.catch(() => undefined);
    await opened?.store.close();
    await opened?.target.dispose();
  });
  return { store: async () => (await shared).store, target: async () => (await shared).target };
}
