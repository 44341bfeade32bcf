/**
 * WebSocket close codes, one definition for the server and the client library (docs/errors.md).
 * A seat ended by someone else's action closes with the code of its reason, after a `sessionEnded`
 * message that says more; the client reads the code alone only when that message never arrived.
 * Errors that close a socket carry their own code in the error table (e.g. `bad_origin` 4003).
 */
export const SESSION_END_CLOSE_CODES = { removed: 4004, ended: 4005, denied: 4006, withheld: 4007 } as const;

export type SessionEndReason = keyof typeof SESSION_END_CLOSE_CODES;

/** The same seat was resumed on another connection: this one is closed, and must not reconnect. */
export const CLOSE_RESUMED_ELSEWHERE = 4001;

/** The session-end reason a close code stands for, if it stands for one. */
export function sessionEndReasonOf(code: number): SessionEndReason | undefined {
  for (const [reason, value] of Object.entries(SESSION_END_CLOSE_CODES)) {
    if (value === code) return reason as SessionEndReason;
  }
  return undefined;
}
