/**
 * bench:mls-storm — an MLS join storm for real: N members join one meeting within WINDOW seconds, each
 * a real MLS member with the client library's own code (SignalingClient, E2eeController, MlsSession:
 * bench/mlsStormMember.ts) over the real signaling WebSocket and the server's delivery service, the
 * designated committer batching the server's Add proposals. Measures how long until every member
 * holds the same epoch with all N in its verified roster and no warning, how many commits that took,
 * what the members' views showed on the way (`missing` / `unannounced` warnings, rejoins, failures),
 * and the CPU spent:
 * - the server runs in its own process (bench/mlsStormServer.ts), its CPU read from /proc;
 * - the first two members (the designated committer, leaf 0, and the next member, leaf 1, who sees the
 *   whole storm) are probes, each in its own process (bench/mlsStormProbe.ts): their CPU is exactly
 *   one member's;
 * - the other N - 2 members share this process (the machine has 2 cores): their CPU is given as an
 *   average, and they run one at a time, so their wall-clock times are stretched by each other.
 *
 * Each member comes from its own address (X-Forwarded-For through the trusted loopback proxy).
 *
 * Usage: npm run bench:mls-storm   (MLS_STORM_N=100,200 MLS_STORM_WINDOW=10 MLS_STORM_TIMEOUT=300)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { createMeeting, fmt, machineSummary, percentile, printTable, procCpuMicros, sleep } from './lib.js';
import {
  joinStormMember,
  pretendScriptTransform,
  summarize,
  type MemberSummary,
  type StormMember,
} from './mlsStormMember.js';

const SIZES = (process.env.MLS_STORM_N ?? '100,200').split(',').map(Number);
const WINDOW_S = Number(process.env.MLS_STORM_WINDOW ?? 10);
const TIMEOUT_MS = Number(process.env.MLS_STORM_TIMEOUT ?? 300) * 1000;
const PROBES = 2;

const address = (n: number) => `10.9.${(n >> 8) & 255}.${n & 255}`;
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/** A child process we talk to by messages; `ask` sends one and waits for the first answer with `key`. */
class Child {
  readonly proc: ChildProcess;
  readonly #answers: ((m: Record<string, unknown>) => boolean)[] = [];

  constructor(file: string) {
    this.proc = fork(script(file), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.proc.on('message', (m) => {
      const i = this.#answers.findIndex((take) => take(m as Record<string, unknown>));
      if (i >= 0) this.#answers.splice(i, 1);
    });
  }

  ask<T>(message: unknown, key: string): Promise<T> {
    return new Promise((resolve) => {
      this.#answers.push((m) => {
        if (!(key in m)) return false;
        resolve(m as T);
        return true;
      });
      if (message !== undefined) this.proc.send(message as object);
    });
  }

  cpuMicros(): number {
    return procCpuMicros(this.proc.pid ?? -1) ?? 0;
  }
}

interface Outcome {
  n: number;
  joinedMs: number;
  convergedMs: number | undefined;
  epoch: number | null;
  serverCpuS: number;
  probeCpuS: number[];
  othersCpuS: number;
  summaries: MemberSummary[];
}

async function storm(url: string, n: number, server: Child): Promise<Outcome> {
  const meetingId = await createMeeting(url);
  const probes = [new Child('mlsStormProbe.ts'), new Child('mlsStormProbe.ts')];
  await Promise.all(probes.map((p) => p.ask(undefined, 'ready')));
  const server0 = server.cpuMicros();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const joins: Promise<StormMember | undefined>[] = [];
  for (let i = 0; i < n; i++) {
    const wait = t0 + (i * WINDOW_S * 1000) / n - performance.now();
    if (wait > 0) await sleep(wait);
    const join = { url, meetingId, name: `Member ${i}`, forwardedFor: address(i) };
    const probe = probes[i];
    // The probes' joins are awaited before the next join goes: they are leaf 0 and leaf 1.
    if (probe) await probe.ask({ join }, 'joined');
    joins.push(probe ? Promise.resolve(undefined) : joinStormMember(join));
  }
  const local = (await Promise.all(joins)).filter((m): m is StormMember => m !== undefined);
  const joinedMs = performance.now() - t0;
  const report = () =>
    Promise.all(probes.map((p) => p.ask<{ summary: MemberSummary; cpuMicros: number }>('report', 'summary')));
  let convergedMs: number | undefined;
  let last: Awaited<ReturnType<typeof report>> = [];
  try {
    while (performance.now() - t0 < TIMEOUT_MS) {
      last = await report();
      const all = [...last.map((r) => r.summary), ...local.map((m) => summarize(m))];
      const epoch = all[0]?.epoch;
      if (all.every((s) => s.status === 'encrypted' && s.epoch === epoch && s.members === n)) {
        convergedMs = performance.now() - t0;
        break;
      }
      await sleep(250);
    }
    last = await report();
    const cpu = process.cpuUsage(cpu0);
    const summaries = [...last.map((r) => r.summary), ...local.map((m) => summarize(m))];
    return {
      n,
      joinedMs,
      convergedMs,
      epoch: summaries[0]?.epoch ?? null,
      serverCpuS: (server.cpuMicros() - server0) / 1e6,
      probeCpuS: last.map((r) => r.cpuMicros / 1e6),
      othersCpuS: (cpu.user + cpu.system) / 1e6,
      summaries,
    };
  } finally {
    for (const m of local) m.leave();
    for (const p of probes) p.proc.send('leave');
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function describeOutcome(r: Outcome): void {
  const s = r.summaries;
  const received = (type: string) => s.map((m) => m.received[type] ?? 0);
  const warnings = s.flatMap((m) => m.warnings);
  const warned = s.filter((m) => m.warnings.length > 0).length;
  const toKeys = s.map((m) => m.toKeysMs).filter((v): v is number => v !== undefined);
  const statuses = new Map<string, number>();
  for (const m of s)
    statuses.set(
      `${m.status}@${m.epoch}/${m.members}`,
      (statuses.get(`${m.status}@${m.epoch}/${m.members}`) ?? 0) + 1,
    );
  const errors = new Map<string, number>();
  for (const e of s.flatMap((m) => m.errors)) errors.set(e, (errors.get(e) ?? 0) + 1);
  console.log(`\nn=${r.n}:`);
  console.log(
    `  ${r.convergedMs === undefined ? `NOT converged within ${TIMEOUT_MS / 1000} s` : `converged at ${fmt(r.convergedMs / 1000)} s`}; final views (status@epoch/members: count): ${[...statuses].map(([k, v]) => `${k}: ${v}`).join(', ')}`,
  );
  console.log(
    `  join -> first epoch key: p50 ${fmt(percentile(toKeys, 50) / 1000)} s, p95 ${fmt(percentile(toKeys, 95) / 1000)} s, max ${fmt(Math.max(...toKeys) / 1000)} s (${toKeys.length} of ${s.length} got keys)`,
  );
  console.log(
    `  per member received (mean): handshakes ${fmt(sum(received('mlsHandshake')) / s.length)}, welcomes ${fmt(sum(received('mlsWelcome')) / s.length, 2)}; commit requests ${sum(received('mlsCommitRequest'))} in all, commits accepted ${sum(received('mlsCommitResult:accepted'))}, refused ${sum(received('mlsCommitResult:refused'))}`,
  );
  console.log(`  committer (probe 0) received ${JSON.stringify(s[0]?.received)}`);
  console.log(
    `  warnings: ${warned} of ${s.length} members showed one; ${warnings.filter((w) => w.kind === 'missing').length} missing and ${warnings.filter((w) => w.kind === 'unannounced').length} unannounced spans, longest ${fmt(Math.max(0, ...warnings.map((w) => w.ms)) / 1000, 2)} s, ${warnings.filter((w) => w.open).length} still open`,
  );
  const after = warnings.map((w) => w.afterMs).filter((v): v is number => v !== undefined);
  const band = (lo: number, hi: number) => after.filter((v) => v >= lo && v < hi).length;
  if (after.length)
    console.log(
      `  missing spans began after the announcement: < 1 s ${band(0, 1000)}, 1-9.5 s ${band(1000, 9500)}, 9.5-11 s ${band(9500, 11000)}, >= 11 s ${band(11000, Infinity)}; span length p50 ${fmt(
        percentile(
          warnings.map((w) => w.ms),
          50,
        ) / 1000,
        2,
      )} s, p95 ${fmt(
        percentile(
          warnings.map((w) => w.ms),
          95,
        ) / 1000,
        2,
      )} s`,
    );
  for (const [i, probe] of s.slice(0, PROBES).entries()) {
    const w = probe.warnings;
    console.log(
      `  probe ${i} (own process): ${w.length} warning spans${w.length ? `, longest ${fmt(Math.max(...w.map((x) => x.ms)) / 1000, 2)} s, begun < 1 s after the grace started ${w.filter((x) => (x.afterMs ?? 0) < 1000).length}, at 9.5-11 s ${w.filter((x) => (x.afterMs ?? 0) >= 9500 && (x.afterMs ?? 0) < 11000).length}` : ''}`,
    );
  }
  console.log(
    `  rejoins ${sum(s.map((m) => m.rejoins))}; errors ${errors.size ? [...errors].map(([k, v]) => `${k} x${v}`).join(', ') : 'none'}`,
  );
  console.log(
    `  CPU: server ${fmt(r.serverCpuS)} s; committer (probe 0) ${fmt(r.probeCpuS[0])} s; member at leaf 1 (probe 1) ${fmt(r.probeCpuS[1])} s; the other ${r.n - PROBES} members ${fmt(r.othersCpuS)} s (${fmt((1000 * r.othersCpuS) / (r.n - PROBES), 0)} ms each on average)`,
  );
}

pretendScriptTransform();
console.log(
  `bench:mls-storm — ${machineSummary()}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const server = new Child('mlsStormServer.ts');
const { url } = await server.ask<{ url: string }>(undefined, 'url');
const rows: string[][] = [];
try {
  for (const n of SIZES) {
    const r = await storm(url, n, server);
    describeOutcome(r);
    const warnings = r.summaries.flatMap((m) => m.warnings);
    rows.push([
      String(r.n),
      `${WINDOW_S} s`,
      fmt(r.joinedMs / 1000),
      r.convergedMs === undefined ? `> ${TIMEOUT_MS / 1000}` : fmt(r.convergedMs / 1000),
      String(r.epoch ?? '-'),
      fmt(r.serverCpuS),
      fmt(r.probeCpuS[0]),
      fmt(r.probeCpuS[1]),
      fmt((1000 * r.othersCpuS) / (r.n - PROBES), 0),
      `${r.summaries.filter((m) => m.warnings.length > 0).length} / ${warnings.length}`,
      String(sum(r.summaries.map((m) => m.rejoins))),
      String(sum(r.summaries.map((m) => m.errors.length))),
    ]);
    console.log(
      `  load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    await sleep(5000);
  }
  console.log('');
  printTable(
    [
      'members',
      'joins over',
      'all joined (s)',
      'one epoch, all N, no warning (s)',
      'commits',
      'server CPU s',
      'committer CPU s',
      'leaf 1 CPU s',
      'other members CPU ms each',
      'members warned / spans',
      'rejoins',
      'errors',
    ],
    rows,
  );
} finally {
  server.proc.send('close');
  await new Promise((resolve) => server.proc.once('exit', resolve));
}
