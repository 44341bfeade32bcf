/** A participant as the server announces it (`ParticipantInfo`), with defaults tests need not repeat. */
import type { ParticipantInfo } from '../../src/protocol/messages.js';

export function participantInfo(id: string, overrides: Partial<ParticipantInfo> = {}): ParticipantInfo {
  return {
    id,
    displayName: id,
    role: 'participant',
    signedIn: false,
    audioMuted: false,
    videoMuted: false,
    screenSharing: false,
    handRaised: false,
    handRaisedAt: null,
    joinedAt: 0,
    ...overrides,
  };
}
