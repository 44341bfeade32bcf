/**
 * A live meeting: its participants, its media room (created with the first participant, closed with the
 * last), the roster broadcasts and recent chat. Admission has already happened when add() is called.
 */
import type { Logger } from 'pino';
import type { MediaEngine, MediaRoom } from '../media/types.js';
import type { ChatMessage, ServerMessage, WithoutVersion } from '../protocol/messages.js';
import type { MeetingRecord } from './MeetingRecord.js';
import { newSecretToken } from './MeetingRecord.js';
import { Participant, offerMessage, type LeaveReason } from './Participant.js';

const CHAT_HISTORY = 200;

export class Meeting {
  readonly participants = new Map<string, Participant>();
  /** Joins admitted but still being seated: counted against capacity so concurrent joins cannot overshoot. */
  #seating = 0;
  readonly #chat: ChatMessage[] = [];
  #room: Promise<MediaRoom> | undefined;

  constructor(
    readonly record: MeetingRecord,
    private readonly engine: MediaEngine,
    private readonly log: Logger,
    private readonly onEmpty: () => void,
  ) {}

  /** Participants present or being seated. */
  get size(): number {
    return this.participants.size + this.#seating;
  }

  /** Seats a participant: media first, so nobody is announced who cannot take part. */
  async add(participant: Participant): Promise<void> {
    this.#seating++;
    let media;
    try {
      const room = await this.#mediaRoom();
      media = await room.addParticipant(participant.id, participant.displayName);
    } finally {
      this.#seating--;
    }
    if (participant.closed) {
      media.close();
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

  #onLeave(participant: Participant, reason: LeaveReason): void {
    if (!this.participants.delete(participant.id)) return;
    this.broadcast({ type: 'participantLeft', participantId: participant.id, reason });
    this.log.debug({ meeting: this.record.id, participant: participant.id, reason }, 'participant left');
    if (this.participants.size === 0) this.close();
  }

  /** Closes the media room and forgets the live state; the meeting record stays joinable. */
  close(): void {
    for (const p of [...this.participants.values()]) p.close('left');
    const room = this.#room;
    this.#room = undefined;
    room?.then((r) => r.close()).catch(() => undefined);
    this.onEmpty();
  }
}
