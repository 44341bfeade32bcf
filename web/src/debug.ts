/**
 * `window.__convene` for tests and debugging: a JSON-safe summary of the current session.
 * See docs/testing.md.
 */
import type { MeetingSession } from '../../src/client/MeetingSession.js';
import type { ParticipantView } from '../../src/client/types.js';

interface PersonSummary {
  id: string;
  displayName: string;
  role: string;
  handRaised: boolean;
  audioMuted: boolean;
  videoMuted: boolean;
  screenSharing: boolean;
}

export interface SessionSummary {
  status: string;
  meetingId: string | null;
  meeting: { title: string; locked: boolean; lobby: boolean; webinar: boolean } | null;
  role: string | null;
  isModerator: boolean;
  canPublish: boolean;
  self: PersonSummary | null;
  participants: Array<PersonSummary & { media: { audio: boolean; camera: boolean; screen: boolean } }>;
  lobby: Array<{ id: string; displayName: string }>;
  hands: string[];
  unmuteRequest: boolean;
  speaking: string[];
  activeSpeakerId: string | null;
  chat: Array<{ from: string; fromName: string; text: string; undelivered: boolean }>;
  ended: { reason: string; banned: boolean } | null;
  error: { code: string; message: string } | null;
  e2ee: E2eeSummary;
}

/** End-to-end encryption (docs/testing.md): the MLS view plus the SFrame worker's frame counters. */
export interface E2eeSummary {
  status: string;
  epoch: number | null;
  safetyCode: string | null;
  /** Participant ids of the MLS group this client verified, in leaf order. */
  members: string[];
  unannounced: string[];
  missing: string[];
  failure: string | null;
  framesEncrypted: number;
  framesDecrypted: number;
  dropped: number;
}

let current: MeetingSession | null = null;

export function exposeSession(session: MeetingSession): void {
  current = session;
}

function person(p: ParticipantView): PersonSummary {
  return {
    id: p.id,
    displayName: p.displayName,
    role: p.role,
    handRaised: p.handRaised,
    audioMuted: p.audioMuted,
    videoMuted: p.videoMuted,
    screenSharing: p.screenSharing,
  };
}

function summary(): SessionSummary | null {
  if (!current) return null;
  const s = current.state;
  const m = s.meeting;
  return {
    status: s.status,
    meetingId: s.meetingId,
    meeting: m ? { title: m.title, locked: m.locked, lobby: m.lobby, webinar: m.webinar } : null,
    role: s.role,
    isModerator: s.isModerator,
    canPublish: s.canPublish,
    self: s.self ? person(s.self) : null,
    participants: s.participants.map((p) => {
      const media = s.remoteMedia[p.id];
      return {
        ...person(p),
        media: { audio: !!media?.audio, camera: !!media?.camera, screen: !!media?.screen },
      };
    }),
    lobby: s.lobby.map((entry) => ({ id: entry.id, displayName: entry.displayName })),
    hands: s.hands.map((hand) => hand.participantId),
    unmuteRequest: s.unmuteRequest !== null,
    speaking: [...s.speaking],
    activeSpeakerId: s.activeSpeakerId,
    chat: s.chat.map((c) => ({
      from: c.fromId,
      fromName: c.fromName,
      text: c.text,
      undelivered: c.undelivered,
    })),
    ended: s.ended,
    error: s.error,
    e2ee: {
      status: s.e2ee.status,
      epoch: s.e2ee.epoch,
      safetyCode: s.e2ee.safetyCode,
      members: s.e2ee.members.map((m) => m.participantId),
      unannounced: [...s.e2ee.unannounced],
      missing: [...s.e2ee.missing],
      failure: s.e2ee.failure?.code ?? null,
      ...current.sframeTotals(),
    },
  };
}

declare global {
  interface Window {
    __convene?: { getState: () => SessionSummary | null };
  }
}

export function installDebugHook(): void {
  window.__convene = { getState: summary };
}
