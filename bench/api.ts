/**
 * bench:api — HTTP throughput of sign-in and meeting creation against the real server (autocannon,
 * over loopback), and the CPU cost of one admission decision. Prints figures; asserts nothing.
 *
 *   npm run bench:api [-- --seconds=10 --connections=20]
 */
import autocannon from 'autocannon';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { admitJoin } from '../src/app/admission.js';
import { loadConfig } from '../src/config.js';
import { startConvene } from '../src/server/main.js';
import type { MeetingRow } from '../src/store/types.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = arg('seconds', 10);
const connections = arg('connections', 20);

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function report(name: string, r: autocannon.Result): void {
  const ok = r['2xx'];
  console.log(
    `${name.padEnd(18)} ${String(Math.round(ok / r.duration)).padStart(6)} req/s ok   ` +
      `latency p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  max ${r.latency.max} ms   ` +
      `non-2xx ${r.non2xx}  errors ${r.errors}  timeouts ${r.timeouts}`,
  );
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-bench-api-'));
// DATABASE_URL=postgres://… runs the same against a PostgreSQL server instead of the embedded PGlite.
const server = await startConvene(
  loadConfig({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    logLevel: 'warn',
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
  }),
);
const email = `bench-${Date.now()}@example.org`;
try {
  console.log(
    `bench:api  ${os.cpus().length} cores, node ${process.version}, store ${server.store.backend}, ${seconds} s per run, ${connections} connections`,
  );
  const signUp = await fetch(`${server.url}/api/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: email, password: 'correct horse battery', displayName: 'Bench' }),
  });
  if (signUp.status !== 202) throw new Error(`sign up: HTTP ${signUp.status}`);
  const signIn = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: email, password: 'correct horse battery' }),
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };

  // Sign-in is deliberately expensive (scrypt, N=2^15): it bounds password guessing, per core.
  report(
    'sign-in',
    await run({
      url: `${server.url}/api/session`,
      method: 'POST',
      connections: Math.min(connections, 8),
      duration: seconds,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: email, password: 'correct horse battery' }),
    }),
  );
  report(
    'create meeting',
    await run({
      url: `${server.url}/api/meetings`,
      method: 'POST',
      connections,
      duration: seconds,
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ title: 'Bench', settings: { lobby: true, passcode: 'secret' } }),
    }),
  );
  report(
    'list meetings',
    await run({
      url: `${server.url}/api/meetings`,
      connections,
      duration: Math.min(seconds, 5),
      headers: { cookie },
    }),
  );

  const meeting: MeetingRow = {
    id: 'AAAAAAAAAAAAAAAAAAAAAA',
    title: 't',
    hostAccountId: 'h',
    hostKeyHash: null,
    scheduledFor: null,
    createdAt: new Date(),
    endedAt: null,
    locked: false,
    settings: {
      lobby: true,
      passcode: 'x',
      webinar: true,
      maxParticipants: 500,
      regionPolicy: { mode: 'deny', jurisdictions: ['CN', 'RU', 'IR', 'KP', 'BY'] },
    },
  };
  const N = 1_000_000;
  let admitted = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const d = admitJoin(
      { meeting, isHost: false, passcodeOk: true, participantCount: i % 600, serverMaxParticipants: 500 },
      {
        jurisdiction: i % 7 === 0 ? 'CN' : 'HK',
        isHost: false,
        banned: false,
        restrictions: [],
        regionPolicy: meeting.settings.regionPolicy,
      },
    );
    if (d.admitted) admitted++;
  }
  const ns = ((performance.now() - t0) * 1e6) / N;
  console.log(`admission decision ${ns.toFixed(0)} ns each (${N} decisions, ${admitted} admitted)`);
} finally {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}
