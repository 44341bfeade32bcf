/** The view of a meeting that MeetingSession exposes to a UI. Snapshots are immutable. */
import type { ParticipantInfo } from '../protocol/messages.js';

export type SessionStatus = 'idle' | 'joining' | 'joined' | 'reconnecting' | 'left' | 'error';

export interface ParticipantView extends ParticipantInfo {
  isLocal: boolean;
}

/** One MediaStream per remote source; `audio` is the microphone. */
export interface RemoteMedia {
  audio: MediaStream | null;
  camera: MediaStream | null;
  screen: MediaStream | null;
}

export interface ChatEntry {
  id: string;
  fromId: string;
  fromName: string;
  text: string;
  sentAt: number;
  isLocal: boolean;
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
  /** The local participant (null before the first `joined`). */
  self: ParticipantView | null;
  /** Everyone else, in order of arrival. */
  participants: readonly ParticipantView[];
  /** Remote media by participant id. */
  remoteMedia: Readonly<Record<string, RemoteMedia>>;
  local: LocalView;
  /** Ids of the participants speaking right now (local included). */
  speaking: readonly string[];
  /** The most recent dominant speaker (sticky while nobody speaks). */
  activeSpeakerId: string | null;
  chat: readonly ChatEntry[];
  /** Why the session ended in `error`, or why joining failed. */
  error: { code: string; message: string } | null;
  /** A media problem while in the meeting (e.g. publishing failed), for a banner. */
  mediaProblem: string | null;
}
