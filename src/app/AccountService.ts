/**
 * Host accounts and their sessions. Passwords are scrypt hashes; a session is a random token kept only
 * as a SHA-256 hash in the store, with its own CSRF token. Failed sign-ins are rate-limited per email
 * and per client, and an unknown email costs the same time as a wrong password.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ConveneError } from '../errors.js';
import type { Account, Store } from '../store/types.js';
import { RateLimiter } from '../util/RateLimiter.js';
import { dummyHash, hashPassword, verifyPassword } from './passwords.js';

export const SESSION_DAYS = 30;
const SIGN_IN_FAILURES = { limit: 10, windowMs: 15 * 60_000 };

export interface PublicAccount {
  id: string;
  email: string;
  displayName: string;
  createdAt: string;
}

export interface SignedIn {
  account: PublicAccount;
  /** The cookie value; only its hash is stored. */
  sessionToken: string;
  csrfToken: string;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');
const newToken = (): string => randomBytes(32).toString('base64url');

export function publicAccount(a: Account): PublicAccount {
  return { id: a.id, email: a.email, displayName: a.displayName, createdAt: a.createdAt.toISOString() };
}

export class AccountService {
  readonly #failuresByEmail = new RateLimiter(SIGN_IN_FAILURES.limit, SIGN_IN_FAILURES.windowMs);
  readonly #failuresByClient = new RateLimiter(SIGN_IN_FAILURES.limit, SIGN_IN_FAILURES.windowMs);

  constructor(private readonly store: Store) {}

  async signUp(input: { email: string; password: string; displayName: string }): Promise<SignedIn> {
    const email = normaliseEmail(input.email);
    const account = await this.store.accounts.create({
      email,
      displayName: input.displayName.trim(),
      passwordHash: await hashPassword(input.password),
    });
    return this.#startSession(account);
  }

  async signIn(input: { email: string; password: string }, clientKey: string): Promise<SignedIn> {
    const email = normaliseEmail(input.email);
    if (this.#failuresByEmail.limited(email) || this.#failuresByClient.limited(clientKey)) {
      throw new ConveneError('rate_limited', 'Too many failed sign-ins; try again in 15 minutes.');
    }
    const account = await this.store.accounts.findByEmail(email);
    const ok = await verifyPassword(input.password, account?.passwordHash ?? (await dummyHash()));
    if (!account || !ok) {
      this.#failuresByEmail.record(email);
      this.#failuresByClient.record(clientKey);
      throw new ConveneError('invalid_credentials');
    }
    this.#failuresByEmail.reset(email);
    return this.#startSession(account);
  }

  /** The account and CSRF token of a session cookie, or undefined when it is missing or expired. */
  async session(
    sessionToken: string | undefined,
  ): Promise<{ account: Account; csrfToken: string } | undefined> {
    if (!sessionToken) return undefined;
    const row = await this.store.sessions.find(hashToken(sessionToken));
    if (!row) return undefined;
    const account = await this.store.accounts.findById(row.accountId);
    return account ? { account, csrfToken: row.csrfToken } : undefined;
  }

  async signOut(sessionToken: string): Promise<void> {
    await this.store.sessions.delete(hashToken(sessionToken));
  }

  async #startSession(account: Account): Promise<SignedIn> {
    const sessionToken = newToken();
    const csrfToken = newToken();
    await this.store.sessions.create(hashToken(sessionToken), {
      accountId: account.id,
      csrfToken,
      expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000),
    });
    return { account: publicAccount(account), sessionToken, csrfToken };
  }
}

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
