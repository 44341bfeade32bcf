/**
 * The transparency report on the withholding scenario (test/support/reportScenario.ts: participants
 * from CN withheld by a real server with a real Janus, a rejected demand from RU), then an appeal
 * reversed and a gag order set and ended early: the report computed from the public log entries
 * (operator_record rows through logEntryOf) equals the report computed from the case tables and the
 * JSON the server publishes; the CSV has the documented header; a bad query is refused with
 * `report_query_invalid` and no sign-in is needed.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CSV_HEADER,
  reportFromEntries,
  reportFromTables,
  type TransparencyReport,
} from '../../src/app/transparency/report.js';
import { logEntries } from '../support/caseHistory.js';
import { runReportScenario, type ReportScenario } from '../support/reportScenario.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let scenario: ReportScenario;
before(async () => {
  server = await startTestServer({ geo: { trustedProxies: ['127.0.0.1', '::1'] }, caseClockMs: 200 });
  scenario = await runReportScenario(server, 3);
});
after(() => server?.close());

/** A published report with another asOf and without the log size it was read with, to compare figures. */
const sameTime = ({ logSize: _logSize, ...r }: TransparencyReport, asOf: string) => ({ ...r, asOf });

test('appeal reversed, gag order set and ended early: all recorded', async () => {
  const { reviewer, withheldRef, rejectedRef } = scenario;
  const view = await server.cases.view(withheldRef);
  const notices = await server.store.notices.byCase(view.id);
  const notice = notices.find((n) => n.deliveredAt !== null);
  assert.ok(notice, 'the host notice was delivered');
  await server.cases.notices.fileAppeal(
    notice.id,
    { meetingId: scenario.meetingId },
    'A vigil is lawful here.',
  );
  const reversed = await reviewer.api<{ status: string }>(
    'POST',
    `/api/operator/cases/${withheldRef}/appeal-decision`,
    { outcome: 'reversed', reason: 'Overbroad.' },
  );
  assert.equal(reversed.body.status, 'reversed');
  const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const gag = await reviewer.api('POST', `/api/operator/cases/${rejectedRef}/gag`, {
    until,
    reason: 'Court.',
  });
  assert.equal(gag.status, 200, JSON.stringify(gag.body));
  const ended = await reviewer.api('POST', `/api/operator/cases/${rejectedRef}/gag`, {
    until: null,
    reason: 'Lifted by the court.',
  });
  assert.equal(ended.status, 200, JSON.stringify(ended.body));
  const again = await reviewer.api<{ error: { code: string } }>(
    'POST',
    `/api/operator/cases/${rejectedRef}/gag`,
    {
      until: null,
      reason: 'Twice.',
    },
  );
  assert.equal(again.body.error.code, 'case_state', 'no gag order is in force any more');
});

test('the report from the log equals the report from the tables and the published JSON', async () => {
  const entries = await logEntries(server.store);
  const asOf = new Date();
  const fromLog = reportFromEntries(entries, { period: 'half-year', asOf });
  const fromTables = await reportFromTables(server.store, { period: 'half-year', asOf });
  assert.deepEqual(fromLog, fromTables);
  const res = await fetch(`${server.url}/api/transparency/report`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const { logSize, ...published } = (await res.json()) as TransparencyReport;
  assert.equal(logSize, await server.store.ledger.size(), 'the log size the figures were read with');
  assert.deepEqual(sameTime(published, fromLog.asOf), fromLog);

  const period = fromLog.periods.at(-1);
  assert.ok(period && period.from <= scenario.receivedOn && scenario.receivedOn <= period.to);
  const cn = period.jurisdictions.find((j) => j.jurisdiction === 'CN');
  const ru = period.jurisdictions.find((j) => j.jurisdiction === 'RU');
  assert.deepEqual(
    cn && {
      requests: cn.requestsReceived,
      endMeeting: cn.demanded.end_meeting,
      withheld: cn.done.withheld,
      meetings: cn.meetingsAffected,
      participants: cn.participantsWithheld,
      appeals: cn.appealsFiled,
      reversed: cn.appealsReversed,
      suspended: cn.accountsSuspended,
    },
    {
      requests: 1,
      endMeeting: 1,
      withheld: 1,
      meetings: 1,
      participants: 3,
      appeals: 1,
      reversed: 1,
      suspended: 0,
    },
  );
  assert.deepEqual(
    ru && {
      rejected: ru.done.rejected,
      disclose: ru.demanded.disclose_data,
      disclosed: ru.dataDisclosed,
      gagEnded: ru.gagOrdersEnded,
      gagInForce: ru.gagOrdersInForce,
    },
    { rejected: 1, disclose: 1, disclosed: 0, gagEnded: 1, gagInForce: 0 },
  );

  for (const q of [
    '?period=quarter',
    '?period=year',
    `?from=${scenario.receivedOn}&to=${scenario.receivedOn}`,
  ]) {
    const r = (await (await fetch(`${server.url}/api/transparency/report${q}`)).json()) as TransparencyReport;
    const query = q.includes('from')
      ? { from: scenario.receivedOn, to: scenario.receivedOn, asOf: new Date(r.asOf) }
      : { period: q.slice('?period='.length) as 'quarter' | 'year', asOf: new Date(r.asOf) };
    assert.deepEqual(sameTime(r, r.asOf), reportFromEntries(entries.slice(0, r.logSize), query), q);
  }
});

test('CSV: text/csv, the documented header, one row per period and jurisdiction', async () => {
  const res = await fetch(`${server.url}/api/transparency/report.csv?period=year`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
  const lines = (await res.text()).trimEnd().split('\r\n');
  assert.equal(lines[0], CSV_HEADER.join(','));
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(',')[3]),
    ['CN', 'RU'],
  );
});

test('a bad query is refused with report_query_invalid and changes nothing', async () => {
  for (const q of [
    '?period=month',
    '?from=2026-01-01',
    '?from=2026-13-01&to=2026-12-31',
    '?period=year&from=2026-01-01&to=2026-02-01',
    '?x=1',
  ]) {
    for (const path of ['/api/transparency/report', '/api/transparency/report.csv']) {
      const res = await fetch(`${server.url}${path}${q}`);
      assert.equal(res.status, 400, `${path}${q}`);
      const body = (await res.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'report_query_invalid', `${path}${q}`);
    }
  }
});
