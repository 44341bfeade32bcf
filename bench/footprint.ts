/**
 * `npm run bench:footprint`: builds (as `npm start` does), then starts the real `convene start` command
 * (bin/convene.js executed as `npm start` and the `convene` bin execute it) with the embedded database
 * in a fresh data directory, lets it sit idle, and reads the resident memory of the Convene process
 * (every 10 s, to show when V8 gives back start-up's memory) and at the end of its Janus from /proc.
 * Then stops it with SIGTERM (checking that Janus goes too), starts it again on the same data
 * directory, and measures again.
 *
 * Options: `--idle <seconds>` (default 60) before each final reading. V8's memory reducer gives back
 * the young generation that start-up grew (~30 MiB) only after it sees the process idle, 20-30 s after
 * start on this machine, so a reading before then measures start-up, not an idle server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { shebangCommand, spawnConvene } from './lib.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const idleArg = process.argv.indexOf('--idle');
const IDLE_S = idleArg > 0 ? Number(process.argv[idleArg + 1]) : 60;

function rssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const alive = (pid: number | undefined): boolean => pid !== undefined && existsSync(`/proc/${pid}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(label: string, dataDir: string): Promise<{ node?: number; janus?: number }> {
  const started = Date.now();
  const { child } = await spawnConvene(dataDir);
  const startMs = Date.now() - started;
  const series: string[] = [];
  for (let t = 10; t < IDLE_S; t += 10) {
    await sleep(started + startMs + t * 1000 - Date.now());
    series.push(`${t} s ${fmt(rssMiB(child.pid)).trim()}`);
  }
  await sleep(started + startMs + IDLE_S * 1000 - Date.now());
  const janusPid = Number(readFileSync(path.join(dataDir, 'janus', 'janus.pid'), 'utf8'));
  const result = { node: rssMiB(child.pid), janus: rssMiB(janusPid) };
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  const code = await exited;
  for (let i = 0; i < 50 && alive(janusPid); i++) await sleep(100);
  console.log(
    `${label.padEnd(22)} started in ${String(startMs).padStart(5)} ms   convene ${fmt(result.node)}   janus ${fmt(result.janus)}   ` +
      `SIGTERM: exit ${code}, janus ${alive(janusPid) ? 'STILL RUNNING' : 'stopped'}, load average ${os.loadavg()[0]?.toFixed(2)}`,
  );
  if (series.length) console.log(`${''.padEnd(22)} convene while idle: ${series.join(', ')}`);
  return result;
}

const fmt = (mib: number | undefined) => (mib === undefined ? '   n/a' : `${mib.toFixed(0).padStart(4)} MiB`);

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-footprint-'));
// `npm run bench:footprint` builds first, as `npm start` does; bin/convene.js then runs dist/server.
const compiled = existsSync(path.join(ROOT, 'dist/server/.built')) && !process.env.CONVENE_FROM_SOURCE;
console.log(
  `bench:footprint  ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ` +
    `${compiled ? 'compiled dist/server' : 'TypeScript through tsx'}, embedded PGlite, idle ${IDLE_S} s before each reading`,
);
console.log(`command: ${shebangCommand().join(' ')} bin/convene.js start (the bin's #! line)`);
try {
  await measure('first start', dataDir);
  await measure('after restart', dataDir);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
