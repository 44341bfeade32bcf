/**
 * Admission: the one function every join passes through, and the predicate that re-checks live
 * participants when the rules change. Pure: it sees a meeting record, the jurisdiction code of the
 * connection (never its address) and the current head count, and returns a decision.
 */
import { ConveneError } from '../errors.js';
import type { MeetingRecord } from './MeetingRecord.js';

export interface AdmissionRequest {
  meeting: MeetingRecord | undefined;
  /** ISO 3166-1 alpha-2 code from geo/, or ZZ when unknown. */
  jurisdiction: string;
  /** Participants already in the meeting (not counting a resumed seat). */
  participantCount: number;
  /** The operator's ceiling per meeting; a meeting's own limit can only be lower. */
  serverMaxParticipants: number;
}

export type AdmissionDecision = { admitted: true } | { admitted: false; error: ConveneError };

/** Named factories, so callers and UIs can tell refusals apart by code. */
export const AdmissionError = {
  notFound: () => new ConveneError('meeting_not_found'),
  full: (limit: number) => new ConveneError('meeting_full', `The meeting is full (${limit} participants).`),
  regionNotAllowed: (jurisdiction: string) =>
    new ConveneError('region_not_allowed', `The host does not allow participants from ${jurisdiction}.`),
};

export function admit(request: AdmissionRequest): AdmissionDecision {
  const { meeting } = request;
  // An ended meeting answers exactly like a missing one, so IDs reveal nothing.
  if (!meeting || meeting.endedAt !== undefined) return refuse(AdmissionError.notFound());
  const policy = meeting.settings.regionPolicy;
  if (policy && !regionAllowed(policy, request.jurisdiction)) {
    return refuse(AdmissionError.regionNotAllowed(request.jurisdiction));
  }
  const limit = Math.min(meeting.settings.maxParticipants ?? Infinity, request.serverMaxParticipants);
  if (request.participantCount >= limit) return refuse(AdmissionError.full(limit));
  return { admitted: true };
}

/**
 * Host region settings: `deny` lists codes that may not join; `allow` lists the only codes that may.
 * An unknown location (ZZ) is admitted under `deny` and refused under `allow`, the conservative reading
 * of each setting.
 */
export function regionAllowed(
  policy: NonNullable<MeetingRecord['settings']['regionPolicy']>,
  jurisdiction: string,
) {
  const listed = policy.jurisdictions.includes(jurisdiction);
  return policy.mode === 'deny' ? !listed : listed;
}

function refuse(error: ConveneError): AdmissionDecision {
  return { admitted: false, error };
}
