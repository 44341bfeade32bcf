/**
 * A live meeting: its participants, its lobby, its media room (created with the first participant,
 * closed with the last), roster broadcasts and recent chat. Admission has already happened when add()
 * is called; host controls live in HostControls.ts.
 */
import type { Logger } from 'pino';
import type { MediaEngine, MediaParticipant, MediaRoom } from '../media/types.js';
import type { ChatMessage, MeetingView, ServerMessage, WithoutVersion } from '../protocol/messages.js';
import type { MeetingRow } from '../store/types.js';
import { newSecretToken } from './ids.js';
import { Lobby } from './Lobby.js';
import { Participant, offerMessage, type LeaveReason } from './Participant.js';

const CHAT_HISTORY = 200;

export class Meeting {
  readonly participants = new Map<string, Participant>();
  readonly lobby = new Lobby(() => this.#lobbyChanged());
  /** Joins admitted but still being seated: counted against capacity so concurrent joins cannot overshoot. */
  #seating = 0;
  readonly #chat: ChatMessage[] = [];
  #room: Promise<MediaRoom> | undefined;
  #ended = false;

  constructor(
    public row: MeetingRow,
    private readonly engine: MediaEngine,
    private readonly log: Logger,
    /** Called once nobody is left (seated or waiting): the service forgets the live meeting. */
    private readonly onEmpty: () => void,
  ) {}

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

  view(): MeetingView {
    const { id, title, locked, settings } = this.row;
    return { id, title, locked, lobby: settings.lobby, webinar: settings.webinar };
  }

  moderators(): Participant[] {
    return [...this.participants.values()].filter((p) => p.moderates);
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
    if (participant.closed || this.#ended) {
      media.close();
      participant.close('left');
      return;
    }
    participant.media = media;
    media.on('subscribeOffer', (offer, streams) => participant.send(offerMessage(offer, streams)));
    media.on('reset', () => participant.mediaReset());
    this.participants.set(participant.id, participant);
    participant.once('close', (reason) => this.#onLeave(participant, reason));
    this.broadcast({ type: 'participantJoined', participant: participant.info() }, participant.id);
  }

  broadcast(message: WithoutVersion<ServerMessage>, exceptId?: string): void {
    for (const p of this.participants.values()) if (p.id !== exceptId) p.send(message);
  }

  participantUpdated(participant: Participant): void {
    this.broadcast({ type: 'participantUpdated', participant: participant.info() });
  }

  /** New settings (from the host's API or a host control): everyone sees the public part. */
  setRow(row: MeetingRow): void {
    this.row = row;
    this.broadcast({ type: 'meetingUpdated', meeting: this.view() });
  }

  chat(from: Participant, text: string): ChatMessage {
    const message: ChatMessage = {
      v: 1,
      type: 'chat',
      id: newSecretToken(9),
      from: from.id,
      displayName: from.displayName,
      text,
      sentAt: Date.now(),
    };
    this.#chat.push(message);
    if (this.#chat.length > CHAT_HISTORY) this.#chat.shift();
    this.broadcast(message);
    return message;
  }

  chatSince(since: number): ChatMessage[] {
    return this.#chat.filter((m) => m.sentAt >= since);
  }

  /** The host ended the meeting: everyone, seated or waiting, is told and disconnected. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.lobby.cancelAll();
    for (const p of [...this.participants.values()]) p.endSession('ended');
    this.#closeMedia();
    this.onEmpty();
  }

  #mediaRoom(): Promise<MediaRoom> {
    if (!this.#room) {
      const pending = this.engine.createRoom();
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

  #lobbyChanged(): void {
    const lobby = this.lobby.entries();
    for (const p of this.moderators()) p.send({ type: 'lobbyUpdated', lobby });
    this.#checkEmpty();
  }

  #onLeave(participant: Participant, reason: LeaveReason): void {
    if (!this.participants.delete(participant.id)) return;
    this.broadcast({ type: 'participantLeft', participantId: participant.id, reason });
    this.log.debug({ meeting: this.id, participant: participant.id, reason }, 'participant left');
    if (this.participants.size === 0 && this.#seating === 0) this.#closeMedia();
    this.#checkEmpty();
  }

  #checkEmpty(): void {
    if (this.participants.size === 0 && this.#seating === 0 && this.lobby.size === 0) this.onEmpty();
  }

  #closeMedia(): void {
    const room = this.#room;
    this.#room = undefined;
    room?.then((r) => r.close()).catch(() => undefined);
  }

  /** Server shutdown: everyone leaves, the media room closes. The meeting stays joinable later. */
  close(): void {
    this.lobby.cancelAll();
    for (const p of [...this.participants.values()]) p.close('left');
    this.#closeMedia();
    this.onEmpty();
  }
}
