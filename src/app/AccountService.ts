/**
 * Host accounts and their sessions. Passwords are scrypt hashes; a session is a random token kept only
 * as a SHA-256 hash in the store, with its own CSRF token.
 *
 * Abuse limits (docs/security.md): a sign-in attempt is counted against its client *before* the slow
 * password check (so parallel guesses cannot all slip in while the first is being hashed), failures
 * grow a per-client delay instead of locking the account (a stranger cannot lock its owner out), and
 * each email has at most two checks in flight. Sign-up is limited per client and overall in flight, and
 * answers the same whether or not the address already has an account.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ConveneError } from '../errors.js';
import type { Account, Store } from '../store/types.js';
import { Backoff, InFlight } from '../util/Backoff.js';
import { RateLimiter } from '../util/RateLimiter.js';
import { dummyHash, hashPassword, verifyPassword } from './passwords.js';

export const SESSION_DAYS = 30;
/** Per client: 5 free failures, then 1 s, 2 s, 4 s … up to 15 minutes between attempts. */
export const SIGN_IN_BACKOFF = { free: 5, baseMs: 1000, maxMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 };
/** Password checks in flight for one email, from all clients together. */
export const SIGN_IN_IN_FLIGHT_PER_EMAIL = 2;
/** Sign-ups per client (successful or not), and sign-up hashes in flight on the whole server. */
export const SIGN_UPS = { limit: 5, windowMs: 60 * 60_000, inFlight: 4 };

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
  readonly #signInByClient: Backoff;
  readonly #signInInFlight = new InFlight(SIGN_IN_IN_FLIGHT_PER_EMAIL);
  readonly #signUpsByClient: RateLimiter;
  readonly #signUpsInFlight = new InFlight(SIGN_UPS.inFlight);

  constructor(
    private readonly store: Store,
    options: { now?: () => number } = {},
  ) {
    this.#signInByClient = new Backoff({ ...SIGN_IN_BACKOFF, ...(options.now ? { now: options.now } : {}) });
    this.#signUpsByClient = new RateLimiter(SIGN_UPS.limit, SIGN_UPS.windowMs, 100_000, options.now);
  }

  /**
   * Creates the account, or, when the address already has one, records "someone tried to sign up with
   * your address" in its outbox. Both cases resolve the same way (nothing is returned and no session is
   * started) after the same work, so the answer does not reveal whether an address has an account.
   */
  async signUp(
    input: { email: string; password: string; displayName: string },
    clientKey: string,
  ): Promise<void> {
    if (this.#signUpsByClient.limited(clientKey)) {
      throw new ConveneError('rate_limited', 'Too many sign-ups from your network; try again later.');
    }
    if (!this.#signUpsInFlight.tryEnter('all')) {
      throw new ConveneError('rate_limited', 'Too many sign-ups right now; try again in a moment.');
    }
    this.#signUpsByClient.record(clientKey);
    try {
      const email = normaliseEmail(input.email);
      const passwordHash = await hashPassword(input.password);
      let created = true;
      try {
        await this.store.accounts.create({ email, displayName: input.displayName.trim(), passwordHash });
      } catch (err) {
        if (!(err instanceof ConveneError && err.code === 'email_taken')) throw err;
        created = false;
      }
      await this.store.outbox.add(
        created
          ? {
              recipient: email,
              kind: 'welcome',
              subject: 'Your Convene account',
              body: 'Your Convene account was created. You can now sign in and host meetings.',
            }
          : {
              recipient: email,
              kind: 'signup_attempt',
              subject: 'Someone tried to sign up with your address',
              body:
                'Someone tried to create a Convene account with this address, which already has one. ' +
                'If it was you, sign in instead. If not, you can ignore this message: nothing was changed.',
            },
      );
    } finally {
      this.#signUpsInFlight.leave('all');
    }
  }

  async signIn(input: { email: string; password: string }, clientKey: string): Promise<SignedIn> {
    const email = normaliseEmail(input.email);
    const waitMs = this.#signInByClient.retryAfterMs(clientKey);
    if (waitMs > 0) {
      throw new ConveneError(
        'rate_limited',
        `Too many failed sign-ins; try again in ${Math.ceil(waitMs / 1000)} seconds.`,
      );
    }
    if (!this.#signInInFlight.tryEnter(email)) {
      throw new ConveneError('rate_limited', 'Sign-in for this account is busy; try again in a moment.');
    }
    // Reserved before the slow check, refunded on success: parallel guesses are all counted.
    this.#signInByClient.fail(clientKey);
    let account: Account | undefined;
    let ok = false;
    try {
      account = await this.store.accounts.findByEmail(email);
      ok = await verifyPassword(input.password, account?.passwordHash ?? (await dummyHash()));
    } finally {
      this.#signInInFlight.leave(email);
    }
    if (!account || !ok) throw new ConveneError('invalid_credentials');
    this.#signInByClient.refund(clientKey);
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
