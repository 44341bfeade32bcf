/**
 * Turns a meeting's domain events into roster messages for its clients. This is the only place that
 * sends participantJoined / participantUpdated / participantsLeft / meetingUpdated / lobbyAdded /
 * lobbyRemoved / lobbyUpdated / reaction, so every change is announced once, in one shape. A seated
 * participant is announced (participantJoined) when the meeting says so (Meeting.announce), not when it
 * is seated; until then nothing about it reaches anyone else.
 *
 * The lobby goes to moderators as deltas: K arrivals cost K small frames per moderator, not K lists
 * of up to K entries. The whole list is sent only to someone who has just become a moderator.
 */
import type { ServerMessage, WithoutVersion } from '../protocol/messages.js';
import type { Meeting } from './Meeting.js';
import type { Participant, RemovalCause } from './Participant.js';

export function broadcastMeeting(meeting: Meeting): void {
  const everyone = (message: WithoutVersion<ServerMessage>, except?: Participant) => {
    for (const p of meeting.participants.values()) if (p !== except) p.send(message);
  };
  meeting.on('participantAnnounced', (p) =>
    everyone({ type: 'participantJoined', participant: p.info() }, p),
  );
  // Moderators who have the lobby (from `joined`, or from the snapshot below) and get its deltas.
  const moderating = new WeakSet<Participant>();
  meeting.on('participantAdded', (p) => {
    if (p.moderates) moderating.add(p);
  });
  meeting.on('participantUpdated', (p) => {
    const update: WithoutVersion<ServerMessage> = { type: 'participantUpdated', participant: p.info() };
    // Nobody else knows an unannounced participant yet; its announcement will carry the current state.
    if (p.announced) everyone(update);
    else p.send(update);
    if (!p.moderates) moderating.delete(p);
    else if (!moderating.has(p)) {
      moderating.add(p);
      p.send({ type: 'lobbyUpdated', lobby: meeting.lobby.entries() });
    }
  });
  meeting.on('participantsRemoved', (gone, cause) => {
    // Ending or shutting down removes everyone: nobody is left to tell. Nor is anyone told about a
    // participant it was never told had joined.
    const known = gone.filter((p) => p.announced);
    if (meeting.participants.size === 0 || known.length === 0) return;
    everyone(participantsLeft(known, cause));
  });
  meeting.on('settingsChanged', () => everyone({ type: 'meetingUpdated', meeting: meeting.view() }));
  meeting.on('reaction', (message) => everyone(message));
  meeting.on('lobbyChanged', ({ added, removed }) => {
    const message: WithoutVersion<ServerMessage> =
      added.length > 0
        ? { type: 'lobbyAdded', entries: added }
        : { type: 'lobbyRemoved', participantIds: removed };
    for (const p of meeting.moderators()) p.send(message);
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
