/**
 * Types and HTTP calls of the case process (docs/api.md, "Withholding and the case process"): the
 * operator console (its own session cookie and CSRF token), hosts' notices and appeals, and the public
 * notices. Errors reject with a ClientError carrying the server's code and message.
 */
import { jsonRequest } from '../../src/client/api.js';
import { ClientError } from '../../src/client/ClientError.js';

export type OperatorRole = 'intake' | 'reviewer' | 'admin';
export const OPERATOR_ROLES: readonly OperatorRole[] = ['intake', 'reviewer', 'admin'];

export interface Operator {
  id: string;
  email: string;
  displayName: string;
  role: OperatorRole;
  enrolled: boolean;
  disabled: boolean;
  createdAt: string;
}

export type CaseStatus =
  'received' | 'under_review' | 'decided' | 'appealed' | 'upheld' | 'reversed' | 'expired';
export const CASE_STATUSES: readonly CaseStatus[] = [
  'received',
  'under_review',
  'decided',
  'appealed',
  'upheld',
  'reversed',
  'expired',
];

export type Demand = 'end_meeting' | 'suspend_account' | 'remove_participants' | 'disclose_data' | 'other';
export const DEMANDS: readonly Demand[] = [
  'end_meeting',
  'suspend_account',
  'remove_participants',
  'disclose_data',
  'other',
];
/** Demands Convene has no action for: recorded as demanded and not done (as the server decides). */
export const NEVER_DONE: readonly Demand[] = ['end_meeting', 'suspend_account', 'disclose_data', 'other'];

export type CaseTarget =
  | { kind: 'meeting'; meetingId: string }
  | { kind: 'host'; hostAccountId: string }
  | { kind: 'link'; url: string };

export type TargetInput =
  { kind: 'meeting'; link: string } | { kind: 'host'; email: string } | { kind: 'link'; url: string };

export type RestrictionScope =
  { kind: 'meeting'; meetingId: string } | { kind: 'host'; hostAccountId: string };

export interface Restriction {
  id: string;
  jurisdiction: string;
  scope: RestrictionScope;
  createdAt: string;
  expiresAt: string;
  liftedAt: string | null;
  liftReason: null | 'expired' | 'reversed';
}

export interface Decision {
  outcome: 'rejected' | 'withheld' | 'partial';
  reason: string;
  decidedBy: string;
  decidedAt: string;
  expiresAt: string | null;
  notDone: string[];
}

export interface Appeal {
  text?: string;
  filedAt?: string;
  outcome: 'upheld' | 'reversed' | null;
  decidedAt: string | null;
  reason?: string | null;
}

export interface CaseCounts {
  meetingsAffected: number;
  participantsWithheld: number;
  joinsRefused: number;
}

export interface CaseAction {
  seq: number;
  at: string;
  action: string;
  /** The operator's id (or a short description of them). */
  operator: unknown;
  details: unknown;
}

export interface Case {
  id: string;
  ref: string;
  status: CaseStatus;
  authority: string;
  jurisdiction: string;
  legalBasis: string;
  receivedOn: string;
  demands: Demand[];
  demandText: string | null;
  targets: CaseTarget[];
  evidenceNotes: string | null;
  recordedBy: string;
  reviewer: string | null;
  decision: Decision | null;
  restrictions: Restriction[];
  gag: { until: string; reason: string } | null;
  appeals: Appeal[];
  counts: CaseCounts;
  actions: CaseAction[];
  createdAt: string;
}

export interface CaseInput {
  authority: string;
  jurisdiction: string;
  legalBasis: string;
  receivedOn: string;
  demands: Demand[];
  demandText?: string;
  targets: TargetInput[];
  evidenceNotes?: string;
}

export interface ScopeCounts {
  meetings: number;
  liveMeetings: number;
  liveParticipantsInJurisdiction: number;
}

export interface CaseScope {
  jurisdiction: string;
  targets: Array<{ target: CaseTarget } & ScopeCounts>;
  totals: ScopeCounts;
}

export type DecisionInput =
  | { outcome: 'rejected'; reason: string }
  | {
      outcome: 'withhold';
      targets: number[];
      expiresAt: string;
      reason: string;
      gag?: { until: string; reason: string };
    };

export interface Notice {
  id: string;
  caseRef: string;
  kind: 'withheld' | 'appeal_decided' | 'lifted';
  jurisdiction: string;
  legalBasis: string;
  authority: string;
  scope: { kind: string; meetingIds: string[] };
  expiresAt: string | null;
  decidedAt: string | null;
  reason: string;
  appeal: null | {
    text: string;
    filedAt: string;
    outcome: 'upheld' | 'reversed' | null;
    decidedAt: string | null;
    reason: string | null;
  };
  /** The host agreed that the public notice names the meeting titles / the host. */
  publishTitles: boolean;
  publishHostName: boolean;
  noticePath: string;
  createdAt: string;
}

const NOTICE_KINDS: ReadonlySet<string> = new Set(['withheld', 'appeal_decided', 'lifted']);

/** A `Notice` from an untyped source (the `hostNotice` signaling message), or null when it is not one. */
export function asNotice(value: Record<string, unknown>): Notice | null {
  const strings = ['id', 'caseRef', 'jurisdiction', 'legalBasis', 'authority', 'reason', 'noticePath'];
  if (!strings.every((key) => typeof value[key] === 'string')) return null;
  if (typeof value.kind !== 'string' || !NOTICE_KINDS.has(value.kind)) return null;
  const scope = value.scope;
  if (
    typeof scope !== 'object' ||
    scope === null ||
    !('meetingIds' in scope) ||
    !Array.isArray(scope.meetingIds)
  )
    return null;
  // Checked above field by field: the server sends docs/api.md's Notice.
  return value as unknown as Notice;
}

export interface PublicCase {
  ref: string;
  authority: string;
  jurisdiction: string;
  legalBasis: string;
  receivedOn: string;
  demands: string[];
  demandText: string | null;
  outcome: string;
  notDone: string[];
  action: { kind: string; jurisdiction: string; scope: { meetings: number; hosts: number } } | null;
  expiresAt: string | null;
  appeal: null | { outcome: string | null; decidedAt: string | null };
  counts: CaseCounts;
  status: string;
  decidedAt: string | null;
  meetingTitles?: string[];
  hostName?: string;
  /** Positions of this case's entries in the public operator log (docs/api.md). */
  logEntries?: { index: number; action: string; at: string }[];
}

type Method = 'GET' | 'POST' | 'DELETE';

const request = <T>(method: Method, path: string, body?: unknown, csrf?: string | null): Promise<T> =>
  jsonRequest<T>(method, path, { body, csrfToken: csrf });

const enc = encodeURIComponent;

/** The operator console's client: keeps the operator session's CSRF token. */
class OperatorApi {
  private csrf: string | null = null;

  /** The signed-in operator, or null. */
  async session(): Promise<Operator | null> {
    try {
      const reply = await request<{ operator: Operator; csrfToken: string }>('GET', '/api/operator/session');
      this.csrf = reply.csrfToken;
      return reply.operator;
    } catch (error) {
      if (error instanceof ClientError && error.code === 'operator_auth_required') {
        this.csrf = null;
        return null;
      }
      throw error;
    }
  }

  async signIn(input: { email: string; password: string; code: string }): Promise<Operator> {
    const reply = await request<{ operator: Operator; csrfToken: string }>(
      'POST',
      '/api/operator/session',
      input,
    );
    this.csrf = reply.csrfToken;
    return reply.operator;
  }

  async signOut(): Promise<void> {
    await request<void>('DELETE', '/api/operator/session', undefined, this.csrf);
    this.csrf = null;
  }

  enrol(token: string, password: string): Promise<{ totpSecret: string; otpauthUri: string }> {
    return request('POST', '/api/operator/enrolment', { token, password });
  }

  confirmEnrolment(token: string, code: string): Promise<{ operator: Operator }> {
    return request('POST', '/api/operator/enrolment/confirm', { token, code });
  }

  async operators(): Promise<Operator[]> {
    return (await request<{ operators: Operator[] }>('GET', '/api/operator/operators')).operators;
  }

  addOperator(input: { email: string; displayName: string; role: OperatorRole }): Promise<{
    operator: Operator;
    enrolmentUrl: string;
  }> {
    return request('POST', '/api/operator/operators', input, this.csrf);
  }

  disableOperator(id: string): Promise<void> {
    return request('DELETE', `/api/operator/operators/${enc(id)}`, undefined, this.csrf);
  }

  async cases(filter: { status?: string; jurisdiction?: string } = {}): Promise<Case[]> {
    const query = new URLSearchParams();
    if (filter.status) query.set('status', filter.status);
    if (filter.jurisdiction) query.set('jurisdiction', filter.jurisdiction);
    const qs = query.toString();
    return (await request<{ cases: Case[] }>('GET', `/api/operator/cases${qs ? `?${qs}` : ''}`)).cases;
  }

  createCase(input: CaseInput): Promise<Case> {
    return request('POST', '/api/operator/cases', input, this.csrf);
  }

  getCase(ref: string): Promise<Case> {
    return request('GET', `/api/operator/cases/${enc(ref)}`);
  }

  scope(ref: string): Promise<CaseScope> {
    return request('GET', `/api/operator/cases/${enc(ref)}/scope`);
  }

  startReview(ref: string): Promise<Case> {
    return request('POST', `/api/operator/cases/${enc(ref)}/review`, {}, this.csrf);
  }

  decide(ref: string, decision: DecisionInput): Promise<Case> {
    return request('POST', `/api/operator/cases/${enc(ref)}/decision`, decision, this.csrf);
  }

  setGag(ref: string, gag: { until: string | null; reason: string }): Promise<Case> {
    return request('POST', `/api/operator/cases/${enc(ref)}/gag`, gag, this.csrf);
  }

  async appeals(): Promise<Case[]> {
    return (await request<{ cases: Case[] }>('GET', '/api/operator/appeals')).cases;
  }

  decideAppeal(ref: string, input: { outcome: 'upheld' | 'reversed'; reason: string }): Promise<Case> {
    return request('POST', `/api/operator/cases/${enc(ref)}/appeal-decision`, input, this.csrf);
  }
}

export const operatorApi = new OperatorApi();

/** A host's own credentials: the account session (CSRF token from the main API client) or a host key. */
/**
 * A signed-in host, or the host of an anonymous meeting: the browser holds its host key in an HttpOnly
 * cookie the server reads (the page never sees it); API users may pass `hostKey` explicitly.
 */
export type HostCredentials =
  { kind: 'account' } | { kind: 'hostKey'; meetingId: string; hostKey?: string | undefined };

/** The signed-in host's CSRF token (the account session's, from GET /api/session). */
async function hostCsrf(): Promise<string> {
  return (await request<{ csrfToken: string }>('GET', '/api/session')).csrfToken;
}

/**
 * The CSRF token when this browser also has an account session (its cookie travels with host-key
 * requests too, and then the server wants the token); null when signed out.
 */
async function optionalHostCsrf(): Promise<string | null> {
  try {
    return await hostCsrf();
  } catch (error) {
    if (error instanceof ClientError && error.code === 'not_signed_in') return null;
    throw error;
  }
}

export async function listNotices(who: HostCredentials): Promise<Notice[]> {
  const reply =
    who.kind === 'account'
      ? await request<{ notices: Notice[] }>('GET', '/api/notices')
      : await request<{ notices: Notice[] }>(
          'POST',
          '/api/host-key/notices',
          { meetingId: who.meetingId, ...(who.hostKey ? { hostKey: who.hostKey } : {}) },
          await optionalHostCsrf(),
        );
  return reply.notices;
}

export async function appealNotice(who: HostCredentials, id: string, text: string): Promise<Notice> {
  return who.kind === 'account'
    ? request('POST', `/api/notices/${enc(id)}/appeal`, { text }, await hostCsrf())
    : request(
        'POST',
        `/api/host-key/notices/${enc(id)}/appeal`,
        { meetingId: who.meetingId, ...(who.hostKey ? { hostKey: who.hostKey } : {}), text },
        await optionalHostCsrf(),
      );
}

export async function setNoticeConsent(
  id: string,
  consent: { publishTitles: boolean; publishHostName: boolean },
): Promise<Notice> {
  return request('POST', `/api/notices/${enc(id)}/consent`, consent, await hostCsrf());
}

export async function publicCases(): Promise<PublicCase[]> {
  return (await request<{ cases: PublicCase[] }>('GET', '/api/public/cases')).cases;
}

export function publicCase(ref: string): Promise<PublicCase> {
  return request('GET', `/api/public/cases/${enc(ref)}`);
}

/** A date as the console shows it (YYYY-MM-DD, or a short date-time for ISO times). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function errorText(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}
