/**
 * bench:mls-browser — bench:mls's scenario (bench/mlsScenario.ts: a group grown to N by the server's
 * external Adds committed in batches; at N the committer's add 1 / add 20 / remove 1 commits, a member
 * processing each, a joiner processing its Welcome) in headless Chromium (/usr/bin/chromium through
 * playwright-core and test/support/browser.ts; never downloads a browser), on the main thread of one
 * page, which is where the web client runs MLS (src/client/e2ee/MlsSession.ts; only SFrame has a
 * worker). The page is bundled with esbuild and served from 127.0.0.1 (a secure context: WebCrypto).
 *
 * Wall ms are performance.now() in the page. CPU ms are the renderer processes' CPU (every thread:
 * V8, its GC helpers, WebCrypto's thread), read from /proc/<pid>/task/<tid>/schedstat by this process
 * through a page binding before and after each operation; the binding's round trip is included and
 * printed as "clock overhead". Then, unless --no-node, the same scenario runs in this Node process
 * (after the browser has closed) and the CPU medians are printed side by side. Asserts nothing.
 *
 * --profile='remove 1: commit' (a column title, or 'cleanup: commit', 'grow: commit') samples the page's
 * main thread during every such operation (V8 CPU profile every 0.1 ms, console.profile) and prints
 * its self time by source module, and the same for the samples under src/e2ee/mls/hpke.ts and
 * x25519.ts (a removal commit's path-secret seals); profiled operations run slower than unprofiled.
 *
 * --pool=alternate (default), on or off: which removals run with the committer's ephemeral-key pool
 * filled beforehand (bench/mlsScenario.ts); with 'alternate' every repetition removes twice, with and
 * without it, and a table compares the two and gives the pool's own fill CPU.
 *
 *   npm run bench:mls-browser [-- --sizes=10,100,250,500 --batch=50 --reps=3 --no-node --profile=OP --pool=MODE]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, launchBrowser } from '../test/support/browser.js';
import { descendants, procThreadsCpuMs } from './lib.js';
import type { MlsBenchPage } from './mlsBrowserPage.js';
import {
  printProfileSummary,
  summarizeProfiles,
  type Profile,
  type ProfileSummary,
} from './mlsBrowserProfile.js';
import {
  commitSamples,
  keyFigures,
  runMlsScenario,
  scenarioTables,
  type KeyFigures,
  type PoolMode,
  type SizeResult,
} from './mlsScenario.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const sizes = arg('sizes', '10,100,250,500').split(',').map(Number);
const batch = Number(arg('batch', '50'));
const reps = Number(arg('reps', '3'));
const withNode = !process.argv.includes('--no-node');
const profileOp = arg('profile', '') || undefined;
const pool = arg('pool', 'alternate') as PoolMode;

const root = path.resolve(import.meta.dirname, '..');
const load = () => os.loadavg()[0]!.toFixed(1);

/** Bundles the page for the browser into `dir`/page.js. */
function bundle(dir: string): void {
  const esbuild = path.join(root, 'node_modules/.bin/esbuild');
  const r = spawnSync(
    esbuild,
    [
      'bench/mlsBrowserPage.ts',
      '--bundle',
      '--platform=browser',
      '--format=esm',
      '--target=es2022',
      `--outfile=${path.join(dir, 'page.js')}`,
      '--log-level=warning',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`esbuild: ${r.stderr}`);
}

async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const files: Record<string, [string, string]> = {
    '/': ['<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>', 'text/html'],
    '/page.js': [await readFile(path.join(dir, 'page.js'), 'utf8'), 'text/javascript'],
  };
  const server = createServer((req, res) => {
    const file = files[req.url ?? ''];
    res
      .writeHead(file ? 200 : 404, { 'content-type': file?.[1] ?? 'text/plain' })
      .end(file?.[0] ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** Chromium's renderer processes among this process's descendants. */
function renderers(): number[] {
  return descendants(process.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer');
    } catch {
      return false;
    }
  });
}

/** The renderer whose CPU grows most while `spin` runs, at least twice as much as every other renderer's. */
async function pageRenderer(spin: () => Promise<void>): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidates = renderers();
    const before = candidates.map(procThreadsCpuMs);
    await spin();
    const grown = candidates.map((pid, i) => procThreadsCpuMs(pid) - before[i]!);
    const order = grown.map((g, i) => [g, i] as const).sort((x, y) => y[0] - x[0]);
    const [first, second] = order;
    if (first && first[0] > 50 && (!second || first[0] > 2 * second[0])) return candidates[first[1]]!;
  }
  throw new Error("cannot tell which Chromium renderer is the page's");
}

interface BrowserRun {
  x25519: string;
  profile: ProfileSummary | undefined;
  overhead: { wall: number; cpu: number };
  results: SizeResult[];
}

async function runInBrowser(): Promise<BrowserRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'convene-mls-browser-'));
  const browser = await launchBrowser();
  let server: Server | undefined;
  try {
    bundle(dir);
    const served = await serve(dir);
    server = served.server;
    const page = await browser.newPage();
    let pids: number[] = [];
    await page.exposeFunction('rendererCpuMs', () =>
      pids.reduce((sum, pid) => sum + procThreadsCpuMs(pid), 0),
    );
    await page.exposeFunction('mlsProgress', (r: SizeResult) =>
      console.error(`  N=${r.n} done (load ${load()}); CPU ms of each commit in order: ${commitSamples(r)}`),
    );
    await page.goto(served.url);
    await page.waitForFunction(() => 'mlsBench' in window);
    type W = { mlsBench: MlsBenchPage };
    // The page's renderer is the one whose CPU grows while the page spins, clearly more than any
    // other's (Chromium also starts a spare renderer, whose start-up must not be taken for the page).
    const spin = () => page.evaluate(() => (window as unknown as W).mlsBench.spin(500));
    pids = [await pageRenderer(spin)];
    const x25519 = await page.evaluate(() => (window as unknown as W).mlsBench.x25519());
    const overhead = await page.evaluate(() => (window as unknown as W).mlsBench.clockOverhead());
    const profiles: Profile[] = [];
    if (profileOp) {
      const cdp = await page.context().newCDPSession(page);
      cdp.on('Profiler.consoleProfileFinished', (e) => profiles.push(e.profile));
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    }
    const results = await page.evaluate(([o, op]) => (window as unknown as W).mlsBench.run(o, op), [
      { sizes, batch, reps, pool },
      profileOp,
    ] as const);
    const summary =
      profiles.length > 0
        ? summarizeProfiles(profiles, await readFile(path.join(dir, 'page.js'), 'utf8'), [
            'src/e2ee/mls/hpke.ts',
            'src/e2ee/mls/x25519.ts',
          ])
        : undefined;
    return { x25519, overhead, results, profile: summary };
  } finally {
    await browser.close();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    await rm(dir, { recursive: true, force: true });
  }
}

const COLUMNS: [keyof KeyFigures, string][] = [
  ['add1Commit', 'add 1: commit'],
  ['add1Process', 'add 1: process'],
  ['join', 'join from Welcome'],
  ['rem1Commit', 'remove 1: commit'],
  ['rem1CommitPooled', 'remove 1: commit, pooled'],
  ['rem1Process', 'remove 1: process'],
  ['add20Commit', 'add 20: commit'],
  ['add20Process', 'add 20: process'],
];

async function main(): Promise<void> {
  console.log(
    `bench:mls-browser  ts-mls 1.6.4, MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, load ${load()}`,
  );
  const b = await runInBrowser();
  // Headless Chromium reports a reduced version in its user agent; the binary says the full one.
  const chromium = execFileSync(CHROMIUM, ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .trim()
    .split(' built')[0];
  console.log(
    `${chromium} headless, MLS on the page's main thread (as in the web client), X25519: ${b.x25519}; ` +
      `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`,
  );
  console.log(
    `batch ${batch}, ${reps} repetitions per single operation; cells are wall ms (performance.now() in the page) / ` +
      `CPU ms of the page's renderer process (all threads, /proc schedstat) (median); ` +
      `clock overhead per measurement ${b.overhead.wall.toFixed(2)} / ${b.overhead.cpu.toFixed(2)} ms\n`,
  );
  for (const line of scenarioTables(b.results, batch)) console.log(line);
  if (b.profile && profileOp) printProfileSummary(b.profile, profileOp);
  console.log(`\nload average after the browser run: ${load()}`);
  if (!withNode) {
    console.log('\n(--no-node: compare with `npm run bench:mls`.)');
    return;
  }
  const cpuMs = () => {
    const cpu = process.cpuUsage();
    return (cpu.user + cpu.system) / 1000;
  };
  console.error(`Node ${process.version}, same scenario:`);
  const node = await runMlsScenario({
    sizes,
    batch,
    reps,
    pool,
    cpuMs,
    onSize: (r) => console.error(`  N=${r.n} done in Node (load ${load()}); ${commitSamples(r)}`),
  });
  console.log(
    `\nCPU ms (median), Chromium page vs Node ${process.version} in this process, same scenario:\n`,
  );
  console.log(`| N | ${COLUMNS.map(([, title]) => `${title}: Chromium / Node`).join(' | ')} |`);
  console.log(`|---:|${COLUMNS.map(() => '---:').join('|')}|`);
  for (let i = 0; i < b.results.length; i++) {
    const fb = keyFigures(b.results[i]!);
    const fn = keyFigures(node[i]!);
    const cells = COLUMNS.map(([k]) => `${fb[k]?.cpu.toFixed(0) ?? '-'} / ${fn[k]?.cpu.toFixed(0) ?? '-'}`);
    console.log(`| ${b.results[i]!.n} | ${cells.join(' | ')} |`);
  }
  console.log(`\nload average after: ${load()}`);
}

await main();
