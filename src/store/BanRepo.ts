import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { BanRepo } from './types.js';

export class KyselyBanRepo implements BanRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async add(meetingId: string, subject: string): Promise<void> {
    await this.db
      .insertInto('meeting_bans')
      .values({ meeting_id: meetingId, subject })
      .onConflict((oc) => oc.columns(['meeting_id', 'subject']).doNothing())
      .execute();
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
}
