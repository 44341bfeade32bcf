/**
 * The tables as Kysely sees them (snake_case, as in PostgreSQL). `Generated` marks columns with a
 * database default that an insert may leave out. migrations.ts is what creates them.
 */
import type { Generated } from 'kysely';

export interface AccountsTable {
  id: string;
  /** Lower-cased; unique (constraint accounts_email_key). */
  email: string;
  display_name: string;
  password_hash: string;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  /** SHA-256 of the session token; the token itself is never stored. */
  token_hash: string;
  account_id: string;
  csrf_token: string;
  expires_at: Date;
  created_at: Generated<Date>;
}

export interface MeetingsTable {
  id: string;
  title: string;
  host_account_id: string | null;
  host_key_hash: string | null;
  scheduled_for: Date | null;
  created_at: Generated<Date>;
  ended_at: Date | null;
  locked: Generated<boolean>;
  lobby: boolean;
  passcode: string | null;
  webinar: boolean;
  max_participants: number | null;
  /** Null when the meeting has no region policy. */
  region_mode: 'deny' | 'allow' | null;
  region_jurisdictions: Generated<string[]>;
}

export interface MeetingBansTable {
  meeting_id: string;
  subject: string;
  /** One host action: the subjects barred together share it. */
  ban_id: string;
  /** The display name the banned participant had, for the host's list. */
  label: string | null;
  created_at: Generated<Date>;
}

export interface Database {
  accounts: AccountsTable;
  sessions: SessionsTable;
  meetings: MeetingsTable;
  meeting_bans: MeetingBansTable;
  operators: OperatorsTable;
  operator_sessions: OperatorSessionsTable;
  case_counters: CaseCountersTable;
  cases: CasesTable;
  restrictions: RestrictionsTable;
  host_notices: HostNoticesTable;
  appeals: AppealsTable;
  outbox: OutboxTable;
  operator_record: OperatorRecordTable;
  ledger_tiles: LedgerTilesTable;
  ledger_state: LedgerStateTable;
  ledger_checkpoints: LedgerCheckpointsTable;
  ledger_witnesses: LedgerWitnessesTable;
}

export interface OperatorsTable {
  id: string;
  email: string;
  display_name: string;
  role: 'intake' | 'reviewer' | 'admin';
  password_hash: string | null;
  /** Base32 TOTP secret; null until enrolment is confirmed. */
  totp_secret: string | null;
  /** The last TOTP time step accepted, so a code is never accepted twice. */
  totp_last_step: Generated<string>;
  enrol_token_hash: string | null;
  enrol_expires_at: Date | null;
  created_at: Generated<Date>;
  disabled_at: Date | null;
}

export interface OperatorSessionsTable {
  token_hash: string;
  operator_id: string;
  csrf_token: string;
  expires_at: Date;
}

export interface CaseCountersTable {
  year: number;
  n: number;
}

export interface CasesTable {
  id: string;
  ref: string;
  authority: string;
  jurisdiction: string;
  legal_basis: string;
  received_on: string;
  /** JSON arrays and objects are stored as text, parsed by the repository (same on PGlite and pg). */
  demands: string;
  demand_text: string;
  targets: string;
  evidence_notes: string;
  status: string;
  recorded_by: string;
  reviewer: string | null;
  decision: string | null;
  gag_until: Date | null;
  gag_reason: string | null;
  publish_titles: Generated<boolean>;
  publish_host_name: Generated<boolean>;
  meetings_affected: Generated<number>;
  participants_withheld: Generated<number>;
  joins_refused: Generated<number>;
  created_at: Generated<Date>;
}

export interface RestrictionsTable {
  id: string;
  case_id: string;
  jurisdiction: string;
  scope_kind: 'meeting' | 'host';
  scope_id: string;
  created_at: Date;
  expires_at: Date;
  lifted_at: Date | null;
  lift_reason: string | null;
}

export interface HostNoticesTable {
  id: string;
  case_id: string;
  host_account_id: string | null;
  meeting_id: string | null;
  kind: string;
  body: string;
  deliver_after: Date | null;
  delivered_at: Date | null;
  created_at: Generated<Date>;
}

export interface AppealsTable {
  id: string;
  case_id: string;
  notice_id: string;
  text: string;
  filed_at: Date;
  outcome: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
}

export interface OutboxTable {
  id: string;
  recipient: string;
  subject: string;
  body: string;
  kind: string;
  created_at: Generated<Date>;
}

export interface OperatorRecordTable {
  seq: Generated<string>;
  at: Date;
  actor: string;
  action: string;
  case_ref: string | null;
  details: string;
  private_digest: string | null;
  private_salt: string | null;
  private_details: string | null;
  /** Position of this row's entry in the tamper-evident log. */
  log_index: string | null;
}

export interface LedgerTilesTable {
  /** tlog-tiles path: `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`. */
  path: string;
  data: Uint8Array;
}

export interface LedgerStateTable {
  id: number;
  size: string;
}

export interface LedgerCheckpointsTable {
  size: string;
  note: string;
  signed_at: Date;
  cosigned: string | null;
}

export interface LedgerWitnessesTable {
  witness: string;
  size: string;
  status: string;
  detail: string | null;
  checked_at: Date;
}
