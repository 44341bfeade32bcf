/**
 * Admission: two pure predicates that every way into a meeting uses, with real facts only.
 *
 * - `presence`: may this person be in this meeting at all? Operator restrictions first (they bind
 *   hosts too), then the meeting's bans, then the host's region rules. Asked at join, at resume (with
 *   the new connection's jurisdiction), when a host admits from the lobby, when a host edits the
 *   meeting (seated and waiting alike) and by the live sweep after an operator decision.
 * - `entry`: may this person come in now, and how? The meeting exists and has not ended, passcode,
 *   lock, capacity, lobby and role. Asked once per join; capacity again when leaving the lobby.
 *
 * `admitJoin` orders them for a new arrival: existence and passcode first (so a wrong passcode never
 * reveals anything else about a meeting), then presence, then the rest of entry.
 */
import { ConveneError } from '../errors.js';
import type { Role } from '../protocol/messages.js';
import type { MeetingRow, RegionPolicy } from '../store/types.js';
import { UNKNOWN_JURISDICTION, type ActiveRestriction } from './restrictions.js';

/** Facts about one person and one meeting, for the presence predicate. */
export interface PresenceFacts {
  /** ISO 3166-1 alpha-2 code of the current connection, from geo/, or ZZ when unknown. */
  jurisdiction: string;
  /** The meeting's host (its account, or its host key). */
  isHost: boolean;
  /** Barred from this meeting (account or guest browser), as the store says now. */
  banned: boolean;
  /** Operator restrictions whose scope covers this meeting and that are active now. */
  restrictions: readonly ActiveRestriction[];
  /** The host's region rules for this meeting, or null. */
  regionPolicy: RegionPolicy | null;
}

/** Facts for the entry predicate. */
export interface EntryFacts {
  meeting: MeetingRow | undefined;
  isHost: boolean;
  /** The passcode matched (true when the meeting has none). */
  passcodeOk: boolean;
  /** Participants already in the meeting, or being seated. */
  participantCount: number;
  /** The operator's ceiling per meeting; a meeting's own limit can only be lower. */
  serverMaxParticipants: number;
}

export type AdmissionDecision =
  { admitted: true; role: Role; lobby: boolean } | { admitted: false; error: ConveneError };

/** Details a withheld refusal carries, so a client can show the notice and link the public case. */
export interface WithheldDetails {
  jurisdiction: string;
  caseRef: string;
  /** Path of the case's public notice, e.g. /transparency/cases/CVN-2026-0042. */
  noticePath: string;
}

/** Named factories, so callers and UIs can tell refusals apart by code. */
export const AdmissionError = {
  /** Missing, ended and wrong-passcode look the same, so meeting IDs reveal nothing. */
  notFound: () => new ConveneError('meeting_not_found'),
  locked: () => new ConveneError('meeting_locked'),
  banned: () => new ConveneError('banned'),
  full: (limit: number) => new ConveneError('meeting_full', `The meeting is full (${limit} participants).`),
  regionNotAllowed: (jurisdiction: string) =>
    new ConveneError('region_not_allowed', `The host does not allow participants from ${jurisdiction}.`),
  withheld: (jurisdiction: string, caseRef: string) =>
    new ConveneError(
      'withheld',
      `This meeting is not available in ${countryName(jurisdiction)} in response to a legal demand. Case ${caseRef}.`,
      { details: { ...withheldDetails(jurisdiction, caseRef) } },
    ),
};

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** The English name of a jurisdiction code ("China" for CN), or the code itself when unknown. */
export function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

export function withheldDetails(jurisdiction: string, caseRef: string): WithheldDetails {
  return { jurisdiction, caseRef, noticePath: `/transparency/cases/${encodeURIComponent(caseRef)}` };
}

/** May this person be in this meeting at all? Undefined when yes, the refusal otherwise. */
export function presence(facts: PresenceFacts): ConveneError | undefined {
  // Operator restrictions bind everyone, hosts included. An unknown location is never in scope.
  if (facts.jurisdiction !== UNKNOWN_JURISDICTION) {
    const restriction = facts.restrictions.find((r) => r.jurisdiction === facts.jurisdiction);
    if (restriction) return AdmissionError.withheld(restriction.jurisdiction, restriction.caseRef);
  }
  // The meeting's own rules govern participants, not the host.
  if (facts.isHost) return undefined;
  if (facts.banned) return AdmissionError.banned();
  const policy = facts.regionPolicy;
  if (policy && !regionAllowed(policy, facts.jurisdiction)) {
    return AdmissionError.regionNotAllowed(facts.jurisdiction);
  }
  return undefined;
}

/** Existence and passcode: the part of entry that must be checked before anything else. */
export function meetingReachable(facts: EntryFacts): ConveneError | undefined {
  const { meeting } = facts;
  if (!meeting || meeting.endedAt !== null) return AdmissionError.notFound();
  if (!facts.passcodeOk && !facts.isHost) return AdmissionError.notFound();
  return undefined;
}

/** Lock, capacity, lobby and role, for someone allowed to be present. */
export function entry(facts: EntryFacts): AdmissionDecision {
  const unreachable = meetingReachable(facts);
  if (unreachable) return { admitted: false, error: unreachable };
  const meeting = facts.meeting as MeetingRow;
  const role: Role = facts.isHost ? 'host' : meeting.settings.webinar ? 'attendee' : 'participant';
  if (facts.isHost) return { admitted: true, role, lobby: false };
  if (meeting.locked) return { admitted: false, error: AdmissionError.locked() };
  const full = capacityError(meeting, facts.participantCount, facts.serverMaxParticipants);
  if (full) return { admitted: false, error: full };
  return { admitted: true, role, lobby: meeting.settings.lobby };
}

/** A new arrival: reachable, then present, then entry. */
export function admitJoin(entryFacts: EntryFacts, presenceFacts: PresenceFacts): AdmissionDecision {
  const unreachable = meetingReachable(entryFacts);
  if (unreachable) return { admitted: false, error: unreachable };
  const absent = presence(presenceFacts);
  if (absent) return { admitted: false, error: absent };
  return entry(entryFacts);
}

/** The meeting's limit (its own, under the operator's ceiling) is reached. */
export function capacityError(
  meeting: MeetingRow,
  participantCount: number,
  serverMaxParticipants: number,
): ConveneError | undefined {
  const limit = Math.min(meeting.settings.maxParticipants ?? Infinity, serverMaxParticipants);
  return participantCount >= limit ? AdmissionError.full(limit) : undefined;
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
