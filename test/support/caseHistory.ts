/**
 * A seeded random history of cases driven through the real CaseService and CaseClock over a real
 * store (PGlite), for the transparency report's equality test and `npm run bench:report`: intake,
 * reviews, rejections, full and partial withholding, withholding counts (the counts the live sweep
 * reports, given to the clock through its WithholdingCounts interface), host notices, appeals upheld
 * and reversed, gag orders set, moved, ended early and run out, and restrictions that expire.
 * It also counts what it did, so a test can check the reports against the history, not only each other.
 */
import { pino } from 'pino';
import { CaseClock } from '../../src/app/cases/CaseClock.js';
import { CaseService, type IntakeInput } from '../../src/app/cases/CaseService.js';
import { logEntryOf, type LogEntry } from '../../src/app/transparency/logEntry.js';
import type { ReportQuery } from '../../src/app/transparency/reportSchema.js';
import { DEMANDS } from '../../src/store/caseTypes.js';
import type { Demand, Operator, Store } from '../../src/store/types.js';
import type { AppHarness } from './app.js';

export const JURISDICTIONS = ['CN', 'HK', 'RU', 'IR', 'TR', 'VN'] as const;

import { seeded } from './seeded.js';

export { seeded };

export interface HistoryTally {
  cases: number;
  pending: number;
  rejected: number;
  withheld: number;
  partial: number;
  participantsWithheld: number;
  joinsRefused: number;
  appealsFiled: number;
  appealsReversed: number;
  gagsInForce: number;
  gagsEnded: number;
  expired: number;
}

const DAY = 86_400_000;
const SHORT_MS = 1500;

async function operator(store: Store, role: Operator['role'], tag: string): Promise<Operator> {
  return store.operators.create({
    id: `op-${role}-${tag}`,
    email: `${role}-${tag}@operators.example`,
    displayName: role,
    role,
    passwordHash: null,
    totpSecret: null,
    enrolTokenHash: null,
    enrolExpiresAt: null,
  });
}

/** The queries both reports are compared on: every granularity and a range across a year's end. */
export const comparedQueries = (asOf: Date): ReportQuery[] => [
  { period: 'half-year', asOf },
  { period: 'quarter', asOf },
  { period: 'year', asOf },
  { from: '2025-02-14', to: '2026-03-31', asOf },
];

/** Every entry of the operator record, as the public log entries built from it. */
export async function logEntries(store: Store): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for (let after = 0; ;) {
    const rows = await store.record.list(after, 5000);
    if (rows.length === 0) return out;
    for (const row of rows) out.push(logEntryOf(row, out.length));
    after = rows.at(-1)?.seq ?? after;
  }
}

export async function runHistory(
  app: AppHarness,
  options: { cases: number; seed: number; onProgress?: (done: number) => void },
): Promise<HistoryTally> {
  const { store } = app;
  const rnd = seeded(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const chance = (p: number) => rnd() < p;
  const logger = pino({ level: 'silent' });
  const cases = new CaseService(store, app.bus, app.service, 90);
  const clock = new CaseClock(store, app.bus, app.service, logger, 3_600_000);
  const tag = `${options.seed}-${Date.now()}`;
  const intake = await operator(store, 'intake', tag);
  const reviewer = await operator(store, 'reviewer', tag);
  const hosts = await Promise.all(
    [0, 1, 2].map((i) =>
      store.accounts.create({ email: `h${i}-${tag}@example.org`, displayName: `H${i}`, passwordHash: 'x' }),
    ),
  );
  const meetings = await Promise.all(
    [0, 1, 2, 3, 4, 5, 6, 7].map(
      async (i) => (await app.meeting({}, i < 5 ? hosts[i % 3]?.id : undefined)).id,
    ),
  );
  const tally: HistoryTally = {
    cases: 0,
    pending: 0,
    rejected: 0,
    withheld: 0,
    partial: 0,
    participantsWithheld: 0,
    joinsRefused: 0,
    appealsFiled: 0,
    appealsReversed: 0,
    gagsInForce: 0,
    gagsEnded: 0,
    expired: 0,
  };
  const appealable: Array<{ ref: string; id: string }> = [];
  const longGags: string[] = [];
  const start = Date.parse('2024-01-01T00:00:00Z');
  const span = Date.parse('2026-11-30T00:00:00Z') - start;

  for (let i = 0; i < options.cases; i++) {
    const demands = DEMANDS.filter(() => chance(0.4));
    const targets: IntakeInput['targets'] = [{ kind: 'meeting', link: pick(meetings) }];
    const fate = pick(['pending', 'rejected', 'withheld', 'withheld', 'partial'] as const);
    if (fate === 'partial' || chance(0.2)) targets.push({ kind: 'host', email: pick(hosts)?.email ?? '' });
    if (chance(0.2)) targets.push({ kind: 'link', url: `https://elsewhere.example/${i}` });
    const view = await cases.intake(
      {
        authority: `Authority ${i % 7}`,
        jurisdiction: pick(JURISDICTIONS),
        legalBasis: 'Article 1 (example)',
        receivedOn: new Date(start + Math.floor(rnd() * span)).toISOString().slice(0, 10),
        demands: demands.length > 0 ? demands : (['other'] as Demand[]),
        demandText: 'Text.',
        targets,
        evidenceNotes: 'Notes.',
      },
      intake,
    );
    tally.cases++;
    if (chance(0.5)) await cases.startReview(view.ref, reviewer);
    if (fate === 'pending') {
      tally.pending++;
    } else if (fate === 'rejected') {
      await cases.decide(view.ref, reviewer, { outcome: 'rejected', reason: 'No.' });
      tally.rejected++;
    } else {
      const gag = chance(0.3);
      const shortGag = gag && chance(0.5);
      const expires = chance(0.15);
      const decided = await cases.decide(view.ref, reviewer, {
        outcome: 'withhold',
        targets:
          fate === 'partial'
            ? [0]
            : targets.map((t, k) => (t.kind === 'link' ? -1 : k)).filter((k) => k >= 0),
        expiresAt: new Date(Date.now() + (expires ? SHORT_MS : 30 * DAY)),
        reason: 'A valid order; limited to the jurisdiction.',
        gag: gag
          ? { until: new Date(Date.now() + (shortGag ? SHORT_MS : 60 * DAY)), reason: 'Court.' }
          : undefined,
      });
      tally[decided.decision?.outcome === 'partial' ? 'partial' : 'withheld']++;
      if (expires) tally.expired++;
      if (shortGag) tally.gagsEnded++;
      else if (gag) longGags.push(view.ref);
      else if (!expires) appealable.push({ ref: view.ref, id: view.id });
      const removed = Math.floor(rnd() * 5);
      const refused = Math.floor(rnd() * 3);
      clock.add(view.ref, 'removed', removed);
      clock.add(view.ref, 'refused', refused);
      tally.participantsWithheld += removed;
      tally.joinsRefused += refused;
    }
    options.onProgress?.(i + 1);
  }
  await clock.tick(); // counts written, notices without a gag order delivered

  for (const c of appealable) {
    if (!chance(0.3)) continue;
    const notice = (await store.notices.byCase(c.id)).find((n) => n.deliveredAt !== null);
    if (!notice) continue;
    const host = notice.hostAccountId
      ? { accountId: notice.hostAccountId }
      : { meetingId: notice.meetingId ?? '' };
    await cases.notices.fileAppeal(notice.id, host, 'Please reconsider.');
    tally.appealsFiled++;
    if (chance(0.7)) {
      const outcome = chance(0.5) ? 'reversed' : 'upheld';
      await cases.decideAppeal(c.ref, reviewer, { outcome, reason: 'Considered.' });
      if (outcome === 'reversed') tally.appealsReversed++;
    }
  }
  for (const ref of longGags) {
    const what = rnd();
    if (what < 0.3) {
      await cases.setGag(ref, reviewer, { until: null, reason: 'The court lifted it.' });
      tally.gagsEnded++;
    } else {
      if (what < 0.6)
        await cases.setGag(ref, reviewer, { until: new Date(Date.now() + 90 * DAY), reason: 'Extended.' });
      tally.gagsInForce++;
    }
  }
  // Short restrictions and gag orders run out; the clock records the expiries and delivers the notices.
  await new Promise((r) => setTimeout(r, SHORT_MS + 100));
  await clock.tick();
  await clock.close();
  return tally;
}
