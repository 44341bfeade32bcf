/**
 * The one registry of error codes. Every error a client can see carries one of these codes; a code is
 * never reused for another meaning. docs/errors.md is the human-readable copy of this table and a unit
 * test keeps the two in step.
 */
export const ERROR_CODES = {
  bad_json: { http: 400, ws: undefined, message: 'The message is not valid JSON.' },
  bad_message: { http: 400, ws: undefined, message: 'The message does not match the protocol schema.' },
  unknown_type: { http: 400, ws: undefined, message: 'The message type is not part of this protocol.' },
  unsupported_version: { http: 400, ws: undefined, message: 'The protocol version is not supported.' },
  message_too_big: {
    http: 413,
    ws: 1009,
    message: 'The message is larger than 64 KiB (768 KiB for mlsCommit).',
  },
  bad_origin: { http: 403, ws: 4003, message: 'The Origin of this connection is not allowed.' },
  bad_host: {
    http: 421,
    ws: undefined,
    message: 'This server is not reachable under the host name this request named.',
  },
  not_joined: { http: 409, ws: undefined, message: 'Join a meeting before sending this message.' },
  already_joined: { http: 409, ws: undefined, message: 'This connection has already joined a meeting.' },
  meeting_not_found: { http: 404, ws: undefined, message: 'No meeting with this ID can be joined.' },
  meeting_full: { http: 403, ws: undefined, message: 'The meeting has reached its participant limit.' },
  region_not_allowed: {
    http: 403,
    ws: undefined,
    message: 'The host does not allow participants from your region in this meeting.',
  },
  meeting_locked: { http: 403, ws: undefined, message: 'The host has locked this meeting.' },
  banned: { http: 403, ws: undefined, message: 'You may not rejoin this meeting.' },
  withheld: {
    http: 451,
    ws: 4007,
    message: 'This meeting is not available in your jurisdiction in response to a legal demand.',
  },
  not_allowed: { http: 403, ws: undefined, message: 'Your role in this meeting does not allow this.' },
  email_taken: { http: 409, ws: undefined, message: 'An account with this email already exists.' },
  invalid_credentials: { http: 401, ws: undefined, message: 'The email or password is not right.' },
  not_signed_in: { http: 401, ws: undefined, message: 'Sign in first.' },
  csrf_failed: { http: 403, ws: undefined, message: 'The request is missing a valid CSRF token.' },
  resume_expired: { http: 409, ws: undefined, message: 'The session to resume has ended; join again.' },
  negotiation_failed: {
    http: 502,
    ws: undefined,
    message: 'The media server refused the session description.',
  },
  media_unavailable: { http: 503, ws: undefined, message: 'The media server is not available right now.' },
  storage_unavailable: {
    http: 503,
    ws: undefined,
    message: 'The database is not available right now; try again shortly.',
  },
  rate_limited: { http: 429, ws: undefined, message: 'Too many requests; slow down.' },
  too_many_connections: {
    http: 429,
    ws: 4009,
    message: 'Too many connections from your network are open; close some and try again.',
  },
  too_many_seats: {
    http: 429,
    ws: undefined,
    message: 'Too many seats from your network are taken; leave one and try again.',
  },
  lobby_full: { http: 503, ws: undefined, message: 'The lobby of this meeting is full; try again later.' },
  join_timeout: {
    http: 408,
    ws: 4008,
    message: 'No meeting was joined in time on this connection; it is closed.',
  },
  slow_consumer: {
    http: 503,
    ws: 1013,
    message: 'This connection fell too far behind reading its messages; reconnect to resume.',
  },
  operator_auth_required: {
    http: 401,
    ws: undefined,
    message: 'Sign in as an operator (password and one-time code) first.',
  },
  operator_forbidden: { http: 403, ws: undefined, message: 'Your operator role does not allow this.' },
  same_operator: {
    http: 403,
    ws: undefined,
    message: 'A second operator must review and decide a case; you recorded this one.',
  },
  enrolment_invalid: {
    http: 400,
    ws: undefined,
    message: 'This enrolment link is not valid, has been used, or has expired.',
  },
  totp_invalid: { http: 401, ws: undefined, message: 'The one-time code is not right.' },
  case_state: { http: 409, ws: undefined, message: 'The case is not in a state that allows this.' },
  bad_display_name: {
    http: 400,
    ws: undefined,
    message: 'The display name has control characters or no visible character.',
  },
  report_query_invalid: {
    http: 400,
    ws: undefined,
    message: 'The transparency report query is not valid (period, or from and to as YYYY-MM-DD).',
  },
  bad_request: { http: 400, ws: undefined, message: 'The request is not valid.' },
  mls_epoch_taken: {
    http: 409,
    ws: undefined,
    message: 'Another commit was accepted for this epoch first; process it and commit again if needed.',
  },
  mls_bad_handshake: {
    http: 400,
    ws: undefined,
    message: 'The MLS message is malformed, for another group or epoch, or not allowed from you.',
  },
  mls_bad_key_package: {
    http: 400,
    ws: undefined,
    message:
      'The MLS KeyPackage is malformed, badly signed, not for this participant, used before, or not needed (already a member or joining).',
  },
  mls_rejoin_refused: {
    http: 409,
    ws: undefined,
    message:
      'You cannot rejoin the encrypted group now: you are being removed, or an Add for you already waits for a commit.',
  },
  not_found: { http: 404, ws: undefined, message: 'Not found.' },
  internal: { http: 500, ws: 1011, message: 'Internal error.' },
} as const satisfies Record<string, { http: number; ws: number | undefined; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error a client may see: a stable code, a reason for humans, and an optional cause for logs. */
export class ConveneError extends Error {
  readonly code: ErrorCode;
  /** Structured facts a client needs to explain the error (e.g. a withheld notice); never secrets. */
  readonly details: Readonly<Record<string, string>> | undefined;

  constructor(
    code: ErrorCode,
    reason?: string,
    options?: { cause?: unknown; details?: Readonly<Record<string, string>> },
  ) {
    super(reason ?? ERROR_CODES[code].message, options);
    this.name = 'ConveneError';
    this.code = code;
    this.details = options?.details;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }

  static from(err: unknown): ConveneError {
    return err instanceof ConveneError ? err : new ConveneError('internal', undefined, { cause: err });
  }
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
}
