/**
 * The transparency report from the public log alone: what anyone (and `convene audit verify`) can
 * compute from the entries, with no access to the operator's database. Pure.
 *
 * Which entries count (docs/transparency.md "Transparency report"):
 * - `case.recorded` opens a case: `jurisdiction`, `receivedOn`, `demands`;
 * - `case.decided`: `outcome` (rejected | withheld | partial) and `meetings` (meetings affected);
 * - `withholding.enforced`: `participantsWithheld` and `joinsRefused` are added up;
 * - `appeal.filed` counts an appeal; `appeal.decided` with `outcome: reversed` a reversal;
 * - `gag.set` sets the gag order's end to `until`; `gag.ended` with `endedEarly: true` ends it at the
 *   entry's time (the `gag.ended` the system writes when a gag order runs out changes nothing).
 * Every other action is ignored. An entry of these kinds that names a case never recorded, or lacks a
 * field, is an inconsistent log: LogEntryError.
 */
import { LogEntryError, type LogEntry } from './logEntry.js';
import { aggregate, type CaseFacts, type ReportQuery, type TransparencyReport } from './reportSchema.js';

function text(e: LogEntry, key: string): string {
  const v = e.details[key];
  if (typeof v !== 'string') throw new LogEntryError(e.index, `${e.action} has no ${key}`);
  return v;
}

function count(e: LogEntry, key: string): number {
  const v = e.details[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new LogEntryError(e.index, `${e.action} has no count ${key}`);
  }
  return v;
}

function time(e: LogEntry, iso: string): Date {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new LogEntryError(e.index, `${e.action} has a bad time`);
  return d;
}

/** The per-case facts the log establishes, in the order cases were recorded. */
export function factsFromEntries(entries: Iterable<LogEntry>): CaseFacts[] {
  const cases = new Map<string, CaseFacts>();
  const caseOf = (e: LogEntry): CaseFacts => {
    const c = e.caseRef === null ? undefined : cases.get(e.caseRef);
    if (!c) throw new LogEntryError(e.index, `${e.action} names a case that was never recorded`);
    return c;
  };
  for (const e of entries) {
    switch (e.action) {
      case 'case.recorded': {
        const demands = e.details.demands;
        if (e.caseRef === null || cases.has(e.caseRef)) {
          throw new LogEntryError(e.index, 'case.recorded without a new caseRef');
        }
        if (!Array.isArray(demands) || !demands.every((d): d is string => typeof d === 'string')) {
          throw new LogEntryError(e.index, 'case.recorded has no demands');
        }
        cases.set(e.caseRef, {
          ref: e.caseRef,
          jurisdiction: text(e, 'jurisdiction'),
          receivedOn: text(e, 'receivedOn'),
          demands,
          outcome: null,
          meetingsAffected: 0,
          participantsWithheld: 0,
          joinsRefused: 0,
          appealsFiled: 0,
          appealsReversed: 0,
          gagEnds: null,
        });
        break;
      }
      case 'case.decided': {
        const c = caseOf(e);
        const outcome = text(e, 'outcome');
        if (outcome !== 'rejected' && outcome !== 'withheld' && outcome !== 'partial') {
          throw new LogEntryError(e.index, `case.decided has an unknown outcome ${outcome}`);
        }
        c.outcome = outcome;
        c.meetingsAffected += count(e, 'meetings');
        break;
      }
      case 'withholding.enforced': {
        const c = caseOf(e);
        c.participantsWithheld += count(e, 'participantsWithheld');
        c.joinsRefused += count(e, 'joinsRefused');
        break;
      }
      case 'appeal.filed':
        caseOf(e).appealsFiled += 1;
        break;
      case 'appeal.decided':
        if (text(e, 'outcome') === 'reversed') caseOf(e).appealsReversed += 1;
        else caseOf(e);
        break;
      case 'gag.set':
        caseOf(e).gagEnds = time(e, text(e, 'until'));
        break;
      case 'gag.ended':
        if (e.details.endedEarly === true) caseOf(e).gagEnds = time(e, e.at);
        break;
      default:
        break;
    }
  }
  return [...cases.values()];
}

function* until(entries: Iterable<LogEntry>, asOf: Date): Iterable<LogEntry> {
  for (const e of entries) if (Date.parse(e.at) <= asOf.getTime()) yield e;
}

/**
 * The report computed from the public log entries only, as it stood at `query.asOf` (now by default):
 * entries recorded after `asOf` are left out, so a report published at `asOf` can be checked against
 * the log after it has grown.
 */
export function reportFromEntries(entries: Iterable<LogEntry>, query: ReportQuery): TransparencyReport {
  const asOf = query.asOf ?? new Date();
  return aggregate(factsFromEntries(until(entries, asOf)), { ...query, asOf });
}
