import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { ConveneError } from '../errors.js';
import type { AccountsTable, Database } from './schema.js';
import type { Account, AccountRepo } from './types.js';

export class KyselyAccountRepo implements AccountRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: { email: string; displayName: string; passwordHash: string }): Promise<Account> {
    try {
      const row = await this.db
        .insertInto('accounts')
        .values({
          id: randomBytes(16).toString('base64url'),
          email: input.email.toLowerCase(),
          display_name: input.displayName,
          password_hash: input.passwordHash,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAccount(row);
    } catch (err) {
      if (isUniqueViolation(err, 'accounts_email_key')) throw new ConveneError('email_taken');
      throw err;
    }
  }

  async findByEmail(email: string): Promise<Account | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    return row && toAccount(row);
  }

  async findById(id: string): Promise<Account | undefined> {
    const row = await this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAccount(row);
  }
}

function toAccount(row: Selectable<AccountsTable>): Account {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

/** A PostgreSQL unique_violation (23505) on the named constraint, from pg or PGlite. */
function isUniqueViolation(err: unknown, constraint: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && e.constraint === constraint;
}
