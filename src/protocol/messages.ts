/**
 * Convene signaling protocol, version 1: JSON text frames over one WebSocket at /ws.
 * The schemas here are the single source of truth: the server validates every client message against
 * them, the client library and the web app import the derived types, and docs/protocol.md describes them.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const PROTOCOL_VERSION = 1;
/** Frames larger than this close the socket with 1009. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

const Rid = Type.Optional(
  Type.String({ maxLength: 64, description: 'Request id; echoed on the reply or error to this message.' }),
);
const MeetingId = Type.String({ pattern: '^[A-Za-z0-9_-]{22,64}$' });
const ParticipantId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const DisplayName = Type.String({ minLength: 1, maxLength: 64 });
export const TrackSource = Type.Union([Type.Literal('mic'), Type.Literal('camera'), Type.Literal('screen')]);
export type TrackSource = Static<typeof TrackSource>;

const Jsep = (type: 'offer' | 'answer') =>
  Type.Object({ type: Type.Literal(type), sdp: Type.String({ minLength: 1, maxLength: 60_000 }) });

function clientMessage<T extends string, P extends Record<string, TSchema>>(type: T, props: P) {
  return Type.Object(
    { v: Type.Literal(PROTOCOL_VERSION), type: Type.Literal(type), rid: Rid, ...props },
    { additionalProperties: false },
  );
}

// ---- client -> server ----------------------------------------------------------------------------

export const JoinMessage = clientMessage('join', {
  meetingId: MeetingId,
  displayName: DisplayName,
  /** Token from an earlier `joined`, to take the same seat back after a dropped connection. */
  resume: Type.Optional(Type.String({ maxLength: 128 })),
});
export const PublishMessage = clientMessage('publish', {
  jsep: Jsep('offer'),
  /** What each sending transceiver carries, by mid. */
  tracks: Type.Array(Type.Object({ mid: Type.String({ maxLength: 16 }), source: TrackSource }), {
    maxItems: 8,
  }),
});
export const SubscribeAnswerMessage = clientMessage('subscribeAnswer', { jsep: Jsep('answer') });
export const MediaStateMessage = clientMessage('mediaState', {
  audioMuted: Type.Boolean(),
  videoMuted: Type.Boolean(),
  screenSharing: Type.Boolean(),
});
export const ChatSendMessage = clientMessage('chat', {
  text: Type.String({ minLength: 1, maxLength: 4000 }),
});
export const LeaveMessage = clientMessage('leave', {});

export const ClientMessageSchemas = {
  join: JoinMessage,
  publish: PublishMessage,
  subscribeAnswer: SubscribeAnswerMessage,
  mediaState: MediaStateMessage,
  chat: ChatSendMessage,
  leave: LeaveMessage,
} as const;
export type ClientMessageType = keyof typeof ClientMessageSchemas;
export type ClientMessage = {
  [K in ClientMessageType]: Static<(typeof ClientMessageSchemas)[K]>;
}[ClientMessageType];
export type ClientMessageOf<K extends ClientMessageType> = Static<(typeof ClientMessageSchemas)[K]>;
/** A client message without the envelope fields the client library fills in. */
export type ClientPayload<K extends ClientMessageType> = Omit<ClientMessageOf<K>, 'v' | 'type' | 'rid'>;

// ---- server -> client ----------------------------------------------------------------------------

export const ParticipantInfo = Type.Object({
  id: ParticipantId,
  displayName: DisplayName,
  audioMuted: Type.Boolean(),
  videoMuted: Type.Boolean(),
  screenSharing: Type.Boolean(),
  joinedAt: Type.Number(),
});
export type ParticipantInfo = Static<typeof ParticipantInfo>;

/** One m-line of the subscriber PeerConnection: whose track it carries. */
export const RemoteStream = Type.Object({
  mid: Type.String(),
  participantId: ParticipantId,
  kind: Type.Union([Type.Literal('audio'), Type.Literal('video')]),
  source: TrackSource,
  active: Type.Boolean(),
});
export type RemoteStream = Static<typeof RemoteStream>;

export interface JoinedMessage {
  v: 1;
  type: 'joined';
  rid?: string;
  meetingId: string;
  self: ParticipantInfo;
  participants: ParticipantInfo[];
  /** Secret token to resume this seat after a dropped connection (valid for `resumeWindowMs`). */
  resumeToken: string;
  resumeWindowMs: number;
  resumed: boolean;
  /** Chat sent in this meeting since this participant joined (non-empty only on resume, to fill gaps). */
  chatHistory: ChatMessage[];
}
export interface PublishAnswerMessage {
  v: 1;
  type: 'publishAnswer';
  rid?: string;
  jsep: { type: 'answer'; sdp: string };
}
export interface SubscribeOfferMessage {
  v: 1;
  type: 'subscribeOffer';
  jsep: { type: 'offer'; sdp: string };
  streams: RemoteStream[];
}
export interface ParticipantJoinedMessage {
  v: 1;
  type: 'participantJoined';
  participant: ParticipantInfo;
}
export interface ParticipantUpdatedMessage {
  v: 1;
  type: 'participantUpdated';
  participant: ParticipantInfo;
}
export interface ParticipantLeftMessage {
  v: 1;
  type: 'participantLeft';
  participantId: string;
  reason: 'left' | 'disconnected';
}
export interface ChatMessage {
  v: 1;
  type: 'chat';
  id: string;
  from: string;
  displayName: string;
  text: string;
  sentAt: number;
}
/** The media server restarted: drop both PeerConnections and publish again; a new offer follows. */
export interface MediaRestartMessage {
  v: 1;
  type: 'mediaRestart';
}
export interface AckMessage {
  v: 1;
  type: 'ack';
  rid: string;
}
export interface ErrorMessage {
  v: 1;
  type: 'error';
  rid?: string;
  code: string;
  message: string;
}

export type ServerMessage =
  | JoinedMessage
  | PublishAnswerMessage
  | SubscribeOfferMessage
  | ParticipantJoinedMessage
  | ParticipantUpdatedMessage
  | ParticipantLeftMessage
  | ChatMessage
  | MediaRestartMessage
  | AckMessage
  | ErrorMessage;
export type ServerMessageType = ServerMessage['type'];

/** Distributive Omit, so each member of a union keeps its own fields. */
export type WithoutVersion<T> = T extends unknown ? Omit<T, 'v'> : never;
