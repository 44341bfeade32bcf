import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, OutboxTable } from './schema.js';
import type { OutboxRecord, OutboxRepo } from './types.js';

export class KyselyOutboxRepo implements OutboxRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async add(input: {
    recipient: string;
    subject: string;
    body: string;
    kind: string;
  }): Promise<OutboxRecord> {
    const row = await this.db
      .insertInto('outbox')
      .values({ id: randomBytes(16).toString('base64url'), ...input })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async listFor(recipient: string): Promise<OutboxRecord[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .selectAll()
      .where('recipient', '=', recipient.toLowerCase())
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }
}

function toRecord(row: Selectable<OutboxTable>): OutboxRecord {
  return {
    id: row.id,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    kind: row.kind,
    createdAt: row.created_at,
  };
}
