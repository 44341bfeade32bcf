/** The events, options and reply types of the signaling client (SignalingClient.ts). */
import type {
  AckMessage,
  ClientMessageType,
  HostNoticeMessage,
  JoinedMessage,
  LobbyAddedMessage,
  LobbyRemovedMessage,
  LobbyUpdatedMessage,
  LobbyWaitMessage,
  MeetingUpdatedMessage,
  ParticipantJoinedMessage,
  ParticipantsLeftMessage,
  ParticipantUpdatedMessage,
  PublishAnswerMessage,
  ReactionMessage,
  SubscribeOfferMessage,
  UnmuteRequestMessage,
} from '../protocol/messages.js';
import type { MlsServerMessage } from '../protocol/mlsMessages.js';
import type { ClientError } from './ClientError.js';
import type { SocketLike } from './socket.js';
import type { SessionEnd } from './types.js';

export type SignalingState = 'idle' | 'connecting' | 'joined' | 'reconnecting' | 'closed';

/** Server messages passed on as events of the same name, unchanged. */
export type ForwardedMessage =
  | SubscribeOfferMessage
  | ParticipantJoinedMessage
  | ParticipantUpdatedMessage
  | ParticipantsLeftMessage
  | ReactionMessage
  | LobbyUpdatedMessage
  | LobbyAddedMessage
  | LobbyRemovedMessage
  | MeetingUpdatedMessage
  | UnmuteRequestMessage
  | HostNoticeMessage;

export const FORWARDED_TYPES: ReadonlySet<string> = new Set<ForwardedMessage['type']>([
  'subscribeOffer',
  'participantJoined',
  'participantUpdated',
  'participantsLeft',
  'reaction',
  'lobbyUpdated',
  'lobbyAdded',
  'lobbyRemoved',
  'meetingUpdated',
  'unmuteRequest',
  'hostNotice',
]);

/** The server's MLS messages (end-to-end encryption), passed on as the `mls` event in arrival order. */
export const MLS_TYPES: ReadonlySet<string> = new Set<MlsServerMessage['type']>([
  'mlsExternalSender',
  'mlsCreateGroup',
  'mlsWelcome',
  'mlsHandshake',
  'mlsCommitRequest',
  'mlsCommitResult',
  'mlsStatus',
  'mlsMessage',
]);

export interface SignalingEvents {
  state: [state: SignalingState];
  /** The first join succeeded. */
  joined: [message: JoinedMessage];
  /** The join went to the lobby: `joined` follows when a host lets you in (the join waits, no timeout). */
  lobbyWait: [message: LobbyWaitMessage];
  /** The seat was taken back after a reconnect; media was not interrupted. */
  resumed: [message: JoinedMessage];
  /** The seat could not be resumed; this is a fresh join as a new participant. Republish media. */
  sessionReset: [message: JoinedMessage];
  subscribeOffer: [message: SubscribeOfferMessage];
  participantJoined: [message: ParticipantJoinedMessage];
  participantUpdated: [message: ParticipantUpdatedMessage];
  participantsLeft: [message: ParticipantsLeftMessage];
  reaction: [message: ReactionMessage];
  /** The whole lobby (sent when you become a co-host); changes come as the two deltas below. */
  lobbyUpdated: [message: LobbyUpdatedMessage];
  lobbyAdded: [message: LobbyAddedMessage];
  lobbyRemoved: [message: LobbyRemovedMessage];
  meetingUpdated: [message: MeetingUpdatedMessage];
  unmuteRequest: [message: UnmuteRequestMessage];
  /** To the host: an operator decision about this meeting (docs/api.md `Notice`). */
  hostNotice: [message: HostNoticeMessage];
  /** The server's MLS messages, every type (docs/protocol.md "End-to-end encryption (MLS)"). */
  mls: [message: MlsServerMessage];
  /** A host muted you: mute the microphone now. */
  forceMute: [];
  mediaRestart: [];
  /**
   * The seat ended by someone else's action (`sessionEnded`, or close code 4004/4005). Final: `closed`
   * (with `null`) follows and the client never reconnects.
   */
  sessionEnded: [end: SessionEnd];
  /** A server error that answers no request of ours. */
  error: [error: ClientError];
  /** The client stopped for good: `null` after leave(), an error when reconnecting became impossible. */
  closed: [reason: ClientError | null];
}

export interface SignalingOptions {
  /** WebSocket URL; defaults to `/ws` on the page's origin. */
  url?: string;
  createSocket?: (url: string) => SocketLike;
  requestTimeoutMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

/** Credentials sent with every `join` (the first one and the ones after a reconnect). */
export interface JoinCredentials {
  passcode?: string | undefined;
  hostKey?: string | undefined;
}

export type ReplyOf<K extends ClientMessageType> = K extends 'join'
  ? JoinedMessage
  : K extends 'publish'
    ? PublishAnswerMessage
    : AckMessage;
