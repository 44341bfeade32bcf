import type { Kysely, Selectable } from 'kysely';
import type { Operator, OperatorRepo } from './caseTypes.js';
import type { Database, OperatorsTable } from './schema.js';

export class KyselyOperatorRepo implements OperatorRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(op: Omit<Operator, 'createdAt' | 'disabledAt'>): Promise<Operator> {
    const row = await this.db
      .insertInto('operators')
      .values({
        id: op.id,
        email: op.email.toLowerCase(),
        display_name: op.displayName,
        role: op.role,
        password_hash: op.passwordHash,
        totp_secret: op.totpSecret,
        enrol_token_hash: op.enrolTokenHash,
        enrol_expires_at: op.enrolExpiresAt,
        disabled_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toOperator(row);
  }

  async findById(id: string): Promise<Operator | undefined> {
    const row = await this.db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toOperator(row);
  }

  async findByEmail(email: string): Promise<Operator | undefined> {
    const row = await this.db
      .selectFrom('operators')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    return row && toOperator(row);
  }

  async findByEnrolToken(tokenHash: string): Promise<Operator | undefined> {
    const row = await this.db
      .selectFrom('operators')
      .selectAll()
      .where('enrol_token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toOperator(row);
  }

  async list(): Promise<Operator[]> {
    const rows = await this.db.selectFrom('operators').selectAll().orderBy('created_at').execute();
    return rows.map(toOperator);
  }

  async update(
    id: string,
    patch: Partial<
      Pick<Operator, 'passwordHash' | 'totpSecret' | 'enrolTokenHash' | 'enrolExpiresAt' | 'disabledAt'>
    >,
  ): Promise<void> {
    const set: Partial<Selectable<OperatorsTable>> = {};
    if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
    if (patch.totpSecret !== undefined) set.totp_secret = patch.totpSecret;
    if (patch.enrolTokenHash !== undefined) set.enrol_token_hash = patch.enrolTokenHash;
    if (patch.enrolExpiresAt !== undefined) set.enrol_expires_at = patch.enrolExpiresAt;
    if (patch.disabledAt !== undefined) set.disabled_at = patch.disabledAt;
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('operators').set(set).where('id', '=', id).execute();
  }

  async acceptTotpStep(id: string, step: number): Promise<boolean> {
    const row = await this.db
      .updateTable('operators')
      .set({ totp_last_step: String(step) })
      .where('id', '=', id)
      .where('totp_last_step', '<', String(step))
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async createSession(
    tokenHash: string,
    operatorId: string,
    csrfToken: string,
    expiresAt: Date,
  ): Promise<void> {
    await this.db
      .insertInto('operator_sessions')
      .values({
        token_hash: tokenHash,
        operator_id: operatorId,
        csrf_token: csrfToken,
        expires_at: expiresAt,
      })
      .execute();
  }

  async findSession(tokenHash: string): Promise<{ operatorId: string; csrfToken: string } | undefined> {
    const row = await this.db
      .selectFrom('operator_sessions')
      .select(['operator_id', 'csrf_token'])
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    return row && { operatorId: row.operator_id, csrfToken: row.csrf_token };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('operator_sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteSessionsOf(operatorId: string): Promise<void> {
    await this.db.deleteFrom('operator_sessions').where('operator_id', '=', operatorId).execute();
  }
}

function toOperator(row: Selectable<OperatorsTable>): Operator {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    passwordHash: row.password_hash,
    totpSecret: row.totp_secret,
    enrolTokenHash: row.enrol_token_hash,
    enrolExpiresAt: row.enrol_expires_at,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}
