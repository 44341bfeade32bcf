import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type {
  CaseReportRow,
  CaseRepo,
  CaseRow,
  CaseStatus,
  RestrictionRepo,
  RestrictionRow,
} from './caseTypes.js';
import type { CasesTable, Database, RestrictionsTable } from './schema.js';

export class KyselyCaseRepo implements CaseRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async nextRef(year: number): Promise<string> {
    // One atomic upsert: concurrent intakes on several nodes never get the same number.
    const row = await this.db
      .insertInto('case_counters')
      .values({ year, n: 1 })
      .onConflict((oc) => oc.column('year').doUpdateSet({ n: sql`case_counters.n + 1` }))
      .returning('n')
      .executeTakeFirstOrThrow();
    return `CVN-${year}-${String(row.n).padStart(4, '0')}`;
  }

  async create(c: CaseRow): Promise<void> {
    await this.db
      .insertInto('cases')
      .values({
        id: c.id,
        ref: c.ref,
        authority: c.authority,
        jurisdiction: c.jurisdiction,
        legal_basis: c.legalBasis,
        received_on: c.receivedOn,
        demands: JSON.stringify(c.demands),
        demand_text: c.demandText,
        targets: JSON.stringify(c.targets),
        evidence_notes: c.evidenceNotes,
        status: c.status,
        recorded_by: c.recordedBy,
        reviewer: c.reviewer,
        decision: c.decision ? JSON.stringify(c.decision) : null,
        gag_until: c.gagUntil,
        gag_reason: c.gagReason,
        created_at: c.createdAt,
      })
      .execute();
  }

  async getByRef(ref: string): Promise<CaseRow | undefined> {
    const row = await this.db.selectFrom('cases').selectAll().where('ref', '=', ref).executeTakeFirst();
    return row && toCase(row);
  }

  async getById(id: string): Promise<CaseRow | undefined> {
    const row = await this.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toCase(row);
  }

  async list(filter: { status?: CaseStatus; jurisdiction?: string; limit?: number }): Promise<CaseRow[]> {
    let q = this.db.selectFrom('cases').selectAll();
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.jurisdiction) q = q.where('jurisdiction', '=', filter.jurisdiction);
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('ref', 'desc')
      .limit(filter.limit ?? 500)
      .execute();
    return rows.map(toCase);
  }

  async update(
    id: string,
    patch: Partial<
      Pick<
        CaseRow,
        'status' | 'reviewer' | 'decision' | 'gagUntil' | 'gagReason' | 'publishTitles' | 'publishHostName'
      >
    >,
  ): Promise<void> {
    const set: Updateable<CasesTable> = {};
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.reviewer !== undefined) set.reviewer = patch.reviewer;
    if (patch.decision !== undefined) set.decision = patch.decision ? JSON.stringify(patch.decision) : null;
    if (patch.gagUntil !== undefined) set.gag_until = patch.gagUntil;
    if (patch.gagReason !== undefined) set.gag_reason = patch.gagReason;
    if (patch.publishTitles !== undefined) set.publish_titles = patch.publishTitles;
    if (patch.publishHostName !== undefined) set.publish_host_name = patch.publishHostName;
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('cases').set(set).where('id', '=', id).execute();
  }

  async addCounts(
    id: string,
    counts: { meetings?: number; participants?: number; joins?: number },
  ): Promise<void> {
    await this.db
      .updateTable('cases')
      .set({
        meetings_affected: sql`meetings_affected + ${counts.meetings ?? 0}`,
        participants_withheld: sql`participants_withheld + ${counts.participants ?? 0}`,
        joins_refused: sql`joins_refused + ${counts.joins ?? 0}`,
      })
      .where('id', '=', id)
      .execute();
  }

  async reportRows(range?: { from: string; to: string }): Promise<CaseReportRow[]> {
    // One pass over the appeals (grouped), joined to the cases: no per-case subquery.
    const appeals = this.db
      .selectFrom('appeals')
      .select((eb) => [
        'case_id',
        eb.fn.countAll<string>().as('filed'),
        eb.fn.sum<string>(sql`case when outcome = 'reversed' then 1 else 0 end`).as('reversed'),
      ])
      .groupBy('case_id')
      .as('a');
    let q = this.db
      .selectFrom('cases as c')
      .leftJoin(appeals, 'a.case_id', 'c.id')
      .select([
        'c.ref',
        'c.jurisdiction',
        'c.received_on',
        'c.demands',
        'c.decision',
        'c.meetings_affected',
        'c.participants_withheld',
        'c.joins_refused',
        'c.gag_until',
        'a.filed as appeals_filed',
        'a.reversed as appeals_reversed',
      ]);
    if (range) q = q.where('c.received_on', '>=', range.from).where('c.received_on', '<=', range.to);
    const rows = await q.orderBy('c.ref').execute();
    return rows.map((row) => ({
      ref: row.ref,
      jurisdiction: row.jurisdiction,
      receivedOn: row.received_on,
      demands: JSON.parse(row.demands) as CaseReportRow['demands'],
      outcome: row.decision ? (JSON.parse(row.decision) as NonNullable<CaseRow['decision']>).outcome : null,
      meetingsAffected: row.meetings_affected,
      participantsWithheld: row.participants_withheld,
      joinsRefused: row.joins_refused,
      gagUntil: row.gag_until,
      appealsFiled: Number(row.appeals_filed ?? 0),
      appealsReversed: Number(row.appeals_reversed ?? 0),
    }));
  }
}

function toCase(row: Selectable<CasesTable>): CaseRow {
  return {
    id: row.id,
    ref: row.ref,
    authority: row.authority,
    jurisdiction: row.jurisdiction,
    legalBasis: row.legal_basis,
    receivedOn: row.received_on,
    demands: JSON.parse(row.demands) as CaseRow['demands'],
    demandText: row.demand_text,
    targets: JSON.parse(row.targets) as CaseRow['targets'],
    evidenceNotes: row.evidence_notes,
    status: row.status as CaseStatus,
    recordedBy: row.recorded_by,
    reviewer: row.reviewer,
    decision: row.decision ? (JSON.parse(row.decision) as CaseRow['decision']) : null,
    gagUntil: row.gag_until,
    gagReason: row.gag_reason,
    publishTitles: row.publish_titles,
    publishHostName: row.publish_host_name,
    meetingsAffected: row.meetings_affected,
    participantsWithheld: row.participants_withheld,
    joinsRefused: row.joins_refused,
    createdAt: row.created_at,
  };
}

export class KyselyRestrictionRepo implements RestrictionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(r: RestrictionRow): Promise<void> {
    await this.db
      .insertInto('restrictions')
      .values({
        id: r.id,
        case_id: r.caseId,
        jurisdiction: r.jurisdiction,
        scope_kind: r.scope.kind,
        scope_id: r.scope.kind === 'meeting' ? r.scope.meetingId : r.scope.hostAccountId,
        created_at: r.createdAt,
        expires_at: r.expiresAt,
        lifted_at: r.liftedAt,
        lift_reason: r.liftReason,
      })
      .execute();
  }

  async byCase(caseId: string): Promise<RestrictionRow[]> {
    const rows = await this.db
      .selectFrom('restrictions')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .execute();
    return rows.map(toRestriction);
  }

  async unlifted(): Promise<RestrictionRow[]> {
    const rows = await this.db
      .selectFrom('restrictions')
      .selectAll()
      .where('lifted_at', 'is', null)
      .execute();
    return rows.map(toRestriction);
  }

  async lift(id: string, reason: 'expired' | 'reversed', at: Date): Promise<boolean> {
    const row = await this.db
      .updateTable('restrictions')
      .set({ lifted_at: at, lift_reason: reason })
      .where('id', '=', id)
      .where('lifted_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }
}

function toRestriction(row: Selectable<RestrictionsTable>): RestrictionRow {
  return {
    id: row.id,
    caseId: row.case_id,
    jurisdiction: row.jurisdiction,
    scope:
      row.scope_kind === 'meeting'
        ? { kind: 'meeting', meetingId: row.scope_id }
        : { kind: 'host', hostAccountId: row.scope_id },
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    liftedAt: row.lifted_at,
    liftReason: row.lift_reason as RestrictionRow['liftReason'],
  };
}
