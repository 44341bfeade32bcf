import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AppealRow, NoticeRepo, NoticeRow, RecordEntry, RecordRepo } from './caseTypes.js';
import type { AppealsTable, Database, HostNoticesTable, OperatorRecordTable } from './schema.js';

export class KyselyNoticeRepo implements NoticeRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(n: NoticeRow): Promise<void> {
    await this.db
      .insertInto('host_notices')
      .values({
        id: n.id,
        case_id: n.caseId,
        host_account_id: n.hostAccountId,
        meeting_id: n.meetingId,
        kind: n.kind,
        body: JSON.stringify(n.body),
        deliver_after: n.deliverAfter,
        delivered_at: n.deliveredAt,
        created_at: n.createdAt,
      })
      .execute();
  }

  async get(id: string): Promise<NoticeRow | undefined> {
    const row = await this.db.selectFrom('host_notices').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toNotice(row);
  }

  async forHost(accountId: string): Promise<NoticeRow[]> {
    const rows = await this.db
      .selectFrom('host_notices')
      .selectAll()
      .where('host_account_id', '=', accountId)
      .where('delivered_at', 'is not', null)
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute();
    return rows.map(toNotice);
  }

  async forMeeting(meetingId: string): Promise<NoticeRow[]> {
    const rows = await this.db
      .selectFrom('host_notices')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('delivered_at', 'is not', null)
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute();
    return rows.map(toNotice);
  }

  async byCase(caseId: string): Promise<NoticeRow[]> {
    const rows = await this.db.selectFrom('host_notices').selectAll().where('case_id', '=', caseId).execute();
    return rows.map(toNotice);
  }

  async due(now: Date): Promise<NoticeRow[]> {
    const rows = await this.db
      .selectFrom('host_notices')
      .selectAll()
      .where('delivered_at', 'is', null)
      .where((eb) => eb.or([eb('deliver_after', 'is', null), eb('deliver_after', '<=', now)]))
      .execute();
    return rows.map(toNotice);
  }

  async markDelivered(id: string, at: Date): Promise<boolean> {
    const row = await this.db
      .updateTable('host_notices')
      .set({ delivered_at: at })
      .where('id', '=', id)
      .where('delivered_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async setDeliverAfter(caseId: string, at: Date | null): Promise<void> {
    await this.db
      .updateTable('host_notices')
      .set({ deliver_after: at })
      .where('case_id', '=', caseId)
      .where('delivered_at', 'is', null)
      .execute();
  }

  async createAppeal(a: AppealRow): Promise<void> {
    await this.db
      .insertInto('appeals')
      .values({
        id: a.id,
        case_id: a.caseId,
        notice_id: a.noticeId,
        text: a.text,
        filed_at: a.filedAt,
        outcome: a.outcome,
        decided_by: a.decidedBy,
        decided_at: a.decidedAt,
        reason: a.reason,
      })
      .execute();
  }

  async appealsOf(caseId: string): Promise<AppealRow[]> {
    const rows = await this.db
      .selectFrom('appeals')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('filed_at')
      .execute();
    return rows.map(toAppeal);
  }

  async openAppeals(): Promise<AppealRow[]> {
    const rows = await this.db
      .selectFrom('appeals')
      .selectAll()
      .where('outcome', 'is', null)
      .orderBy('filed_at')
      .execute();
    return rows.map(toAppeal);
  }

  async decideAppeal(
    id: string,
    outcome: 'upheld' | 'reversed',
    by: string,
    at: Date,
    reason: string,
  ): Promise<void> {
    await this.db
      .updateTable('appeals')
      .set({ outcome, decided_by: by, decided_at: at, reason })
      .where('id', '=', id)
      .execute();
  }

  async outbox(message: { recipient: string; subject: string; body: string; kind: string }): Promise<void> {
    await this.db
      .insertInto('outbox')
      .values({ id: randomBytes(12).toString('base64url'), ...message })
      .execute();
  }
}

function toNotice(row: Selectable<HostNoticesTable>): NoticeRow {
  return {
    id: row.id,
    caseId: row.case_id,
    hostAccountId: row.host_account_id,
    meetingId: row.meeting_id,
    kind: row.kind as NoticeRow['kind'],
    body: JSON.parse(row.body) as Record<string, unknown>,
    deliverAfter: row.deliver_after,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}

function toAppeal(row: Selectable<AppealsTable>): AppealRow {
  return {
    id: row.id,
    caseId: row.case_id,
    noticeId: row.notice_id,
    text: row.text,
    filedAt: row.filed_at,
    outcome: row.outcome as AppealRow['outcome'],
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    reason: row.reason,
  };
}

export class KyselyRecordRepo implements RecordRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async append(
    e: Omit<RecordEntry, 'seq'>,
    privatePart?: { salt: string; details: Record<string, unknown> },
  ): Promise<number> {
    const row = await this.db
      .insertInto('operator_record')
      .values({
        at: e.at,
        actor: e.actor,
        action: e.action,
        case_ref: e.caseRef,
        details: JSON.stringify(e.details),
        private_digest: e.privateDigest,
        private_salt: privatePart?.salt ?? null,
        private_details: privatePart ? JSON.stringify(privatePart.details) : null,
        log_index: e.logIndex === null ? null : String(e.logIndex),
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    return Number(row.seq);
  }

  async byCase(caseRef: string): Promise<RecordEntry[]> {
    const rows = await this.db
      .selectFrom('operator_record')
      .selectAll()
      .where('case_ref', '=', caseRef)
      .orderBy('seq')
      .execute();
    return rows.map(toEntry);
  }

  async list(afterSeq: number, limit: number): Promise<RecordEntry[]> {
    const rows = await this.db
      .selectFrom('operator_record')
      .selectAll()
      .where('seq', '>', String(afterSeq))
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toEntry);
  }

  async unlogged(limit: number): Promise<RecordEntry[]> {
    const rows = await this.db
      .selectFrom('operator_record')
      .selectAll()
      .where('log_index', 'is', null)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toEntry);
  }

  async setLogIndex(seq: number, logIndex: number): Promise<void> {
    await this.db
      .updateTable('operator_record')
      .set({ log_index: String(logIndex) })
      .where('seq', '=', String(seq))
      .execute();
  }
}

function toEntry(row: Selectable<OperatorRecordTable>): RecordEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    action: row.action,
    caseRef: row.case_ref,
    details: JSON.parse(row.details) as Record<string, unknown>,
    privateDigest: row.private_digest,
    logIndex: row.log_index === null ? null : Number(row.log_index),
  };
}
