/**
 * A person in a live meeting: waiting in its lobby or seated. A seat outlives a dropped WebSocket for
 * the resume window: the connection attaches a sink to receive messages and detaches it when the
 * socket closes. State changes go through methods that emit one `updated` event each; the meeting
 * turns that into one roster message. Removal is the Meeting's job (Meeting.remove): a participant
 * only knows how to tell its own client that the session ended.
 */
import type { ErrorCode } from '../errors.js';
import type { MediaParticipant } from '../media/types.js';
import type {
  ParticipantInfo,
  Role,
  ServerMessage,
  SessionEndedMessage,
  SubscribeOfferMessage,
  WithoutVersion,
} from '../protocol/messages.js';
import { TypedEmitter } from '../util/TypedEmitter.js';
import type { WithheldDetails } from './admission.js';
import { newSecretToken } from './ids.js';
import { SESSION_END_CLOSE_CODES, type SessionEndReason } from '../protocol/closeCodes.js';

/** The connection a participant is bound to. */
export interface MessageSink {
  send(message: ServerMessage): void;
  /** Another connection took this seat over (resume from elsewhere); close this one. */
  replaced(): void;
  /** The seat was ended by someone else's action: close the connection with this code, for good. */
  terminate(code: number, reason: string): void;
}

/**
 * Why a participant leaves, as data: the one removal path (Meeting.remove) takes it, and every
 * consumer (roster messages, the client's notice, the media kick, the coming MLS remove, operator
 * counts) reads it from here.
 */
export type RemovalCause =
  | { kind: 'left' }
  | { kind: 'disconnected' }
  /** A host removed them (`banned`), or a host's rule no longer admits them (`code`). */
  | { kind: 'removed'; banned: boolean; code?: ErrorCode }
  | { kind: 'withheld'; notice: WithheldDetails; message: string }
  | { kind: 'denied' }
  | { kind: 'ended' }
  /** The server is shutting down: the connection closes with 1001, the meeting stays joinable. */
  | { kind: 'shutdown' };

/** Causes that are someone else's action: the client is told why and the socket is closed for good. */
export function endsSessionByOthers(
  cause: RemovalCause,
): cause is Extract<RemovalCause, { kind: SessionEndReason }> {
  return cause.kind in SESSION_END_CLOSE_CODES;
}

/** Causes for which the media server must stop forwarding at once (kick), not only detach. */
export function kicksMedia(cause: RemovalCause): boolean {
  return cause.kind === 'removed' || cause.kind === 'withheld' || cause.kind === 'ended';
}

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

export interface MediaStateChange {
  audioMuted: boolean;
  videoMuted: boolean;
  screenSharing: boolean;
}

export class Participant extends TypedEmitter<{
  /** Something others see changed (media state, hand, role): one roster update. */
  updated: [];
  /** The resume window after a dropped connection ran out. */
  resumeExpired: [];
  /** Gone from the meeting, for this cause. Emitted once. */
  close: [cause: RemovalCause];
}> {
  readonly id = newSecretToken(12);
  readonly resumeToken = newSecretToken(24);
  readonly joinedAt = Date.now();
  #audioMuted = false;
  #videoMuted = false;
  #screenSharing = false;
  /** When the hand went up (ms since epoch), or null. */
  #handRaisedAt: number | null = null;
  media: MediaParticipant | undefined;
  /** The media server restarted and this client has not published again yet. */
  #restartPending = false;
  #sink: MessageSink | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  /** Being removed: refuses requests at once, while its client is still told why. */
  #leaving = false;
  #closed = false;
  /** The others have been told about this seat (Meeting.announce); until then only its own client knows it. */
  announced = false;

  constructor(
    readonly meetingId: string,
    readonly displayName: string,
    /** Jurisdiction code of the current connection; the address itself never reaches this layer. */
    public jurisdiction: string,
    readonly identity: Identity,
    public role: Role,
    /** Joined as the meeting's host (account or host key): kept across role changes of others. */
    readonly isHost = role === 'host',
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
  get audioMuted(): boolean {
    return this.#audioMuted;
  }
  get screenSharing(): boolean {
    return this.#screenSharing;
  }
  get handRaisedAt(): number | null {
    return this.#handRaisedAt;
  }
  /** Leaving or gone: no request of its own is served any more. */
  get closed(): boolean {
    return this.#leaving || this.#closed;
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
      audioMuted: this.#audioMuted,
      videoMuted: this.#videoMuted,
      screenSharing: this.#screenSharing,
      handRaised: this.#handRaisedAt !== null,
      handRaisedAt: this.#handRaisedAt,
      joinedAt: this.joinedAt,
    };
  }

  // ---- state others see: one method, one `updated` event -------------------------------------------

  setMediaState(state: MediaStateChange): void {
    if (
      state.audioMuted === this.#audioMuted &&
      state.videoMuted === this.#videoMuted &&
      state.screenSharing === this.#screenSharing
    ) {
      return;
    }
    this.#audioMuted = state.audioMuted;
    this.#videoMuted = state.videoMuted;
    this.#screenSharing = state.screenSharing;
    this.emit('updated');
  }

  /** A host muted this participant: their client is told, and the roster shows them muted. */
  forceMute(): void {
    this.send({ type: 'forceMute' });
    if (this.#audioMuted) return;
    this.#audioMuted = true;
    this.emit('updated');
  }

  setHand(raised: boolean): void {
    if (raised === (this.#handRaisedAt !== null)) return;
    this.#handRaisedAt = raised ? Date.now() : null;
    this.emit('updated');
  }

  /** A new role; an attendee stops sharing a screen (its media was unpublished by the caller). */
  setRole(role: Role): void {
    if (role === this.role) return;
    this.role = role;
    if (!this.mayPublish) this.#screenSharing = false;
    this.emit('updated');
  }

  // ---- the connection --------------------------------------------------------------------------------

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

  /** The connection went away: keep the seat for `windowMs`, then `resumeExpired`. */
  detach(sink: MessageSink, windowMs: number): void {
    if (this.#sink !== sink || this.closed) return;
    this.#sink = undefined;
    clearTimeout(this.#graceTimer);
    this.#graceTimer = setTimeout(() => this.emit('resumeExpired'), windowMs);
    this.#graceTimer.unref();
  }

  // ---- removal (called only by Meeting.remove) -------------------------------------------------------

  /** First step of a removal: refuse further requests; the client is still reachable. */
  beginLeaving(): void {
    this.#leaving = true;
    clearTimeout(this.#graceTimer);
  }

  /** Last step of a removal: tell the client why (when it was someone else's action), close, emit. */
  finishLeaving(cause: RemovalCause): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#leaving = true;
    clearTimeout(this.#graceTimer);
    const sink = this.#sink;
    this.#sink = undefined;
    if (endsSessionByOthers(cause) && sink) {
      sink.send({ v: 1, ...sessionEndedMessage(cause) });
      sink.terminate(SESSION_END_CLOSE_CODES[cause.kind], cause.kind);
    }
    this.media?.close();
    this.emit('close', cause);
    this.removeAllListeners();
  }
}

function sessionEndedMessage(
  cause: Extract<RemovalCause, { kind: SessionEndReason }>,
): WithoutVersion<SessionEndedMessage> {
  switch (cause.kind) {
    case 'removed':
      return {
        type: 'sessionEnded',
        reason: 'removed',
        banned: cause.banned,
        ...(cause.code ? { code: cause.code } : {}),
        // Rejoining can only work after a person's removal without ban, not after a rule's refusal.
        rejoin: !cause.banned && cause.code === undefined,
      };
    case 'withheld':
      return {
        type: 'sessionEnded',
        reason: 'withheld',
        code: 'withheld',
        rejoin: false,
        withheld: { ...cause.notice, message: cause.message },
      };
    case 'denied':
      return { type: 'sessionEnded', reason: 'denied', rejoin: true };
    case 'ended':
      return { type: 'sessionEnded', reason: 'ended', rejoin: false };
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
    e2ee: true,
    streams: streams.map((s) => ({
      mid: s.mid,
      participantId: s.participantKey,
      kind: s.kind,
      source: s.source,
      active: s.active,
    })),
  };
}
