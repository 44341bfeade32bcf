/**
 * bench:restart-web — how long an end-to-end encrypted meeting in the web app is unusable when
 * `convene start` is SIGKILLed and started again (issue 9, fault suite: "Convene restarted").
 *
 * Two Chromium pages at 320x240 join one meeting on the real `convene start` (compiled: the script runs
 * `npm run build` first, as `npm start` does) with its own Janus. Then RESTART_BENCH_RUNS times (3 by
 * default) for each way of dying, alternating: SIGKILL the Convene process alone (`process`: its Janus
 * is orphaned and keeps forwarding until the new process stops it) or with its Janus (`group`, as
 * systemd's default KillMode or a container restart does); start again at once on the same port and
 * data directory (a supervisor with no restart delay), and wait until both pages are back. Every time
 * is taken inside the pages (test/support/restartScene.ts) and counted from the SIGKILL: the server
 * printing its address, each page joined again (new seat), the other listed, end-to-end encryption
 * `encrypted` with one new group, and the first video frame decoded on a new PeerConnection. "Usable"
 * is the later page's first frame.
 *
 * Usage: npm run bench:restart-web
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../test/support/browser.js';
import { freePort, startConvene, type ConveneProcess } from '../test/support/conveneProcess.js';
import { encryptedMeeting, killAndRestart, type KillMode } from '../test/support/restartScene.js';
import { fmt, machineSummary, percentile, printTable, sleep } from './lib.js';

const RUNS = Number(process.env.RESTART_BENCH_RUNS ?? 3);
const MODES: KillMode[] = ['process', 'group'];
const s = (ms: number) => fmt(ms / 1000, 1);
const latest = (xs: number[]) => Math.max(...xs);

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-bench-restart-'));
const port = await freePort();
let server: ConveneProcess | undefined = await startConvene(dataDir, { port });
const browser = await launchBrowser();
try {
  const { pages } = await encryptedMeeting(browser, server.url, ['Ada', 'Grace']);
  console.log(`bench:restart-web — ${machineSummary()}`);
  console.log(
    `2 pages at 320x240, E2EE on, real Janus, compiled convene start, ${RUNS} restarts per kill mode\n`,
  );
  const rows: string[][] = [];
  const usable = new Map<KillMode, number[]>(MODES.map((m) => [m, []]));
  const ready = new Map<KillMode, number[]>(MODES.map((m) => [m, []]));
  for (let run = 1; run <= RUNS * MODES.length; run++) {
    const kill = MODES[(run - 1) % MODES.length] ?? 'process';
    await sleep(5_000); // media and keys settled since the last restart
    const load = os.loadavg()[0] ?? 0;
    const killed: ConveneProcess = server;
    server = undefined;
    const { server: next, times } = await killAndRestart(killed, pages, { dataDir, port, kill });
    server = next;
    usable.get(kill)?.push(times.usable);
    ready.get(kill)?.push(times.ready);
    rows.push([
      String(run),
      kill,
      fmt(load),
      s(times.reconnecting),
      s(times.ready),
      s(latest(times.pages.map((p) => p.joined))),
      s(latest(times.pages.map((p) => p.roster))),
      s(latest(times.pages.map((p) => p.encrypted))),
      s(times.usable),
      s(times.usable - times.ready),
    ]);
  }
  printTable(
    [
      'run',
      'kill',
      'load (1 min)',
      'reconnecting shown',
      'server ready',
      'both joined',
      'both list the other',
      'both encrypted',
      'usable (both decoding)',
      'usable - ready',
    ],
    rows,
  );
  console.log('\nseconds after SIGKILL');
  for (const kill of MODES) {
    const u = usable.get(kill) ?? [];
    const r = ready.get(kill) ?? [];
    console.log(
      `${kill}: median server ready ${s(percentile(r, 50))} s, median usable ${s(percentile(u, 50))} s, ` +
        `worst usable ${s(latest(u))} s`,
    );
  }
} finally {
  await browser.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
}
