/**
 * `npm run bench:storm`: a join storm (issue 9 fault suite). Starts Convene in-process with the typed
 * in-memory media engine (signaling, admission, rosters and the store are real; no Janus, no media:
 * this measures the join path, not the SFU), then opens STORM_RATE joins a second for STORM_SECONDS,
 * each from its own address (X-Forwarded-For through the trusted loopback proxy, so its own client
 * key), first all into one meeting, then spread over STORM_MEETINGS meetings. Each seat stays
 * STORM_HOLD seconds, then leaves. Counts joins that succeeded, joins refused on purpose (a typed
 * refusal such as `meeting_full`) and failed joins (anything else: another error, a socket error, no
 * answer within 10 s), with join-time percentiles.
 *
 * Options (environment): STORM_RATE=50, STORM_SECONDS=60, STORM_MEETINGS=50, STORM_HOLD=10,
 * STORM_MODES=one,many, STORM_MEDIA=memory|janus|process (janus: a real Janus in this process's server,
 * so every join also attaches and joins its Janus handles; process: the real `convene start` in its own
 * process with its own Janus, so the clients here do not share the server's event loop; the clients
 * never send media).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { MemoryEngine } from '../src/media/memory/MemoryEngine.js';
import { startTestServer } from '../test/support/server.js';
import { fmt, machineSummary, percentile, sleep, spawnConvene } from './lib.js';

const RATE = Number(process.env.STORM_RATE ?? 50);
const SECONDS = Number(process.env.STORM_SECONDS ?? 60);
const MEETINGS = Number(process.env.STORM_MEETINGS ?? 50);
const HOLD_MS = Number(process.env.STORM_HOLD ?? 10) * 1000;
const MODES = (process.env.STORM_MODES ?? 'one,many').split(',');
const MEDIA = (['janus', 'process'] as const).find((m) => m === process.env.STORM_MEDIA) ?? 'memory';
/** Refusals that are the server's rules working, not failures. */
const ON_PURPOSE = new Set([
  'meeting_full',
  'too_many_seats',
  'too_many_connections',
  'rate_limited',
  'lobby_full',
]);

let addressCounter = 0;
const nextAddress = () => {
  const n = addressCounter++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

interface Outcome {
  kind: 'joined' | 'refused' | 'failed';
  detail: string;
  ms: number;
}

function joinOnce(url: string, meetingId: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`, {
      headers: { 'x-forwarded-for': nextAddress() },
    });
    let settled = false;
    const done = (kind: Outcome['kind'], detail: string, keep = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ kind, detail, ms: performance.now() - started });
      if (keep) setTimeout(() => ws.close(1000), HOLD_MS);
      else ws.terminate();
    };
    const timer = setTimeout(() => done('failed', 'no answer in 10 s'), 10_000);
    ws.on('open', () =>
      ws.send(JSON.stringify({ v: 1, type: 'join', rid: 'j', meetingId, displayName: 'Storm' })),
    );
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; rid?: string; code?: string };
      if (m.type === 'joined') done('joined', 'joined', true);
      else if (m.type === 'error' && m.rid === 'j') {
        const code = m.code ?? 'error';
        done(ON_PURPOSE.has(code) ? 'refused' : 'failed', code);
      }
    });
    ws.on('error', (err) => done('failed', `socket error: ${err.message}`));
    ws.on('close', (code) => done('failed', `closed ${code} before an answer`));
  });
}

async function createMeetings(url: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${url}/api/meetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': nextAddress() },
      body: '{}',
    });
    if (res.status !== 201) throw new Error(`create meeting: HTTP ${res.status}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

async function storm(url: string, meetings: string[]): Promise<Outcome[]> {
  const pending: Promise<Outcome>[] = [];
  const total = RATE * SECONDS;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(joinOnce(url, meetings[i % meetings.length] ?? ''));
  }
  const outcomes = await Promise.all(pending);
  await sleep(HOLD_MS + 1000);
  return outcomes;
}

console.log(`bench:storm  ${machineSummary()}`);
console.log(
  `${MEDIA === 'memory' ? 'in-memory media engine' : MEDIA === 'janus' ? 'real Janus, server in this process' : 'convene start in its own process, real Janus'}; ${RATE} joins/s for ${SECONDS} s, each seat held ${HOLD_MS / 1000} s; one meeting, then ${MEETINGS} meetings`,
);
async function startServer(): Promise<{ url: string; close(): Promise<void> }> {
  if (MEDIA !== 'process') {
    return startTestServer(
      { geo: { trustedProxies: ['127.0.0.1', '::1'] }, maxParticipantsPerMeeting: 5000 },
      MEDIA === 'janus' ? {} : { engine: new MemoryEngine() },
    );
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-storm-'));
  const { child, url } = await spawnConvene(dataDir, {
    CONVENE_TRUSTED_PROXIES: '127.0.0.1,::1',
    CONVENE_MAX_PARTICIPANTS: '5000',
  });
  return {
    url,
    async close() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
const server = await startServer();
try {
  for (const mode of MODES) {
    const meetings = await createMeetings(server.url, mode === 'one' ? 1 : MEETINGS);
    const outcomes = await storm(server.url, meetings);
    const joined = outcomes.filter((o) => o.kind === 'joined');
    const byDetail: Record<string, number> = {};
    for (const o of outcomes) if (o.kind !== 'joined') byDetail[o.detail] = (byDetail[o.detail] ?? 0) + 1;
    const times = joined.map((o) => o.ms);
    console.log(
      `${mode === 'one' ? 'one meeting' : `${MEETINGS} meetings`}: ${outcomes.length} joins, ` +
        `${joined.length} joined, ${outcomes.filter((o) => o.kind === 'refused').length} refused on purpose, ` +
        `${outcomes.filter((o) => o.kind === 'failed').length} failed; join time p50 ${fmt(percentile(times, 50))} ms, ` +
        `p95 ${fmt(percentile(times, 95))} ms, p99 ${fmt(percentile(times, 99))} ms, max ${fmt(Math.max(...times))} ms` +
        (Object.keys(byDetail).length ? `; not joined: ${JSON.stringify(byDetail)}` : ''),
    );
  }
} finally {
  await server.close();
}
