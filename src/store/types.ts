import type { LedgerRepo } from './ledgerTypes.js';
import type { CaseRepo, NoticeRepo, OperatorRepo, RecordRepo, RestrictionRepo } from './caseTypes.js';

export type * from './caseTypes.js';

/**
 * What the application needs from storage. One implementation (./Store.ts, Kysely over PGlite or
 * PostgreSQL); the app depends on these interfaces only. Every method resolves only after the write is
 * committed, so whatever the caller acknowledges is durable.
 */

export interface Account {
  id: string;
  /** Lower-cased. */
  email: string;
  displayName: string;
  passwordHash: string;
  createdAt: Date;
}

export interface SessionRow {
  accountId: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface RegionPolicy {
  mode: 'deny' | 'allow';
  jurisdictions: string[];
}

export interface MeetingSettings {
  lobby: boolean;
  /** The passcode as the host set it (hosts can read it back to share the link); null for none. */
  passcode: string | null;
  webinar: boolean;
  maxParticipants: number | null;
  regionPolicy: RegionPolicy | null;
}

export interface MeetingRow {
  /** 128 bits from the CSPRNG, base64url. */
  id: string;
  title: string;
  hostAccountId: string | null;
  /** SHA-256 (base64url) of the host key of an anonymous meeting; null for account-owned meetings. */
  hostKeyHash: string | null;
  scheduledFor: Date | null;
  createdAt: Date;
  endedAt: Date | null;
  locked: boolean;
  settings: MeetingSettings;
}

export interface MeetingPatch {
  title?: string;
  scheduledFor?: Date | null;
  locked?: boolean;
  settings?: Partial<MeetingSettings>;
}

export interface AccountRepo {
  /** Rejects with ConveneError('email_taken') when the (lower-cased) email exists. */
  create(input: { email: string; displayName: string; passwordHash: string }): Promise<Account>;
  findByEmail(email: string): Promise<Account | undefined>;
  findById(id: string): Promise<Account | undefined>;
}

export interface SessionRepo {
  create(tokenHash: string, row: SessionRow): Promise<void>;
  /** Undefined when missing or expired. */
  find(tokenHash: string): Promise<SessionRow | undefined>;
  delete(tokenHash: string): Promise<void>;
}

export interface MeetingRepo {
  create(row: MeetingRow): Promise<MeetingRow>;
  get(id: string): Promise<MeetingRow | undefined>;
  /**
   * The account's meetings that have not ended, scheduled ones first by time, then the rest newest
   * first; at most `limit` (default 200), so a host with years of meetings still gets a quick answer.
   */
  listByHost(accountId: string, limit?: number): Promise<MeetingRow[]>;
  /** The account's ended meetings, most recently ended first; at most `limit` (default 50). */
  listEndedByHost(accountId: string, limit?: number): Promise<MeetingRow[]>;
  /** Applies the patch (settings merged key by key); undefined when the meeting does not exist. */
  update(id: string, patch: MeetingPatch): Promise<MeetingRow | undefined>;
  /** Records the end time; a meeting ended twice keeps its first end time. */
  end(id: string, at: Date): Promise<void>;
}

/** One ban as its host sees it: what it matches, never the subjects (a guest key is a credential). */
export interface BanRecord {
  id: string;
  /** The display name the participant had when banned. */
  label: string | null;
  /** Kinds of subject the ban still holds. */
  matches: ('account' | 'guest')[];
  createdAt: Date;
}

export interface BanRepo {
  /**
   * Bars the subjects (`account:<id>` or `guest:<key>`) as one ban; returns its id. A subject already
   * barred stays in its earlier ban (idempotent).
   */
  add(meetingId: string, subjects: readonly string[], label?: string | null): Promise<string>;
  /** Whether any of the subjects is barred from the meeting. */
  isBanned(meetingId: string, subjects: readonly string[]): Promise<boolean>;
  /** Every subject barred from the meeting. */
  list(meetingId: string): Promise<string[]>;
  /** The meeting's bans, oldest first. */
  bans(meetingId: string): Promise<BanRecord[]>;
  /** Lifts one ban of this meeting; returns the subjects it freed (none: no such ban). */
  lift(meetingId: string, banId: string): Promise<string[]>;
}

export interface OutboxRecord {
  id: string;
  recipient: string;
  subject: string;
  body: string;
  kind: string;
  createdAt: Date;
}

export interface OutboxRepo {
  add(input: { recipient: string; subject: string; body: string; kind: string }): Promise<OutboxRecord>;
  /** Records for one address, oldest first. */
  listFor(recipient: string): Promise<OutboxRecord[]>;
}

/** The repositories, all over one connection or one transaction. */
export interface Repos {
  readonly accounts: AccountRepo;
  readonly sessions: SessionRepo;
  readonly meetings: MeetingRepo;
  readonly bans: BanRepo;
  readonly outbox: OutboxRepo;
  readonly operators: OperatorRepo;
  readonly cases: CaseRepo;
  readonly restrictions: RestrictionRepo;
  readonly notices: NoticeRepo;
  readonly record: RecordRepo;
  readonly ledger: LedgerRepo;
}

export interface Store extends Repos {
  readonly backend: 'pglite' | 'postgres';
  /**
   * Runs `fn` with the repositories over one database transaction (PGlite and PostgreSQL alike):
   * committed when `fn` resolves, rolled back (and the error rethrown) when it rejects. Resolves
   * after the commit, so whatever the caller acknowledges is durable.
   */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` over one read-only REPEATABLE READ transaction: every read sees the same committed
   * state (e.g. a report and the log size it corresponds to).
   */
  snapshot<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  /** Per table: row count and a hash of its rows; equal digests mean nothing stored changed. */
  digest(): Promise<Record<string, string>>;
  close(): Promise<void>;
}
