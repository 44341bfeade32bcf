/**
 * A live meeting: its participants, its lobby, its media room (created with the first participant,
 * closed with the last). It reports what happens through typed domain events
 * (participantAdded, participantsRemoved, participantUpdated, lobbyChanged, settingsChanged, close);
 * roster messages (MeetingBroadcaster), and later the MLS delivery service and operator counts,
 * subscribe to them instead of being called by hand.
 *
 * Admission has already happened when add() is called; host controls live in HostControls.ts.
 * Everyone leaves through one path, remove(participants, cause), whatever the cause.
 */
import type { Logger } from 'pino';
import type { MediaEngine, MediaParticipant, MediaRoom } from '../media/types.js';
import type { MeetingView, Reaction, ReactionMessage } from '../protocol/messages.js';
import type { MeetingRow } from '../store/types.js';
import { TypedEmitter } from '../util/TypedEmitter.js';
import { Lobby, type LobbyChange, type LobbyTicket } from './Lobby.js';
import { Participant, kicksMedia, offerMessage, type RemovalCause } from './Participant.js';

export interface MeetingEvents {
  /** Seated: it holds a media seat and receives the meeting, but the others are not told yet. */
  participantAdded: [participant: Participant];
  /**
   * The others are told about a seated participant: when its KeyPackage is accepted, just before the
   * server's Add for it goes to the members (MeetingMls), or after `ANNOUNCE_WITHOUT_KEYS_MS`.
   */
  participantAnnounced: [participant: Participant];
  /** Seated participants who left together, for one cause (lobby leavers are not in it). */
  participantsRemoved: [participants: Participant[], cause: RemovalCause];
  participantUpdated: [participant: Participant];
  lobbyChanged: [change: LobbyChange];
  /** The public view changed: settings (`row`) or the spotlight. */
  settingsChanged: [row: MeetingRow];
  reaction: [message: ReactionMessage];
  /** Nobody is left, seated or waiting (or the meeting ended): the service forgets it. */
  close: [];
}

export class Meeting extends TypedEmitter<MeetingEvents> {
  readonly participants = new Map<string, Participant>();
  readonly lobby = new Lobby((change) => this.#lobbyChanged(change));
  /** Joins admitted but still being seated: counted against capacity so concurrent joins cannot overshoot. */
  #seating = 0;
  #room: Promise<MediaRoom> | undefined;
  /** The seated participant every client shows large (host spotlight), or null. */
  #spotlight: string | null = null;
  #ended = false;
  #closed = false;
  /**
   * While null, a participant is announced as soon as it is seated. The MLS delivery service sets it
   * (`announceWithKeys`): a participant is then announced with its Add, or after this many ms.
   */
  #announceWithoutKeysMs: number | null = null;

  constructor(
    public row: MeetingRow,
    private readonly engine: MediaEngine,
    private readonly log: Logger,
  ) {
    super();
  }

  get id(): string {
    return this.row.id;
  }

  /** Participants present or being seated. */
  get size(): number {
    return this.participants.size + this.#seating;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get closed(): boolean {
    return this.#closed;
  }

  view(): MeetingView {
    const { id, title, locked, settings } = this.row;
    return {
      id,
      title,
      locked,
      lobby: settings.lobby,
      webinar: settings.webinar,
      spotlight: this.#spotlight,
    };
  }

  get spotlight(): string | null {
    return this.#spotlight;
  }

  /** Spotlights a seated participant for everyone (or nobody, `null`); checks are the caller's. */
  setSpotlight(participantId: string | null): void {
    if (participantId === this.#spotlight) return;
    this.#spotlight = participantId;
    this.emit('settingsChanged', this.row);
  }

  moderators(): Participant[] {
    return [...this.participants.values()].filter((p) => p.moderates);
  }

  /** Everyone seated and everyone waiting. */
  everyone(): Participant[] {
    return [...this.participants.values(), ...this.lobby.participants()];
  }

  /** Seats a participant: media first, so nobody is announced who cannot take part. */
  async add(participant: Participant): Promise<void> {
    this.#seating++;
    let media: MediaParticipant;
    try {
      const room = await this.#mediaRoom();
      media = await room.addParticipant(participant.id, participant.displayName);
    } finally {
      this.#seating--;
    }
    if (participant.closed || this.#ended || this.#closed) {
      media.close();
      participant.finishLeaving({ kind: 'left' });
      this.#closeIfEmpty();
      return;
    }
    participant.media = media;
    media.on('subscribeOffer', (offer, streams) => participant.send(offerMessage(offer, streams)));
    media.on('reset', () => participant.mediaReset());
    this.participants.set(participant.id, participant);
    participant.on('updated', () => {
      this.emit('participantUpdated', participant);
      // A spotlighted panelist made an attendee is off the stage: the spotlight ends with it.
      if (this.#spotlight === participant.id && !participant.mayPublish) this.setSpotlight(null);
    });
    participant.on('resumeExpired', () => void this.remove([participant], { kind: 'disconnected' }));
    this.emit('participantAdded', participant);
    const wait = this.#announceWithoutKeysMs;
    if (wait === null || wait <= 0) this.announce(participant);
    else {
      const timer = setTimeout(() => this.announce(participant), wait);
      participant.once('close', () => clearTimeout(timer));
    }
  }

  /**
   * From now on a seated participant is announced when its KeyPackage is accepted (the caller calls
   * `announce`), or after `ms` without one: a client that never sends one is then announced anyway,
   * and every member's client warns that it is not in the key group.
   */
  announceWithKeys(ms: number): void {
    this.#announceWithoutKeysMs = ms;
  }

  /** Seated participants the others have been told about (see `announce`). */
  announced(): Participant[] {
    return [...this.participants.values()].filter((p) => p.announced);
  }

  /**
   * Tells everyone else about a seated participant, once. In an end-to-end encrypted meeting the server
   * announces a joiner together with its Add proposal, so no client sees an announced participant
   * without the Add that makes it a member on its way (docs/e2ee.md "Roster vs MLS").
   */
  announce(participant: Participant): void {
    if (participant.announced || participant.closed || this.participants.get(participant.id) !== participant)
      return;
    participant.announced = true;
    this.emit('participantAnnounced', participant);
  }

  /** Puts someone in the lobby; the ticket settles when they are admitted or gone. */
  wait(participant: Participant): LobbyTicket {
    const ticket = this.lobby.add(participant);
    participant.on('resumeExpired', () => void this.remove([participant], { kind: 'left' }));
    return ticket;
  }

  /** New settings (from the host's API or a host control): everyone sees the public part. */
  setRow(row: MeetingRow): void {
    this.row = row;
    this.emit('settingsChanged', row);
  }

  /** A reaction from a seated participant, for everyone (rate limits are the caller's). */
  react(from: Participant, reaction: Reaction): void {
    this.emit('reaction', { v: 1, type: 'reaction', from: from.id, reaction, sentAt: Date.now() });
  }

  /**
   * The one removal path, for every cause: seated or waiting, one person or everyone.
   * 1. They stop being served at once (requests refused, no more broadcasts reach them).
   * 2. For removals by others the media server kicks them (room secret, token revoked) and Convene
   *    awaits it, so media has stopped before anyone is told; otherwise their handles are detached.
   * 3. `participantsRemoved` is emitted once for the batch: one roster message to those who remain
   *    (the MLS remove will hook in here too).
   * 4. Each removed client gets `sessionEnded` with the cause and its socket is closed for good.
   */
  async remove(targets: readonly Participant[], cause: RemovalCause): Promise<void> {
    const seated = targets.filter((p) => this.participants.get(p.id) === p && !p.closed);
    const waiting = targets
      .map((p) => this.lobby.ticketOf(p))
      .filter((t): t is LobbyTicket => t !== undefined && !t.participant.closed);
    if (seated.length === 0 && waiting.length === 0) return;
    for (const p of seated) {
      p.beginLeaving();
      this.participants.delete(p.id);
    }
    for (const t of waiting) t.participant.beginLeaving();
    this.lobby.settle(waiting, 'gone');
    if (kicksMedia(cause)) {
      const kicks = await Promise.allSettled(seated.map((p) => p.media?.kick()));
      for (const k of kicks) {
        if (k.status === 'rejected') this.log.warn({ err: k.reason, meeting: this.id }, 'media kick failed');
      }
    }
    if (seated.length > 0) this.emit('participantsRemoved', seated, cause);
    if (seated.some((p) => p.id === this.#spotlight)) this.setSpotlight(null);
    for (const p of [...seated, ...waiting.map((t) => t.participant)]) p.finishLeaving(cause);
    this.log.debug({ count: seated.length + waiting.length, cause: cause.kind }, 'participants removed');
    if (this.participants.size === 0 && this.#seating === 0) this.#closeMedia();
    this.#closeIfEmpty();
  }

  /** The host ended the meeting for everyone: everyone, seated or waiting, is told and disconnected. */
  async end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    await this.remove(this.everyone(), { kind: 'ended' });
    this.#closeMedia();
    this.#close();
  }

  /** Server shutdown: everyone leaves, the media room closes. The meeting stays joinable later. */
  async shutdown(): Promise<void> {
    await this.remove(this.everyone(), { kind: 'shutdown' });
    this.#closeMedia();
    this.#close();
  }

  #mediaRoom(): Promise<MediaRoom> {
    if (!this.#room) {
      // Every meeting is end-to-end encrypted (docs/e2ee.md): the SFU forwards frames it cannot read.
      const pending = this.engine.createRoom({ requireE2ee: true });
      this.#room = pending;
      pending.then(
        (room) =>
          room.once('close', () => {
            if (this.#room === pending) this.#room = undefined;
          }),
        () => {
          if (this.#room === pending) this.#room = undefined;
        },
      );
    }
    return this.#room;
  }

  #lobbyChanged(change: LobbyChange): void {
    this.emit('lobbyChanged', change);
    this.#closeIfEmpty();
  }

  #closeIfEmpty(): void {
    if (this.participants.size === 0 && this.#seating === 0 && this.lobby.size === 0) this.#close();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('close');
    this.removeAllListeners();
  }

  #closeMedia(): void {
    const room = this.#room;
    this.#room = undefined;
    room?.then((r) => r.close()).catch(() => undefined);
  }
}
