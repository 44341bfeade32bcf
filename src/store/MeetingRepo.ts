import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, MeetingsTable } from './schema.js';
import type { MeetingPatch, MeetingRepo, MeetingRow } from './types.js';

export class KyselyMeetingRepo implements MeetingRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(row: MeetingRow): Promise<MeetingRow> {
    const { settings } = row;
    const inserted = await this.db
      .insertInto('meetings')
      .values({
        id: row.id,
        title: row.title,
        host_account_id: row.hostAccountId,
        host_key_hash: row.hostKeyHash,
        scheduled_for: row.scheduledFor,
        created_at: row.createdAt,
        ended_at: row.endedAt,
        locked: row.locked,
        lobby: settings.lobby,
        passcode: settings.passcode,
        webinar: settings.webinar,
        max_participants: settings.maxParticipants,
        region_mode: settings.regionPolicy?.mode ?? null,
        region_jurisdictions: settings.regionPolicy ? [...settings.regionPolicy.jurisdictions] : [],
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toMeeting(inserted);
  }

  async get(id: string): Promise<MeetingRow | undefined> {
    const row = await this.db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toMeeting(row);
  }

  async listByHost(accountId: string, limit = 200): Promise<MeetingRow[]> {
    const rows = await this.db
      .selectFrom('meetings')
      .selectAll()
      .where('host_account_id', '=', accountId)
      .where('ended_at', 'is', null)
      .orderBy('scheduled_for', (ob) => ob.asc().nullsLast())
      .orderBy('created_at', (ob) => ob.desc())
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toMeeting);
  }

  async listEndedByHost(accountId: string, limit = 50): Promise<MeetingRow[]> {
    const rows = await this.db
      .selectFrom('meetings')
      .selectAll()
      .where('host_account_id', '=', accountId)
      .where('ended_at', 'is not', null)
      .orderBy('ended_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toMeeting);
  }

  async update(id: string, patch: MeetingPatch): Promise<MeetingRow | undefined> {
    const set: Updateable<MeetingsTable> = {};
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.scheduledFor !== undefined) set.scheduled_for = patch.scheduledFor;
    if (patch.locked !== undefined) set.locked = patch.locked;
    const s = patch.settings ?? {};
    if (s.lobby !== undefined) set.lobby = s.lobby;
    if (s.passcode !== undefined) set.passcode = s.passcode;
    if (s.webinar !== undefined) set.webinar = s.webinar;
    if (s.maxParticipants !== undefined) set.max_participants = s.maxParticipants;
    if (s.regionPolicy !== undefined) {
      set.region_mode = s.regionPolicy?.mode ?? null;
      set.region_jurisdictions = s.regionPolicy ? [...s.regionPolicy.jurisdictions] : [];
    }
    if (Object.keys(set).length === 0) return this.get(id);
    // One statement: the merge happens in the database, so concurrent patches never undo each other.
    const row = await this.db
      .updateTable('meetings')
      .set(set)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toMeeting(row);
  }

  /** Marks the meeting ended; a meeting that has ended keeps its first end time. */
  async end(id: string, at: Date): Promise<void> {
    await this.db
      .updateTable('meetings')
      .set({ ended_at: at })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .execute();
  }
}

function toMeeting(row: Selectable<MeetingsTable>): MeetingRow {
  return {
    id: row.id,
    title: row.title,
    hostAccountId: row.host_account_id,
    hostKeyHash: row.host_key_hash,
    scheduledFor: row.scheduled_for,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    locked: row.locked,
    settings: {
      lobby: row.lobby,
      passcode: row.passcode,
      webinar: row.webinar,
      maxParticipants: row.max_participants,
      regionPolicy: row.region_mode
        ? { mode: row.region_mode, jurisdictions: row.region_jurisdictions }
        : null,
    },
  };
}
