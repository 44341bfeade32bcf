/**
 * The transparency report's pure parts: the query, the periods, the log replay (reportFromEntries)
 * on a hand-made log with known answers, the fixed JSON key order and the CSV.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConveneError } from '../../src/errors.js';
import { LogEntryError, type LogEntry } from '../../src/app/transparency/logEntry.js';
import { CSV_HEADER, reportToCsv } from '../../src/app/transparency/reportCsv.js';
import { factsFromEntries, reportFromEntries } from '../../src/app/transparency/reportFromEntries.js';
import {
  aggregate,
  parseReportQuery,
  periodOf,
  type Granularity,
} from '../../src/app/transparency/reportSchema.js';

let index = 0;
const entry = (
  action: string,
  caseRef: string | null,
  details: Record<string, unknown>,
  at = '2026-07-01T00:00:00.000Z',
): LogEntry => ({ v: 1, index: index++, at, actor: 'system', action, caseRef, details, privateDigest: null });

const recorded = (ref: string, jurisdiction: string, receivedOn: string, demands: string[]) =>
  entry('case.recorded', ref, { authority: 'A', jurisdiction, legalBasis: 'L', receivedOn, demands });

/** A small history with every kind of entry the report reads, and a few it must ignore. */
function history(): LogEntry[] {
  index = 0;
  return [
    entry('operator.added', null, { role: 'intake' }),
    recorded('CVN-2026-0001', 'CN', '2026-03-02', ['end_meeting', 'suspend_account']),
    recorded('CVN-2026-0002', 'CN', '2026-06-30', ['remove_participants']),
    recorded('CVN-2026-0003', 'RU', '2026-07-01', ['disclose_data', 'other']),
    recorded('CVN-2026-0004', 'HK', '2026-01-15', ['remove_participants']),
    entry('case.review_started', 'CVN-2026-0001', { status: 'under_review' }),
    entry('restriction.added', 'CVN-2026-0001', { restriction: 'r1', jurisdiction: 'CN', scope: 'meeting' }),
    entry('case.decided', 'CVN-2026-0001', { outcome: 'withheld', jurisdiction: 'CN', meetings: 2 }),
    entry('gag.set', 'CVN-2026-0001', { until: '2026-12-01T00:00:00.000Z' }),
    entry('case.decided', 'CVN-2026-0002', { outcome: 'partial', jurisdiction: 'CN', meetings: 1 }),
    entry('gag.set', 'CVN-2026-0002', { until: '2026-12-31T00:00:00.000Z' }),
    entry('gag.ended', 'CVN-2026-0002', { endedEarly: true }, '2026-08-01T00:00:00.000Z'),
    entry('case.decided', 'CVN-2026-0003', { outcome: 'rejected', jurisdiction: 'RU', meetings: 0 }),
    entry('withholding.enforced', 'CVN-2026-0001', { participantsWithheld: 3, joinsRefused: 1 }),
    entry('withholding.enforced', 'CVN-2026-0001', { participantsWithheld: 2, joinsRefused: 0 }),
    entry('withholding.enforced', 'CVN-2026-0002', { participantsWithheld: 4, joinsRefused: 2 }),
    entry('notice.delivered', 'CVN-2026-0001', { kind: 'withheld' }),
    entry('appeal.filed', 'CVN-2026-0001', { status: 'appealed' }),
    entry('appeal.decided', 'CVN-2026-0001', { outcome: 'reversed', lifted: 1 }),
    entry('appeal.filed', 'CVN-2026-0002', { status: 'appealed' }),
    entry('appeal.decided', 'CVN-2026-0002', { outcome: 'upheld', lifted: 0 }),
    entry('gag.ended', 'CVN-2026-0001', { noticeDelivered: 'withheld' }),
    entry('case.expired', 'CVN-2026-0002', { status: 'expired' }),
  ];
}

describe('the report query', () => {
  test('defaults to half-years; accepts a granularity or a from/to range', () => {
    assert.deepEqual(parseReportQuery({}), { period: 'half-year' });
    assert.deepEqual(parseReportQuery({ period: 'quarter' }), { period: 'quarter' });
    assert.deepEqual(parseReportQuery({ from: '2026-01-01', to: '2026-12-31' }), {
      from: '2026-01-01',
      to: '2026-12-31',
    });
  });
  test('anything else is report_query_invalid', () => {
    const bad: Array<Record<string, unknown>> = [
      { period: 'month' },
      { from: '2026-01-01' },
      { to: '2026-01-01' },
      { from: '2026-02-30', to: '2026-03-01' },
      { from: '2026-1-1', to: '2026-03-01' },
      { from: '2026-03-02', to: '2026-03-01' },
      { from: '2026-01-01', to: '2026-03-01', period: 'year' },
      { period: ['year', 'quarter'] },
      { year: '2026' },
    ];
    for (const q of bad) {
      assert.throws(
        () => parseReportQuery(q),
        (e: unknown) =>
          e instanceof ConveneError && e.code === 'report_query_invalid' && e.httpStatus === 400,
        JSON.stringify(q),
      );
    }
  });
});

describe('periods', () => {
  test('half-years, quarters and years hold their first and last day', () => {
    const cases: Array<[string, Granularity, string]> = [
      ['2026-06-30', 'half-year', '2026-H1 2026-01-01 2026-06-30'],
      ['2026-07-01', 'half-year', '2026-H2 2026-07-01 2026-12-31'],
      ['2024-02-29', 'quarter', '2024-Q1 2024-01-01 2024-03-31'],
      ['2025-11-30', 'quarter', '2025-Q4 2025-10-01 2025-12-31'],
      ['2025-05-05', 'year', '2025 2025-01-01 2025-12-31'],
    ];
    for (const [day, granularity, expected] of cases) {
      const p = periodOf(day, granularity);
      assert.equal(`${p.period} ${p.from} ${p.to}`, expected, `${day} ${granularity}`);
    }
  });
  test('all time with data: every period from the first request to the last, empty ones too', () => {
    const r = reportFromEntries(
      [
        ...((index = 0), []),
        recorded('A-1', 'CN', '2025-02-01', ['other']),
        recorded('A-2', 'CN', '2026-08-01', ['other']),
      ],
      { period: 'half-year', asOf: new Date('2026-09-01T00:00:00Z') },
    );
    assert.deepEqual(
      r.periods.map((p) => [p.period, p.totals.requestsReceived, p.jurisdictions.length]),
      [
        ['2025-H1', 1, 1],
        ['2025-H2', 0, 0],
        ['2026-H1', 0, 0],
        ['2026-H2', 1, 1],
      ],
    );
  });
  test('no data: the period holding asOf, with zeros', () => {
    const r = aggregate([], { period: 'quarter', asOf: new Date('2026-12-01T10:00:00Z') });
    assert.equal(r.periods.length, 1);
    assert.equal(r.periods[0]?.period, '2026-Q4');
    assert.equal(r.periods[0]?.totals.requestsReceived, 0);
  });
});

describe('the report from the log', () => {
  const asOf = new Date('2026-09-01T00:00:00Z');

  test('counts by the date each request was received, per jurisdiction, as things stand at asOf', () => {
    const r = reportFromEntries(history(), { period: 'half-year', asOf });
    assert.equal(r.asOf, '2026-09-01T00:00:00.000Z');
    assert.deepEqual(
      r.periods.map((p) => p.period),
      ['2026-H1', '2026-H2'],
    );
    const [h1, h2] = r.periods;
    assert.deepEqual(
      h1?.jurisdictions.map((j) => j.jurisdiction),
      ['CN', 'HK'],
    );
    const cn = h1?.jurisdictions[0];
    assert.deepEqual(cn, {
      jurisdiction: 'CN',
      requestsReceived: 2,
      demanded: { end_meeting: 1, suspend_account: 1, remove_participants: 1, disclose_data: 0, other: 0 },
      done: { rejected: 0, withheld: 1, partial: 1, pending: 0 },
      meetingsAffected: 3,
      participantsWithheld: 9,
      joinsRefused: 3,
      accountsSuspended: 0,
      dataDisclosed: 0,
      appealsFiled: 2,
      appealsReversed: 1,
      gagOrdersInForce: 1,
      gagOrdersEnded: 1,
    });
    assert.equal(h1?.jurisdictions[1]?.done.pending, 1);
    assert.equal(h1?.totals.requestsReceived, 3);
    assert.equal(h1?.totals.done.pending, 1);
    assert.deepEqual(
      h2?.jurisdictions.map((j) => [j.jurisdiction, j.done.rejected, j.demanded.disclose_data]),
      [['RU', 1, 1]],
    );
  });

  test('a gag order counts as in force until its end, and as ended from then on', () => {
    const later = reportFromEntries(history(), { period: 'year', asOf: new Date('2026-12-02T00:00:00Z') });
    assert.equal(later.periods[0]?.totals.gagOrdersInForce, 0);
    assert.equal(later.periods[0]?.totals.gagOrdersEnded, 2);
    const before = reportFromEntries(history(), { period: 'year', asOf: new Date('2026-07-15T00:00:00Z') });
    assert.equal(before.periods[0]?.totals.gagOrdersInForce, 2);
  });

  test('entries recorded after asOf are left out (a published report checked against a grown log)', () => {
    const log = history();
    const asOf = new Date('2026-07-15T00:00:00Z');
    const grown = [
      ...log,
      entry(
        'withholding.enforced',
        'CVN-2026-0001',
        { participantsWithheld: 50, joinsRefused: 0 },
        '2026-07-16T00:00:00.000Z',
      ),
    ];
    const published = reportFromEntries(log, { period: 'half-year', asOf });
    assert.deepEqual(reportFromEntries(grown, { period: 'half-year', asOf }), published);
    assert.equal(published.periods[0]?.totals.gagOrdersEnded, 0, 'the early end on 08-01 is after asOf');
    const now = reportFromEntries(grown, { period: 'half-year', asOf: new Date('2026-09-01T00:00:00Z') });
    assert.equal(now.periods[0]?.totals.participantsWithheld, 59);
  });

  test('an explicit range is one period', () => {
    const r = reportFromEntries(history(), { from: '2026-03-01', to: '2026-07-01', asOf });
    assert.equal(r.granularity, 'range');
    assert.deepEqual(
      r.periods.map((p) => [p.period, p.totals.requestsReceived]),
      [['2026-03-01/2026-07-01', 3]],
    );
  });

  test('the JSON keys come in the documented order', () => {
    const r = reportFromEntries(history(), { period: 'half-year', asOf });
    assert.deepEqual(Object.keys(r), ['schema', 'version', 'asOf', 'attribution', 'granularity', 'periods']);
    assert.deepEqual(Object.keys(r.periods[0] ?? {}), ['period', 'from', 'to', 'totals', 'jurisdictions']);
    assert.deepEqual(Object.keys(r.periods[0]?.jurisdictions[0] ?? {}), [
      'jurisdiction',
      'requestsReceived',
      'demanded',
      'done',
      'meetingsAffected',
      'participantsWithheld',
      'joinsRefused',
      'accountsSuspended',
      'dataDisclosed',
      'appealsFiled',
      'appealsReversed',
      'gagOrdersInForce',
      'gagOrdersEnded',
    ]);
    assert.deepEqual(Object.keys(r.periods[0]?.totals.done ?? {}), [
      'rejected',
      'withheld',
      'partial',
      'pending',
    ]);
  });

  test('an inconsistent log is refused with the entry named', () => {
    index = 0;
    assert.throws(
      () => factsFromEntries([entry('case.decided', 'CVN-1', { outcome: 'withheld', meetings: 1 })]),
      (e: unknown) => e instanceof LogEntryError && e.index === 0,
    );
    index = 0;
    const log = [
      recorded('CVN-1', 'CN', '2026-01-01', ['other']),
      entry('withholding.enforced', 'CVN-1', {}),
    ];
    assert.throws(() => factsFromEntries(log), LogEntryError);
    index = 0;
    const twice = [recorded('CVN-1', 'CN', '2026-01-01', []), recorded('CVN-1', 'CN', '2026-01-01', [])];
    assert.throws(() => factsFromEntries(twice), LogEntryError);
  });
});

describe('CSV', () => {
  test('a fixed header, then one row per period and jurisdiction', () => {
    const r = reportFromEntries(history(), { period: 'half-year', asOf: new Date('2026-09-01T00:00:00Z') });
    const lines = reportToCsv(r).split('\r\n');
    assert.equal(lines[0], CSV_HEADER.join(','));
    assert.equal(lines.at(-1), '');
    assert.deepEqual(lines.slice(1, -1), [
      '2026-H1,2026-01-01,2026-06-30,CN,2,1,1,1,0,0,0,1,1,0,3,9,3,0,0,2,1,1,1',
      '2026-H1,2026-01-01,2026-06-30,HK,1,0,0,1,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0',
      '2026-H2,2026-07-01,2026-12-31,RU,1,0,0,0,1,1,1,0,0,0,0,0,0,0,0,0,0,0,0',
    ]);
    assert.equal(CSV_HEADER.length, lines[1]?.split(',').length);
  });
  test('cells that need it are quoted', () => {
    index = 0;
    const r = reportFromEntries([recorded('X-1', 'A,"B"', '2026-01-01', [])], {
      from: '2026-01-01',
      to: '2026-01-31',
    });
    assert.match(reportToCsv(r), /,"A,""B""",1,/);
  });
});
