/**
 * Test-only "lying server" hooks for the E2EE ghost tests (docs/testing.md "End-to-end encryption"):
 * they act on the in-process server object a test started (`startTestServer`), sending roster messages
 * that disagree with the MLS group. They are plain test code over the server's internals: nothing in
 * `src/` offers them, so no configuration or environment of `convene start` can turn them on.
 */
import type { ParticipantInfo } from '../../src/protocol/messages.js';
import type { TestServer } from './server.js';

function seated(server: TestServer, meetingId: string) {
  const meeting = server.service.liveMeeting(meetingId);
  if (!meeting) throw new Error(`meeting ${meetingId} is not live`);
  return meeting;
}

/**
 * Tells everyone but `participantId` that it left, while it stays seated and in the MLS group: to the
 * others it becomes a member the server no longer announces (a ghost who can still decrypt).
 */
export function withdrawWithoutRemoving(server: TestServer, meetingId: string, participantId: string): void {
  for (const p of seated(server, meetingId).participants.values())
    if (p.id !== participantId)
      p.send({ type: 'participantsLeft', participantIds: [participantId], reason: 'left' });
}

/** Announces `participantId` again to everyone else (undoes `withdrawWithoutRemoving`). */
export function announceAgain(server: TestServer, meetingId: string, participantId: string): void {
  const meeting = seated(server, meetingId);
  const ghost = meeting.participants.get(participantId);
  if (!ghost) throw new Error(`${participantId} is not seated`);
  for (const p of meeting.participants.values())
    if (p.id !== participantId) p.send({ type: 'participantJoined', participant: ghost.info() });
}

/** Announces a participant who does not exist (so is in no MLS group) to everyone in the meeting. */
export function announcePhantom(
  server: TestServer,
  meetingId: string,
  id: string,
  displayName: string,
): void {
  const participant: ParticipantInfo = {
    id,
    displayName,
    role: 'participant',
    signedIn: false,
    audioMuted: true,
    videoMuted: true,
    screenSharing: false,
    handRaised: false,
    handRaisedAt: null,
    joinedAt: Date.now(),
  };
  for (const p of seated(server, meetingId).participants.values())
    p.send({ type: 'participantJoined', participant });
}

/** Says the phantom left (undoes `announcePhantom`). */
export function withdrawPhantom(server: TestServer, meetingId: string, id: string): void {
  for (const p of seated(server, meetingId).participants.values())
    p.send({ type: 'participantsLeft', participantIds: [id], reason: 'left' });
}
