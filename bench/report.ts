/**
 * bench:report — the transparency report over a seeded random history of CASES (10,000 by default)
 * driven through the real CaseService and CaseClock on PGlite (test/support/caseHistory.ts, the same
 * driver as test/integration/transparency-report-random.test.ts). Prints how long the history took to
 * drive, how long each computation of the report takes (from the public log entries, and from the
 * case tables), and whether the two reports are equal for every granularity and a range.
 * Options: CASES=10000, SEED=20260601.
 */
import { isDeepStrictEqual } from 'node:util';
import { reportFromEntries } from '../src/app/transparency/reportFromEntries.js';
import { reportFromTables } from '../src/app/transparency/reportFromTables.js';
import { startApp } from '../test/support/app.js';
import { comparedQueries, logEntries, runHistory } from '../test/support/caseHistory.js';

const CASES = Number(process.env.CASES ?? 10_000);
const SEED = Number(process.env.SEED ?? 20260601);

const app = await startApp();
const t0 = performance.now();
const tally = await runHistory(app, {
  cases: CASES,
  seed: SEED,
  onProgress: (n) => {
    if (n % 1000 === 0)
      process.stdout.write(`  ${n} cases driven (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  },
});
const driven = performance.now() - t0;
const t1 = performance.now();
const entries = await logEntries(app.store);
const read = performance.now() - t1;
const asOf = new Date();
const queries = comparedQueries(asOf);
let equal = true;
let fromLog = 0;
let fromTables = 0;
for (const q of queries) {
  const a = performance.now();
  const log = reportFromEntries(entries, q);
  const b = performance.now();
  const tables = await reportFromTables(app.store, q);
  const c = performance.now();
  fromLog += b - a;
  fromTables += c - b;
  if (!isDeepStrictEqual(log, tables)) {
    equal = false;
    console.log(`MISMATCH for ${JSON.stringify(q)}`);
  }
}
console.log(`cases: ${CASES} (seed ${SEED}); log entries: ${entries.length}`);
console.log(`history: ${JSON.stringify(tally)}`);
console.log(
  `driving the history through CaseService/CaseClock: ${(driven / 1000).toFixed(1)} s (${(driven / CASES).toFixed(1)} ms per case)`,
);
console.log(`reading the operator record as log entries: ${read.toFixed(0)} ms`);
console.log(
  `reportFromEntries: ${(fromLog / queries.length).toFixed(1)} ms per report (mean of ${queries.length})`,
);
console.log(
  `reportFromTables: ${(fromTables / queries.length).toFixed(1)} ms per report (mean of ${queries.length})`,
);
console.log(`reports equal (log vs tables, ${queries.length} queries): ${equal ? 'yes' : 'NO'}`);
await app.close();
process.exit(equal ? 0 : 1);
