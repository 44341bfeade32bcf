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
  created_at: Generated<Date>;
}

/** Email-shaped records for a future mailer; nothing sends them yet (docs/storage.md). */
export interface OutboxTable {
  id: string;
  recipient: string;
  subject: string;
  body: string;
  created_at: Generated<Date>;
  /** What the record is about, e.g. `welcome` or `signup_attempt`. */
  kind: string;
}

export interface Database {
  accounts: AccountsTable;
  sessions: SessionsTable;
  meetings: MeetingsTable;
  meeting_bans: MeetingBansTable;
  outbox: OutboxTable;
}
