/**
 * Operators: the people who answer authority requests. They are not hosts: created by an admin (or
 * `convene operator add`), enrolled through a one-time link (password + TOTP secret, RFC 6238 via the
 * `otpauth` library), signed in with password AND a one-time code, on one-hour sessions. Every
 * change is recorded through the one recording function. Failed sign-ins are reserved before the
 * slow password check, so parallel guesses cannot outrun the limit.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { ConveneError } from '../../errors.js';
import type { Operator, OperatorRole, Store } from '../../store/types.js';
import { RateLimiter } from '../../util/RateLimiter.js';
import { dummyHash, hashPassword, verifyPassword } from '../passwords.js';
import { recordAction, type Actor } from './record.js';

export const OPERATOR_SESSION_MS = 60 * 60_000;
const ENROLMENT_MS = 72 * 60 * 60_000;
const SIGN_IN_FAILURES = { limit: 10, windowMs: 15 * 60_000 };
const TOTP = { period: 30, digits: 6, algorithm: 'SHA1' } as const;

export interface PublicOperator {
  id: string;
  email: string;
  displayName: string;
  role: OperatorRole;
  enrolled: boolean;
  disabled: boolean;
  createdAt: string;
}

export interface OperatorSession {
  operator: Operator;
  csrfToken: string;
  token: string;
}

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');
const newToken = () => randomBytes(32).toString('base64url');

export function publicOperator(op: Operator): PublicOperator {
  return {
    id: op.id,
    email: op.email,
    displayName: op.displayName,
    role: op.role,
    enrolled: op.totpSecret !== null && op.enrolTokenHash === null && op.passwordHash !== null,
    disabled: op.disabledAt !== null,
    createdAt: op.createdAt.toISOString(),
  };
}

function totpFor(op: Pick<Operator, 'email'>, secret: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: 'Convene',
    label: op.email,
    ...TOTP,
    secret: OTPAuth.Secret.fromBase32(secret),
  });
}

export class OperatorService {
  readonly #failuresByEmail = new RateLimiter(SIGN_IN_FAILURES.limit, SIGN_IN_FAILURES.windowMs);
  readonly #failuresByClient = new RateLimiter(SIGN_IN_FAILURES.limit, SIGN_IN_FAILURES.windowMs);

  constructor(
    private readonly store: Store,
    /** Base URL for enrolment links, e.g. https://meet.example.org. */
    private readonly baseUrl: () => string,
  ) {}

  /** Adds an operator (an admin in the console, or the CLI as `system`); returns the one-time link. */
  async add(
    input: { email: string; displayName: string; role: OperatorRole },
    by: Actor,
  ): Promise<{ operator: PublicOperator; enrolmentUrl: string; token: string }> {
    const email = input.email.trim().toLowerCase();
    const token = newToken();
    const operator = await this.store.transaction(async (tx) => {
      if (await tx.operators.findByEmail(email)) {
        throw new ConveneError('bad_request', 'An operator with this email already exists.');
      }
      const op = await tx.operators.create({
        id: randomBytes(12).toString('base64url'),
        email,
        displayName: input.displayName.trim() || email,
        role: input.role,
        passwordHash: null,
        totpSecret: null,
        enrolTokenHash: hash(token),
        enrolExpiresAt: new Date(Date.now() + ENROLMENT_MS),
      });
      await recordAction(tx, {
        actor: by,
        action: 'operator.added',
        details: { operator: op.id, role: op.role },
        private: { email: op.email, displayName: op.displayName },
      });
      return op;
    });
    return {
      operator: publicOperator(operator),
      enrolmentUrl: `${this.baseUrl()}/operator/enrol#token=${token}`,
      token,
    };
  }

  /** Enrolment step 1: sets the password and issues the TOTP secret (confirmed by step 2). */
  async enrol(token: string, password: string): Promise<{ totpSecret: string; otpauthUri: string }> {
    const op = await this.#enrolling(token);
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    await this.store.operators.update(op.id, {
      passwordHash: await hashPassword(password),
      totpSecret: secret,
    });
    return { totpSecret: secret, otpauthUri: totpFor(op, secret).toString() };
  }

  /** Enrolment step 2: a valid code proves the authenticator holds the secret; the link is spent. */
  async confirmEnrolment(token: string, code: string): Promise<PublicOperator> {
    const op = await this.#enrolling(token);
    if (!op.totpSecret || !op.passwordHash) throw new ConveneError('enrolment_invalid');
    // Confirming only proves the authenticator holds the secret; it opens no session, so it does not
    // spend the code's time step (the first sign-in may use the same code window).
    if (this.#codeStep(op, code) === undefined) throw new ConveneError('totp_invalid');
    await this.store.transaction(async (tx) => {
      await tx.operators.update(op.id, { enrolTokenHash: null, enrolExpiresAt: null });
      await recordAction(tx, {
        actor: { kind: 'operator', id: op.id },
        action: 'operator.enrolled',
        details: { operator: op.id },
      });
    });
    return publicOperator({ ...op, enrolTokenHash: null });
  }

  async #enrolling(token: string): Promise<Operator> {
    const op = await this.store.operators.findByEnrolToken(hash(token));
    if (!op || op.disabledAt || !op.enrolExpiresAt || op.enrolExpiresAt <= new Date()) {
      throw new ConveneError('enrolment_invalid');
    }
    return op;
  }

  /** The time step of a code valid within one step of now, or undefined. */
  #codeStep(op: Operator, code: string): number | undefined {
    if (!op.totpSecret || !/^\d{6}$/.test(code)) return undefined;
    const delta = totpFor(op, op.totpSecret).validate({ token: code, window: 1 });
    return delta === null ? undefined : Math.floor(Date.now() / 1000 / TOTP.period) + delta;
  }

  /** A sign-in code is valid within one step of now and only once (its step must be newer than the last). */
  async #checkCode(op: Operator, code: string): Promise<boolean> {
    const step = this.#codeStep(op, code);
    return step !== undefined && this.store.operators.acceptTotpStep(op.id, step);
  }

  async signIn(
    input: { email: string; password: string; code: string },
    clientKey: string,
  ): Promise<{ operator: PublicOperator; sessionToken: string; csrfToken: string }> {
    const email = input.email.trim().toLowerCase();
    if (this.#failuresByEmail.limited(email) || this.#failuresByClient.limited(clientKey)) {
      throw new ConveneError('rate_limited', 'Too many failed sign-ins; try again in 15 minutes.');
    }
    // Reserve the attempt before the slow checks; a success gives it back.
    this.#failuresByEmail.record(email);
    this.#failuresByClient.record(clientKey);
    const op = await this.store.operators.findByEmail(email);
    const passwordOk = await verifyPassword(input.password, op?.passwordHash ?? (await dummyHash()));
    const enrolled = op !== undefined && publicOperator(op).enrolled && op.disabledAt === null;
    if (!op || !enrolled || !passwordOk || !(await this.#checkCode(op, input.code))) {
      throw new ConveneError('invalid_credentials', 'The email, password or one-time code is not right.');
    }
    this.#failuresByEmail.reset(email);
    this.#failuresByClient.reset(clientKey);
    const sessionToken = newToken();
    const csrfToken = newToken();
    await this.store.operators.createSession(
      hash(sessionToken),
      op.id,
      csrfToken,
      new Date(Date.now() + OPERATOR_SESSION_MS),
    );
    return { operator: publicOperator(op), sessionToken, csrfToken };
  }

  async session(token: string | undefined): Promise<OperatorSession | undefined> {
    if (!token) return undefined;
    const found = await this.store.operators.findSession(hash(token));
    if (!found) return undefined;
    const operator = await this.store.operators.findById(found.operatorId);
    if (!operator || operator.disabledAt) return undefined;
    return { operator, csrfToken: found.csrfToken, token };
  }

  async signOut(token: string): Promise<void> {
    await this.store.operators.deleteSession(hash(token));
  }

  async list(): Promise<PublicOperator[]> {
    return (await this.store.operators.list()).map(publicOperator);
  }

  /** Disables (never deletes) an operator: the record keeps who did what; their sessions end. */
  async disable(id: string, by: Actor): Promise<void> {
    await this.store.transaction(async (tx) => {
      const op = await tx.operators.findById(id);
      if (!op) throw new ConveneError('not_found');
      if (op.disabledAt) return;
      await tx.operators.update(id, { disabledAt: new Date(), enrolTokenHash: null });
      await tx.operators.deleteSessionsOf(id);
      await recordAction(tx, { actor: by, action: 'operator.disabled', details: { operator: id } });
    });
  }
}
