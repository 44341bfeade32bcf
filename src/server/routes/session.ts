/**
 * Sessions on HTTP requests: the `convene_session` cookie, its account, and the CSRF rule: a
 * state-changing request that carries a valid session must carry its CSRF token in `X-CSRF-Token`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountService } from '../../app/AccountService.js';
import { SESSION_DAYS } from '../../app/AccountService.js';
import { ConveneError } from '../../errors.js';
import type { Account } from '../../store/types.js';
import { parseCookies, serializeCookie } from '../../util/cookies.js';

export const SESSION_COOKIE = 'convene_session';
export const GUEST_COOKIE = 'convene_guest';
/**
 * The host key of an anonymous meeting, as an HttpOnly cookie named after the meeting and sent only to
 * the signaling path: page scripts cannot read it, and it is presented at the WebSocket upgrade.
 */
export const HOST_KEY_COOKIE_PREFIX = 'convene_host_';
const HOST_KEY_DAYS = 30;

/** Host keys by meeting ID from a Cookie header. */
export function hostKeysFromCookies(cookies: ReadonlyMap<string, string>): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [name, value] of cookies) {
    if (!name.startsWith(HOST_KEY_COOKIE_PREFIX)) continue;
    const meetingId = name.slice(HOST_KEY_COOKIE_PREFIX.length);
    if (/^[A-Za-z0-9_-]{22,64}$/.test(meetingId) && /^[A-Za-z0-9_-]{16,128}$/.test(value))
      keys.set(meetingId, value);
  }
  return keys;
}

/**
 * The host of an anonymous meeting, proven by the host key in the body (API users) or the browser's
 * HttpOnly host-key cookie; `not_found` otherwise, so meeting IDs reveal nothing.
 */
export async function requireHostKey(
  meetings: { isHostKey(meetingId: string, hostKey: string): Promise<boolean> },
  req: { headers: { cookie?: string | undefined } },
  meetingId: string,
  hostKey: string | undefined,
): Promise<{ meetingId: string }> {
  const key = hostKey ?? hostKeysFromCookies(parseCookies(req.headers.cookie)).get(meetingId);
  if (!key || !(await meetings.isHostKey(meetingId, key))) throw new ConveneError('not_found');
  return { meetingId };
}

export interface RequestSession {
  account: Account;
  csrfToken: string;
  token: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class Sessions {
  constructor(
    private readonly accounts: AccountService,
    private readonly secureCookies: boolean,
  ) {}

  /** The request's session, after the CSRF check for state-changing methods; undefined when signed out. */
  async optional(req: FastifyRequest): Promise<RequestSession | undefined> {
    const token = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    const found = await this.accounts.session(token);
    if (!found || !token) return undefined;
    if (!SAFE_METHODS.has(req.method)) {
      const header = req.headers['x-csrf-token'];
      const given = Buffer.from(typeof header === 'string' ? header : '');
      const expected = Buffer.from(found.csrfToken);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new ConveneError('csrf_failed');
    }
    return { ...found, token };
  }

  async required(req: FastifyRequest): Promise<RequestSession> {
    const session = await this.optional(req);
    if (!session) throw new ConveneError('not_signed_in');
    return session;
  }

  setCookie(reply: FastifyReply, token: string): void {
    reply.header(
      'Set-Cookie',
      serializeCookie(SESSION_COOKIE, token, {
        maxAgeSeconds: SESSION_DAYS * 86_400,
        secure: this.secureCookies,
      }),
    );
  }

  clearCookie(reply: FastifyReply): void {
    reply.header(
      'Set-Cookie',
      serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: this.secureCookies }),
    );
  }

  hostKeyCookie(reply: FastifyReply, meetingId: string, hostKey: string): void {
    reply.header(
      'Set-Cookie',
      serializeCookie(`${HOST_KEY_COOKIE_PREFIX}${meetingId}`, hostKey, {
        maxAgeSeconds: HOST_KEY_DAYS * 86_400,
        secure: this.secureCookies,
        // Read at the signaling upgrade and by the host-key notice routes; HttpOnly, never by scripts.
        path: '/',
      }),
    );
  }

  guestCookie(guestKey: string): string {
    return serializeCookie(GUEST_COOKIE, guestKey, {
      maxAgeSeconds: 365 * 86_400,
      secure: this.secureCookies,
    });
  }
}
