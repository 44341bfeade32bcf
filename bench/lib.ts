/**
 * Shared helpers for the benchmarks: starting Convene with its own Janus in a temporary data directory,
 * creating meetings, reading /proc for CPU and memory, and printing tables.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { startConvene } from '../src/server/main.js';
import type { JoinReport, MediaReport, WorkerCommand, WorkerSnapshot } from './worker.js';

export interface BenchServer {
  url: string;
  janusPid(): number | undefined;
  close(): Promise<void>;
}

/** Starts Convene in this process (with its own Janus) on 127.0.0.1 and a random port. */
export async function startServer(): Promise<BenchServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-bench-'));
  const server = await startConvene(
    loadConfig({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      // Every load client connects from 127.0.0.1, one client key: lift its socket and seat caps.
      maxSocketsPerClient: 100_000,
      maxSeatsPerClient: 100_000,
      logLevel:
        process.env.CONVENE_LOG_LEVEL === undefined ? 'warn' : (process.env.CONVENE_LOG_LEVEL as 'warn'),
    }),
  );
  return {
    url: server.url,
    janusPid: () => server.janusPid(),
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** bin/convene.js, the command `npm start` runs (compiled dist/server when built and current). */
export const CONVENE_BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '../bin/convene.js');

/**
 * The command line of bin/convene.js's `#!/usr/bin/env -S ...` line (environment assignments, node and
 * its flags): what `npm start` and the `convene` bin run, since both execute the file.
 */
export function shebangCommand(): string[] {
  const first = readFileSync(CONVENE_BIN, 'utf8').split('\n', 1)[0] ?? '';
  return first
    .replace(/^#!\S*env\s+(-S\s+)?/, '')
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * Starts the real `convene start` command in a child process on a free port with the given data
 * directory and extra environment; resolves once it prints its URL. By default it executes bin/convene.js
 * through its shebang line, as `npm start` and the `convene` bin do; `argv` replaces that prefix, e.g.
 * `[process.execPath, CONVENE_BIN]` for plain `node bin/convene.js` (as the tests run it).
 */
export async function spawnConvene(
  dataDir: string,
  env: Record<string, string> = {},
  argv: string[] = [CONVENE_BIN],
): Promise<{ child: ChildProcess; url: string }> {
  const [command = CONVENE_BIN, ...args] = argv;
  const child = spawn(command, [...args, 'start', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, CONVENE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Convene is running at (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`convene exited with ${code} before it was ready`)));
  });
  return { child, url };
}

export async function createMeeting(url: string): Promise<string> {
  const res = await fetch(new URL('/api/meetings', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(url).origin },
    body: '{}',
  });
  if (res.status !== 201) throw new Error(`POST /api/meetings: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { id: string };
  return body.id;
}

let clkTck: number | undefined;
/** Clock ticks per second for /proc/<pid>/stat (getconf CLK_TCK, normally 100). */
export function clockTicks(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** utime + stime of a process in microseconds, from /proc/<pid>/stat; undefined if it is gone. */
export function procCpuMicros(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which is in parentheses and may contain spaces).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) / clockTicks()) * 1e6;
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in bytes (VmRSS); undefined if it is gone. */
export function procRssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m?.[1] ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Number of threads of a process, for the notes. */
export function procThreads(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^Threads:\s+(\d+)/m.exec(status);
    return m?.[1] ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value.toFixed(digits);
}

export const MiB = 1024 * 1024;

/** Prints rows as a Markdown table (also readable in a terminal). */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 1) + ':').join('|')}|`);
  for (const r of rows) console.log(line(r));
}

export function machineSummary(): string {
  const cpus = os.cpus();
  return (
    `${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ` +
    `${os.type()} ${os.release()}, Node ${process.version}`
  );
}

// ---- load-client worker processes -------------------------------------------------------------------

export class LoadWorker {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #exited = false;

  constructor(readonly name: string) {
    const script = fileURLToPath(new URL('./worker.ts', import.meta.url));
    this.#child = fork(script, [], {
      // BENCH_WORKER_NODE_ARGS adds Node flags to the load clients, e.g. "--cpu-prof".
      execArgv: [
        '--import',
        'tsx',
        ...(process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, DEBUG: '' },
    });
    this.#child.on('message', (raw) => {
      const msg = raw as { id: number; ok: boolean; reply?: unknown; error?: string };
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.reply);
      else p.reject(new Error(`${this.name}: ${msg.error ?? 'failed'}`));
    });
    this.#child.on('exit', () => {
      this.#exited = true;
      for (const p of this.#pending.values()) p.reject(new Error(`${this.name} exited`));
      this.#pending.clear();
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  call(command: { cmd: 'join' } & Omit<Extract<WorkerCommand, { cmd: 'join' }>, 'cmd'>): Promise<JoinReport>;
  call(command: Extract<WorkerCommand, { cmd: 'waitMedia' }>): Promise<MediaReport>;
  call(command: Extract<WorkerCommand, { cmd: 'snapshot' }>): Promise<WorkerSnapshot>;
  call(command: Extract<WorkerCommand, { cmd: 'takeLatency' }>): Promise<number[]>;
  call(command: Extract<WorkerCommand, { cmd: 'close' }>): Promise<null>;
  call(command: WorkerCommand): Promise<unknown> {
    if (this.#exited) return Promise.reject(new Error(`${this.name} exited`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ id, command });
    });
  }

  /** Joins one publishing client (synthetic audio and video) in this worker; resolves with its id. */
  async joinPublisher(url: string, meetingId: string): Promise<string> {
    const pub = await this.call({
      cmd: 'join',
      url,
      meetingId,
      count: 1,
      namePrefix: 'publisher',
      concurrency: 1,
      publish: true,
      latencySampleEvery: 1,
    });
    const publisherId = pub.ids[0];
    if (!publisherId) throw new Error(`publisher could not join: ${pub.errors.join('; ')}`);
    return publisherId;
  }

  /** Closes the clients (bounded wait) and ends the process. */
  async stop(): Promise<void> {
    if (!this.#exited) {
      await Promise.race([this.call({ cmd: 'close' }).catch(() => null), sleep(10_000)]);
    }
    if (!this.#exited) {
      const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
      this.#child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      if (!this.#exited) this.#child.kill('SIGKILL');
    }
  }
}

export interface UdpCounters {
  inDatagrams: number;
  outDatagrams: number;
  rcvbufErrors: number;
  sndbufErrors: number;
}

/**
 * The kernel's system-wide UDP counters (/proc/net/snmp). All benchmark media stays on this machine, so
 * RcvbufErrors counts packets dropped because a receiver (usually a load client that fell behind) did
 * not read its socket in time. Other processes on the machine add to these counters too.
 */
export function udpCounters(): UdpCounters | undefined {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Udp:'));
    const names = lines[0]?.split(/\s+/).slice(1) ?? [];
    const values = lines[1]?.split(/\s+/).slice(1).map(Number) ?? [];
    const get = (name: string) => values[names.indexOf(name)] ?? Number.NaN;
    return {
      inDatagrams: get('InDatagrams'),
      outDatagrams: get('OutDatagrams'),
      rcvbufErrors: get('RcvbufErrors'),
      sndbufErrors: get('SndbufErrors'),
    };
  } catch {
    return undefined;
  }
}

/** Every process below `root` (children, grandchildren, …), from /proc. */
export function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const [child, ppid] of parent) {
      if (ppid === pid) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/**
 * CPU milliseconds of a process from its threads' /proc/<pid>/task/<tid>/schedstat (nanoseconds on
 * the CPU, so single operations of a few ms can be timed; /proc/<pid>/stat counts 10 ms ticks).
 * Threads that ended are no longer counted, so take differences over short spans only.
 */
export function procThreadsCpuMs(pid: number): number {
  let ns = 0;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const tid of tids) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return ns / 1e6;
}

/** CPU microseconds of every process this one started (e.g. Chromium's), this Node process excluded. */
export function browserCpuMicros(): number {
  return descendants(process.pid).reduce((sum, pid) => sum + (procCpuMicros(pid) ?? 0), 0);
}
