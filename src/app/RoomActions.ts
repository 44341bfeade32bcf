/**
 * What people do in the room beyond the media and the roster: reactions (everyone, rate-limited per
 * participant), the host spotlight (host and co-hosts) and handing the host role over (the host).
 * Authority comes from the actor's role in this meeting, never from the message; every refusal is a
 * typed error and changes nothing. State changes go through Meeting and Participant methods, whose
 * events the broadcaster turns into messages.
 */
import { ConveneError } from '../errors.js';
import type { ClientMessageOf } from '../protocol/messages.js';
import { TokenBucket } from '../util/TokenBucket.js';
import type { Meeting } from './Meeting.js';
import type { Participant } from './Participant.js';

export type RoomActionMessage = ClientMessageOf<'react' | 'spotlight' | 'handOver'>;

const ROOM_ACTIONS: ReadonlySet<string> = new Set<RoomActionMessage['type']>([
  'react',
  'spotlight',
  'handOver',
]);

export function isRoomAction(message: { type: string }): message is RoomActionMessage {
  return ROOM_ACTIONS.has(message.type);
}

/**
 * Reactions a participant may send: a burst of 5, then one a second. Every reaction goes to everyone
 * in the meeting, so this also bounds what one sender can make the server fan out.
 */
export const REACTION_LIMIT = { perSecond: 1, burst: 5 } as const;
/**
 * Reactions a whole meeting may send: a burst of 40, then 20 a second. In a meeting of hundreds the
 * per-participant limit alone would still let the server fan out N² frames a second.
 */
export const MEETING_REACTION_LIMIT = { perSecond: 20, burst: 40 } as const;

export class RoomActions {
  readonly #buckets = new WeakMap<Participant | Meeting, TokenBucket>();

  /** `now` (ms) drives the reaction limit; injectable for tests. */
  constructor(private readonly now: () => number = () => performance.now()) {}

  apply(meeting: Meeting, actor: Participant, message: RoomActionMessage): void {
    switch (message.type) {
      case 'react':
        if (!this.#bucket(actor, REACTION_LIMIT).take()) {
          throw new ConveneError('rate_limited', 'Too many reactions; wait a moment.');
        }
        if (!this.#bucket(meeting, MEETING_REACTION_LIMIT).take()) {
          throw new ConveneError('rate_limited', 'Too many reactions in this meeting; wait a moment.');
        }
        meeting.react(actor, message.reaction);
        return;
      case 'spotlight':
        spotlight(meeting, actor, message.participantId);
        return;
      case 'handOver':
        handOver(meeting, actor, message.participantId);
        return;
    }
  }

  #bucket(of: Participant | Meeting, limit: { perSecond: number; burst: number }): TokenBucket {
    let bucket = this.#buckets.get(of);
    if (!bucket) {
      bucket = new TokenBucket(limit.perSecond, limit.burst, this.now);
      this.#buckets.set(of, bucket);
    }
    return bucket;
  }
}

function spotlight(meeting: Meeting, actor: Participant, targetId: string | null): void {
  if (!actor.moderates) throw new ConveneError('not_allowed', 'Only the host and co-hosts can spotlight.');
  if (targetId === null) {
    meeting.setSpotlight(null);
    return;
  }
  const target = seated(meeting, targetId);
  if (!target.mayPublish) throw new ConveneError('bad_request', 'Attendees of a webinar are not on stage.');
  meeting.setSpotlight(target.id);
}

/**
 * The host gives the host role to someone else: the target becomes `host` and the sender a
 * `participant`, both in one synchronous step, so there is never a moment with two or no hosts from
 * this hand-over. Whoever joined as the meeting's owner (account or host key) keeps being recognised
 * as such when they join again.
 */
function handOver(meeting: Meeting, actor: Participant, targetId: string): void {
  if (actor.role !== 'host')
    throw new ConveneError('not_allowed', 'Only the host can hand the host role over.');
  if (targetId === actor.id) throw new ConveneError('bad_request', 'You are already the host.');
  const target = seated(meeting, targetId);
  if (target.role === 'host') throw new ConveneError('bad_request', 'They are already a host.');
  target.setRole('host');
  actor.setRole('participant');
}

function seated(meeting: Meeting, id: string): Participant {
  const target = meeting.participants.get(id);
  if (!target || target.closed) throw new ConveneError('not_found', 'No such participant in this meeting.');
  return target;
}
