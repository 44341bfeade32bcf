/**
 * The report as CSV (RFC 4180, CRLF line ends): one row per period and jurisdiction, in the order of
 * the JSON report; a period with no request has no row. The header is fixed (docs/api.md).
 */
import { DEMAND_KEYS, DONE_KEYS, type ReportCounts, type TransparencyReport } from './reportSchema.js';

export const CSV_HEADER = [
  'period',
  'from',
  'to',
  'jurisdiction',
  'requests_received',
  ...DEMAND_KEYS.map((d) => `demanded_${d}`),
  ...DONE_KEYS.map((d) => `done_${d}`),
  'meetings_affected',
  'participants_withheld',
  'joins_refused',
  'accounts_suspended',
  'data_disclosed',
  'appeals_filed',
  'appeals_reversed',
  'gag_orders_in_force',
  'gag_orders_ended',
] as const;

function cell(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function counts(c: ReportCounts): number[] {
  return [
    c.requestsReceived,
    ...DEMAND_KEYS.map((d) => c.demanded[d]),
    ...DONE_KEYS.map((d) => c.done[d]),
    c.meetingsAffected,
    c.participantsWithheld,
    c.joinsRefused,
    c.accountsSuspended,
    c.dataDisclosed,
    c.appealsFiled,
    c.appealsReversed,
    c.gagOrdersInForce,
    c.gagOrdersEnded,
  ];
}

export function reportToCsv(report: TransparencyReport): string {
  const lines = [CSV_HEADER.join(',')];
  for (const p of report.periods) {
    for (const j of p.jurisdictions) {
      lines.push([p.period, p.from, p.to, j.jurisdiction, ...counts(j)].map(cell).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
