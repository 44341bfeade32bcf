/**
 * bench:mls-storm — an MLS join storm for real: N members join one meeting within WINDOW seconds, each
 * a real MLS member (MlsMember, its own KeyPackage and state) over the real signaling WebSocket and the
 * server's delivery service, the designated committer batching the server's Add proposals. Measures
 * how long until every member holds the same epoch with all N in its verified roster, how many commits
 * that took, and the CPU spent (server and all members share this one process: the per-member share is
 * an upper bound, as the server's part is in it).
 *
 * No media (the in-memory media engine): the subject is the group. Each member comes from its own
 * address (X-Forwarded-For through the trusted loopback proxy), as in bench:storm.
 *
 * Usage: npm run bench:mls-storm   (MLS_STORM_N=100,200 MLS_STORM_WINDOW=10)
 */
import { MemoryEngine } from '../src/media/memory/MemoryEngine.js';
import { MlsClient } from '../test/support/MlsClient.js';
import { startTestServer } from '../test/support/server.js';
import { fmt, machineSummary, printTable, sleep } from './lib.js';

const SIZES = (process.env.MLS_STORM_N ?? '100,200').split(',').map(Number);
const WINDOW_S = Number(process.env.MLS_STORM_WINDOW ?? 10);
const TIMEOUT_MS = 300_000;

const address = (n: number) => `10.9.${(n >> 8) & 255}.${n & 255}`;

interface Result {
  n: number;
  joinedMs: number;
  convergedMs: number;
  epochs: number;
  cpuS: number;
  failures: number;
  failureKinds: string[];
}

async function storm(url: string, meetingId: string, n: number): Promise<Result> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const joins: Promise<MlsClient>[] = [];
  for (let i = 0; i < n; i++) {
    const wait = t0 + (i * WINDOW_S * 1000) / n - performance.now();
    if (wait > 0) await sleep(wait);
    joins.push(MlsClient.join({ url, meetingId, displayName: `Member ${i}`, forwardedFor: address(i) }));
  }
  const clients = await Promise.all(joins);
  const joinedMs = performance.now() - t0;
  try {
    const converged = () => {
      const first = clients[0]?.member;
      if (!first) return false;
      return clients.every(
        (c) => c.member?.active && c.member.epoch === first.epoch && c.member.roster().length === n,
      );
    };
    while (!converged()) {
      if (performance.now() - t0 > TIMEOUT_MS)
        throw new Error(`${n} members did not converge in ${TIMEOUT_MS} ms`);
      await sleep(100);
    }
    const convergedMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return {
      n,
      joinedMs,
      convergedMs,
      epochs: Number(clients[0]!.member!.epoch),
      cpuS: (cpu.user + cpu.system) / 1e6,
      failures: clients.reduce((sum, c) => sum + c.failures.length, 0),
      failureKinds: [
        ...new Set(
          clients.flatMap((c) => c.failures.map((f) => (f instanceof Error ? f.message : String(f)))),
        ),
      ],
    };
  } finally {
    for (const c of clients) c.close();
  }
}

console.log(`bench:mls-storm — ${machineSummary()}`);
const server = await startTestServer(
  { geo: { trustedProxies: ['127.0.0.1', '::1'] }, maxParticipantsPerMeeting: 5000 },
  { engine: new MemoryEngine() },
);
try {
  const rows: string[][] = [];
  for (const n of SIZES) {
    const meetingId = await server.createMeeting(`MLS storm ${n}`);
    const r = await storm(server.url, meetingId, n);
    rows.push([
      String(r.n),
      `${WINDOW_S} s`,
      fmt(r.joinedMs / 1000, 1),
      fmt(r.convergedMs / 1000, 1),
      String(r.epochs),
      fmt(r.cpuS, 1),
      fmt((1000 * r.cpuS) / r.n / Math.max(1, r.epochs), 1),
      String(r.failures),
    ]);
    if (r.failureKinds.length) console.log(`n=${n}: processing failures: ${r.failureKinds.join(' | ')}`);
    await sleep(2000);
  }
  printTable(
    [
      'members',
      'joins spread over',
      'all joined (s)',
      'all on one epoch with everyone (s)',
      'epochs (commits)',
      'CPU s (server + all members)',
      'CPU ms per member per commit (upper bound)',
      'processing failures',
    ],
    rows,
  );
} finally {
  await server.close();
}
