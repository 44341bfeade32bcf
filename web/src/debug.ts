/**
 * `window.__convene` for tests and debugging: a JSON-safe summary of the current session.
 * See docs/testing.md.
 */
import type { MeetingSession } from '../../src/client/MeetingSession.js';

export interface SessionSummary {
  status: string;
  meetingId: string | null;
  self: {
    id: string;
    displayName: string;
    audioMuted: boolean;
    videoMuted: boolean;
    screenSharing: boolean;
  } | null;
  participants: Array<{
    id: string;
    displayName: string;
    audioMuted: boolean;
    videoMuted: boolean;
    screenSharing: boolean;
    media: { audio: boolean; camera: boolean; screen: boolean };
  }>;
  speaking: string[];
  activeSpeakerId: string | null;
  chat: Array<{ from: string; fromName: string; text: string }>;
  error: { code: string; message: string } | null;
}

let current: MeetingSession | null = null;

export function exposeSession(session: MeetingSession): void {
  current = session;
}

function summary(): SessionSummary | null {
  if (!current) return null;
  const s = current.state;
  const flags = (p: { audioMuted: boolean; videoMuted: boolean; screenSharing: boolean }) => ({
    audioMuted: p.audioMuted,
    videoMuted: p.videoMuted,
    screenSharing: p.screenSharing,
  });
  return {
    status: s.status,
    meetingId: s.meetingId,
    self: s.self ? { id: s.self.id, displayName: s.self.displayName, ...flags(s.self) } : null,
    participants: s.participants.map((p) => {
      const media = s.remoteMedia[p.id];
      return {
        id: p.id,
        displayName: p.displayName,
        ...flags(p),
        media: { audio: !!media?.audio, camera: !!media?.camera, screen: !!media?.screen },
      };
    }),
    speaking: [...s.speaking],
    activeSpeakerId: s.activeSpeakerId,
    chat: s.chat.map((c) => ({ from: c.fromId, fromName: c.fromName, text: c.text })),
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
