/**
 * Live meetings as the transports see them: join through admission and the lobby, resume, publish,
 * subscribe, hands, host controls, end; meetings as records (create, edit, list: the HTTP API) are
 * `records` (MeetingRecords.ts). Identity always comes from the connection (its account or guest
 * key), never from a message body.
 *
 * Every way into a meeting asks the presence predicate (admission.ts) with real facts: join, resume
 * (with the new connection's jurisdiction), admission from the lobby, a host's edit (seated and
 * waiting alike) and the sweep after an operator restriction. Everyone leaves through Meeting.remove.
 */
import type { Logger } from 'pino';
import type { Bus, BusEvent } from '../bus/types.js';
import { MeetingBans } from './bans.js';
import { ConveneError } from '../errors.js';
import type { MediaEngine, PublishedTrack, SessionDescription } from '../media/types.js';
import type { JoinedMessage } from '../protocol/messages.js';
import type { MeetingRow, Store } from '../store/types.js';
import { KeyedQuota } from '../util/KeyedQuota.js';
import { RateLimiter } from '../util/RateLimiter.js';
import { AdmissionError, capacityError } from './admission.js';
import { arrival, joinedMessage, type Arrival, type ArrivalRequest } from './arrival.js';
import { applyHostControl, type HostControlMessage } from './HostControls.js';
import type { LobbyTicket } from './Lobby.js';
import { Meeting } from './Meeting.js';
import { MeetingRecords } from './MeetingRecords.js';
import { meetingPreview, type MeetingPreview } from './preview.js';
import { broadcastMeeting } from './MeetingBroadcaster.js';
import { Participant, type Identity, type MediaStateChange } from './Participant.js';
import type { LiveMeetings } from './cases/CaseService.js';
import { LivePresence, removalCause, type WithholdingCounts } from './LivePresence.js';
import { RoomActions, isRoomAction, type RoomActionMessage } from './RoomActions.js';
import type { ActiveRestriction, RestrictionIndex } from './restrictions.js';

export interface MeetingServiceOptions {
  /** Where withholding removals and refusals are counted (per case, numbers only). */
  withholdingCounts?: WithholdingCounts;
  engine: MediaEngine;
  store: Store;
  bus: Bus;
  logger: Logger;
  resumeWindowMs: number;
  maxParticipantsPerMeeting: number;
  /** People waiting in one meeting's lobby at once (`lobby_full` beyond). */
  maxLobbySize: number;
  /** Seats and lobby waits per client key, detached seats included (`too_many_seats` beyond). */
  maxSeatsPerClient: number;
  /** Called once when a meeting goes live on this node (the MLS delivery service attaches here). */
  onLive?: (meeting: Meeting) => void;
}

export interface JoinRequest {
  meetingId: string;
  displayName: string;
  passcode?: string | undefined;
  hostKey?: string | undefined;
  resume?: string | undefined;
  jurisdiction: string;
  identity: Identity;
}

export type Seated = { participant: Participant; joined: () => JoinedMessage };
export type JoinOutcome =
  | ({ kind: 'joined' } & Seated)
  | {
      kind: 'lobby';
      participant: Participant;
      ticket: LobbyTicket;
      meetingTitle: string;
      /** After `admitted`: takes the seat (capacity and presence are checked again). */
      seat: () => Promise<Seated>;
    };

/** Failed joins (missing meeting or wrong passcode alike) per client and meeting, and per client. */
const FAILED_JOINS = { perMeeting: 10, perClient: 50, windowMs: 60 * 60_000 };

export class MeetingService implements LiveMeetings {
  readonly #live = new Map<string, Meeting>();
  /** Restrictions and bans as they apply to the live meetings: presence facts, sweeps, case answers. */
  readonly #presence: LivePresence;
  readonly #byResumeToken = new Map<string, Participant>();
  readonly #failedPerMeeting = new RateLimiter(FAILED_JOINS.perMeeting, FAILED_JOINS.windowMs);
  readonly #failedPerClient = new RateLimiter(FAILED_JOINS.perClient, FAILED_JOINS.windowMs);
  /** Participants (seated, detached or waiting) per client key, released when each one closes. */
  readonly #seatsPerClient: KeyedQuota;
  readonly #options: MeetingServiceOptions;
  readonly #roomActions = new RoomActions();
  /** Bans as the host manages them outside the meeting (list, lift). */
  readonly meetingBans: MeetingBans;
  /** Meetings as records (the HTTP API): create, read, edit, list, end. */
  readonly records: MeetingRecords;
  readonly #unsubscribe: () => void;

  constructor(options: MeetingServiceOptions) {
    this.#options = options;
    this.#presence = new LivePresence(this.#live, options.withholdingCounts);
    this.#seatsPerClient = new KeyedQuota(options.maxSeatsPerClient);
    this.meetingBans = new MeetingBans(options.store.bans, options.bus);
    this.records = new MeetingRecords(options.store, options.bus, this.#live, (m) => this.#presence.sweep(m));
    this.#unsubscribe = options.bus.subscribe((event) => this.#onBus(event));
  }

  get #store(): Store {
    return this.#options.store;
  }

  liveMeeting(id: string): Meeting | undefined {
    return this.#live.get(id);
  }

  get liveMeetings(): IterableIterator<Meeting> {
    return this.#live.values();
  }

  // ---- restrictions and bans (filled by the operator side and host controls through the bus) -------

  /** The operator's restrictions active on this node. */
  get restrictions(): RestrictionIndex {
    return this.#presence.restrictions;
  }

  /** Loads the restrictions active now (at start; later changes arrive on the bus). */
  loadRestrictions(active: readonly ActiveRestriction[]): void {
    this.#presence.loadRestrictions(active);
  }

  async #onBus(event: BusEvent): Promise<void> {
    if (event.type === 'meetingEnded') await this.#live.get(event.meetingId)?.end();
    else if (event.type === 'restrictionsChanged') await this.#presence.onRestrictions(event);
    else await this.#presence.onBans(event);
  }

  countInScope(
    scope: { kind: 'meeting'; meetingId: string } | { kind: 'host'; hostAccountId: string },
    jurisdiction: string,
  ): { liveMeetings: number; people: number } {
    return this.#presence.countInScope(scope, jurisdiction);
  }

  notifyHost(
    target: { hostAccountId: string | null; meetingId: string | null },
    notice: Record<string, unknown>,
  ): void {
    this.#presence.notifyHost(target, notice);
  }

  // ---- joining ------------------------------------------------------------------------------------

  /**
   * Joins a meeting, waits in its lobby, or takes back a seat kept after a dropped connection. The
   * caller builds `joined` with the returned function, sends it and attaches its sink in one
   * synchronous step, so the roster snapshot and later roster messages neither overlap nor leave a gap.
   */
  async join(request: JoinRequest): Promise<JoinOutcome> {
    if (request.resume !== undefined) return { kind: 'joined', ...(await this.#resume(request)) };
    const { identity } = request;
    const meetingKey = `${identity.clientKey}:${request.meetingId}`;
    if (this.#failedPerMeeting.limited(meetingKey) || this.#failedPerClient.limited(identity.clientKey)) {
      throw new ConveneError('rate_limited', 'Too many failed attempts; try again later.');
    }
    const { row, live, isHost, decision } = await this.#arrival(request);
    if (!decision.admitted) {
      this.#presence.countRefused(decision.error);
      if (decision.error.code === 'meeting_not_found') {
        this.#failedPerMeeting.record(meetingKey);
        this.#failedPerClient.record(identity.clientKey);
      }
      throw decision.error;
    }
    // Every way out of a Participant ends in its `close` (Meeting.remove, a failed seat, a refused
    // admission from the lobby), which gives the seat back.
    const releaseSeat = this.#seatsPerClient.acquire(identity.clientKey);
    if (!releaseSeat) throw new ConveneError('too_many_seats');
    let meeting: Meeting;
    try {
      meeting = live ?? (await this.#openLive(row as MeetingRow));
      // Checked once the meeting is open: a full lobby means the meeting is not empty, so refusing
      // here never leaves an empty live meeting behind.
      if (decision.lobby && meeting.lobby.size >= this.#options.maxLobbySize) {
        throw new ConveneError('lobby_full');
      }
    } catch (err) {
      releaseSeat();
      throw err;
    }
    const participant = new Participant(
      request.meetingId,
      request.displayName,
      request.jurisdiction,
      identity,
      decision.role,
      isHost,
    );
    participant.once('close', releaseSeat);
    if (!decision.lobby) return { kind: 'joined', ...(await this.#seat(meeting, participant)) };
    const ticket = meeting.wait(participant);
    return {
      kind: 'lobby',
      participant,
      ticket,
      meetingTitle: meeting.row.title,
      seat: () => this.#seatFromLobby(meeting, participant),
    };
  }

  #arrival(request: ArrivalRequest): Promise<Arrival> {
    return arrival(
      {
        store: this.#store,
        live: () => this.#live.get(request.meetingId),
        restrictions: this.restrictions,
        maxParticipantsPerMeeting: this.#options.maxParticipantsPerMeeting,
      },
      request,
    );
  }

  /** What the pre-join screen may show this viewer (preview.ts); asks admission like a join without passcode. */
  async preview(
    meetingId: string,
    viewer: { jurisdiction: string; identity: Identity },
  ): Promise<MeetingPreview> {
    const { row, live, isHost, decision } = await this.#arrival({ meetingId, ...viewer });
    return meetingPreview(row, live, isHost, decision);
  }

  /** A host let them in: presence again (facts may have changed while they waited), then capacity. */
  async #seatFromLobby(meeting: Meeting, participant: Participant): Promise<Seated> {
    const refusal =
      meeting.ended || meeting.closed
        ? AdmissionError.notFound()
        : (this.#presence.refusal(meeting, participant) ??
          capacityError(meeting.row, meeting.size, this.#options.maxParticipantsPerMeeting));
    if (refusal) {
      // Out of the lobby and refused a seat: nothing holds it any more.
      participant.finishLeaving({ kind: 'left' });
      throw refusal;
    }
    return this.#seat(meeting, participant);
  }

  /**
   * Hosts admit people from the lobby: those the presence predicate now refuses leave through the
   * removal path with the reason; the rest are let through to take their seats.
   */
  async admitFromLobby(meeting: Meeting, tickets: readonly LobbyTicket[]): Promise<void> {
    const refused = await this.#presence.removeRefused(
      meeting,
      tickets.map((t) => t.participant),
    );
    meeting.lobby.settle(
      tickets.filter((t) => !refused.has(t.participant)),
      'admitted',
    );
  }

  async #seat(meeting: Meeting, participant: Participant): Promise<Seated> {
    try {
      await meeting.add(participant);
    } catch (err) {
      participant.finishLeaving({ kind: 'left' });
      throw new ConveneError('media_unavailable', undefined, { cause: err });
    }
    if (participant.closed) throw AdmissionError.notFound();
    this.#byResumeToken.set(participant.resumeToken, participant);
    participant.once('close', () => this.#byResumeToken.delete(participant.resumeToken));
    return { participant, joined: () => this.#joinedMessage(meeting, participant, false) };
  }

  /** A dropped connection takes its seat back: re-located and re-checked, like any arrival. */
  async #resume(request: JoinRequest): Promise<Seated> {
    const participant = this.#byResumeToken.get(request.resume ?? '');
    const meeting = this.#live.get(request.meetingId);
    if (!participant || participant.closed || participant.meetingId !== request.meetingId || !meeting) {
      throw new ConveneError('resume_expired');
    }
    const refusal = this.#presence.refusal(meeting, participant, request.jurisdiction);
    if (refusal) {
      this.#presence.countRemoved(refusal, 1);
      await meeting.remove([participant], removalCause(refusal));
      throw refusal;
    }
    participant.jurisdiction = request.jurisdiction;
    return { participant, joined: () => this.#joinedMessage(meeting, participant, true) };
  }

  #joinedMessage(meeting: Meeting, participant: Participant, resumed: boolean): JoinedMessage {
    return joinedMessage(meeting, participant, resumed, this.#options.resumeWindowMs);
  }

  async #openLive(row: MeetingRow): Promise<Meeting> {
    const bans = new Set(await this.#store.bans.list(row.id));
    // Another join may have opened it while the bans loaded.
    const existing = this.#live.get(row.id);
    if (existing) return existing;
    const meeting = new Meeting(row, this.#options.engine, this.#options.logger);
    broadcastMeeting(meeting);
    this.#options.onLive?.(meeting);
    this.#live.set(row.id, meeting);
    this.#presence.trackBans(meeting, bans);
    meeting.once('close', () => {
      if (this.#live.get(row.id) === meeting) this.#live.delete(row.id);
    });
    return meeting;
  }

  // ---- in the meeting -----------------------------------------------------------------------------

  async publish(
    participant: Participant,
    offer: SessionDescription,
    tracks: PublishedTrack[],
  ): Promise<SessionDescription> {
    if (!participant.mayPublish)
      throw new ConveneError('not_allowed', 'Attendees of a webinar cannot publish.');
    const media = this.#media(participant);
    try {
      const answer = await media.publish(offer, tracks);
      participant.published();
      return answer;
    } catch (err) {
      throw new ConveneError('negotiation_failed', undefined, { cause: err });
    }
  }

  async answerSubscription(participant: Participant, answer: SessionDescription): Promise<void> {
    const media = this.#media(participant);
    try {
      await media.answerSubscription(answer);
    } catch (err) {
      throw new ConveneError('negotiation_failed', undefined, { cause: err });
    }
  }

  async setMediaState(participant: Participant, state: MediaStateChange): Promise<void> {
    // Unmuting yourself lifts a host's mute at the media server too: the host asks, you decide.
    if (participant.audioMuted && !state.audioMuted) await participant.media?.moderate('mic', false);
    participant.setMediaState(state);
  }

  raiseHand(participant: Participant, raised: boolean): void {
    participant.setHand(raised);
  }

  /** Leaves the meeting (or its lobby) for good, at the participant's own request or socket close. */
  async leave(participant: Participant): Promise<void> {
    await this.#live.get(participant.meetingId)?.remove([participant], { kind: 'left' });
  }

  /** Host controls, and the room actions (reactions, spotlight, hand-over: RoomActions.ts). */
  async hostControl(
    participant: Participant,
    message: HostControlMessage | RoomActionMessage,
  ): Promise<void> {
    const meeting = this.#live.get(participant.meetingId);
    if (!meeting) throw new ConveneError('not_joined');
    if (isRoomAction(message)) return this.#roomActions.apply(meeting, participant, message);
    await applyHostControl(meeting, participant, message, {
      meetings: this.#store.meetings,
      bans: this.#store.bans,
      banned: async (subjects) => {
        this.#presence.addBans(meeting.id, subjects);
        await this.#options.bus.publish({
          type: 'bansAdded',
          meetingId: meeting.id,
          subjects: [...subjects],
        });
      },
      admit: (tickets) => this.admitFromLobby(meeting, tickets),
      end: () => this.records.end(meeting.id),
    });
  }

  #media(participant: Participant) {
    if (!participant.media || participant.closed) throw new ConveneError('media_unavailable');
    return participant.media;
  }

  /** Ends every live meeting's media (server shutdown); meetings stay joinable later. */
  async closeAll(): Promise<void> {
    this.#unsubscribe();
    await Promise.all([...this.#live.values()].map((m) => m.shutdown()));
  }
}
