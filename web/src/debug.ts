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
  chat: Array<{ from: string; fromName: string; text: string }>;
  ended: { reason: string; banned: boolean } | null;
  error: { code: string; message: string } | null;
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
    chat: s.chat.map((c) => ({ from: c.fromId, fromName: c.fromName, text: c.text })),
    ended: s.ended,
    error: s.error,
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
