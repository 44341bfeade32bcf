/**
 * `npm run bench:footprint-load`: what the memory settings of `convene start` cost under a meeting's
 * load. Starts the real command (its own Janus, the embedded database, a copy of one initialised data
 * directory) once per run, alternating the variants A B A B ..., and drives the same load into each:
 * CHATTERS seated in one meeting each sending CHAT_RATE chat messages a second (MLS application
 * messages of CHAT_BYTES the server relays to every other chatter: bench/mlsGroup.ts), and JOIN_RATE
 * joins a second spread over MEETINGS other meetings, each seat held HOLD seconds. It reads the server
 * process's CPU time (utime + stime, /proc/<pid>/stat) from the start of the load until its last seat
 * has left, its resident memory at the end, and the chat delivery latency. It prints each run and,
 * per pair of runs, the CPU ratio of each variant to the first one.
 *
 * The variants are the command as shipped (bin/convene.js run as an executable, so with the Node
 * flags and environment of its `#!/usr/bin/env -S` line, as `npm start` and the `convene` bin run it)
 * and plain `node bin/convene.js` (no command-line flags), unless VARIANTS names others:
 * `VARIANTS='plain=;semi2=--max-semi-space-size=2;arena=MALLOC_ARENA_MAX=2 --max-semi-space-size=2'`
 * (`name=` then environment assignments and Node flags, each run as `node <flags> bin/convene.js`).
 *
 * Options (environment): ROUNDS=4, LOAD_SECONDS=30, CHATTERS=20, CHAT_RATE=2, CHAT_BYTES=1000,
 * JOIN_RATE=10, MEETINGS=10, HOLD=10, VARIANTS (above).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RawSocket } from '../test/support/RawSocket.js';
import {
  CONVENE_BIN,
  createMeeting,
  fmt,
  machineSummary,
  MiB,
  percentile,
  printTable,
  procCpuMicros,
  procRssBytes,
  shebangCommand,
  sleep,
  spawnConvene,
} from './lib.js';
import { groupCreator, sealFrames, uploadKeyPackage } from './mlsGroup.js';

const ROUNDS = Number(process.env.ROUNDS ?? 4);
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const CHATTERS = Number(process.env.CHATTERS ?? 20);
const CHAT_RATE = Number(process.env.CHAT_RATE ?? 2);
const CHAT_BYTES = Number(process.env.CHAT_BYTES ?? 1000);
const JOIN_RATE = Number(process.env.JOIN_RATE ?? 10);
const MEETINGS = Number(process.env.MEETINGS ?? 10);
const HOLD_MS = Number(process.env.HOLD ?? 10) * 1000;

interface Variant {
  name: string;
  /** argv before `start ...`; undefined: the bin as an executable (its shebang line). */
  argv?: string[];
  env: Record<string, string>;
}

function parseVariants(spec: string | undefined): Variant[] {
  if (!spec) {
    return [
      { name: 'plain node bin/convene.js', argv: [process.execPath, CONVENE_BIN], env: {} },
      { name: `as shipped: ${shebangCommand().join(' ')}`, env: {} },
    ];
  }
  return spec.split(';').map((part) => {
    const [name = '', rest = ''] = part.split(/=(.*)/s);
    const words = rest.split(/\s+/).filter(Boolean);
    const env = Object.fromEntries(
      words.filter((w) => /^[A-Z_][A-Z0-9_]*=/.test(w)).map((w) => w.split(/=(.*)/s).slice(0, 2)),
    ) as Record<string, string>;
    const flags = words.filter((w) => !/^[A-Z_][A-Z0-9_]*=/.test(w));
    return { name: name.trim(), argv: [process.execPath, ...flags, CONVENE_BIN], env };
  });
}

let addresses = 0;
const nextAddress = () => {
  const n = ++addresses;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

async function seat(url: string, meetingId: string, name: string): Promise<RawSocket> {
  const socket = await RawSocket.open(url, { 'x-forwarded-for': nextAddress() });
  const reply = await socket.ask({ type: 'join', rid: 'j', meetingId, displayName: name }, 15_000);
  if (reply.type !== 'joined') throw new Error(`join refused: ${reply.code ?? reply.type}`);
  return socket;
}

interface RunResult {
  cpuMs: number;
  rssMiB: number;
  deliveries: number;
  latencyP50: number;
  latencyP95: number;
  joins: number;
  failedJoins: number;
  load: number;
}

async function run(variant: Variant, template: string): Promise<RunResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'convene-fpload-'));
  cpSync(template, dataDir, { recursive: true });
  const { child, url } = await spawnConvene(
    dataDir,
    { ...variant.env, CONVENE_TRUSTED_PROXIES: '127.0.0.1, ::1', CONVENE_RESUME_WINDOW_MS: '1000' },
    variant.argv,
  );
  const pid = child.pid ?? -1;
  const timers: NodeJS.Timeout[] = [];
  try {
    const chatMeeting = await createMeeting(url);
    const churnMeetings: string[] = [];
    for (let i = 0; i < MEETINGS; i++) churnMeetings.push(await createMeeting(url));
    const creator = await groupCreator(url, chatMeeting);
    const chatters: RawSocket[] = [];
    for (let i = 0; i < CHATTERS; i++) {
      const socket = await seat(url, chatMeeting, `chatter ${i}`);
      const self = socket.messages.find((m) => m.type === 'joined')?.self as { id: string } | undefined;
      await uploadKeyPackage(socket.ws, self?.id ?? '', `chatter ${i}`);
      chatters.push(socket);
    }
    const text = (i: number) => `chatter ${i} `.padEnd(CHAT_BYTES, 'x');
    const frames = await sealFrames(
      creator,
      1 + CHATTERS,
      chatters.map((_, i) => text(i)),
    );
    const sentAt = new Map<string, number[]>();
    const latencies: number[] = [];
    for (const socket of chatters) {
      socket.messages.length = 0;
      socket.ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { type: string; message?: string };
        const at = m.type === 'mlsMessage' ? sentAt.get(m.message ?? '') : undefined;
        // Every chatter's ciphertext is sent again and again: the latest send is the closest bound.
        const last = at?.[at.length - 1];
        if (last !== undefined) latencies.push(performance.now() - last);
      });
    }
    await sleep(2000); // the creator's seat leaves after the resume window
    const cpu0 = procCpuMicros(pid) ?? 0;
    const load = os.loadavg()[0] ?? 0;
    for (const [i, socket] of chatters.entries()) {
      const frame = frames[i] ?? '';
      const message = (JSON.parse(frame) as { message: string }).message;
      sentAt.set(message, []);
      await sleep(1000 / CHAT_RATE / CHATTERS);
      timers.push(
        setInterval(() => {
          sentAt.get(message)?.push(performance.now());
          socket.ws.send(frame);
        }, 1000 / CHAT_RATE),
      );
    }
    let joins = 0;
    let failedJoins = 0;
    const held: Promise<void>[] = [];
    const started = performance.now();
    for (let i = 0; performance.now() - started < LOAD_SECONDS * 1000; i++) {
      const due = started + (i * 1000) / JOIN_RATE;
      await sleep(Math.max(0, due - performance.now()));
      const meetingId = churnMeetings[i % churnMeetings.length] ?? '';
      held.push(
        seat(url, meetingId, `guest ${i}`).then(
          async (socket) => {
            joins++;
            await sleep(HOLD_MS);
            socket.ws.send(JSON.stringify({ v: 1, type: 'leave' }));
            socket.ws.close();
          },
          () => {
            failedJoins++;
          },
        ),
      );
    }
    for (const t of timers.splice(0)) clearInterval(t);
    await Promise.all(held);
    await sleep(2000); // the last leaves and relays
    const cpuMs = ((procCpuMicros(pid) ?? 0) - cpu0) / 1000;
    for (const socket of chatters) socket.ws.close();
    return {
      cpuMs,
      rssMiB: (procRssBytes(pid) ?? 0) / MiB,
      deliveries: latencies.length,
      latencyP50: percentile(latencies, 50),
      latencyP95: percentile(latencies, 95),
      joins,
      failedJoins,
      load,
    };
  } finally {
    for (const t of timers) clearInterval(t);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const variants = parseVariants(process.env.VARIANTS);
console.log(`bench:footprint-load  ${machineSummary()}`);
console.log(
  `${CHATTERS} chatters x ${CHAT_RATE} msg/s of ${CHAT_BYTES} characters, ${JOIN_RATE} joins/s over ` +
    `${MEETINGS} meetings held ${HOLD_MS / 1000} s, ${LOAD_SECONDS} s per run, ${ROUNDS} rounds of: ` +
    variants.map((v, i) => `${String.fromCharCode(65 + i)} = ${v.name}`).join(', '),
);
// One initialised data directory, copied for every run: no run pays for creating the cluster.
const template = mkdtempSync(path.join(os.tmpdir(), 'convene-fpload-template-'));
{
  const { child } = await spawnConvene(template);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
const results: RunResult[][] = variants.map(() => []);
const rows: string[][] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, variant] of variants.entries()) {
      const r = await run(variant, template);
      results[i]?.push(r);
      rows.push([
        String(round + 1),
        String.fromCharCode(65 + i),
        fmt(r.load, 2),
        fmt(r.cpuMs, 0),
        fmt(r.rssMiB, 0),
        String(r.deliveries),
        fmt(r.latencyP50),
        fmt(r.latencyP95),
        `${r.joins}/${r.failedJoins}`,
      ]);
      console.log(rows[rows.length - 1]?.join('  '));
    }
  }
} finally {
  rmSync(template, { recursive: true, force: true });
}
printTable(
  [
    'round',
    'variant',
    'load avg',
    'server CPU ms',
    'RSS after MiB',
    'deliveries',
    'p50 ms',
    'p95 ms',
    'joins/failed',
  ],
  rows,
);
const base = results[0] ?? [];
for (const [i, rs] of results.entries()) {
  if (i === 0) continue;
  const ratios = rs.map((r, k) => r.cpuMs / (base[k]?.cpuMs ?? Number.NaN));
  console.log(
    `CPU ${String.fromCharCode(65 + i)}/A per round: ${ratios.map((x) => fmt(x, 3)).join(', ')}; ` +
      `median ${fmt(percentile(ratios, 50), 3)}; total ${fmt(
        rs.reduce((s, r) => s + r.cpuMs, 0) / base.reduce((s, r) => s + r.cpuMs, 0),
        3,
      )}`,
  );
}
process.exit(0);
