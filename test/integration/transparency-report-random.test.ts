/**
 * The transparency report computed from the public log equals the report computed from the case
 * tables, over a seeded random history driven through the real CaseService and CaseClock on PGlite
 * (test/support/caseHistory.ts), for every granularity and an explicit range; and both agree with
 * what the history did. The test runs 300 cases (REPORT_CASES=10000 for the full size;
 * `npm run bench:report` runs 10,000 and prints the timing, BENCHMARKS.md).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { reportFromEntries } from '../../src/app/transparency/reportFromEntries.js';
import { reportFromTables } from '../../src/app/transparency/reportFromTables.js';
import { startApp, type AppHarness } from '../support/app.js';
import { comparedQueries, logEntries, runHistory, type HistoryTally } from '../support/caseHistory.js';

const CASES = Number(process.env.REPORT_CASES ?? 300);
const SEED = Number(process.env.REPORT_SEED ?? 20260601);

let app: AppHarness;
let tally: HistoryTally;
before(async () => {
  app = await startApp();
  tally = await runHistory(app, { cases: CASES, seed: SEED });
});
after(() => app.close());

test(`the report from the log equals the report from the tables (${CASES} cases, seed ${SEED})`, async () => {
  const entries = await logEntries(app.store);
  const asOf = new Date();
  const queries = comparedQueries(asOf);
  for (const q of queries) {
    assert.deepEqual(reportFromEntries(entries, q), await reportFromTables(app.store, q), JSON.stringify(q));
  }
  assert.equal(entries.filter((e) => e.action === 'case.expired').length, tally.expired, 'expiries happened');
});

const withoutExpired = ({ expired: _, ...rest }: HistoryTally) => rest;

test('both agree with what the history did', async () => {
  const report = await reportFromTables(app.store, { period: 'year' });
  const sum = (f: (t: (typeof report.periods)[number]['totals']) => number) =>
    report.periods.reduce((n, p) => n + f(p.totals), 0);
  assert.deepEqual(
    {
      cases: sum((t) => t.requestsReceived),
      pending: sum((t) => t.done.pending),
      rejected: sum((t) => t.done.rejected),
      withheld: sum((t) => t.done.withheld),
      partial: sum((t) => t.done.partial),
      participantsWithheld: sum((t) => t.participantsWithheld),
      joinsRefused: sum((t) => t.joinsRefused),
      appealsFiled: sum((t) => t.appealsFiled),
      appealsReversed: sum((t) => t.appealsReversed),
      gagsInForce: sum((t) => t.gagOrdersInForce),
      gagsEnded: sum((t) => t.gagOrdersEnded),
      suspendedOrDisclosed: sum((t) => t.accountsSuspended + t.dataDisclosed),
    },
    { ...withoutExpired(tally), suspendedOrDisclosed: 0 },
  );
  assert.deepEqual(
    report.periods.map((p) => p.period),
    ['2024', '2025', '2026'],
  );
  assert.ok(
    tally.appealsReversed > 0 && tally.gagsEnded > 0 && tally.partial > 0,
    'the history has every kind',
  );
});
