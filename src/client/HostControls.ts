/**
 * Host controls (host and co-hosts): who gets in, who stays, who speaks. Each method sends one
 * signaling request and resolves on the server's `ack`; it rejects with a ClientError (e.g.
 * `not_allowed` when your role does not permit it). Results show up as state changes
 * (`participantUpdated`, `lobbyAdded`, `lobbyRemoved`, `meetingUpdated`...), never optimistically.
 */
import type { ClientMessageType, ClientPayload } from '../protocol/messages.js';

/** Sends a host-control request and resolves when it is acknowledged. */
export type ControlRequest = <K extends Exclude<ClientMessageType, 'join' | 'publish'>>(
  type: K,
  payload: ClientPayload<K>,
) => Promise<void>;

/** Participant ids, or `'all'` (everyone it can apply to, e.g. the whole lobby). */
export type Targets = readonly string[] | 'all';

function targets(who: Targets): { participantIds?: string[]; all?: boolean } {
  return who === 'all' ? { all: true } : { participantIds: [...who] };
}

export class HostControls {
  constructor(private readonly request: ControlRequest) {}

  /** Lets people in from the lobby. */
  admit(who: Targets): Promise<void> {
    return this.request('admit', targets(who));
  }

  /** Turns people in the lobby away (they see "The host did not let you in"). */
  deny(who: Targets): Promise<void> {
    return this.request('deny', targets(who));
  }

  /** Removes someone from the meeting; `ban` also bars them from joining it again. */
  remove(participantId: string, options: { ban?: boolean } = {}): Promise<void> {
    return this.request('remove', { participantId, ban: options.ban === true });
  }

  /** Mutes microphones (theirs go silent at once; only they can unmute). */
  mute(who: Targets): Promise<void> {
    return this.request('mute', targets(who));
  }

  muteAll(): Promise<void> {
    return this.mute('all');
  }

  /** Asks someone to unmute: they get a prompt and decide. */
  askUnmute(participantId: string): Promise<void> {
    return this.request('askUnmute', { participantId });
  }

  lowerHand(who: Targets): Promise<void> {
    return this.request('lowerHand', targets(who));
  }

  /** Locks (nobody new can join) or unlocks the meeting. */
  lock(locked: boolean): Promise<void> {
    return this.request('lock', { locked });
  }

  /** Ends the meeting for everyone (host only); it cannot be joined again. */
  endMeeting(): Promise<void> {
    return this.request('endMeeting', {});
  }

  /**
   * Gives someone another role: `cohost` (host only), `participant`, and in webinar mode `panelist`
   * (may present) or `attendee` (watches).
   */
  setRole(participantId: string, role: ClientPayload<'setRole'>['role']): Promise<void> {
    return this.request('setRole', { participantId, role });
  }

  /** Shows one participant large on every screen (`null`: stop); see `state.meeting.spotlight`. */
  spotlight(participantId: string | null): Promise<void> {
    return this.request('spotlight', { participantId });
  }

  /** Host only: makes someone else the host; you become a participant (then usually leave). */
  handOver(participantId: string): Promise<void> {
    return this.request('handOver', { participantId });
  }
}
