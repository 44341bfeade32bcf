import type { ErrorCode } from '../errors.js';

/**
 * Codes the client library adds to the server's (src/errors.ts):
 * - `connection_failed`: the WebSocket could not be opened for the first join.
 * - `connection_lost`: the socket dropped while this request was in flight (its reply will never come).
 * - `session_reset`: the seat could not be resumed; the client joined again as a new participant.
 * - `timeout`: no reply within the request timeout.
 * - `closed`: the client was closed (left the meeting) before the request completed.
 * - `media_failed`: a local WebRTC operation failed (offer/answer, ICE gathering).
 * - `device_failed`: a camera, microphone or screen could not be opened.
 * - `blur_failed`: background blur could not load its model or stopped working; the plain camera is
 *   sent instead.
 * - `session_ended`: the seat ended by someone else's action (removed, denied at the lobby, meeting
 *   ended); see `SessionState.ended` for which. Final: the client never reconnects after it.
 */
export type ClientErrorCode =
  | ErrorCode
  | 'connection_failed'
  | 'connection_lost'
  | 'session_reset'
  | 'timeout'
  | 'closed'
  | 'media_failed'
  | 'device_failed'
  | 'blur_failed'
  | 'session_ended';

/** An Error with a stable `code`: a server error code, a client code above, or an unknown server code. */
export class ClientError extends Error {
  readonly code: ClientErrorCode | (string & {});

  constructor(code: ClientErrorCode | (string & {}), message?: string, options?: { cause?: unknown }) {
    super(message ?? code, options);
    this.name = 'ClientError';
    this.code = code;
  }

  static from(error: unknown, code: ClientErrorCode = 'media_failed'): ClientError {
    if (error instanceof ClientError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new ClientError(code, message, { cause: error });
  }
}

export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
