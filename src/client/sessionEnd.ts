/**
 * How the client library reads the end of a seat: a `sessionEnded` message, or, when that never
 * arrived, the close code alone (src/protocol/closeCodes.ts), and the sentence shown for it.
 */
import { sessionEndReasonOf } from '../protocol/closeCodes.js';
import type { SessionEndedMessage } from '../protocol/messages.js';
import type { SessionEnd } from './types.js';

export function sessionEnd(message: SessionEndedMessage): SessionEnd {
  return {
    reason: message.reason,
    banned: message.banned === true,
    ...(message.code ? { code: message.code } : {}),
    rejoin: message.rejoin === true,
    ...(message.withheld ? { withheld: message.withheld } : {}),
  };
}

/**
 * The end a close code stands for, when its `sessionEnded` was lost. It says nothing of a ban or a
 * rejoin, so it offers no Rejoin: never one that can only fail.
 */
export function sessionEndFromClose(code: number): SessionEnd | undefined {
  const reason = sessionEndReasonOf(code);
  return reason === undefined ? undefined : { reason, banned: false, rejoin: false };
}

export function sessionEndText(end: SessionEnd): string {
  if (end.reason === 'withheld')
    return end.withheld?.message ?? 'This meeting was withheld in your jurisdiction.';
  if (end.reason === 'denied') return 'The host did not let you in.';
  if (end.reason === 'ended') return 'The host ended the meeting.';
  return end.banned
    ? 'You were removed from the meeting and cannot rejoin.'
    : 'You were removed from the meeting.';
}
