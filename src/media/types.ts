/**
 * The media engine interface. It knows rooms, participants, publishing, subscriptions and removal;
 * nothing about meetings, accounts or policy. The Janus adapter in ./janus implements it.
 *
 * Lifecycle: engine -> rooms -> participants. Every object has an idempotent close(); closing a
 * parent closes its children first, and each object emits `close` exactly once.
 */
import type { TypedEmitter } from '../util/TypedEmitter.js';

export type MediaSource = 'mic' | 'camera' | 'screen';

export interface SessionDescription {
  type: 'offer' | 'answer';
  sdp: string;
}

export interface PublishedTrack {
  mid: string;
  source: MediaSource;
}

/** One m-line of a participant's receiving PeerConnection. */
export interface RemoteStreamInfo {
  mid: string;
  /** The key of the participant whose track this is. */
  participantKey: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  active: boolean;
}

export interface MediaParticipantEvents {
  /** A new offer for the receiving PeerConnection; answer it with answerSubscription(). */
  subscribeOffer: [offer: SessionDescription, streams: RemoteStreamInfo[]];
  /** The media server restarted: the client must publish again; a fresh subscribeOffer follows. */
  reset: [];
  close: [];
}

export interface MediaParticipant extends TypedEmitter<MediaParticipantEvents> {
  readonly key: string;
  readonly closed: boolean;
  publish(offer: SessionDescription, tracks: PublishedTrack[]): Promise<SessionDescription>;
  answerSubscription(answer: SessionDescription): Promise<void>;
  /** Stops publishing (the participant stays in the room and keeps receiving). */
  unpublish(): Promise<void>;
  /** Stops (or resumes) forwarding this participant's track of a source, whatever its client does. */
  moderate(source: MediaSource, muted: boolean): Promise<void>;
  /** The offer the client has not answered yet, if any (to resend after a reconnect). */
  readonly pendingOffer: { offer: SessionDescription; streams: RemoteStreamInfo[] } | undefined;
  /** Removes the participant at the media layer so it cannot stay or come back by itself, then closes. */
  kick(): Promise<void>;
  close(): void;
}

export interface MediaRoomEvents {
  close: [];
}

export interface MediaRoom extends TypedEmitter<MediaRoomEvents> {
  readonly id: string;
  readonly closed: boolean;
  addParticipant(key: string, displayName: string): Promise<MediaParticipant>;
  close(): void;
}

export interface MediaEngineEvents {
  /** A media node went away; its rooms are being rebuilt. */
  nodeDown: [nodeUrl: string];
  /** A media node is back and its rooms and participants were rebuilt. */
  nodeRestored: [nodeUrl: string];
  close: [];
}

export interface MediaEngine extends TypedEmitter<MediaEngineEvents> {
  readonly closed: boolean;
  readonly ready: boolean;
  createRoom(options?: MediaRoomOptions): Promise<MediaRoom>;
  close(): Promise<void>;
}

export interface MediaRoomOptions {
  /**
   * Every publisher's frames are end-to-end encrypted (SFrame): the media server must forward them
   * without inspecting or rewriting their payload (Janus: `require_e2ee`, publisher JSEP `e2ee`).
   */
  requireE2ee?: boolean;
}
