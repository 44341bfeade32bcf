/**
 * The transparency report: its versioned schema, its query, and the one aggregation that both
 * computations share (docs/transparency.md "Transparency report", docs/api.md).
 *
 * Attribution: every figure describes the requests **received** in a period (a cohort by the case's
 * `receivedOn` date, the date the authority's request arrived), in the jurisdiction the request named,
 * as things stand at the report's `asOf` time. A request received in June and decided in July counts
 * in the first half-year, and its decision, appeal and counts are what they are at `asOf`; so the
 * figures of a period can still change while its cases are pending, appealed or withheld.
 *
 * Gag orders are counted at `asOf` too: `gagOrdersInForce` is the number of the period's requests
 * whose gag order has not ended at `asOf`, `gagOrdersEnded` the number whose gag order has ended (on
 * its date or early). The case tables keep each case's current gag order only, so a gag order's state
 * at a past period's end could not be checked against them; `asOf` is the one time both the log and
 * the tables can answer for.
 *
 * Two independent computations produce the per-case facts (`CaseFacts`): `reportFromEntries` replays
 * the public log, `reportFromTables` reads the case and appeal tables. `aggregate` then buckets and
 * sums them the same way, so a difference between the two reports is a difference in the facts.
 */
import { ConveneError } from '../../errors.js';

export const REPORT_SCHEMA = 'convene.transparency-report';
export const REPORT_VERSION = 1;

export const DEMAND_KEYS = [
  'end_meeting',
  'suspend_account',
  'remove_participants',
  'disclose_data',
  'other',
] as const;
export type DemandKey = (typeof DEMAND_KEYS)[number];
export const DONE_KEYS = ['rejected', 'withheld', 'partial', 'pending'] as const;
export type DoneKey = (typeof DONE_KEYS)[number];
export const GRANULARITIES = ['half-year', 'quarter', 'year'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** The counts of one period and jurisdiction (or of a whole period: `totals`), in this key order. */
export interface ReportCounts {
  requestsReceived: number;
  demanded: Record<DemandKey, number>;
  done: Record<DoneKey, number>;
  meetingsAffected: number;
  participantsWithheld: number;
  joinsRefused: number;
  /** 0 by design: Convene has no action that suspends an account in answer to an authority. */
  accountsSuspended: number;
  /** 0 by design: Convene has no action that discloses data, and holds no content to disclose. */
  dataDisclosed: number;
  appealsFiled: number;
  appealsReversed: number;
  gagOrdersInForce: number;
  gagOrdersEnded: number;
}

export interface JurisdictionReport extends ReportCounts {
  /** The ISO 3166-1 code the request named. */
  jurisdiction: string;
}

export interface PeriodReport {
  /** `2026-H1`, `2026-Q3`, `2026`, or `<from>/<to>` for an explicit range. */
  period: string;
  /** First and last day of the period (inclusive, UTC dates). */
  from: string;
  to: string;
  totals: ReportCounts;
  /** One per jurisdiction with at least one request in the period, by code. */
  jurisdictions: JurisdictionReport[];
}

export interface TransparencyReport {
  schema: typeof REPORT_SCHEMA;
  version: typeof REPORT_VERSION;
  /** The time the figures describe (ISO 8601 UTC). */
  asOf: string;
  /** How items are attributed to periods: by the date the request was received. */
  attribution: 'receivedOn';
  /** `range` for an explicit from/to. */
  granularity: Granularity | 'range';
  periods: PeriodReport[];
  /**
   * As published by the server only: how many entries the operator log held when the figures were
   * read (in the same snapshot), so an auditor recomputes them from exactly those entries.
   */
  logSize?: number;
}

export type ReportQuery = { asOf?: Date | undefined } & (
  { period: Granularity } | { from: string; to: string }
);

/** What both computations establish for each case before aggregation. */
export interface CaseFacts {
  ref: string;
  jurisdiction: string;
  receivedOn: string;
  demands: readonly string[];
  outcome: 'rejected' | 'withheld' | 'partial' | null;
  meetingsAffected: number;
  participantsWithheld: number;
  joinsRefused: number;
  appealsFiled: number;
  appealsReversed: number;
  /** When the case's gag order ends or ended (its date, or the moment it was ended early); null: none. */
  gagEnds: Date | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const bad = (message: string) => new ConveneError('report_query_invalid', message);

/**
 * The report query from URL parameters: none (half-years), `period=half-year|quarter|year`, or
 * `from=YYYY-MM-DD&to=YYYY-MM-DD`. Anything else is refused with `report_query_invalid`.
 */
export function parseReportQuery(params: Readonly<Record<string, unknown>>): ReportQuery {
  for (const key of Object.keys(params)) {
    if (!['period', 'from', 'to'].includes(key)) throw bad(`Unknown parameter "${key}".`);
    if (typeof params[key] !== 'string') throw bad(`Give "${key}" once.`);
  }
  const { period, from, to } = params as { period?: string; from?: string; to?: string };
  if (from !== undefined || to !== undefined) {
    if (period !== undefined) throw bad('Give either period, or from and to.');
    if (from === undefined || to === undefined) throw bad('Give both from and to.');
    if (!isDate(from) || !isDate(to)) throw bad('Dates are written YYYY-MM-DD.');
    if (from > to) throw bad('from must not be after to.');
    return { from, to };
  }
  if (period === undefined) return { period: 'half-year' };
  if (!(GRANULARITIES as readonly string[]).includes(period)) {
    throw bad(`period is one of ${GRANULARITIES.join(', ')}.`);
  }
  return { period: period as Granularity };
}

function emptyCounts(): ReportCounts {
  return {
    requestsReceived: 0,
    demanded: { end_meeting: 0, suspend_account: 0, remove_participants: 0, disclose_data: 0, other: 0 },
    done: { rejected: 0, withheld: 0, partial: 0, pending: 0 },
    meetingsAffected: 0,
    participantsWithheld: 0,
    joinsRefused: 0,
    accountsSuspended: 0,
    dataDisclosed: 0,
    appealsFiled: 0,
    appealsReversed: 0,
    gagOrdersInForce: 0,
    gagOrdersEnded: 0,
  };
}

function add(into: ReportCounts, c: CaseFacts, asOf: Date): void {
  into.requestsReceived += 1;
  for (const d of c.demands) {
    if ((DEMAND_KEYS as readonly string[]).includes(d)) into.demanded[d as DemandKey] += 1;
  }
  into.done[c.outcome ?? 'pending'] += 1;
  into.meetingsAffected += c.meetingsAffected;
  into.participantsWithheld += c.participantsWithheld;
  into.joinsRefused += c.joinsRefused;
  into.appealsFiled += c.appealsFiled;
  into.appealsReversed += c.appealsReversed;
  if (c.gagEnds !== null) {
    if (c.gagEnds > asOf) into.gagOrdersInForce += 1;
    else into.gagOrdersEnded += 1;
  }
}

interface Span {
  period: string;
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The calendar period of a granularity that contains a date. */
export function periodOf(date: string, granularity: Granularity): Span {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const months = granularity === 'year' ? 12 : granularity === 'half-year' ? 6 : 3;
  const index = Math.floor((month - 1) / months);
  const first = index * months + 1;
  const last = first + months - 1;
  const name =
    granularity === 'year' ? `${year}` : `${year}-${granularity === 'half-year' ? 'H' : 'Q'}${index + 1}`;
  return {
    period: name,
    from: `${year}-${pad(first)}-01`,
    to: `${year}-${pad(last)}-${pad(lastDay(year, last))}`,
  };
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Every period from the one holding `first` to the one holding `last`, empty ones included. */
function spans(first: string, last: string, granularity: Granularity): Span[] {
  const out: Span[] = [];
  for (let p = periodOf(first, granularity); ; p = periodOf(nextDay(p.to), granularity)) {
    out.push(p);
    if (p.to >= last) return out;
  }
}

/** The report from per-case facts: the shared last step of both computations. */
export function aggregate(facts: readonly CaseFacts[], query: ReportQuery): TransparencyReport {
  const asOf = query.asOf ?? new Date();
  let periods: Span[];
  if ('from' in query) {
    periods = [{ period: `${query.from}/${query.to}`, from: query.from, to: query.to }];
  } else {
    const dates = facts.map((f) => f.receivedOn).sort();
    const today = asOf.toISOString().slice(0, 10);
    periods = spans(dates[0] ?? today, dates.at(-1) ?? today, query.period);
  }
  const out: PeriodReport[] = periods.map((p) => {
    const totals = emptyCounts();
    const byCode = new Map<string, ReportCounts>();
    for (const f of facts) {
      if (f.receivedOn < p.from || f.receivedOn > p.to) continue;
      add(totals, f, asOf);
      let counts = byCode.get(f.jurisdiction);
      if (!counts) byCode.set(f.jurisdiction, (counts = emptyCounts()));
      add(counts, f, asOf);
    }
    const jurisdictions = [...byCode.keys()]
      .sort()
      .map((code) => ({ jurisdiction: code, ...(byCode.get(code) as ReportCounts) }));
    return { period: p.period, from: p.from, to: p.to, totals, jurisdictions };
  });
  return {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    asOf: asOf.toISOString(),
    attribution: 'receivedOn',
    granularity: 'from' in query ? 'range' : query.period,
    periods: out,
  };
}
