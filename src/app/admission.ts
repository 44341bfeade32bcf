/**
 * Admission: the one function every join passes through, and the predicate that re-checks live
 * participants when a meeting's rules change. Pure: it sees the meeting as stored, facts about the
 * joiner (jurisdiction code, never an address), and the head count, and returns a decision.
 */
import { ConveneError } from '../errors.js';
import type { Role } from '../protocol/messages.js';
import type { MeetingRow, RegionPolicy } from '../store/types.js';

export interface Joiner {
  /** ISO 3166-1 alpha-2 code from geo/, or ZZ when unknown. */
  jurisdiction: string;
  /** Signed in as the meeting's host account, or holding its host key. */
  isHost: boolean;
  /** The passcode matched (true when the meeting has none). */
  passcodeOk: boolean;
  /** Barred from this meeting (account or guest browser). */
  banned: boolean;
}

export interface AdmissionRequest {
  meeting: MeetingRow | undefined;
  joiner: Joiner;
  /** Participants already in the meeting, or being seated. */
  participantCount: number;
  /** The operator's ceiling per meeting; a meeting's own limit can only be lower. */
  serverMaxParticipants: number;
  /** `join`: a new arrival. `live`: re-checking someone already seated after the rules changed. */
  phase: 'join' | 'live';
}

export type AdmissionDecision =
  { admitted: true; role: Role; lobby: boolean } | { admitted: false; error: ConveneError };

/** Named factories, so callers and UIs can tell refusals apart by code. */
export const AdmissionError = {
  /** Missing, ended and wrong-passcode look the same, so meeting IDs reveal nothing. */
  notFound: () => new ConveneError('meeting_not_found'),
  locked: () => new ConveneError('meeting_locked'),
  banned: () => new ConveneError('banned'),
  full: (limit: number) => new ConveneError('meeting_full', `The meeting is full (${limit} participants).`),
  regionNotAllowed: (jurisdiction: string) =>
    new ConveneError('region_not_allowed', `The host does not allow participants from ${jurisdiction}.`),
};

export function admit(request: AdmissionRequest): AdmissionDecision {
  const { meeting, joiner, phase } = request;
  if (!meeting || meeting.endedAt !== null) return refuse(AdmissionError.notFound());
  if (phase === 'join' && !joiner.passcodeOk && !joiner.isHost) return refuse(AdmissionError.notFound());
  const role: Role = joiner.isHost ? 'host' : meeting.settings.webinar ? 'attendee' : 'participant';
  // The host's own rules (lock, ban, regions, capacity, lobby) govern participants, not the host.
  if (joiner.isHost) return { admitted: true, role, lobby: false };
  if (phase === 'join' && meeting.locked) return refuse(AdmissionError.locked());
  if (joiner.banned) return refuse(AdmissionError.banned());
  const policy = meeting.settings.regionPolicy;
  if (policy && !regionAllowed(policy, joiner.jurisdiction)) {
    return refuse(AdmissionError.regionNotAllowed(joiner.jurisdiction));
  }
  if (phase === 'join') {
    const limit = Math.min(meeting.settings.maxParticipants ?? Infinity, request.serverMaxParticipants);
    if (request.participantCount >= limit) return refuse(AdmissionError.full(limit));
  }
  return { admitted: true, role, lobby: phase === 'join' && meeting.settings.lobby };
}

/**
 * Host region settings: `deny` lists codes that may not join; `allow` lists the only codes that may.
 * An unknown location (ZZ) is admitted under `deny` and refused under `allow`, the conservative reading
 * of each setting.
 */
export function regionAllowed(policy: RegionPolicy, jurisdiction: string): boolean {
  const listed = policy.jurisdictions.includes(jurisdiction);
  return policy.mode === 'deny' ? !listed : listed;
}

function refuse(error: ConveneError): AdmissionDecision {
  return { admitted: false, error };
}
