/**
 * A participant's seat in a live meeting. It outlives a dropped WebSocket for the resume window: the
 * connection attaches a sink to receive messages and detaches it when the socket closes.
 */
import type { ErrorCode } from '../errors.js';
import type { MediaParticipant } from '../media/types.js';
import type {
  ParticipantInfo,
  Role,
  ServerMessage,
  SubscribeOfferMessage,
  WithoutVersion,
} from '../protocol/messages.js';
import { TypedEmitter } from '../util/TypedEmitter.js';
import { newSecretToken } from './ids.js';

/** The connection a participant is bound to. */
export interface MessageSink {
  send(message: ServerMessage): void;
  /** Another connection took this seat over (resume from elsewhere); close this one. */
  replaced(): void;
  /** The seat was ended by someone else's action: close the connection with this code, for good. */
  terminate(code: number, reason: string): void;
}

/** WebSocket close codes for seats ended by others (docs/errors.md). */
export const CLOSE_CODES = { removed: 4004, ended: 4005, denied: 4006 } as const;
export type LeaveReason = 'left' | 'disconnected' | 'removed' | 'ended';

/** Who is behind a connection: an account, or a guest browser (its key from the `convene_guest` cookie). */
export interface Identity {
  accountId: string | undefined;
  guestKey: string;
  /** Opaque per-client key from geo/ for rate limits; never an address. */
  clientKey: string;
  /** Host keys by meeting ID from the connection's HttpOnly host-key cookies (anonymous meetings). */
  hostKeys?: ReadonlyMap<string, string>;
}

/** Ban subjects for an identity: the account when signed in, and the guest browser. */
export function banSubjects(identity: Identity): string[] {
  return [...(identity.accountId ? [`account:${identity.accountId}`] : []), `guest:${identity.guestKey}`];
}

export class Participant extends TypedEmitter<{ close: [reason: LeaveReason] }> {
  readonly id = newSecretToken(12);
  readonly resumeToken = newSecretToken(24);
  readonly joinedAt = Date.now();
  audioMuted = false;
  videoMuted = false;
  screenSharing = false;
  /** When the hand went up (ms since epoch), or null. */
  handRaisedAt: number | null = null;
  media: MediaParticipant | undefined;
  /** The media server restarted and this client has not published again yet. */
  #restartPending = false;
  #sink: MessageSink | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    readonly meetingId: string,
    readonly displayName: string,
    /** Jurisdiction code of the current connection; the address itself never reaches this layer. */
    public jurisdiction: string,
    readonly identity: Identity,
    public role: Role,
  ) {
    super();
  }

  /** Host and co-hosts may use host controls. */
  get moderates(): boolean {
    return this.role === 'host' || this.role === 'cohost';
  }

  /** Attendees of a webinar only receive. */
  get mayPublish(): boolean {
    return this.role !== 'attendee';
  }

  get closed(): boolean {
    return this.#closed;
  }
  get connected(): boolean {
    return this.#sink !== undefined;
  }

  info(): ParticipantInfo {
    return {
      id: this.id,
      displayName: this.displayName,
      role: this.role,
      signedIn: this.identity.accountId !== undefined,
      audioMuted: this.audioMuted,
      videoMuted: this.videoMuted,
      screenSharing: this.screenSharing,
      handRaised: this.handRaisedAt !== null,
      handRaisedAt: this.handRaisedAt,
      joinedAt: this.joinedAt,
    };
  }

  send(message: WithoutVersion<ServerMessage>): void {
    this.#sink?.send({ v: 1, ...message } as ServerMessage);
  }

  /** Binds a connection; a subscription offer the client has not answered yet is sent (again). */
  attach(sink: MessageSink): void {
    clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
    const previous = this.#sink;
    this.#sink = sink;
    if (previous && previous !== sink) previous.replaced();
    if (this.#restartPending) this.send({ type: 'mediaRestart' });
    const pending = this.media?.pendingOffer;
    if (pending) this.send(offerMessage(pending.offer, pending.streams));
  }

  /** The media server restarted: the client must publish again (told now, or when it reconnects). */
  mediaReset(): void {
    this.#restartPending = true;
    this.send({ type: 'mediaRestart' });
  }

  published(): void {
    this.#restartPending = false;
  }

  /** The connection went away: keep the seat for `windowMs`, then close as disconnected. */
  detach(sink: MessageSink, windowMs: number): void {
    if (this.#sink !== sink || this.#closed) return;
    this.#sink = undefined;
    clearTimeout(this.#graceTimer);
    this.#graceTimer = setTimeout(() => this.close('disconnected'), windowMs);
    this.#graceTimer.unref();
  }

  /** Ends this seat by someone else's action: tells the client why, closes its connection, leaves. */
  endSession(reason: 'removed' | 'ended', banned = false, code?: ErrorCode): void {
    if (this.#closed) return;
    this.send({
      type: 'sessionEnded',
      reason,
      ...(reason === 'removed' ? { banned } : {}),
      ...(code ? { code } : {}),
    });
    const sink = this.#sink;
    this.close(reason);
    sink?.terminate(CLOSE_CODES[reason], reason);
  }

  close(reason: LeaveReason): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#graceTimer);
    this.#sink = undefined;
    this.media?.close();
    this.emit('close', reason);
    this.removeAllListeners();
  }
}

export function offerMessage(
  offer: { sdp: string },
  streams: ReadonlyArray<{
    mid: string;
    participantKey: string;
    kind: 'audio' | 'video';
    source: 'mic' | 'camera' | 'screen';
    active: boolean;
  }>,
): WithoutVersion<SubscribeOfferMessage> {
  return {
    type: 'subscribeOffer',
    jsep: { type: 'offer', sdp: offer.sdp },
    streams: streams.map((s) => ({
      mid: s.mid,
      participantId: s.participantKey,
      kind: s.kind,
      source: s.source,
      active: s.active,
    })),
  };
}
