/**
 * Convene signaling protocol, version 1: JSON text frames over one WebSocket at /ws.
 * The schemas here are the single source of truth: the server validates every client message against
 * them, the client library and the web app import the derived types, and docs/protocol.md describes them.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Closed, ParticipantId, clientMessage } from './schemaParts.js';
import {
  MlsApplicationMessage,
  MlsCommitMessage,
  MlsKeyPackageMessage,
  MlsRejoinMessage,
  type MlsServerMessage,
} from './mlsMessages.js';
import type { SessionEndReason } from './closeCodes.js';

export { PROTOCOL_VERSION } from './schemaParts.js';
export * from './mlsMessages.js';

/** Frames larger than this close the socket with 1009 (`mlsCommit` alone may be larger: mlsMessages.ts). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
const MeetingId = Type.String({ pattern: '^[A-Za-z0-9_-]{22,64}$' });
/** Shape only; `normaliseDisplayName` (displayName.ts) applies the character rules after the schema. */
const DisplayName = Type.String({ minLength: 1, maxLength: 64 });
export const TrackSource = Type.Union([Type.Literal('mic'), Type.Literal('camera'), Type.Literal('screen')]);
export type TrackSource = Static<typeof TrackSource>;

const Jsep = (type: 'offer' | 'answer') =>
  Type.Object({ type: Type.Literal(type), sdp: Type.String({ minLength: 1, maxLength: 60_000 }) }, Closed);

// ---- client -> server ----------------------------------------------------------------------------

export const JoinMessage = clientMessage('join', {
  meetingId: MeetingId,
  displayName: DisplayName,
  /** The meeting passcode, when it has one (links carry it in the URL fragment, never sent over HTTP). */
  passcode: Type.Optional(Type.String({ maxLength: 128 })),
  /** Host key returned when an anonymous meeting was created: joining with it makes you the host. */
  hostKey: Type.Optional(Type.String({ maxLength: 128 })),
  /** Token from an earlier `joined`, to take the same seat back after a dropped connection. */
  resume: Type.Optional(Type.String({ maxLength: 128 })),
});
export const PublishMessage = clientMessage('publish', {
  jsep: Jsep('offer'),
  /** What each sending transceiver carries, by mid. */
  tracks: Type.Array(Type.Object({ mid: Type.String({ maxLength: 16 }), source: TrackSource }, Closed), {
    maxItems: 8,
  }),
});
export const SubscribeAnswerMessage = clientMessage('subscribeAnswer', { jsep: Jsep('answer') });
export const MediaStateMessage = clientMessage('mediaState', {
  audioMuted: Type.Boolean(),
  videoMuted: Type.Boolean(),
  screenSharing: Type.Boolean(),
});
export const LeaveMessage = clientMessage('leave', {});

export const RaiseHandMessage = clientMessage('raiseHand', { raised: Type.Boolean() });
/** The reactions a participant can send; clients draw each as an emoji of their choice. */
export const REACTIONS = ['thumbsUp', 'heart', 'joy', 'surprised', 'clap', 'celebrate'] as const;
export const Reaction = Type.Union(REACTIONS.map((r) => Type.Literal(r)));
export type Reaction = (typeof REACTIONS)[number];
/** A reaction floats over your tile for everyone; rate-limited per participant (`rate_limited`). */
export const ReactMessage = clientMessage('react', { reaction: Reaction });

// ---- host controls (host and co-hosts only; identity comes from the connection) -------------------

/** Either a list of participants or everyone (e.g. everyone waiting in the lobby). */
const Targets = {
  participantIds: Type.Optional(Type.Array(ParticipantId, { maxItems: 1000 })),
  all: Type.Optional(Type.Boolean()),
};
export const AdmitMessage = clientMessage('admit', Targets);
export const DenyMessage = clientMessage('deny', Targets);
export const RemoveMessage = clientMessage('remove', {
  participantId: ParticipantId,
  /** Also bar this person (account, or browser for guests) from rejoining this meeting. */
  ban: Type.Boolean(),
});
export const MuteMessage = clientMessage('mute', Targets);
export const AskUnmuteMessage = clientMessage('askUnmute', { participantId: ParticipantId });
export const LowerHandMessage = clientMessage('lowerHand', Targets);
export const LockMessage = clientMessage('lock', { locked: Type.Boolean() });
export const EndMeetingMessage = clientMessage('endMeeting', {});
/** Shows one participant large on every screen (`null`: nobody); kept in `MeetingView.spotlight`. */
export const SpotlightMessage = clientMessage('spotlight', {
  participantId: Type.Union([ParticipantId, Type.Null()]),
});
/** Host only: makes another participant the host; the sender becomes a participant, in one step. */
export const HandOverMessage = clientMessage('handOver', { participantId: ParticipantId });
export const Role = Type.Union([
  Type.Literal('host'),
  Type.Literal('cohost'),
  Type.Literal('participant'),
  Type.Literal('panelist'),
  Type.Literal('attendee'),
]);
export type Role = Static<typeof Role>;
export const SetRoleMessage = clientMessage('setRole', {
  participantId: ParticipantId,
  /** `host` cannot be given; co-hosts are made by the host only. */
  role: Type.Union([
    Type.Literal('cohost'),
    Type.Literal('participant'),
    Type.Literal('panelist'),
    Type.Literal('attendee'),
  ]),
});

export const ClientMessageSchemas = {
  join: JoinMessage,
  publish: PublishMessage,
  subscribeAnswer: SubscribeAnswerMessage,
  mediaState: MediaStateMessage,
  leave: LeaveMessage,
  raiseHand: RaiseHandMessage,
  react: ReactMessage,
  admit: AdmitMessage,
  deny: DenyMessage,
  remove: RemoveMessage,
  mute: MuteMessage,
  askUnmute: AskUnmuteMessage,
  lowerHand: LowerHandMessage,
  lock: LockMessage,
  endMeeting: EndMeetingMessage,
  setRole: SetRoleMessage,
  spotlight: SpotlightMessage,
  handOver: HandOverMessage,
  mlsKeyPackage: MlsKeyPackageMessage,
  mlsCommit: MlsCommitMessage,
  mlsMessage: MlsApplicationMessage,
  mlsRejoin: MlsRejoinMessage,
} as const;
/** Messages only the host and co-hosts may send. */
export const HOST_CONTROLS: readonly ClientMessageType[] = [
  'admit',
  'deny',
  'remove',
  'mute',
  'askUnmute',
  'lowerHand',
  'lock',
  'endMeeting',
  'setRole',
  'spotlight',
  'handOver',
];
export type ClientMessageType = keyof typeof ClientMessageSchemas;
export type ClientMessage = {
  [K in ClientMessageType]: Static<(typeof ClientMessageSchemas)[K]>;
}[ClientMessageType];
export type ClientMessageOf<K extends ClientMessageType> = Static<(typeof ClientMessageSchemas)[K]>;
/** A client message without the envelope fields the client library fills in. */
export type ClientPayload<K extends ClientMessageType> = Omit<ClientMessageOf<K>, 'v' | 'type' | 'rid'>;

// ---- server -> client ----------------------------------------------------------------------------

export const ParticipantInfo = Type.Object(
  {
    id: ParticipantId,
    displayName: DisplayName,
    role: Role,
    /** Signed in with an account (otherwise a guest). */
    signedIn: Type.Boolean(),
    audioMuted: Type.Boolean(),
    videoMuted: Type.Boolean(),
    screenSharing: Type.Boolean(),
    handRaised: Type.Boolean(),
    /** When the hand went up (server time, ms since the epoch), so every client orders the queue alike. */
    handRaisedAt: Type.Union([Type.Number(), Type.Null()]),
    joinedAt: Type.Number(),
  },
  Closed,
);
export type ParticipantInfo = Static<typeof ParticipantInfo>;

/** One m-line of the subscriber PeerConnection: whose track it carries. */
export const RemoteStream = Type.Object(
  {
    mid: Type.String(),
    participantId: ParticipantId,
    kind: Type.Union([Type.Literal('audio'), Type.Literal('video')]),
    source: TrackSource,
    active: Type.Boolean(),
  },
  Closed,
);
export type RemoteStream = Static<typeof RemoteStream>;

/** Public view of the meeting's settings, as every participant sees them. */
export interface MeetingView {
  id: string;
  title: string;
  locked: boolean;
  lobby: boolean;
  webinar: boolean;
  /** The participant a host or co-host shows large on every screen, or null. */
  spotlight: string | null;
}
export interface LobbyEntry {
  id: string;
  displayName: string;
  signedIn: boolean;
  waitingSince: number;
}
export interface JoinedMessage {
  v: 1;
  type: 'joined';
  rid?: string;
  meetingId: string;
  meeting: MeetingView;
  /** People waiting in the lobby (only for the host and co-hosts; empty for others). */
  lobby: LobbyEntry[];
  self: ParticipantInfo;
  participants: ParticipantInfo[];
  /** Secret token to resume this seat after a dropped connection (valid for `resumeWindowMs`). */
  resumeToken: string;
  resumeWindowMs: number;
  resumed: boolean;
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
  /** The frames are end-to-end encrypted (SFrame): decrypt every receiver (always true today). */
  e2ee: boolean;
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
/** Why a seat ended, as the others are told. */
export type LeaveReason = 'left' | 'disconnected' | 'removed' | 'withheld' | 'ended';
/**
 * Participants left the meeting, for one reason: one message however many left at once (a removal
 * sweep of N people is one frame per remaining participant, not N). `withheld` says how many were
 * disconnected because of an operator's jurisdiction-scoped decision, and which public case it was.
 */
export interface ParticipantsLeftMessage {
  v: 1;
  type: 'participantsLeft';
  participantIds: string[];
  reason: LeaveReason;
  withheld?: { jurisdiction: string; count: number; caseRef: string; noticePath: string };
}
/** Someone reacted (you too: the sender gets its own reaction back). */
export interface ReactionMessage {
  v: 1;
  type: 'reaction';
  from: string;
  reaction: Reaction;
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
/** You are in the lobby: the host will let you in soon. `joined` (same rid) follows when admitted. */
export interface LobbyWaitMessage {
  v: 1;
  type: 'lobbyWait';
  rid?: string;
  meetingTitle: string;
}
/**
 * Hosts and co-hosts: the whole lobby, sent once to someone who just became a co-host (a host or
 * co-host gets the lobby in `joined`); every later change comes as `lobbyAdded` / `lobbyRemoved`.
 */
export interface LobbyUpdatedMessage {
  v: 1;
  type: 'lobbyUpdated';
  lobby: LobbyEntry[];
}
/** Hosts and co-hosts: people who just arrived in the lobby (one delta, never the whole list). */
export interface LobbyAddedMessage {
  v: 1;
  type: 'lobbyAdded';
  entries: LobbyEntry[];
}
/** Hosts and co-hosts: people no longer waiting (admitted, denied, left or removed). */
export interface LobbyRemovedMessage {
  v: 1;
  type: 'lobbyRemoved';
  participantIds: string[];
}
export interface MeetingUpdatedMessage {
  v: 1;
  type: 'meetingUpdated';
  meeting: MeetingView;
}
/** The host muted you: mute your microphone now (the media server also stops forwarding it). */
export interface ForceMuteMessage {
  v: 1;
  type: 'forceMute';
}
/** The host asks you to unmute; only you can. */
export interface UnmuteRequestMessage {
  v: 1;
  type: 'unmuteRequest';
  from: string;
}
/**
 * Your seat (or your wait in the lobby) ended by someone else's action; the socket closes after this
 * message. `removed`: a host removed you (`banned`: you may not rejoin), or a host's rule no longer
 * lets you in (`code`, e.g. `region_not_allowed`). `denied`: the host did not let you in. `ended`: the
 * host ended the meeting for everyone. `withheld`: the operator withheld this meeting in your
 * jurisdiction in response to a legal demand (`withheld` says which case; its public notice explains).
 * `rejoin` is true only when joining again can succeed (a removal without ban by a person).
 */
export interface SessionEndedMessage {
  v: 1;
  type: 'sessionEnded';
  reason: SessionEndReason;
  banned?: boolean;
  /** Why, when a rule rather than a person removed you, e.g. `region_not_allowed`. */
  code?: string;
  rejoin: boolean;
  /** For `withheld`: the notice to show. */
  withheld?: { jurisdiction: string; caseRef: string; noticePath: string; message: string };
}

/**
 * To the host (and only the host) when an operator's decision about one of their meetings is
 * delivered while they are in a meeting: the same notice as in My meetings (docs/api.md `Notice`).
 */
export interface HostNoticeMessage {
  v: 1;
  type: 'hostNotice';
  notice: Record<string, unknown>;
}

export interface ErrorMessage {
  v: 1;
  type: 'error';
  rid?: string;
  code: string;
  message: string;
  /** Structured facts for some codes, e.g. `withheld`: jurisdiction, caseRef, noticePath. */
  details?: Record<string, string>;
}

export type ServerMessage =
  | JoinedMessage
  | PublishAnswerMessage
  | SubscribeOfferMessage
  | ParticipantJoinedMessage
  | ParticipantUpdatedMessage
  | ParticipantsLeftMessage
  | ReactionMessage
  | MediaRestartMessage
  | LobbyWaitMessage
  | LobbyUpdatedMessage
  | LobbyAddedMessage
  | LobbyRemovedMessage
  | MeetingUpdatedMessage
  | ForceMuteMessage
  | UnmuteRequestMessage
  | SessionEndedMessage
  | HostNoticeMessage
  | MlsServerMessage
  | AckMessage
  | ErrorMessage;
export type ServerMessageType = ServerMessage['type'];

/** Distributive Omit, so each member of a union keeps its own fields. */
export type WithoutVersion<T> = T extends unknown ? Omit<T, 'v'> : never;
