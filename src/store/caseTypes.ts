/**
 * Storage types of the operator side: operators, cases, restrictions, host notices, appeals, the
 * outbox and the operator record. See docs/withholding.md for what they mean.
 */

export type OperatorRole = 'intake' | 'reviewer' | 'admin';

export interface Operator {
  id: string;
  email: string;
  displayName: string;
  role: OperatorRole;
  passwordHash: string | null;
  totpSecret: string | null;
  enrolTokenHash: string | null;
  enrolExpiresAt: Date | null;
  createdAt: Date;
  disabledAt: Date | null;
}

export type Demand = 'end_meeting' | 'suspend_account' | 'remove_participants' | 'disclose_data' | 'other';
export const DEMANDS: readonly Demand[] = [
  'end_meeting',
  'suspend_account',
  'remove_participants',
  'disclose_data',
  'other',
];

export type CaseTarget =
  | { kind: 'meeting'; meetingId: string }
  | { kind: 'host'; hostAccountId: string }
  | { kind: 'link'; url: string };

export type CaseStatus =
  'received' | 'under_review' | 'decided' | 'appealed' | 'upheld' | 'reversed' | 'expired';
export const CASE_STATUSES: readonly CaseStatus[] = [
  'received',
  'under_review',
  'decided',
  'appealed',
  'upheld',
  'reversed',
  'expired',
];

export interface Decision {
  outcome: 'rejected' | 'withheld' | 'partial';
  reason: string;
  decidedBy: string;
  decidedAt: string;
  expiresAt: string | null;
  /** Indexes of the targets withheld. */
  targets: number[];
  /** Demands Convene has no action for, recorded as demanded and not done. */
  notDone: Demand[];
}

export interface CaseRow {
  id: string;
  ref: string;
  authority: string;
  jurisdiction: string;
  legalBasis: string;
  receivedOn: string;
  demands: Demand[];
  demandText: string;
  targets: CaseTarget[];
  evidenceNotes: string;
  status: CaseStatus;
  recordedBy: string;
  reviewer: string | null;
  decision: Decision | null;
  gagUntil: Date | null;
  gagReason: string | null;
  publishTitles: boolean;
  publishHostName: boolean;
  meetingsAffected: number;
  participantsWithheld: number;
  joinsRefused: number;
  createdAt: Date;
}

/** What the transparency report reads of one case (src/app/transparency/reportFromTables.ts). */
export interface CaseReportRow {
  ref: string;
  jurisdiction: string;
  receivedOn: string;
  demands: Demand[];
  outcome: Decision['outcome'] | null;
  meetingsAffected: number;
  participantsWithheld: number;
  joinsRefused: number;
  gagUntil: Date | null;
  appealsFiled: number;
  appealsReversed: number;
}

export interface RestrictionRow {
  id: string;
  caseId: string;
  jurisdiction: string;
  scope: { kind: 'meeting'; meetingId: string } | { kind: 'host'; hostAccountId: string };
  createdAt: Date;
  expiresAt: Date;
  liftedAt: Date | null;
  liftReason: 'expired' | 'reversed' | null;
}

export interface NoticeRow {
  id: string;
  caseId: string;
  hostAccountId: string | null;
  meetingId: string | null;
  kind: 'withheld' | 'appeal_decided' | 'lifted';
  body: Record<string, unknown>;
  deliverAfter: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface AppealRow {
  id: string;
  caseId: string;
  noticeId: string;
  text: string;
  filedAt: Date;
  outcome: 'upheld' | 'reversed' | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
}

/** One entry of the operator record (the tamper-evident log is built on these). */
export interface RecordEntry {
  seq: number;
  at: Date;
  /** `operator:<id>`, `host`, or `system`. */
  actor: string;
  action: string;
  caseRef: string | null;
  /** What the public may see (what the public notice carries). */
  details: Record<string, unknown>;
  /** SHA-256 of a random salt and the private details, so the record proves they existed. */
  privateDigest: string | null;
  /** Position of this row's entry in the tamper-evident log (null only before it is logged). */
  logIndex: number | null;
}

export interface OperatorRepo {
  create(op: Omit<Operator, 'createdAt' | 'disabledAt'>): Promise<Operator>;
  findById(id: string): Promise<Operator | undefined>;
  findByEmail(email: string): Promise<Operator | undefined>;
  findByEnrolToken(tokenHash: string): Promise<Operator | undefined>;
  list(): Promise<Operator[]>;
  update(
    id: string,
    patch: Partial<
      Pick<Operator, 'passwordHash' | 'totpSecret' | 'enrolTokenHash' | 'enrolExpiresAt' | 'disabledAt'>
    >,
  ): Promise<void>;
  /** Accepts a TOTP time step only if it is later than the last one accepted (no replay). */
  acceptTotpStep(id: string, step: number): Promise<boolean>;
  createSession(tokenHash: string, operatorId: string, csrfToken: string, expiresAt: Date): Promise<void>;
  findSession(tokenHash: string): Promise<{ operatorId: string; csrfToken: string } | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteSessionsOf(operatorId: string): Promise<void>;
}

export interface CaseRepo {
  /** The next public reference of a year, e.g. CVN-2026-0042 (atomic across nodes). */
  nextRef(year: number): Promise<string>;
  create(row: CaseRow): Promise<void>;
  getByRef(ref: string): Promise<CaseRow | undefined>;
  getById(id: string): Promise<CaseRow | undefined>;
  list(filter: { status?: CaseStatus; jurisdiction?: string; limit?: number }): Promise<CaseRow[]>;
  update(
    id: string,
    patch: Partial<
      Pick<
        CaseRow,
        'status' | 'reviewer' | 'decision' | 'gagUntil' | 'gagReason' | 'publishTitles' | 'publishHostName'
      >
    >,
  ): Promise<void>;
  addCounts(id: string, counts: { meetings?: number; participants?: number; joins?: number }): Promise<void>;
  /** Every case received between the dates (inclusive, or all), with its appeal counts, by ref. */
  reportRows(range?: { from: string; to: string }): Promise<CaseReportRow[]>;
}

export interface RestrictionRepo {
  create(row: RestrictionRow): Promise<void>;
  byCase(caseId: string): Promise<RestrictionRow[]>;
  /** Not lifted, whatever their expiry (the caller checks it). */
  unlifted(): Promise<RestrictionRow[]>;
  /** Marks it lifted; false when it already was (another node got there first). */
  lift(id: string, reason: 'expired' | 'reversed', at: Date): Promise<boolean>;
}

export interface NoticeRepo {
  create(row: NoticeRow): Promise<void>;
  get(id: string): Promise<NoticeRow | undefined>;
  forHost(accountId: string): Promise<NoticeRow[]>;
  forMeeting(meetingId: string): Promise<NoticeRow[]>;
  byCase(caseId: string): Promise<NoticeRow[]>;
  /** Notices whose delivery time has come and that were not delivered yet. */
  due(now: Date): Promise<NoticeRow[]>;
  /** Marks delivered; false when it already was. */
  markDelivered(id: string, at: Date): Promise<boolean>;
  setDeliverAfter(caseId: string, at: Date | null): Promise<void>;
  createAppeal(row: AppealRow): Promise<void>;
  appealsOf(caseId: string): Promise<AppealRow[]>;
  openAppeals(): Promise<AppealRow[]>;
  decideAppeal(
    id: string,
    outcome: 'upheld' | 'reversed',
    by: string,
    at: Date,
    reason: string,
  ): Promise<void>;
  /** An email-shaped record for a mail relay to send. */
  outbox(message: { recipient: string; subject: string; body: string; kind: string }): Promise<void>;
}

export interface RecordRepo {
  append(
    entry: Omit<RecordEntry, 'seq'>,
    privatePart?: { salt: string; details: Record<string, unknown> },
  ): Promise<number>;
  byCase(caseRef: string): Promise<RecordEntry[]>;
  list(afterSeq: number, limit: number): Promise<RecordEntry[]>;
  /** Rows recorded before the log existed (no log index yet), oldest first. */
  unlogged(limit: number): Promise<RecordEntry[]>;
  setLogIndex(seq: number, logIndex: number): Promise<void>;
}
