/**
 * The transparency report from the operator's case and appeal tables (what the server publishes at
 * /api/transparency/report). Computed independently of the log: it reads the cases' stored decision,
 * counts and gag order and counts appeal rows, where reportFromEntries replays the public entries;
 * `aggregate` is the shared last step (reportSchema.ts).
 */
import type { Repos } from '../../store/types.js';
import { aggregate, type CaseFacts, type ReportQuery, type TransparencyReport } from './reportSchema.js';

export async function factsFromTables(
  store: Pick<Repos, 'cases'>,
  range?: { from: string; to: string },
): Promise<CaseFacts[]> {
  const rows = await store.cases.reportRows(range);
  return rows.map((r) => ({
    ref: r.ref,
    jurisdiction: r.jurisdiction,
    receivedOn: r.receivedOn,
    demands: r.demands,
    outcome: r.outcome,
    meetingsAffected: r.meetingsAffected,
    participantsWithheld: r.participantsWithheld,
    joinsRefused: r.joinsRefused,
    appealsFiled: r.appealsFiled,
    appealsReversed: r.appealsReversed,
    gagEnds: r.gagUntil,
  }));
}

export async function reportFromTables(
  store: Pick<Repos, 'cases'>,
  query: ReportQuery,
): Promise<TransparencyReport> {
  const range = 'from' in query ? { from: query.from, to: query.to } : undefined;
  return aggregate(await factsFromTables(store, range), query);
}
