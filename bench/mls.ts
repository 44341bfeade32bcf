/**
 * bench:mls — MLS group costs on ts-mls 1.6.4 through Convene's wrapper (src/e2ee/mls), suite
 * MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, in Node 20 with WebCrypto (the library's default
 * provider, as in the browser).
 *
 * For each group size N it grows one group to N members by the server's external Add proposals,
 * committed by the designated committer (leaf 0) in batches, and then measures at size N:
 *   - add 1, add 20: the committer's commit, a member processing it, commit and Welcome bytes, and the
 *     joiner processing its Welcome;
 *   - remove 1 (the server's external Remove, committed by a member): commit, process, bytes.
 * Two members run for real (the committer and one observer, leaf 1); the other N - 2 leaves are real
 * KeyPackages of participants who never process anything, which costs the two real members exactly
 * what a full group would (MLS work per member depends on the tree, not on the others' CPUs).
 * Times are wall ms and process CPU ms (WebCrypto work runs on libuv threads and is counted); single
 * operations are repeated and the median printed (the CPU ms of each removal and add commit, in order,
 * go to stderr: the first ones of a process pay for compiling). Prints tables; asserts nothing.
 * The scenario itself is bench/mlsScenario.ts, which bench:mls-browser runs in Chromium.
 *
 * --pool=alternate (default), on or off: which removals run with the committer's ephemeral-key pool
 * (src/e2ee/mls/ephemeralPool.ts) filled beforehand, as a meeting's seconds between removals fill it;
 * with 'alternate' every repetition removes twice, with and without the pool (order swapped each
 * time), and a last table compares the two commits and gives the pool's own fill CPU, which this moves
 * out of the commit rather than saving. The pool is suspended for every other operation.
 *
 *   npm run bench:mls [-- --sizes=10,50,200,500 --batch=50 --reps=3 --pool=alternate|on|off]
 */
import os from 'node:os';
import { commitSamples, runMlsScenario, scenarioTables, type PoolMode } from './mlsScenario.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const sizes = arg('sizes', '10,50,200,500').split(',').map(Number);
const batch = Number(arg('batch', '50'));
const reps = Number(arg('reps', '3'));
const pool = arg('pool', 'alternate') as PoolMode;

/** Process CPU ms (WebCrypto work runs on libuv threads and is counted). */
const cpuMs = () => {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
};

async function main(): Promise<void> {
  console.log(
    `bench:mls  ts-mls 1.6.4, MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, Node ${process.version}, ` +
      `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    `batch ${batch}, ${reps} repetitions per single operation; cells are wall ms / CPU ms (median)\n`,
  );
  const results = await runMlsScenario({
    sizes,
    batch,
    reps,
    pool,
    cpuMs,
    onSize: (r) =>
      console.error(
        `  N=${r.n} done (load ${os.loadavg()[0]!.toFixed(1)}); CPU ms of each commit in order: ${commitSamples(r)}`,
      ),
  });
  for (const line of scenarioTables(results, batch)) console.log(line);
  console.log(`\nload average after: ${os.loadavg()[0]!.toFixed(1)}`);
}

await main();
