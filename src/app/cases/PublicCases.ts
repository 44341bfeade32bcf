/**
 * What anyone may read without signing in: the public notice of each decided case (with where its steps
 * sit in the public log) and the transparency report from the case tables.
 */
import { ConveneError } from '../../errors.js';
import type { CaseRow, Store } from '../../store/types.js';
import { reportFromTables, type ReportQuery, type TransparencyReport } from '../transparency/report.js';
import { isPublic, publicCase, type PublicCase } from './views.js';

export class PublicCases {
  constructor(private readonly store: Store) {}

  async get(ref: string): Promise<PublicCase> {
    const c = await this.store.cases.getByRef(ref);
    const view = c && isPublic(c) ? await this.#public(c) : undefined;
    if (!view) throw new ConveneError('not_found', 'No public notice with this reference.');
    return view;
  }

  async list(): Promise<PublicCase[]> {
    const rows = (await this.store.cases.list({ limit: 1000 })).filter((c) => isPublic(c));
    const views = await Promise.all(rows.map((c) => this.#public(c)));
    return views.filter((v): v is PublicCase => v !== undefined);
  }

  async #public(c: CaseRow): Promise<PublicCase | undefined> {
    const [restrictions, appeals] = await Promise.all([
      this.store.restrictions.byCase(c.id),
      this.store.notices.appealsOf(c.id),
    ]);
    const consented: { meetingTitles?: string[]; hostName?: string } = {};
    if (c.publishTitles || c.publishHostName) {
      const titles: string[] = [];
      let hostName: string | undefined;
      for (const r of restrictions) {
        if (r.scope.kind === 'meeting') {
          const m = await this.store.meetings.get(r.scope.meetingId);
          if (m) titles.push(m.title);
          if (m?.hostAccountId)
            hostName ??= (await this.store.accounts.findById(m.hostAccountId))?.displayName;
        } else {
          hostName ??= (await this.store.accounts.findById(r.scope.hostAccountId))?.displayName;
        }
      }
      consented.meetingTitles = titles;
      if (hostName) consented.hostName = hostName;
    }
    const view = publicCase(c, restrictions, appeals, consented);
    if (!view) return undefined;
    // Where each step of the case sits in the public log, so anyone can find and check it there.
    const steps = await this.store.record.byCase(c.ref);
    view.logEntries = steps.flatMap((r) =>
      r.logIndex === null ? [] : [{ index: r.logIndex, action: r.action, at: r.at.toISOString() }],
    );
    return view;
  }

  /** The public transparency report from the tables, with the log size read in the same snapshot (docs/api.md). */
  report(query: ReportQuery): Promise<TransparencyReport> {
    return this.store.snapshot(async (tx) => {
      const logSize = await tx.ledger.size();
      return { ...(await reportFromTables(tx, query)), logSize };
    });
  }
}
