import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { BanRecord, BanRepo } from './types.js';

export class KyselyBanRepo implements BanRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async add(meetingId: string, subjects: readonly string[], label: string | null = null): Promise<string> {
    const banId = randomUUID();
    if (subjects.length === 0) return banId;
    await this.db
      .insertInto('meeting_bans')
      .values(subjects.map((subject) => ({ meeting_id: meetingId, subject, ban_id: banId, label })))
      .onConflict((oc) => oc.columns(['meeting_id', 'subject']).doNothing())
      .execute();
    return banId;
  }

  async isBanned(meetingId: string, subjects: readonly string[]): Promise<boolean> {
    if (subjects.length === 0) return false;
    const row = await this.db
      .selectFrom('meeting_bans')
      .select('subject')
      .where('meeting_id', '=', meetingId)
      .where('subject', 'in', subjects)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async list(meetingId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('meeting_bans')
      .select('subject')
      .where('meeting_id', '=', meetingId)
      .execute();
    return rows.map((r) => r.subject);
  }

  async bans(meetingId: string): Promise<BanRecord[]> {
    const rows = await this.db
      .selectFrom('meeting_bans')
      .select(['ban_id', 'subject', 'label', 'created_at'])
      .where('meeting_id', '=', meetingId)
      .orderBy('created_at')
      .orderBy('ban_id')
      .execute();
    const byId = new Map<string, BanRecord>();
    for (const row of rows) {
      const ban = byId.get(row.ban_id) ?? {
        id: row.ban_id,
        label: row.label,
        matches: [],
        createdAt: row.created_at,
      };
      const kind = row.subject.startsWith('account:') ? 'account' : 'guest';
      if (!ban.matches.includes(kind)) ban.matches.push(kind);
      byId.set(row.ban_id, ban);
    }
    return [...byId.values()].map((ban) => ({ ...ban, matches: ban.matches.sort() }));
  }

  async lift(meetingId: string, banId: string): Promise<string[]> {
    const rows = await this.db
      .deleteFrom('meeting_bans')
      .where('meeting_id', '=', meetingId)
      .where('ban_id', '=', banId)
      .returning('subject')
      .execute();
    return rows.map((r) => r.subject);
  }
}
