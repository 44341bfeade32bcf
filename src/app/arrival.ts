/**
 * A newcomer at the door: what admission is asked about them, with real facts (the meeting's record,
 * host status, passcode, bans, restrictions, how full it is), and the `joined` message a seat is sent.
 * `MeetingService.join` and the pre-join preview both ask `arrival`; a join and a resume both send
 * `joinedMessage`.
 */
import type { JoinedMessage } from '../protocol/messages.js';
import type { MeetingRow, Store } from '../store/types.js';
import { admitJoin, type AdmissionDecision } from './admission.js';
import type { Meeting } from './Meeting.js';
import { hostKeyMatches, secretMatches } from './MeetingRecords.js';
import { banSubjects, type Identity, type Participant } from './Participant.js';
import type { RestrictionIndex } from './restrictions.js';

export interface ArrivalRequest {
  meetingId: string;
  passcode?: string | undefined;
  hostKey?: string | undefined;
  jurisdiction: string;
  identity: Identity;
}

export interface Arrival {
  row: MeetingRow | undefined;
  live: Meeting | undefined;
  isHost: boolean;
  decision: AdmissionDecision;
}

export interface ArrivalContext {
  store: Store;
  /** Read after the store answers: another join may open the meeting meanwhile. */
  live: () => Meeting | undefined;
  restrictions: RestrictionIndex;
  maxParticipantsPerMeeting: number;
}

/** Admission's answer for a newcomer (admission.ts decides; this gathers what it decides on). */
export async function arrival(context: ArrivalContext, request: ArrivalRequest): Promise<Arrival> {
  const { identity } = request;
  const row = await context.store.meetings.get(request.meetingId);
  const isHost =
    row !== undefined &&
    ((identity.accountId !== undefined && identity.accountId === row.hostAccountId) ||
      hostKeyMatches(row.hostKeyHash, request.hostKey ?? identity.hostKeys?.get(request.meetingId)));
  const passcodeOk = row?.settings.passcode == null || secretMatches(row.settings.passcode, request.passcode);
  const banned =
    row !== undefined && !isHost && (await context.store.bans.isBanned(row.id, banSubjects(identity)));
  const live = context.live();
  const decision = admitJoin(
    {
      meeting: row,
      isHost,
      passcodeOk,
      participantCount: live?.size ?? 0,
      serverMaxParticipants: context.maxParticipantsPerMeeting,
    },
    {
      jurisdiction: request.jurisdiction,
      isHost,
      banned,
      restrictions: row ? context.restrictions.forMeeting(row) : [],
      regionPolicy: row?.settings.regionPolicy ?? null,
    },
  );
  return { row, live, isHost, decision };
}

/** What a seat is told on joining or resuming: the meeting, itself, and the announced others. */
export function joinedMessage(
  meeting: Meeting,
  participant: Participant,
  resumed: boolean,
  resumeWindowMs: number,
): JoinedMessage {
  return {
    v: 1,
    type: 'joined',
    meetingId: meeting.id,
    meeting: meeting.view(),
    lobby: participant.moderates ? meeting.lobby.entries() : [],
    self: participant.info(),
    participants: meeting
      .announced()
      .filter((p) => p !== participant)
      .map((p) => p.info()),
    resumeToken: participant.resumeToken,
    resumeWindowMs,
    resumed,
  };
}
