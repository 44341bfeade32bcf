/**
 * The HTTP API (docs/api.md): accounts, the signed-in session and meetings. All fetch logic of the
 * browser lives here. The session cookie is HttpOnly and travels by itself (same origin); this client
 * keeps the CSRF token that every state-changing request made with that cookie must carry
 * (`X-CSRF-Token`). It learns the token from sign-in, sign-up and `getSession()`, and when the server
 * still answers `csrf_failed` it refreshes the token once and retries.
 * Errors reject with a ClientError whose `code` is the server's (`email_taken`, `not_found`...).
 */
import type { MeetingPreview } from '../protocol/preview.js';
import { ClientError, errorCode } from './ClientError.js';

export interface Account {
  id: string;
  email: string;
  displayName: string;
  createdAt: string;
}

export interface RegionPolicy {
  /** `deny`: block participants from these countries; `allow`: only these countries. */
  mode: 'deny' | 'allow';
  /** ISO 3166-1 alpha-2 codes. */
  jurisdictions: string[];
}

/** Settings as written (`passcode` is write-only: null for none). */
export interface MeetingSettingsInput {
  lobby: boolean;
  passcode: string | null;
  webinar: boolean;
  maxParticipants: number | null;
  regionPolicy: RegionPolicy | null;
}

/** Settings as read back: `hasPasscode`, and the passcode itself only for the host. */
export interface MeetingSettingsView {
  lobby: boolean;
  hasPasscode: boolean;
  passcode?: string;
  webinar: boolean;
  maxParticipants: number | null;
  regionPolicy: RegionPolicy | null;
}

/** A ban as its host sees it: what it matches, never the account ID or guest key themselves. */
export interface Ban {
  id: string;
  /** The display name the participant had when banned. */
  label: string | null;
  matches: ('account' | 'guest')[];
  createdAt: string;
}

export interface Meeting {
  id: string;
  title: string;
  /** `<public url>/m/<id>`, without the passcode (see `meetingLink`). */
  url: string;
  /** Only in the reply that created an anonymous meeting: join with it to be the host. */
  hostKey?: string;
  scheduledFor: string | null;
  createdAt: string;
  endedAt: string | null;
  /** Whether the host locked the meeting (nobody new can join). */
  locked?: boolean;
  live: { participants: number } | null;
  settings: MeetingSettingsView;
}

export type { MeetingPreview } from '../protocol/preview.js';

export interface MeetingInput {
  title?: string;
  /** ISO time; `null` (in an update) clears it. */
  scheduledFor?: string | null;
  settings?: Partial<MeetingSettingsInput>;
}

export interface ApiClientOptions {
  /** Prefix of every path; defaults to the page's origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private csrfToken: string | null = null;

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The signed-in account, or null when not signed in (also refreshes the CSRF token). */
  async getSession(): Promise<Account | null> {
    try {
      const reply = await this.call<{ account: Account; csrfToken: string }>('GET', '/api/session');
      this.csrfToken = reply.csrfToken;
      return reply.account;
    } catch (error) {
      if (errorCode(error) === 'not_signed_in') {
        this.csrfToken = null;
        return null;
      }
      throw error;
    }
  }

  /**
   * Signs up, then signs in with the same credentials: sign-up answers alike for a free and a taken
   * address, so a taken address (with another password) ends in `invalid_credentials`.
   */
  async signUp(input: { email: string; password: string; displayName: string }): Promise<Account> {
    await this.call<{ status: string }>('POST', '/api/accounts', input);
    return this.signIn({ email: input.email, password: input.password });
  }

  /** Rejects with `invalid_credentials` (wrong email or password alike) or `rate_limited`. */
  async signIn(input: { email: string; password: string }): Promise<Account> {
    const reply = await this.call<{ account: Account; csrfToken: string }>('POST', '/api/session', input);
    this.csrfToken = reply.csrfToken;
    return reply.account;
  }

  async signOut(): Promise<void> {
    try {
      await this.call<void>('DELETE', '/api/session');
    } catch (error) {
      // Already signed out elsewhere: the outcome is the same.
      if (errorCode(error) !== 'not_signed_in') throw error;
    }
    this.csrfToken = null;
  }

  /**
   * Signed in: you are the host. Anonymous: the answer sets the host key as an HttpOnly cookie that this
   * browser's signaling connection presents, so joining makes you the host; `hostKey` in the reply is
   * for non-browser clients (send it in `join`).
   */
  createMeeting(input: MeetingInput = {}): Promise<Meeting> {
    return this.call<Meeting>('POST', '/api/meetings', input);
  }

  /** Your meetings, newest scheduled first (signed in). */
  async listMeetings(): Promise<Meeting[]> {
    const reply = await this.call<{ meetings: Meeting[] }>('GET', '/api/meetings');
    return reply.meetings;
  }

  /** One of your meetings (the host only; anyone else gets `not_found`). */
  getMeeting(id: string): Promise<Meeting> {
    return this.call<Meeting>('GET', `/api/meetings/${encodeURIComponent(id)}`);
  }

  updateMeeting(id: string, patch: MeetingInput): Promise<Meeting> {
    return this.call<Meeting>('PATCH', `/api/meetings/${encodeURIComponent(id)}`, patch);
  }

  /** Ends the meeting for everyone; it cannot be joined again. */
  /** Title and who is there, as far as this viewer may know before joining; never takes a passcode. */
  async meetingPreview(id: string): Promise<MeetingPreview> {
    return this.call<MeetingPreview>('GET', `/api/meetings/${encodeURIComponent(id)}/preview`);
  }

  async endMeeting(id: string): Promise<void> {
    await this.call<void>('DELETE', `/api/meetings/${encodeURIComponent(id)}`);
  }

  /** The meeting's bans (the signed-in host's meetings; docs/api.md "Bans"). */
  async listBans(meetingId: string): Promise<Ban[]> {
    const id = encodeURIComponent(meetingId);
    return (await this.call<{ bans: Ban[] }>('GET', `/api/meetings/${id}/bans`)).bans;
  }

  /** Lifts one ban: that account and guest cookie may join again. */
  async liftBan(meetingId: string, banId: string): Promise<void> {
    const path = `/api/meetings/${encodeURIComponent(meetingId)}/bans/${encodeURIComponent(banId)}`;
    await this.call<void>('DELETE', path);
  }

  private async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
    try {
      return await this.send<T>(method, path, body);
    } catch (error) {
      if (errorCode(error) !== 'csrf_failed' || method === 'GET') throw error;
      // The token was missing or stale (e.g. signed in from another tab): refresh it once.
      const account = await this.getSession();
      if (!account) throw error;
      return this.send<T>(method, path, body);
    }
  }

  private send<T>(method: Method, path: string, body?: unknown): Promise<T> {
    return jsonRequest<T>(method, this.baseUrl + path, {
      body,
      csrfToken: this.csrfToken,
      fetchFn: this.fetchFn,
    });
  }
}

/**
 * One JSON request to Convene's HTTP API: the CSRF header on state-changing methods, the server's
 * typed error (`{error: {code, message}}`) turned into a ClientError, `connection_failed` when the
 * server cannot be reached. The ApiClient and the web app's operator and notice calls share it.
 */
export async function jsonRequest<T>(
  method: Method,
  url: string,
  options: { body?: unknown; csrfToken?: string | null | undefined; fetchFn?: typeof fetch } = {},
): Promise<T> {
  const { body, csrfToken } = options;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await (options.fetchFn ?? fetch)(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ClientError('connection_failed', 'Could not reach the server.', { cause: error });
  }
  if (response.status === 204) return undefined as T;
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    // Not JSON (e.g. a proxy's error page): described by the status below.
  }
  if (!response.ok) throw errorFrom(response.status, payload);
  return payload as T;
}

function errorFrom(status: number, payload: unknown): ClientError {
  const error = (payload as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string') {
    return new ClientError(error.code, typeof error.message === 'string' ? error.message : error.code);
  }
  const code =
    status === 404
      ? 'not_found'
      : status === 429
        ? 'rate_limited'
        : status >= 500
          ? 'internal'
          : 'bad_request';
  return new ClientError(code, `The server answered ${status}.`);
}

/**
 * The link to share: `url`, plus `#pwd=<passcode>` when the meeting has one and you know it (the
 * fragment never reaches a server).
 */
export function meetingLink(meeting: Pick<Meeting, 'url'>, passcode?: string | null): string {
  if (!passcode) return meeting.url;
  return `${meeting.url.replace(/#.*$/, '')}#pwd=${encodeURIComponent(passcode)}`;
}

/** The passcode in a link's fragment (`#pwd=...`), or null. */
export function passcodeFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const value = params.get('pwd');
  return value ? value : null;
}
