/** The view of a meeting that MeetingSession exposes to a UI. Snapshots are immutable. */
import type { LobbyEntry, MeetingView, ParticipantInfo, Reaction, Role } from '../protocol/messages.js';
import type { E2eeView } from './e2ee/view.js';
import type { SessionEndReason } from '../protocol/closeCodes.js';

export type { LobbyEntry, MeetingView, Reaction, Role } from '../protocol/messages.js';
export type { E2eeFailure, E2eeIdentity, E2eeMember, E2eeStatus, E2eeView } from './e2ee/view.js';

/**
 * `lobby`: waiting for the host to let you in (`lobbyTitle` names the meeting). `ended`: the seat ended
 * by someone else's action (`ended` says why); final, like `left`.
 */
export type SessionStatus =
  'idle' | 'joining' | 'lobby' | 'joined' | 'reconnecting' | 'left' | 'ended' | 'error';

export interface ParticipantView extends ParticipantInfo {
  isLocal: boolean;
}

/** Why the seat ended: removed by a host (`banned`: may not rejoin), denied at the lobby, meeting ended. */
export interface SessionEnd {
  reason: SessionEndReason;
  banned: boolean;
  /** Set when a rule removed you, e.g. `region_not_allowed` after the host changed region settings. */
  code?: string;
  /** Joining again can succeed (the server says so); never after a ban, a rule, an end or a withholding. */
  rejoin: boolean;
  /** For `withheld`: the operator's notice, with the public case it links to. */
  withheld?: { jurisdiction: string; caseRef: string; noticePath: string; message: string };
}

/** Participants removed together because the operator withheld the meeting in their jurisdiction. */
export interface WithheldSummary {
  jurisdiction: string;
  count: number;
  caseRef: string;
  noticePath: string;
}

/** A raised hand, in the order hands went up (server time). */
export interface RaisedHand {
  participantId: string;
  displayName: string;
  isLocal: boolean;
  /** When the hand went up (server time, ms since the epoch). */
  raisedAt: number;
}

/** Options for `MeetingSession.join`. */
export interface JoinOptions {
  /** The meeting passcode (from the link's `#pwd=` fragment or typed in). */
  passcode?: string;
  /** The host key of a meeting created anonymously: joining with it makes you the host. */
  hostKey?: string;
}

/** One MediaStream per remote source; `audio` is the microphone. */
export interface RemoteMedia {
  audio: MediaStream | null;
  camera: MediaStream | null;
  screen: MediaStream | null;
}

/** A reaction as it arrived (server time); `displayName` is empty when the sender already left. */
export interface ReactionEntry {
  participantId: string;
  displayName: string;
  reaction: Reaction;
  sentAt: number;
  isLocal: boolean;
}

/** A chat message as sent or decrypted (an MLS application message, docs/e2ee.md); shown as a ChatEntry. */
export interface ChatMessage {
  id: string;
  /** The sender's participant id; its name comes from the sender's MLS credential. */
  from: string;
  displayName: string;
  text: string;
  sentAt: number;
}

export interface ChatEntry {
  id: string;
  fromId: string;
  fromName: string;
  text: string;
  sentAt: number;
  isLocal: boolean;
  /**
   * Yours, sent while the connection was down, and lost because the server had no seat to resume
   * (it was restarted): nobody received it. Shown as not delivered; send it again.
   */
  undelivered: boolean;
}

export interface LocalView {
  /** Camera preview stream (null when no camera could be opened). */
  camera: MediaStream | null;
  /** The screen being shared (for a local preview tile). */
  screen: MediaStream | null;
  audioMuted: boolean;
  videoMuted: boolean;
  screenSharing: boolean;
  hasMic: boolean;
  hasCamera: boolean;
}

export interface SessionState {
  status: SessionStatus;
  meetingId: string | null;
  /** The meeting's public settings (title, locked, lobby, webinar); null before the first `joined`. */
  meeting: MeetingView | null;
  /** The meeting title while waiting in the lobby. */
  lobbyTitle: string | null;
  /** The local participant (null before the first `joined`). */
  self: ParticipantView | null;
  /** Your role (same as `self.role`; null before the first `joined`). */
  role: Role | null;
  /** Host or co-host: may use the host controls and sees the lobby. */
  isModerator: boolean;
  /** Whether your role lets you send audio and video (everyone but webinar attendees). */
  canPublish: boolean;
  /** Everyone else, in order of arrival. */
  participants: readonly ParticipantView[];
  /** People waiting in the lobby (hosts and co-hosts only; empty for others). */
  lobby: readonly LobbyEntry[];
  /** Raised hands, first raised first (you included). */
  hands: readonly RaisedHand[];
  /** Remote media by participant id. */
  remoteMedia: Readonly<Record<string, RemoteMedia>>;
  local: LocalView;
  /** Ids of the participants speaking right now (local included). */
  speaking: readonly string[];
  /** The most recent dominant speaker (sticky while nobody speaks). */
  activeSpeakerId: string | null;
  chat: readonly ChatEntry[];
  /** A host asked you to unmute (`from`: their participant id) and you have not answered yet. */
  unmuteRequest: { from: string } | null;
  /** Why the session ended when `status` is `ended`. */
  ended: SessionEnd | null;
  /** Why the session ended in `error`, or why joining failed. */
  error: { code: string; message: string } | null;
  /** A media problem while in the meeting (e.g. publishing failed), for a banner. */
  mediaProblem: string | null;
  /** End-to-end encryption: state, safety code and the MLS roster this client verified (docs/e2ee.md). */
  e2ee: E2eeView;
}
