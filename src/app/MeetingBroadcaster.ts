/**
 * Turns a meeting's domain events into roster messages for its clients. This is the only place that
 * sends participantJoined / participantUpdated / participantsLeft / meetingUpdated / lobbyUpdated /
 * chat / reaction, so every change is announced once, in one shape.
 */
import type { ServerMessage, WithoutVersion } from '../protocol/messages.js';
import type { Meeting } from './Meeting.js';
import type { Participant, RemovalCause } from './Participant.js';

export function broadcastMeeting(meeting: Meeting): void {
  const everyone = (message: WithoutVersion<ServerMessage>, except?: Participant) => {
    for (const p of meeting.participants.values()) if (p !== except) p.send(message);
  };
  meeting.on('participantAdded', (p) => everyone({ type: 'participantJoined', participant: p.info() }, p));
  meeting.on('participantUpdated', (p) => everyone({ type: 'participantUpdated', participant: p.info() }));
  meeting.on('participantsRemoved', (gone, cause) => {
    // Ending or shutting down removes everyone: nobody is left to tell.
    if (meeting.participants.size === 0) return;
    everyone(participantsLeft(gone, cause));
  });
  meeting.on('settingsChanged', () => everyone({ type: 'meetingUpdated', meeting: meeting.view() }));
  meeting.on('chat', (message) => everyone(message));
  meeting.on('reaction', (message) => everyone(message));
  meeting.on('lobbyChanged', () => {
    const lobby = meeting.lobby.entries();
    for (const p of meeting.moderators()) p.send({ type: 'lobbyUpdated', lobby });
  });
}

function participantsLeft(gone: Participant[], cause: RemovalCause): WithoutVersion<ServerMessage> {
  const participantIds = gone.map((p) => p.id);
  switch (cause.kind) {
    case 'withheld':
      return {
        type: 'participantsLeft',
        participantIds,
        reason: 'withheld',
        withheld: { ...cause.notice, count: gone.length },
      };
    case 'removed':
      return { type: 'participantsLeft', participantIds, reason: 'removed' };
    case 'ended':
      return { type: 'participantsLeft', participantIds, reason: 'ended' };
    case 'disconnected':
      return { type: 'participantsLeft', participantIds, reason: 'disconnected' };
    case 'left':
    case 'denied':
    case 'shutdown':
      return { type: 'participantsLeft', participantIds, reason: 'left' };
  }
}
