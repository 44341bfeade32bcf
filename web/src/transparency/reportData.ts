/**
 * The transparency report for the page: fetched from the server (the same JSON anyone can download),
 * and the labels the page shows for its periods and figures. The schema is the server's
 * (src/app/transparency/reportSchema.ts, docs/api.md).
 */
import { jsonRequest } from '../../../src/client/api.js';
import type {
  Granularity,
  PeriodReport,
  ReportCounts,
  TransparencyReport,
} from '../../../src/app/transparency/reportSchema.js';
import { currentLanguage, t } from '../i18n/index.js';

export type { Granularity, PeriodReport, ReportCounts, TransparencyReport };

export const GRANULARITY_OPTIONS: ReadonlyArray<{
  value: Granularity;
  label: 'halfYear' | 'quarter' | 'year';
}> = [
  { value: 'half-year', label: 'halfYear' },
  { value: 'quarter', label: 'quarter' },
  { value: 'year', label: 'year' },
];

export const reportPath = (granularity: Granularity, format: 'json' | 'csv') =>
  `/api/transparency/report${format === 'csv' ? '.csv' : ''}?period=${granularity}`;

export function loadReport(granularity: Granularity): Promise<TransparencyReport> {
  return jsonRequest<TransparencyReport>('GET', reportPath(granularity, 'json'));
}

/** The figures in table order: each with the key of its label and how to read it from the counts. */
export const METRICS: ReadonlyArray<{ key: string; value: (c: ReportCounts) => number }> = [
  { key: 'requestsReceived', value: (c) => c.requestsReceived },
  ...(['end_meeting', 'suspend_account', 'remove_participants', 'disclose_data', 'other'] as const).map(
    (d) => ({
      key: `demanded_${d}`,
      value: (c: ReportCounts) => c.demanded[d],
    }),
  ),
  ...(['rejected', 'withheld', 'partial', 'pending'] as const).map((d) => ({
    key: `done_${d}`,
    value: (c: ReportCounts) => c.done[d],
  })),
  { key: 'meetingsAffected', value: (c) => c.meetingsAffected },
  { key: 'participantsWithheld', value: (c) => c.participantsWithheld },
  { key: 'joinsRefused', value: (c) => c.joinsRefused },
  { key: 'accountsSuspended', value: (c) => c.accountsSuspended },
  { key: 'dataDisclosed', value: (c) => c.dataDisclosed },
  { key: 'appealsFiled', value: (c) => c.appealsFiled },
  { key: 'appealsReversed', value: (c) => c.appealsReversed },
  { key: 'gagOrdersInForce', value: (c) => c.gagOrdersInForce },
  { key: 'gagOrdersEnded', value: (c) => c.gagOrdersEnded },
];

/** A day (YYYY-MM-DD, UTC) in the page's language. */
export function formatIsoDay(day: string): string {
  return new Intl.DateTimeFormat(currentLanguage(), {
    dateStyle: 'medium',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

/** `2026-H1` → "First half of 2026" / "2026年上半年"; a range → "1 Jan 2026 to 31 Mar 2026". */
export function periodLabel(p: Pick<PeriodReport, 'period' | 'from' | 'to'>): string {
  const m = /^(\d{4})(?:-(H|Q)(\d))?$/.exec(p.period);
  if (!m) return t('report.periodRange', { from: formatIsoDay(p.from), to: formatIsoDay(p.to) });
  const [, year, kind, n] = m;
  if (kind === 'H') return t(n === '1' ? 'report.periodH1' : 'report.periodH2', { year });
  if (kind === 'Q') return t('report.periodQuarter', { year, quarter: n });
  return t('report.periodYear', { year });
}
