/** The events a headless client reports (`client.events`). */
import type {
  JoinedMessage,
  ParticipantInfo,
  ParticipantsLeftMessage,
  RemoteStream,
  ServerMessage,
} from '../../../src/protocol/messages.js';
import type { RtpPacket } from 'werift';
import type { EpochInfo } from '../../../src/client/e2ee/MlsSession.js';
import { TypedEmitter } from '../../../src/util/TypedEmitter.js';
import type { MediaKind } from './types.js';

export interface HeadlessClientEvents {
  joined: [JoinedMessage];
  resumed: [JoinedMessage];
  /** Reconnected but the seat was gone: joined fresh with a new participant id. */
  rejoined: [JoinedMessage];
  reconnecting: [attempt: number];
  disconnected: [];
  mediaRestart: [];
  published: [];
  subscribeOffer: [RemoteStream[]];
  participantJoined: [ParticipantInfo];
  participantUpdated: [ParticipantInfo];
  participantLeft: [participantId: string, reason: ParticipantsLeftMessage['reason']];
  /** The batch as the server sent it (one message per removal). */
  participantsLeft: [message: ParticipantsLeftMessage];
  /** First packet of a (participant, kind) since this client started receiving it. */
  firstMedia: [participantId: string, kind: MediaKind, atMs: number];
  /** Members: this client holds a new MLS epoch (its SFrame key ring now encrypts with it). */
  e2eeEpoch: [EpochInfo];
  /** Members: the MLS session failed (`mls_removed`, `keys_missing`, `mls_join_failed`); keys are gone. */
  e2eeFailed: [failure: { code: string; message: string }];
  /** Members: a frame this client sent, as built and as it went out after SFrame (before packetizing). */
  frameSent: [kind: MediaKind, plaintext: Uint8Array, sent: Uint8Array];
  /** An RTP packet received from a known stream, before any SFrame decryption (what Janus forwarded). */
  rtpReceived: [participantId: string, kind: MediaKind, rtp: RtpPacket];
  /** A server `error` not tied to a pending request, or a background failure (republish, reconnect). */
  error: [Error];
  message: [ServerMessage];
}

type Events = HeadlessClientEvents;

export class HeadlessEvents extends TypedEmitter<Events> {
  /** Public here: the client that owns this emitter emits on it. */
  override emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    super.emit(event, ...args);
  }

  /** Resolves with the arguments of the next `event`; rejects after timeoutMs. */
  next<K extends keyof Events>(event: K, timeoutMs: number): Promise<Events[K]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for "${String(event)}"`));
      }, timeoutMs);
      const off = this.once(event, (...args: Events[K]) => {
        clearTimeout(timer);
        resolve(args);
      });
    });
  }
}
