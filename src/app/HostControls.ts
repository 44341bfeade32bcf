/**
 * Host controls: what the host and co-hosts may do in a live meeting. Authority comes from the
 * actor's role in this meeting (set from the connection's identity at join), never from the message.
 * Every refusal is a typed error and changes nothing. Removals, denials and the end of the meeting go
 * through the meeting's one removal path; the service is reached only through the callbacks below.
 */
import { ConveneError } from '../errors.js';
import type { ClientMessageOf, Role } from '../protocol/messages.js';
import type { BanRepo, MeetingRepo } from '../store/types.js';
import type { LobbyTicket } from './Lobby.js';
import type { Meeting } from './Meeting.js';
import { banSubjects, type Participant } from './Participant.js';

export type HostControlMessage = ClientMessageOf<
  'admit' | 'deny' | 'remove' | 'mute' | 'askUnmute' | 'lowerHand' | 'lock' | 'endMeeting' | 'setRole'
>;

export interface HostControlDeps {
  meetings: MeetingRepo;
  bans: BanRepo;
  /** Subjects were barred: the live meeting's ban set learns them, on every node. */
  banned(subjects: readonly string[]): Promise<void>;
  /** Admission from the lobby (presence re-checked by the service). */
  admit(tickets: readonly LobbyTicket[]): Promise<void>;
  /** Ends the meeting for everyone, on every node. */
  end(): Promise<void>;
}

const notAllowed = (why: string) => new ConveneError('not_allowed', why);
const noSuchParticipant = () => new ConveneError('not_found', 'No such participant in this meeting.');

export async function applyHostControl(
  meeting: Meeting,
  actor: Participant,
  message: HostControlMessage,
  deps: HostControlDeps,
): Promise<void> {
  if (!actor.moderates) throw notAllowed('Only the host and co-hosts can do this.');
  switch (message.type) {
    case 'admit':
      await deps.admit(meeting.lobby.take(message.all ? 'all' : (message.participantIds ?? [])));
      return;
    case 'deny': {
      const tickets = meeting.lobby.take(message.all ? 'all' : (message.participantIds ?? []));
      await meeting.remove(
        tickets.map((t) => t.participant),
        { kind: 'denied' },
      );
      return;
    }
    case 'remove': {
      const target = targetOf(meeting, message.participantId, actor);
      // Co-hosts moderate participants, not each other: only the host removes or bars a co-host.
      if (target.role === 'cohost' && actor.role !== 'host') {
        throw notAllowed('Only the host can remove a co-host.');
      }
      if (!message.ban) {
        await meeting.remove([target], { kind: 'removed', banned: false });
        return;
      }
      const subjects = banSubjects(target.identity);
      await deps.bans.add(meeting.id, subjects, target.displayName);
      await deps.banned(subjects);
      await endBannedSeats(meeting, subjects);
      return;
    }
    case 'mute': {
      for (const target of targets(meeting, actor, message)) {
        if (target.role === 'host') continue;
        await target.media?.moderate('mic', true);
        target.forceMute();
      }
      return;
    }
    case 'askUnmute': {
      const target = targetOf(meeting, message.participantId, actor);
      target.send({ type: 'unmuteRequest', from: actor.id });
      return;
    }
    case 'lowerHand': {
      for (const target of targets(meeting, actor, message, true)) target.setHand(false);
      return;
    }
    case 'lock': {
      const row = await deps.meetings.update(meeting.id, { locked: message.locked });
      if (row) meeting.setRow(row);
      return;
    }
    case 'endMeeting': {
      if (actor.role !== 'host') throw notAllowed('Only the host can end the meeting for everyone.');
      await deps.end();
      return;
    }
    case 'setRole':
      await setRole(meeting, actor, targetOf(meeting, message.participantId, actor), message.role);
      return;
  }
}

async function setRole(meeting: Meeting, actor: Participant, target: Participant, role: Role): Promise<void> {
  const webinar = meeting.row.settings.webinar;
  if (role === 'cohost' || target.role === 'cohost') {
    if (actor.role !== 'host') throw notAllowed('Only the host can make or unmake co-hosts.');
  }
  if ((role === 'panelist' || role === 'attendee') && !webinar) {
    throw new ConveneError('bad_request', 'Panelists and attendees exist only in webinar mode.');
  }
  if (role === 'participant' && webinar) {
    throw new ConveneError('bad_request', 'In webinar mode, choose panelist or attendee.');
  }
  if (target.role === role) return;
  if (role === 'attendee') await target.media?.unpublish();
  target.setRole(role);
}

/** The target of a host control: someone else in this meeting, and never the host. */
function targetOf(meeting: Meeting, id: string, actor: Participant): Participant {
  const target = meeting.participants.get(id);
  if (!target) throw noSuchParticipant();
  if (target.id === actor.id) throw new ConveneError('bad_request', 'Use your own controls for yourself.');
  if (target.role === 'host') throw notAllowed('No one can act on the host.');
  return target;
}

function targets(
  meeting: Meeting,
  actor: Participant,
  message: { participantIds?: string[] | undefined; all?: boolean | undefined },
  includeSelf = false,
): Participant[] {
  if (message.all) {
    return [...meeting.participants.values()].filter((p) => includeSelf || p.id !== actor.id);
  }
  return (message.participantIds ?? []).map((id) => {
    const p = meeting.participants.get(id);
    if (!p) throw noSuchParticipant();
    return p;
  });
}

/**
 * A ban ends every seat and every wait of the same account or browser in this live copy of the
 * meeting, not only the one the host pointed at. Idempotent: the node that banned runs it, then again
 * when its own bus event arrives; other nodes run it for the seats they hold.
 */
export async function endBannedSeats(meeting: Meeting, subjects: readonly string[]): Promise<void> {
  const matching = meeting
    .everyone()
    .filter((p) => !p.isHost && banSubjects(p.identity).some((s) => subjects.includes(s)));
  if (matching.length > 0) await meeting.remove(matching, { kind: 'removed', banned: true });
}
