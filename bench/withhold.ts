/**
 * bench:withhold — how fast an operator's decision reaches everyone it concerns, at scale, on one node.
 *
 * 10,000 live meetings with 100,000 seated participants over 20 jurisdictions: 98,000 seated through
 * the app layer (MeetingService.join) over the typed in-memory media engine, 2,000 as real WebSocket
 * clients in a child process (joined through the real signaling, located by X-Forwarded-For from a
 * trusted proxy). One host owns 500 of the meetings; each run records a case and decides to withhold
 * that host's meetings in CN. Measured per run: from the moment the reviewer's decision starts (its
 * transaction included) to the last in-scope participant's `withheld` notice; and that no client in
 * an out-of-scope meeting received anything. Then the restriction is lifted, the removed rejoin, and
 * the next run starts. Options: RUNS=5, MEETINGS=10000, PER_MEETING=10, WS_CLIENTS=2000.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Participant } from '../src/app/Participant.js';
import { loadConfig } from '../src/config.js';
import { MemoryEngine } from '../src/media/memory/MemoryEngine.js';
import type { ServerMessage } from '../src/protocol/messages.js';
import { startConvene } from '../src/server/main.js';

const RUNS = Number(process.env.RUNS ?? 5);
const MEETINGS = Number(process.env.MEETINGS ?? 10_000);
const PER_MEETING = Number(process.env.PER_MEETING ?? 10);
const WS_CLIENTS = Number(process.env.WS_CLIENTS ?? 2_000);
const IN_SCOPE = 500;
const CODES = [
  'CN',
  'HK',
  'TW',
  'US',
  'DE',
  'FR',
  'GB',
  'JP',
  'KR',
  'SG',
  'IN',
  'BR',
  'CA',
  'AU',
  'NL',
  'SE',
  'MY',
  'TH',
  'VN',
  'PH',
];
const now = () => performance.timeOrigin + performance.now();
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

interface Fake {
  meetingIndex: number;
  jurisdiction: string;
  participant: Participant;
  endedAt: number | undefined;
  messages: number;
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-bench-withhold-'));
// Clients of the child process come from 10.77.<k>.x, placed by operator overrides in CODES[k].
const overrides = CODES.map((code, k) => ({ cidr: `10.77.${k}.0/24`, jurisdiction: code }));
const engine = new MemoryEngine();
const server = await startConvene(
  loadConfig({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    logLevel: 'warn',
    caseClockMs: 600_000,
    geo: { trustedProxies: ['127.0.0.1'], overrides },
  }),
  { engine },
);
const { service, store, cases, operators } = server;
const child = fork(fileURLToPath(new URL('./withholdClients.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ask = <T>(msg: unknown): Promise<T> =>
  new Promise((resolve, reject) => {
    child.once('message', (reply) => {
      const r = reply as { ok: boolean; error?: string };
      if (r.ok) resolve(reply as T);
      else reject(new Error(r.error));
    });
    child.send(msg as never);
  });

try {
  console.log(
    `bench:withhold  ${os.cpus().length} cores, node ${process.version}, store ${store.backend}, media: in-memory engine`,
  );
  const t = now();
  const hostA = await store.accounts.create({
    email: `a-${Date.now()}@bench.example`,
    displayName: 'A',
    passwordHash: 'x',
  });
  const hostB = await store.accounts.create({
    email: `b-${Date.now()}@bench.example`,
    displayName: 'B',
    passwordHash: 'x',
  });
  const meetingIds: string[] = [];
  for (let i = 0; i < MEETINGS; i += 200) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(200, MEETINGS - i) }, (_, k) =>
        service.records.create({ title: `m${i + k}`, hostAccountId: i + k < IN_SCOPE ? hostA.id : hostB.id }),
      ),
    );
    meetingIds.push(...batch.map((b) => b.row.id));
  }
  // Real clients: half in the in-scope meetings (one CN and one from elsewhere each), half elsewhere.
  const wsSpecs = Array.from({ length: WS_CLIENTS }, (_, i) => {
    const inScope = i < WS_CLIENTS / 2;
    const meetingIndex = inScope
      ? Math.floor(i / 2) % IN_SCOPE
      : IN_SCOPE + ((i * 7) % (MEETINGS - IN_SCOPE));
    const k = i % 2 === 0 ? 0 : 1 + (i % (CODES.length - 1));
    return {
      meetingIndex,
      meetingId: meetingIds[meetingIndex] ?? '',
      address: `10.77.${k}.${1 + (i % 250)}`,
      jurisdiction: CODES[k] ?? 'ZZ',
    };
  });
  const wsPerMeeting = new Map<number, number>();
  for (const s of wsSpecs) wsPerMeeting.set(s.meetingIndex, (wsPerMeeting.get(s.meetingIndex) ?? 0) + 1);
  const fakes: Fake[] = [];
  let seq = 0;
  const seat = async (meetingIndex: number, jurisdiction: string): Promise<Fake> => {
    const meetingId = meetingIds[meetingIndex] ?? '';
    const outcome = await service.join({
      meetingId,
      displayName: 'p',
      jurisdiction,
      identity: {
        accountId: undefined,
        guestKey: `bench-guest-${++seq}-xxxxxxxxxxxxxxxx`,
        clientKey: `c${seq}`,
      },
    });
    if (outcome.kind !== 'joined') throw new Error('unexpected lobby');
    const fake: Fake = {
      meetingIndex,
      jurisdiction,
      participant: outcome.participant,
      endedAt: undefined,
      messages: 0,
    };
    outcome.participant.attach({
      send: (m: ServerMessage) => {
        fake.messages++;
        if (m.type === 'sessionEnded') fake.endedAt = now();
      },
      replaced: () => undefined,
      terminate: () => undefined,
    });
    return fake;
  };
  const jobs: Array<[number, string]> = [];
  for (let m = 0; m < MEETINGS; m++) {
    const n = PER_MEETING - (wsPerMeeting.get(m) ?? 0);
    for (let k = 0; k < n; k++) jobs.push([m, CODES[(m * 31 + k * 7) % CODES.length] ?? 'ZZ']);
  }
  for (let i = 0; i < jobs.length; i += 500) {
    fakes.push(...(await Promise.all(jobs.slice(i, i + 500).map(([m, j]) => seat(m, j)))));
  }
  await ask({
    cmd: 'join',
    url: server.url,
    clients: wsSpecs.map(({ meetingId, address }) => ({ meetingId, address })),
  });
  const seated = [...service.liveMeetings].reduce((n, m) => n + m.participants.size, 0);
  console.log(
    `setup: ${service.liveMeetings ? MEETINGS : 0} meetings, ${seated} seated (${fakes.length} in-process, ${WS_CLIENTS} WebSocket), ${((now() - t) / 1000).toFixed(1)} s`,
  );

  const addOp = async (role: 'intake' | 'reviewer') => {
    const added = await operators.add(
      { email: `${role}-${Date.now()}@bench.example`, displayName: role, role },
      { kind: 'system' },
    );
    const op = await store.operators.findById(added.operator.id);
    if (!op) throw new Error('operator missing');
    return op;
  };
  const intake = await addOp('intake');
  const reviewer = await addOp('reviewer');
  const totals: number[] = [];
  const perNotice: number[] = [];
  const decideTimes: number[] = [];
  let outOfScopeMessages = 0;
  let expected = 0;
  for (let run = 1; run <= RUNS; run++) {
    const c = await cases.intake(
      {
        authority: 'bench',
        jurisdiction: 'CN',
        legalBasis: 'bench',
        receivedOn: '2026-12-01',
        demands: ['end_meeting'],
        demandText: '',
        targets: [{ kind: 'host', email: hostA.email }],
        evidenceNotes: '',
      },
      intake,
    );
    for (const f of fakes) {
      f.endedAt = undefined;
      f.messages = 0;
    }
    await ask({ cmd: 'arm' });
    const t0 = now();
    await cases.decide(c.ref, reviewer, {
      outcome: 'withhold',
      targets: [0],
      expiresAt: new Date(Date.now() + 86_400_000),
      reason: 'bench',
    });
    const tDecided = now();
    const report = await ask<{
      clients: Array<{ first: { type: string; at: number } | null; messages: number; ended: boolean }>;
    }>({ cmd: 'report' });
    const ends: number[] = [];
    let missing = 0;
    for (const f of fakes) {
      const inScope = f.meetingIndex < IN_SCOPE && f.jurisdiction === 'CN';
      if (inScope) {
        if (f.endedAt === undefined) missing++;
        else ends.push(f.endedAt);
      } else if (f.meetingIndex >= IN_SCOPE) outOfScopeMessages += f.messages;
    }
    report.clients.forEach((r, i) => {
      const s = wsSpecs[i];
      if (!s) return;
      const inScope = s.meetingIndex < IN_SCOPE && s.jurisdiction === 'CN';
      if (inScope) {
        if (r.first?.type === 'sessionEnded') ends.push(r.first.at);
        else missing++;
      } else if (s.meetingIndex >= IN_SCOPE) outOfScopeMessages += r.messages;
    });
    expected = ends.length + missing;
    const last = Math.max(...ends);
    totals.push(last - t0);
    decideTimes.push(tDecided - t0);
    perNotice.push(...ends.map((e) => e - t0));
    console.log(
      `run ${run}: ${ends.length} withheld (${missing} missing), last notice ${(last - t0).toFixed(1)} ms after the decision started (decide() resolved at ${(tDecided - t0).toFixed(1)} ms)`,
    );
    // Lift (as a reversal would) and let everyone back in for the next run.
    const restrictions = await store.restrictions.byCase(c.id);
    for (const r of restrictions) await store.restrictions.lift(r.id, 'reversed', new Date());
    await server.bus.publish({
      type: 'restrictionsChanged',
      added: [],
      lifted: restrictions.map((r) => r.id),
    });
    for (let i = 0; i < fakes.length; i++) {
      const f = fakes[i];
      if (f && f.participant.closed) fakes[i] = await seat(f.meetingIndex, f.jurisdiction);
    }
    await ask({ cmd: 'rejoin', url: server.url });
  }
  console.log('');
  console.log(`in-scope participants per run: ${expected} (of ${fakes.length + WS_CLIENTS}); runs: ${RUNS}`);
  console.log(
    `decision -> last withheld notice: p50 ${pct(totals, 50).toFixed(1)} ms, p99 ${pct(totals, 99).toFixed(1)} ms (over runs)`,
  );
  console.log(
    `decision -> each withheld notice: p50 ${pct(perNotice, 50).toFixed(1)} ms, p99 ${pct(perNotice, 99).toFixed(1)} ms (${perNotice.length} notices)`,
  );
  console.log(`decide() including its transaction and the sweep: p50 ${pct(decideTimes, 50).toFixed(1)} ms`);
  console.log(
    `messages received by participants of out-of-scope meetings during the runs: ${outOfScopeMessages}`,
  );
  console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
} finally {
  child.kill();
  await server.close();
  await engine.close();
  await rm(dataDir, { recursive: true, force: true });
}
