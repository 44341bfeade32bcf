import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { SessionRepo, SessionRow } from './types.js';

export class KyselySessionRepo implements SessionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(tokenHash: string, row: SessionRow): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: tokenHash,
        account_id: row.accountId,
        csrf_token: row.csrfToken,
        expires_at: row.expiresAt,
      })
      .execute();
  }

  async find(tokenHash: string): Promise<SessionRow | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .select(['account_id', 'csrf_token', 'expires_at'])
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    return row && { accountId: row.account_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }
}
